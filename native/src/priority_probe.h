// probeThreadPriority(): runs what the reader thread runs for its priority, on a fresh thread
// that then exits, and returns its description. The RealtimeKit path can then be tested, and a
// user's grant checked, without listening to the proc connector, which an unprivileged user
// may not do on some kernels (architecture.md §4).
#pragma once

#include <napi.h>

namespace forkscope {

Napi::Value ProbeThreadPriority(const Napi::CallbackInfo& info);

}  // namespace forkscope
