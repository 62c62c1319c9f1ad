#include "scanner.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <vector>

#include "js_columns.h"
#include "proc_files.h"

namespace forkscope {

namespace {

// A snapshot shows argv as text in a table: cap what one process can contribute.
constexpr size_t kScanArgvMaxBytes = 64 << 10;

struct ScanColumns {
  std::vector<int32_t> pid, ppid, uid, threads, commOff, commLen, argvOff, argvLen;
  std::vector<double> startTime, rssKb, cpuTicks;
  std::vector<uint8_t> state, kernelThread;
  std::vector<char> strings;
};

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
    const long pageKb = sysconf(_SC_PAGESIZE) / 1024;
    std::vector<char> statBuf, statusBuf, cmdlineBuf;
    char path[64];
    while (dirent* entry = readdir(dir)) {
      const char* name = entry->d_name;
      if (name[0] < '1' || name[0] > '9') continue;
      char* end = nullptr;
      long pid = strtol(name, &end, 10);
      if (*end != '\0') continue;

      StatFields stat;
      // Vanished between readdir and here (or a malformed stat): skip it silently.
      if (ReadStat(static_cast<int>(pid), statBuf, &stat) != 0) continue;

      int64_t uid = -1;
      snprintf(path, sizeof path, "/proc/%ld/status", pid);
      ssize_t n = ReadFileInto(path, statusBuf, 16 << 10);
      if (n > 0) uid = ParseStatusRealUid(statusBuf.data(), static_cast<size_t>(n));
      if (uid < 0) {
        // status unreadable: the directory's owner is the effective uid, the best we have.
        snprintf(path, sizeof path, "/proc/%ld", pid);
        struct stat st;
        if (::stat(path, &st) != 0) continue;  // gone
        uid = st.st_uid;
      }

      c_.pid.push_back(static_cast<int32_t>(pid));
      c_.ppid.push_back(stat.ppid);
      c_.uid.push_back(static_cast<int32_t>(uid));
      c_.threads.push_back(static_cast<int32_t>(stat.numThreads));
      c_.startTime.push_back(static_cast<double>(stat.startTime));
      c_.rssKb.push_back(static_cast<double>(stat.rssPages * pageKb));
      c_.cpuTicks.push_back(static_cast<double>(stat.utime + stat.stime));
      c_.state.push_back(static_cast<uint8_t>(stat.state));
      c_.kernelThread.push_back((stat.flags & kPfKthread) != 0 ? 1 : 0);
      c_.commOff.push_back(static_cast<int32_t>(c_.strings.size()));
      c_.commLen.push_back(static_cast<int32_t>(stat.comm.size()));
      c_.strings.insert(c_.strings.end(), stat.comm.begin(), stat.comm.end());

      snprintf(path, sizeof path, "/proc/%ld/cmdline", pid);
      n = ReadFileInto(path, cmdlineBuf, kScanArgvMaxBytes);
      if (n > 0) {
        c_.argvOff.push_back(static_cast<int32_t>(c_.strings.size()));
        c_.argvLen.push_back(static_cast<int32_t>(n));
        c_.strings.insert(c_.strings.end(), cmdlineBuf.data(), cmdlineBuf.data() + n);
      } else {
        c_.argvOff.push_back(-1);  // empty (zombie, kernel thread) or unreadable
        c_.argvLen.push_back(0);
      }
    }
    closedir(dir);
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
