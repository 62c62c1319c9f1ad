#include "thread_priority.h"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "clock.h"
#include "errno_name.h"
#include "realtime_kit.h"
#include "system_bus.h"

namespace forkscope {

namespace {

// Modest: above every normal task, well below kernel and audio threads (which use 50+).
constexpr int kFifoPriority = 10;
constexpr int kFallbackNice = -10;
// Long enough to be a real sleep (the scheduler dequeues the thread), short enough to cost a
// storm nothing measurable: one per quarter budget (50 ms under RealtimeKit's default 200 ms).
constexpr int64_t kBreatherNs = 100 * 1000;

pid_t CurrentTid() { return static_cast<pid_t>(syscall(SYS_gettid)); }

std::string Join(const std::vector<std::string>& parts) {
  std::string joined;
  for (const std::string& part : parts) joined += (joined.empty() ? "" : "; ") + part;
  return joined;
}

// The RLIMIT_RTTIME budget in force for a real-time thread: the lower of the two limits, since
// the soft one sends SIGXCPU, which terminates Node just as surely as the hard one's SIGKILL.
int64_t RtTimeBudgetUs() {
  rlimit limit{};
  if (getrlimit(RLIMIT_RTTIME, &limit) != 0) return 0;
  rlim_t budget = std::min(limit.rlim_cur, limit.rlim_max);
  return budget == RLIM_INFINITY ? 0 : static_cast<int64_t>(budget);
}

// Reads back the calling thread's policy from the kernel: RealtimeKit chooses it (SCHED_RR by
// default), and glibc's pthread_getschedparam would answer from its cache of our own last call.
std::string DescribeRealtimePolicy() {
#ifndef SCHED_RESET_ON_FORK
  constexpr int SCHED_RESET_ON_FORK = 0x40000000;  // uapi value; RealtimeKit always sets it
#endif
  const int policy = sched_getscheduler(0);
  sched_param param{};
  if (policy < 0 || sched_getparam(0, &param) != 0) return "";
  switch (policy & ~SCHED_RESET_ON_FORK) {
    case SCHED_FIFO: return "SCHED_FIFO " + std::to_string(param.sched_priority);
    case SCHED_RR: return "SCHED_RR " + std::to_string(param.sched_priority);
    default: return "";
  }
}

// RealtimeKit grants real-time only to processes whose RLIMIT_RTTIME hard limit is within its
// RTTimeUSecMax: lower it (and the soft limit with it) just before asking. On refusal the old
// limits come back where the kernel lets us raise them again; where it does not, the lower
// limit is harmless, as it only ever applies to real-time threads.
std::string AskRealtimeKitForRealtime(RealtimeKit& rtkit, const RealtimeKitLimits& limits, pid_t tid) {
  if (limits.maxRealtimePriority < 1) return "grants no real-time priority";
  if (limits.rttimeUsecMax <= 0) return "publishes no RTTimeUSecMax";
  rlimit previous{};
  if (getrlimit(RLIMIT_RTTIME, &previous) != 0) return "RLIMIT_RTTIME: " + ErrnoName(errno);
  rlimit lowered = previous;
  lowered.rlim_max = std::min(previous.rlim_max, static_cast<rlim_t>(limits.rttimeUsecMax));
  lowered.rlim_cur = std::min(previous.rlim_cur, lowered.rlim_max);
  if (setrlimit(RLIMIT_RTTIME, &lowered) != 0) return "RLIMIT_RTTIME: " + ErrnoName(errno);

  const auto priority = static_cast<uint32_t>(std::min(kFifoPriority, limits.maxRealtimePriority));
  std::string why = rtkit.MakeThreadRealtime(tid, priority);
  if (why.empty() && DescribeRealtimePolicy().empty()) why = "granted, yet the thread is not real-time";
  if (!why.empty()) setrlimit(RLIMIT_RTTIME, &previous);
  return why;
}

}  // namespace

ThreadPriority RaiseCurrentThreadPriority(bool realtime, const std::string& systemBusAddress) {
  if (!realtime) return {"normal (realtime off)", 0};

  sched_param param{};
  param.sched_priority = kFifoPriority;
  int fifoErr = pthread_setschedparam(pthread_self(), SCHED_FIFO, &param);
  if (fifoErr == 0) return {"SCHED_FIFO " + std::to_string(kFifoPriority), RtTimeBudgetUs()};
  std::vector<std::string> refusals{"SCHED_FIFO: " + ErrnoName(fifoErr)};

  const pid_t tid = CurrentTid();
  RealtimeKit rtkit(systemBusAddress, MonotonicNs() + kRealtimeKitTimeoutMs * 1000000LL);
  RealtimeKitLimits limits;
  std::string rtkitWhy = rtkit.ReadLimits(&limits);
  const bool rtkitAnswers = rtkitWhy.empty();
  if (rtkitAnswers) rtkitWhy = AskRealtimeKitForRealtime(rtkit, limits, tid);
  if (rtkitWhy.empty()) return {DescribeRealtimePolicy() + " (RealtimeKit)", RtTimeBudgetUs()};
  refusals.push_back("RealtimeKit: " + rtkitWhy);

  // setpriority(PRIO_PROCESS, tid) renices only this thread on Linux (threads are tasks).
  if (setpriority(PRIO_PROCESS, static_cast<id_t>(tid), kFallbackNice) == 0) {
    return {"nice " + std::to_string(kFallbackNice), 0};
  }
  refusals.push_back("nice: " + ErrnoName(errno));
  if (rtkitAnswers) {
    const int32_t nice = std::max(kFallbackNice, limits.minNiceLevel);
    std::string niceWhy = rtkit.MakeThreadHighPriority(tid, nice);
    if (niceWhy.empty()) return {"nice " + std::to_string(nice) + " (RealtimeKit; " + Join(refusals) + ")", 0};
    refusals.push_back("RealtimeKit nice: " + niceWhy);
  }
  return {"normal (" + Join(refusals) + ")", 0};
}

RunBudgetGuard::RunBudgetGuard(int64_t budgetUs) : checkIntervalNs_(budgetUs * 1000 / 4) {}

void RunBudgetGuard::Check() {
  if (checkIntervalNs_ <= 0) return;
  const int64_t now = MonotonicNs();
  if (now < nextCheckNs_) return;
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  // No voluntary switch since the last check: the thread may have run since the check before
  // that, half the budget by the next one. Sleep now; the kernel then restarts its count.
  if (usage.ru_nvcsw == voluntarySwitches_) {
    timespec breather{0, kBreatherNs};
    while (nanosleep(&breather, &breather) != 0 && errno == EINTR) {
    }
    getrusage(RUSAGE_THREAD, &usage);
  }
  voluntarySwitches_ = usage.ru_nvcsw;
  nextCheckNs_ = MonotonicNs() + checkIntervalNs_;
}

ThreadPriority RealtimeGrantedByOther(const std::string& by) {
  const std::string policy = DescribeRealtimePolicy();
  if (policy.empty()) return {"normal (" + by + " said SCHED_FIFO, yet the thread is not real-time)", 0};
  return {policy + " (" + by + ")", RtTimeBudgetUs()};
}

}  // namespace forkscope
