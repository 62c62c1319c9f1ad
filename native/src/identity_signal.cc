#include "identity_signal.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <vector>

#include "clock.h"
#include "errno_name.h"
#include "proc_files.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

namespace forkscope {

namespace {

constexpr double kPidMax = 4194304;  // PID_MAX_LIMIT

double IntegerArg(const Napi::CallbackInfo& info, size_t index, const char* name, double min, double max) {
  if (info.Length() <= index || !info[index].IsNumber()) {
    throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a number");
  }
  double v = info[index].As<Napi::Number>().DoubleValue();
  if (!std::isfinite(v) || std::floor(v) != v || v < min || v > max) {
    throw Napi::RangeError::New(info.Env(), std::string(name) + " must be an integer in range");
  }
  return v;
}

Napi::Object Failure(Napi::Env env, const std::string& error, const std::string& message) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("ok", false);
  out.Set("error", error);
  out.Set("message", message);
  return out;
}

Napi::Object ErrnoFailure(Napi::Env env, int err, const char* what) {
  return Failure(env, ErrnoName(err), std::string(what) + ": " + strerror(err));
}

}  // namespace

Napi::Value PidfdSignal(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const auto pid = static_cast<pid_t>(IntegerArg(info, 0, "pid", 1, kPidMax));
  const double startTime = IntegerArg(info, 1, "startTime", 0, 9007199254740991.0);
  const int signo = static_cast<int>(IntegerArg(info, 2, "signo", 0, 64));

  // Open the pidfd first, then check identity: if the pid is recycled after the check, the
  // pidfd still names the process we checked (now dead) and the signal fails with ESRCH.
  int fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0) return ErrnoFailure(env, errno, "pidfd_open");

  std::vector<char> buf;
  StatFields stat;
  int readErr = ReadStat(pid, buf, &stat);
  if (readErr != 0) {
    close(fd);
    int err = -readErr == ENOENT ? ESRCH : -readErr;
    return ErrnoFailure(env, err, "reading /proc/PID/stat");
  }
  if (static_cast<double>(stat.startTime) != startTime) {
    close(fd);
    return Failure(env, "recycled",
                   "pid " + std::to_string(pid) + " now belongs to another process (start time " +
                       std::to_string(stat.startTime) + ", expected " + std::to_string(static_cast<uint64_t>(startTime)) + ")");
  }
  long rc = syscall(SYS_pidfd_send_signal, fd, signo, nullptr, 0);
  int err = errno;
  close(fd);
  if (rc != 0) return ErrnoFailure(env, err, "pidfd_send_signal");
  Napi::Object out = Napi::Object::New(env);
  out.Set("ok", true);
  return out;
}

Napi::Value ClockInfo(const Napi::CallbackInfo& info) {
  Napi::Object out = Napi::Object::New(info.Env());
  out.Set("clkTck", static_cast<double>(sysconf(_SC_CLK_TCK)));
  // Start times count from boot including suspend: CLOCK_BOOTTIME, not CLOCK_MONOTONIC.
  out.Set("bootEpochMs", static_cast<double>(ClockNs(CLOCK_REALTIME) - ClockNs(CLOCK_BOOTTIME)) / 1e6);
  return out;
}

}  // namespace forkscope
