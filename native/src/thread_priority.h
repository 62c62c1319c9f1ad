// Scheduling for the netlink reader thread. Whether a 1 ms process shows its argv is decided by
// when this thread runs (architecture.md §4), so it asks for real-time priority where it may: itself
// (root, CAP_SYS_NICE, RLIMIT_RTPRIO), else through RealtimeKit, which grants it to unprivileged
// desktop users; failing both, a better nice level the same two ways.
#pragma once

#include <cstdint>
#include <string>

namespace forkscope {

struct ThreadPriority {
  // What is in force, for the user: "SCHED_FIFO 10", "SCHED_RR 10 (RealtimeKit)", "nice -10",
  // "normal (SCHED_FIFO: EPERM; RealtimeKit: not running; nice: EACCES)".
  std::string description;
  // RLIMIT_RTTIME in µs when the thread runs real-time under a finite one: the kernel kills the
  // process once the thread has run that long without sleeping. 0: no such limit applies.
  int64_t runBudgetUs = 0;
};

// Applies the best priority permitted to the calling thread. With realtime = false the thread is
// left alone ("normal (realtime off)"). systemBusAddress: SystemBusAddress(), read on the JS
// thread. Asking RealtimeKit takes at most kRealtimeKitTimeoutMs.
ThreadPriority RaiseCurrentThreadPriority(bool realtime, const std::string& systemBusAddress);

constexpr int kRealtimeKitTimeoutMs = 500;

// The calling thread was made real-time by someone else (`by`: the capture helper): describes
// the policy in force, read back from the kernel, with the RLIMIT_RTTIME budget that applies.
ThreadPriority RealtimeGrantedByOther(const std::string& by);

// Keeps a real-time thread inside its RLIMIT_RTTIME budget in a storm, when events arrive faster
// than it drains them and it would never block: a poll() that returns at once is not a sleep.
// Only a voluntary context switch (the thread blocked) resets the kernel's count, so the guard
// watches the thread's voluntary switches and, when none happened for a quarter of the budget,
// sleeps briefly. The thread thus never runs more than about half its budget without sleeping.
class RunBudgetGuard {
 public:
  // budgetUs = ThreadPriority::runBudgetUs; 0 disables the guard.
  explicit RunBudgetGuard(int64_t budgetUs);
  // Call at least every few ms from the thread's loop. Costs one vDSO clock read, plus one
  // getrusage() per quarter budget.
  void Check();

 private:
  int64_t checkIntervalNs_;
  int64_t nextCheckNs_ = 0;
  long voluntarySwitches_ = -1;
};

}  // namespace forkscope
