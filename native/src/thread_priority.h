// Scheduling for the netlink reader thread. Whether a 1 ms process shows its argv is decided by
// when this thread runs (DESIGN.md §4), so it asks for real-time priority where it may.
#pragma once

#include <string>

namespace forkscope {

// Applies the best priority permitted to the calling thread and describes what is in force:
// "SCHED_FIFO 10", "nice -10", or "normal (SCHED_FIFO: EPERM, nice: EACCES)".
// With realtime = false the thread is left alone and "normal (realtime off)" is returned.
std::string RaiseCurrentThreadPriority(bool realtime);

}  // namespace forkscope
