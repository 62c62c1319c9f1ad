// A column-oriented batch of decoded process events, filled on the reader thread and handed to
// JS as typed arrays plus one packed string buffer, never as one JS object per event.
#pragma once

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace forkscope {

// Same order as EVENT_KINDS in electron/common/events.ts; native/decodeEvents.ts relies on it.
enum class EventKind : uint8_t {
  kFork = 0,
  kExec,
  kExit,
  kThreadStart,
  kThreadExit,
  kComm,
  kUid,
  kGid,
  kSid,
  kPtrace,
  kCoredump,
  kLost,
};

// Why a 'lost' marker was inserted; mirrored in native/decodeEvents.ts. An ENOBUFS marker has no
// count: the kernel's per-CPU sequence gaps that follow it measure what it dropped, so one
// overflow is counted once. kUndelivered: a batch that could not be handed to JS.
enum class LostReason : int32_t { kEnobufs = 1, kSequenceGap = 2, kQueueFull = 3, kUndelivered = 4 };

enum EventFlag : uint8_t { kArgvTruncated = 1, kArgvLossy = 2 };

// kindValue1 and kindValue2 hold what the kernel reports for one kind only; this table is their
// one definition (the Set* calls below write them by it, native/decodeEvents.ts and
// ndjson_renderer.cc read them by it):
//
//   kind               kindValue1                       kindValue2
//   exit, thread-exit  wait status (exit_code)          exit_signal (sent to the parent)
//   uid                real uid                         effective uid
//   gid                real gid                         effective gid
//   ptrace             tracer tgid                      tracer tid
//   lost               events lost (-1: unknown)        LostReason
//   any other          0                                0
//
// Uids and gids are stored as their bit pattern and read back unsigned. ppid and startTime are
// -1 when unknown; string offsets are -1 when absent.
struct EventBatch {
  std::vector<uint8_t> kind, flags;
  std::vector<int32_t> pid, tid, ppid, cpu, kindValue1, kindValue2;
  std::vector<double> ts, startTime;
  std::vector<int32_t> commOff, commLen, argvOff, argvLen, exeOff, exeLen;
  std::vector<char> strings;
  // Optional: the batch as NDJSON (NdjsonRenderer), line i ending at lineEnd[i].
  std::vector<char> ndjson;
  std::vector<uint32_t> lineEnd;

  size_t size() const { return kind.size(); }
  void Reserve(size_t events, size_t stringBytes);
  // Appends an event with every optional column absent and returns its index.
  size_t Append(EventKind k, double tsMs, int32_t cpuIndex, int32_t pidValue, int32_t tidValue);
  void SetComm(size_t i, const char* data, size_t len);
  void SetArgv(size_t i, const char* data, size_t len);
  void SetExe(size_t i, const char* data, size_t len);
  // The per-kind columns, as the table above assigns them. Inline: the reader calls them per event.
  void SetExit(size_t i, uint32_t waitStatus, uint32_t exitSignal) {
    kindValue1[i] = static_cast<int32_t>(waitStatus);
    kindValue2[i] = static_cast<int32_t>(exitSignal);
  }
  void SetIds(size_t i, uint32_t real, uint32_t effective) {
    kindValue1[i] = static_cast<int32_t>(real);
    kindValue2[i] = static_cast<int32_t>(effective);
  }
  void SetTracer(size_t i, int32_t tracerTgid, int32_t tracerTid) {
    kindValue1[i] = tracerTgid;
    kindValue2[i] = tracerTid;
  }
  void SetLost(size_t i, int64_t count, LostReason reason) {
    kindValue1[i] = count > INT32_MAX ? INT32_MAX : static_cast<int32_t>(count);
    kindValue2[i] = static_cast<int32_t>(reason);
  }
  int64_t LostCount(size_t i) const { return kindValue1[i]; }
  // Withdraws argv and exe found to belong to another process (their bytes stay, unreferenced).
  void ClearExecReads(size_t i);

  // Events lost if this batch is dropped: its events, plus the counts its 'lost' markers carry.
  uint64_t LossIfDropped() const;

  // Copies the columns into JS typed arrays (CopyColumn).
  Napi::Object ToJs(Napi::Env env) const;

 private:
  void PutString(const char* data, size_t len, int32_t* off, int32_t* outLen);
};

}  // namespace forkscope
