// Clock reads shared by the reader thread, the D-Bus client and the clock facts given to JS.
#pragma once

#include <time.h>

#include <cstdint>

namespace forkscope {

// `clock` in nanoseconds.
inline int64_t ClockNs(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

// CLOCK_MONOTONIC in nanoseconds, the clock every deadline and event timestamp_ns is on.
inline int64_t MonotonicNs() { return ClockNs(CLOCK_MONOTONIC); }

}  // namespace forkscope
