#include "proc_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace forkscope {

ssize_t ReadFileInto(const char* path, std::vector<char>& buf, size_t limit, bool* truncated) {
  if (truncated) *truncated = false;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -errno;
  // One byte past the limit tells a file of exactly `limit` bytes from a longer one.
  if (buf.size() < limit + 1) buf.resize(limit + 1);
  size_t total = 0;
  while (total < limit + 1) {
    const size_t wanted = limit + 1 - total;
    ssize_t n = read(fd, buf.data() + total, wanted);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      close(fd);
      return -err;
    }
    if (n == 0) break;
    total += static_cast<size_t>(n);
    // procfs generates stat, status and cmdline whole on each read and hands back as much as
    // fits, and a regular file reads short only at its end: a short read is EOF. Stopping here
    // saves the empty read that would confirm it (one syscall of four per file, per event).
    if (static_cast<size_t>(n) < wanted) break;
  }
  close(fd);
  if (total > limit) {
    total = limit;
    if (truncated) *truncated = true;
  }
  return static_cast<ssize_t>(total);
}

bool ParseStat(const char* data, size_t len, StatFields* out) {
  const char* open_paren = static_cast<const char*>(memchr(data, '(', len));
  if (!open_paren) return false;
  const char* close_paren = static_cast<const char*>(memrchr(data, ')', len));
  if (!close_paren || close_paren < open_paren) return false;
  out->comm = std::string_view(open_paren + 1, static_cast<size_t>(close_paren - open_paren - 1));

  // Fields after the comm, numbered as in proc(5): state is field 3.
  const char* p = close_paren + 1;
  const char* end = data + len;
  int field = 3;
  int64_t values[25] = {0};
  while (p < end && field <= 24) {
    while (p < end && *p == ' ') ++p;
    if (p >= end) break;
    if (field == 3) {
      out->state = *p;
      while (p < end && *p != ' ') ++p;
    } else {
      bool negative = false;
      if (*p == '-') {
        negative = true;
        ++p;
      }
      uint64_t v = 0;
      const char* digits = p;
      while (p < end && *p >= '0' && *p <= '9') v = v * 10 + static_cast<uint64_t>(*p++ - '0');
      if (p == digits) return false;
      values[field] = negative ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
    }
    ++field;
  }
  if (field <= 24) return false;
  out->ppid = static_cast<int32_t>(values[4]);
  out->flags = static_cast<uint64_t>(values[9]);
  out->utime = static_cast<uint64_t>(values[14]);
  out->stime = static_cast<uint64_t>(values[15]);
  out->numThreads = values[20];
  out->startTime = static_cast<uint64_t>(values[22]);
  out->rssPages = values[24];
  return true;
}

int ReadStat(int pid, std::vector<char>& buf, StatFields* out) {
  char path[40];
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  ssize_t n = ReadFileInto(path, buf, 4096);
  if (n < 0) return static_cast<int>(n);
  return ParseStat(buf.data(), static_cast<size_t>(n), out) ? 0 : -EINVAL;
}

int64_t ParseStatusRealUid(const char* data, size_t len) {
  static constexpr char kKey[] = "\nUid:";
  const char* end = data + len;
  const char* hit = static_cast<const char*>(memmem(data, len, kKey, sizeof kKey - 1));
  if (!hit) return -1;
  const char* p = hit + sizeof kKey - 1;
  while (p < end && (*p == '\t' || *p == ' ')) ++p;
  if (p >= end || *p < '0' || *p > '9') return -1;
  int64_t v = 0;
  while (p < end && *p >= '0' && *p <= '9') v = v * 10 + (*p++ - '0');
  return v;
}

}  // namespace forkscope
