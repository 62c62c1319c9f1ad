// Identity-safe signalling (pidfd + start-time check) and the clock facts callers need to turn
// stat start times into wall-clock times.
#pragma once

#include <napi.h>

namespace forkscope {

// pidfdSignal(pid, startTime, signo) → {ok: true} | {ok: false, error, message}.
// error is an errno name ("ESRCH", "EPERM", ...) or "recycled" when pid now names another process.
Napi::Value PidfdSignal(const Napi::CallbackInfo& info);

// clockInfo() → {clkTck, bootEpochMs}.
Napi::Value ClockInfo(const Napi::CallbackInfo& info);

}  // namespace forkscope
