#include "thread_priority.h"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "errno_name.h"

namespace forkscope {

namespace {
// Modest: above every normal task, well below kernel and audio threads (which use 50+).
constexpr int kFifoPriority = 10;
constexpr int kFallbackNice = -10;
}  // namespace

std::string RaiseCurrentThreadPriority(bool realtime) {
  if (!realtime) return "normal (realtime off)";

  sched_param param{};
  param.sched_priority = kFifoPriority;
  int fifoErr = pthread_setschedparam(pthread_self(), SCHED_FIFO, &param);
  if (fifoErr == 0) return "SCHED_FIFO " + std::to_string(kFifoPriority);

  // setpriority(PRIO_PROCESS, tid) renices only this thread on Linux (threads are tasks).
  pid_t tid = static_cast<pid_t>(syscall(SYS_gettid));
  if (setpriority(PRIO_PROCESS, static_cast<id_t>(tid), kFallbackNice) == 0) {
    return "nice " + std::to_string(kFallbackNice);
  }
  int niceErr = errno;
  return "normal (SCHED_FIFO: " + ErrnoName(fifoErr) + ", nice: " + ErrnoName(niceErr) + ")";
}

}  // namespace forkscope
