#include "scanner.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <thread>
#include <utility>
#include <vector>

#include "js_columns.h"
#include "proc_files.h"

namespace forkscope {

namespace {

// A snapshot shows argv as text in a table: cap what one process can contribute.
constexpr size_t kScanArgvMaxBytes = 64 << 10;
// /proc/PID/cgroup is one line per hierarchy (13 on a v1 system); a longer one is cut, and its
// group is then read from what fits.
constexpr size_t kScanCgroupMaxBytes = 8 << 10;
// Threads that read /proc in parallel, at most, and the fewest pids worth a thread.
constexpr size_t kMaxScanThreads = 4;
constexpr size_t kMinPidsPerSlice = 512;

struct ScanColumns {
  std::vector<int32_t> pid, ppid, uid, threads, commOff, commLen, argvOff, argvLen, cgroupOff, cgroupLen, nspidOff, nspidLen;
  std::vector<double> startTime, rssKb, cpuTicks;
  std::vector<uint8_t> state, kernelThread;
  std::vector<char> strings;

  // Appends `part` (scanned from a later slice of pids): its string offsets move past ours.
  void Append(const ScanColumns& part) {
    const auto base = static_cast<int32_t>(strings.size());
    auto appendAll = [](auto& to, const auto& from) { to.insert(to.end(), from.begin(), from.end()); };
    appendAll(pid, part.pid);
    appendAll(ppid, part.ppid);
    appendAll(uid, part.uid);
    appendAll(threads, part.threads);
    appendAll(commLen, part.commLen);
    appendAll(argvLen, part.argvLen);
    appendAll(startTime, part.startTime);
    appendAll(rssKb, part.rssKb);
    appendAll(cpuTicks, part.cpuTicks);
    appendAll(state, part.state);
    appendAll(kernelThread, part.kernelThread);
    for (int32_t off : part.commOff) commOff.push_back(off + base);
    for (int32_t off : part.argvOff) argvOff.push_back(off < 0 ? off : off + base);
    appendAll(cgroupLen, part.cgroupLen);
    appendAll(nspidLen, part.nspidLen);
    for (int32_t off : part.cgroupOff) cgroupOff.push_back(off < 0 ? off : off + base);
    for (int32_t off : part.nspidOff) nspidOff.push_back(off < 0 ? off : off + base);
    appendAll(strings, part.strings);
  }
};

// Appends `len` bytes at `data` to the strings as an (offset, length) pair; -1 when there are none.
void PushString(const char* data, size_t len, std::vector<int32_t>& off, std::vector<int32_t>& lens, std::vector<char>& strings) {
  if (len == 0) {
    off.push_back(-1);
    lens.push_back(0);
    return;
  }
  off.push_back(static_cast<int32_t>(strings.size()));
  lens.push_back(static_cast<int32_t>(len));
  strings.insert(strings.end(), data, data + len);
}

// The value of status's "NSpid:" line ("4242\t1") when it has more than one pid (a nested PID
// namespace), else empty: most processes are not namespaced and carry nothing.
std::pair<const char*, size_t> NestedNSpid(const char* data, size_t len) {
  static constexpr char kKey[] = "\nNSpid:";
  const char* hit = static_cast<const char*>(memmem(data, len, kKey, sizeof kKey - 1));
  if (!hit) return {nullptr, 0};
  const char* from = hit + sizeof kKey - 1;
  const char* end = static_cast<const char*>(memchr(from, '\n', static_cast<size_t>(data + len - from)));
  if (!end) end = data + len;
  while (from < end && (*from == '\t' || *from == ' ')) ++from;
  const char* gap = from;
  while (gap < end && *gap != '\t' && *gap != ' ') ++gap;
  if (gap == end) return {nullptr, 0};
  return {from, static_cast<size_t>(end - from)};
}

// Reads one process into `c`; false when it vanished meanwhile (skipped silently).
bool ScanOne(long pid, long pageKb, std::vector<char>& statBuf, std::vector<char>& statusBuf,
             std::vector<char>& cmdlineBuf, std::vector<char>& cgroupBuf, ScanColumns& c) {
  char path[64];
  StatFields stat;
  // Vanished between readdir and here (or a malformed stat): skip it silently.
  if (ReadStat(static_cast<int>(pid), statBuf, &stat) != 0) return false;

  int64_t uid = -1;
  std::pair<const char*, size_t> nspid{nullptr, 0};
  snprintf(path, sizeof path, "/proc/%ld/status", pid);
  ssize_t n = ReadFileInto(path, statusBuf, 16 << 10);
  if (n > 0) {
    uid = ParseStatusRealUid(statusBuf.data(), static_cast<size_t>(n));
    nspid = NestedNSpid(statusBuf.data(), static_cast<size_t>(n));
  }
  if (uid < 0) {
    // status unreadable: the directory's owner is the effective uid, the best we have.
    snprintf(path, sizeof path, "/proc/%ld", pid);
    struct stat st;
    if (::stat(path, &st) != 0) return false;  // gone
    uid = st.st_uid;
  }

  c.pid.push_back(static_cast<int32_t>(pid));
  c.ppid.push_back(stat.ppid);
  c.uid.push_back(static_cast<int32_t>(uid));
  c.threads.push_back(static_cast<int32_t>(stat.numThreads));
  c.startTime.push_back(static_cast<double>(stat.startTime));
  c.rssKb.push_back(static_cast<double>(stat.rssPages * pageKb));
  c.cpuTicks.push_back(static_cast<double>(stat.utime + stat.stime));
  c.state.push_back(static_cast<uint8_t>(stat.state));
  c.kernelThread.push_back((stat.flags & kPfKthread) != 0 ? 1 : 0);
  c.commOff.push_back(static_cast<int32_t>(c.strings.size()));
  c.commLen.push_back(static_cast<int32_t>(stat.comm.size()));
  c.strings.insert(c.strings.end(), stat.comm.begin(), stat.comm.end());

  snprintf(path, sizeof path, "/proc/%ld/cmdline", pid);
  n = ReadFileInto(path, cmdlineBuf, kScanArgvMaxBytes);
  // Empty (zombie, kernel thread) or unreadable: no argv.
  PushString(cmdlineBuf.data(), n > 0 ? static_cast<size_t>(n) : 0, c.argvOff, c.argvLen, c.strings);

  // The group (service, container) comes with the scan, so nothing reads it on the JS thread.
  snprintf(path, sizeof path, "/proc/%ld/cgroup", pid);
  n = ReadFileInto(path, cgroupBuf, kScanCgroupMaxBytes);
  PushString(cgroupBuf.data(), n > 0 ? static_cast<size_t>(n) : 0, c.cgroupOff, c.cgroupLen, c.strings);
  PushString(nspid.first, nspid.second, c.nspidOff, c.nspidLen, c.strings);
  return true;
}

void ScanSlice(const long* pids, size_t count, ScanColumns& c) {
  const long pageKb = sysconf(_SC_PAGESIZE) / 1024;
  std::vector<char> statBuf, statusBuf, cmdlineBuf, cgroupBuf;
  for (size_t i = 0; i < count; ++i) ScanOne(pids[i], pageKb, statBuf, statusBuf, cmdlineBuf, cgroupBuf, c);
}

class ScanWorker : public Napi::AsyncWorker {
 public:
  explicit ScanWorker(Napi::Env env) : Napi::AsyncWorker(env, "forkscope scanProcesses"), deferred_(env) {}
  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute() override {
    DIR* dir = opendir("/proc");
    if (!dir) {
      SetError(std::string("cannot open /proc: ") + strerror(errno));
      return;
    }
    std::vector<long> pids;
    while (dirent* entry = readdir(dir)) {
      const char* name = entry->d_name;
      if (name[0] < '1' || name[0] > '9') continue;
      char* end = nullptr;
      long pid = strtol(name, &end, 10);
      if (*end == '\0') pids.push_back(pid);
    }
    closedir(dir);
    // procfs generates each file on read: the scan is kernel CPU per process, and slices of the
    // pid list on one thread per core finish in a fraction of the time (each slice in order, so
    // the result is in /proc's order as before).
    size_t slices = std::min<size_t>(std::max(1u, std::thread::hardware_concurrency()), kMaxScanThreads);
    if (pids.size() < kMinPidsPerSlice * 2) slices = 1;
    std::vector<ScanColumns> parts(slices);
    std::vector<std::thread> helpers;
    size_t per = (pids.size() + slices - 1) / slices;
    for (size_t s = 1; s < slices; ++s) {
      size_t from = std::min(pids.size(), s * per), to = std::min(pids.size(), from + per);
      helpers.emplace_back(ScanSlice, pids.data() + from, to - from, std::ref(parts[s]));
    }
    ScanSlice(pids.data(), std::min(pids.size(), per), c_);
    for (auto& helper : helpers) helper.join();
    for (size_t s = 1; s < slices; ++s) c_.Append(parts[s]);
  }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::Object out = Napi::Object::New(env);
    out.Set("pid", CopyColumn<Napi::Int32Array>(env, c_.pid));
    out.Set("ppid", CopyColumn<Napi::Int32Array>(env, c_.ppid));
    out.Set("uid", CopyColumn<Napi::Int32Array>(env, c_.uid));
    out.Set("threads", CopyColumn<Napi::Int32Array>(env, c_.threads));
    out.Set("startTime", CopyColumn<Napi::Float64Array>(env, c_.startTime));
    out.Set("rssKb", CopyColumn<Napi::Float64Array>(env, c_.rssKb));
    out.Set("cpuTicks", CopyColumn<Napi::Float64Array>(env, c_.cpuTicks));
    out.Set("state", CopyColumn<Napi::Uint8Array>(env, c_.state));
    out.Set("kernelThread", CopyColumn<Napi::Uint8Array>(env, c_.kernelThread));
    out.Set("commOff", CopyColumn<Napi::Int32Array>(env, c_.commOff));
    out.Set("commLen", CopyColumn<Napi::Int32Array>(env, c_.commLen));
    out.Set("argvOff", CopyColumn<Napi::Int32Array>(env, c_.argvOff));
    out.Set("argvLen", CopyColumn<Napi::Int32Array>(env, c_.argvLen));
    out.Set("cgroupOff", CopyColumn<Napi::Int32Array>(env, c_.cgroupOff));
    out.Set("cgroupLen", CopyColumn<Napi::Int32Array>(env, c_.cgroupLen));
    out.Set("nspidOff", CopyColumn<Napi::Int32Array>(env, c_.nspidOff));
    out.Set("nspidLen", CopyColumn<Napi::Int32Array>(env, c_.nspidLen));
    out.Set("strings", Napi::Buffer<char>::Copy(env, c_.strings.data(), c_.strings.size()));
    deferred_.Resolve(out);
  }

  void OnError(const Napi::Error& error) override { deferred_.Reject(error.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  ScanColumns c_;
};

}  // namespace

Napi::Value ScanProcesses(const Napi::CallbackInfo& info) {
  auto* worker = new ScanWorker(info.Env());
  Napi::Promise promise = worker->Promise();
  worker->Queue();  // the worker deletes itself after OnOK / OnError
  return promise;
}

}  // namespace forkscope
