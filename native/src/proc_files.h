// Small, allocation-free readers of /proc files, shared by the reader thread, the scanner and
// the signal path. Callers own the buffers and reuse them, so a storm does not become an
// allocation storm.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace forkscope {

// The fields of /proc/PID/stat that Forkscope uses. `comm` points into the caller's buffer.
struct StatFields {
  std::string_view comm;
  char state = '?';
  int32_t ppid = 0;
  uint64_t flags = 0;
  uint64_t utime = 0;
  uint64_t stime = 0;
  int64_t numThreads = 0;
  uint64_t startTime = 0;  // clock ticks since boot (field 22)
  int64_t rssPages = 0;
};

// Kernel-thread flag in stat field 9 (include/linux/sched.h).
constexpr uint64_t kPfKthread = 0x00200000;

// Reads at most `limit` bytes of `path` into `buf` (resized as needed, capacity kept).
// Returns the byte count, or -errno. `truncated` (optional) is set when the file held more.
ssize_t ReadFileInto(const char* path, std::vector<char>& buf, size_t limit, bool* truncated = nullptr);

// Parses a stat line. comm is between the first '(' and the LAST ')': a task name may itself
// contain spaces, ')' and newlines. Returns false on malformed input.
bool ParseStat(const char* data, size_t len, StatFields* out);

// Reads and parses /proc/PID/stat into `buf`/`out`. Returns 0 or -errno (-EINVAL if malformed).
int ReadStat(int pid, std::vector<char>& buf, StatFields* out);

// The real uid from a /proc/PID/status text (first number of the "Uid:" line), or -1.
int64_t ParseStatusRealUid(const char* data, size_t len);

}  // namespace forkscope
