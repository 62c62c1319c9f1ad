// RealtimeKit (org.freedesktop.RealtimeKit1 on the system bus): the desktop service that grants
// real-time scheduling or a high nice level to threads of unprivileged processes, within limits
// it publishes. It refuses a process whose RLIMIT_RTTIME hard limit exceeds RTTimeUSecMax,
// because that limit is what keeps a runaway real-time thread from freezing the machine.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "system_bus.h"

namespace forkscope {

struct RealtimeKitLimits {
  int32_t maxRealtimePriority = 0;
  int64_t rttimeUsecMax = 0;
  int32_t minNiceLevel = 0;
};

// Every method returns "" on success or a short reason for the priority string: "no libdbus",
// "no system bus", "not running", "timed out", "AccessDenied (Operation not permitted)", ...
class RealtimeKit {
 public:
  // All calls share one deadline (CLOCK_MONOTONIC ns), so asking never stalls startup for long.
  RealtimeKit(const std::string& busAddress, int64_t deadlineNs);
  std::string ReadLimits(RealtimeKitLimits* out);
  // tid is a thread of this process (RealtimeKit identifies the process by its bus connection).
  std::string MakeThreadRealtime(pid_t tid, uint32_t priority);
  std::string MakeThreadHighPriority(pid_t tid, int32_t niceLevel);

 private:
  DbusReply Call(const std::string& interface, const std::string& member, const DbusArgs& args);
  std::string ReadProperty(const char* name, int64_t* value);

  SystemBus bus_;
  int64_t deadlineNs_;
  // How connecting went: when it failed, every call answers with its error.
  DbusReply connected_;
};

}  // namespace forkscope
