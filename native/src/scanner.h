// A full /proc scan off the JS thread (Napi::AsyncWorker), returned column-oriented:
// scanProcesses() resolves to {pid, ppid, uid, threads: Int32Array; startTime, rssKb, cpuTicks:
// Float64Array; state, kernelThread: Uint8Array; commOff/commLen/argvOff/argvLen: Int32Array
// (argvOff -1 = no argv); cgroupOff/cgroupLen (/proc/PID/cgroup text), nspidOff/nspidLen (status's
// NSpid value, only when nested): Int32Array, -1 = none; strings: Buffer}.
#pragma once

#include <napi.h>

namespace forkscope {

Napi::Value ScanProcesses(const Napi::CallbackInfo& info);

}  // namespace forkscope
