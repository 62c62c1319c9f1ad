#include "priority_probe.h"

#include <string>
#include <thread>

#include "system_bus.h"
#include "thread_priority.h"

namespace forkscope {

Napi::Value ProbeThreadPriority(const Napi::CallbackInfo& info) {
  const std::string busAddress = SystemBusAddress();  // on the JS thread, as the reader does
  ThreadPriority granted;
  // Blocks the JS thread for at most kRealtimeKitTimeoutMs.
  std::thread probe([&] { granted = RaiseCurrentThreadPriority(true, busAddress); });
  probe.join();
  return Napi::String::New(info.Env(), granted.description);
}

}  // namespace forkscope
