// forkscope_native: the netlink process-connector reader, the /proc scanner and identity-safe
// signals. N-API (NAPI_VERSION 8) so one binary loads in Node and in Electron.
#include <napi.h>

#include "identity_signal.h"
#include "priority_probe.h"
#include "scanner.h"
#include "proc_connector_reader_binding.h"

namespace forkscope {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("Watcher", ProcConnectorReaderWrap::Define(env));
  exports.Set("scanProcesses", Napi::Function::New(env, ScanProcesses, "scanProcesses"));
  exports.Set("pidfdSignal", Napi::Function::New(env, PidfdSignal, "pidfdSignal"));
  exports.Set("clockInfo", Napi::Function::New(env, ClockInfo, "clockInfo"));
  exports.Set("probeThreadPriority", Napi::Function::New(env, ProbeThreadPriority, "probeThreadPriority"));
  return exports;
}

NODE_API_MODULE(forkscope_native, Init)

}  // namespace forkscope
