// The netlink process-connector reader: a reader thread that drains the connector socket with
// recvmmsg, decodes every event kind, reads each exec's argv from /proc at once (before a
// short-lived process vanishes) and detects loss; and a completer thread that finishes each
// batch with the /proc reads that can wait (identity: start time, comm, ppid) and hands it to JS
// as columns through a thread-safe function, at most every few milliseconds.
#pragma once

#include <napi.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "event_batch.h"
#include "ndjson_renderer.h"
#include "netlink_socket.h"
#include "thread_priority.h"

struct cn_msg;
struct proc_event;

namespace forkscope {

struct ReaderOptions {
  int rcvbufBytes = 8 << 20;
  bool realtime = true;
  size_t argvMaxBytes = 32 << 10;
  int flushIntervalMs = 4;
  int ackTimeoutMs = 1000;
  // Non-empty: the socket comes from this capture helper (see capture_helper.h) instead of
  // being opened here, and the helper may raise the reader thread to SCHED_FIFO.
  std::string helperPath;
  int helperTimeoutMs = 3000;
  // Test/demo only: the reader sleeps this long after each recvmmsg, so that a small socket
  // buffer overflows deterministically and the loss path can be exercised.
  int debugStallUs = 0;
  // If JS stops consuming, drop (with a 'lost' marker) once this many events wait for it, instead
  // of growing without bound. Only tests lower it, to exercise that path.
  size_t maxQueuedEvents = 1 << 20;
  // Render every batch as NDJSON on the reader thread too (see NdjsonRenderer), naming signals
  // with these names (index = signal number).
  bool ndjson = false;
  std::vector<std::string> ndjsonSignalNames;
};

// What crosses from the reader thread to the JS thread.
struct ReaderMessage {
  enum class Type { kReady, kFailed, kBatch };
  Type type;
  std::unique_ptr<EventBatch> batch;  // kBatch
  std::string code;                   // kFailed: "EPERM", "NO_ACK", ...
  std::string message;                // kFailed
};

class ProcConnectorReader;
void CallReaderJs(Napi::Env env, Napi::Function callback, ProcConnectorReader* core, ReaderMessage* message);
using ReaderTsfn = Napi::TypedThreadSafeFunction<ProcConnectorReader, ReaderMessage, CallReaderJs>;

struct ReaderCounters {
  std::atomic<uint64_t> events{0}, lost{0}, enobufs{0}, seqGaps{0}, batches{0};
};

class ProcConnectorReader {
 public:
  ProcConnectorReader(napi_env env, const ReaderOptions& options, ConnectorSocket socket);
  ~ProcConnectorReader();
  ProcConnectorReader(const ProcConnectorReader&) = delete;
  ProcConnectorReader& operator=(const ProcConnectorReader&) = delete;

  // Starts the reader thread; it listens, waits for the ack, then posts kReady or kFailed.
  void Start(ReaderTsfn tsfn);
  // JS thread. Stops delivery, joins the reader, sends PROC_CN_MCAST_IGNORE, releases the
  // thread-safe function. Idempotent.
  void Close();
  bool closed() const { return closed_; }
  // JS thread, from the thread-safe function's finalizer (also run at env teardown): the
  // function is gone, so Close() must not release it again.
  void OnTsfnFinalized();

  std::string priority() const;
  int rcvbufBytes() const { return socket_.rcvbufBytes; }
  const ReaderCounters& counters() const { return counters_; }

  // Events posted to JS and not yet handled there; bounds memory if JS stops consuming.
  std::atomic<size_t> inFlight{0};

  // JS thread: a posted batch could not be handed to JS. The reader reports `events` lost with
  // a marker in its next batch (so the consumer resyncs), waking up for it if it is idle.
  void NoteUndelivered(uint64_t events);

 private:
  static void OnEnvCleanup(void* self);
  // Any thread that owns the join (JS thread, env cleanup). Idempotent.
  void StopAndJoin();

  void Run();
  // The socket from the capture helper (options_.helperPath); false once a failure is posted.
  bool AdoptHelperSocket();
  bool ListenAndAwaitAck();
  // Opens the exec bell when it can pay (see bell_); on any failure the reader goes without.
  void OpenExecBell();
  void CloseExecBell();
  // Reads and discards what the bell holds (its datagrams only say that execs came): how many.
  size_t ClearExecBell();
  // Returns false on a fatal socket error (already reported).
  bool Drain();
  // Calls visit(msg, ev) for every proc connector event in one received datagram.
  template <typename Visit>
  static void ForEachProcEvent(const char* data, size_t len, Visit&& visit);
  // First pass over a recvmmsg batch: reads /proc/PID/cmdline and exe of every exec in it before
  // any other work, because they are what a short life takes away first.
  void PrefetchArgv(int received);
  void Decode(const cn_msg* msg, const proc_event* ev);
  // Exec: attaches the argv and exe PrefetchArgv read for `ev` and queues its identity read.
  void AttachArgv(size_t index, const proc_event* ev, int pid);
  struct FlushedBatch;
  // Completer thread: finishes and posts what Flush (and PostFailure) queued, in order.
  void RunCompleter();
  void Enqueue(FlushedBatch job);
  // Completes (identity reads, NDJSON) and posts one job: on the completer, or on the reader
  // for a batch with no read to do when nothing is queued before it.
  void Complete(FlushedBatch& job);
  void Post(FlushedBatch& job);
  // Completer thread: the /proc reads deferred from Decode (see PendingRead).
  void CompleteBatch(FlushedBatch& job);
  void TrackSequence(uint32_t cpu, uint32_t seq);
  void AppendLost(int64_t count, LostReason reason);
  // Reader thread: the marker for what NoteUndelivered counted since the last call.
  void ReportUndelivered();
  bool DropForBackpressure();
  void NoteAppended();
  void Flush();
  void PostFailure(const std::string& code, const std::string& message);
  double EventTimeMs(uint64_t monotonicNs) const;

  napi_env env_;
  ReaderOptions options_;
  NdjsonRenderer ndjson_;
  ConnectorSocket socket_;
  int wakeFd_ = -1;
  int wakeErr_ = 0;
  std::thread thread_;
  // The completer, and what the reader queued for it.
  std::thread completer_;
  std::mutex completeMutex_;
  std::condition_variable completeReady_;
  std::deque<FlushedBatch> completeQueue_;
  bool completerBusy_ = false;  // a job taken off the queue is being completed
  std::atomic<bool> stop_{false};
  bool closed_ = false;
  bool listening_ = false;
  // The capture helper sent PROC_CN_MCAST_LISTEN; the reader still reads the kernel's ack.
  bool listenSentByHelper_ = false;
  // The exec bell: a second connector socket that the kernel (6.6+) sends exec events alone.
  // The reader sleeps on it while a batch is open, instead of waking for every fork, exit and
  // thread, and still wakes at once for an exec's argv; events are only ever read from socket_.
  // kAwaitingAck: its filtered LISTEN is sent; the kernel's ack, which reaches socket_ only,
  // says whether the filter is in force (older kernels send none: the bell is then closed).
  enum class Bell { kOff, kAwaitingAck, kOn };
  Bell bell_ = Bell::kOff;
  int bellFd_ = -1;
  int64_t bellAckDeadlineMs_ = 0;
  // The helper's answer to "raise the reader thread": 0 done, -1 not asked, else an errno.
  int helperSchedError_ = -1;
  uint32_t ackSeq_;
  ReaderTsfn tsfn_;
  ReaderCounters counters_;
  std::atomic<uint64_t> undelivered_{0};

  mutable std::mutex priorityMutex_;
  std::string priority_;
  // Read on the JS thread (getenv is not safe beside process.env writes), used by the reader.
  std::string systemBusAddress_;

  // Reader-thread state.
  RunBudgetGuard runBudget_{0};
  bool acked_ = false;
  int ackErr_ = 0;
  std::unique_ptr<EventBatch> batch_;
  int64_t flushDeadlineMs_ = 0;
  // Adaptive batching: the flush interval doubles while batches follow each other back to back
  // (a storm: fewer, larger batches cost JS less per event) and falls back to the configured
  // interval after a quiet spell (a lone event is delivered promptly).
  int currentFlushMs_ = 0;
  int64_t lastFlushMs_ = 0;
  // CLOCK_MONOTONIC ns of the latest exec event: the reader naps only when execs are quiet.
  int64_t lastExecNs_ = 0;
  uint64_t execsDecoded_ = 0;
  double realtimeMinusMonotonicMs_ = 0;
  int64_t boottimeMinusMonotonicNs_ = 0;
  int64_t nsPerTick_ = 10000000;
  std::vector<uint32_t> nextSeq_;
  std::vector<uint8_t> seqKnown_;
  uint64_t droppedForBackpressure_ = 0;
  std::vector<char> statBuf_, cmdlineBuf_, exeBuf_;
  // argv and exe read by PrefetchArgv for the current recvmmsg batch, consumed in order by Decode.
  struct PrefetchedArgv {
    const proc_event* event;
    size_t offset;
    ssize_t length;  // bytes, or -errno
    bool truncated;
    int64_t readDoneNs;  // CLOCK_MONOTONIC when its cmdline and exe reads had both returned
    size_t exeOffset;
    ssize_t exeLength;  // bytes, or -1
  };
  std::vector<PrefetchedArgv> prefetched_;
  size_t prefetchCursor_ = 0;
  std::vector<char> prefetchArena_;
  // Identity (stat) reads of forks and execs are deferred to CompleteBatch(), a few ms
  // later, and skipped for a process whose exit is already in the batch: in a storm most
  // children are gone by then, and their events already carry all a consumer needs (the model
  // estimates a start time from the event's timestamp). A process still alive then gets its
  // exact start time, and an exec its comm and ppid, as before. They run on the completer, at
  // normal priority, because a /proc/PID/stat read can sleep on a lock its process holds (a
  // child in the middle of its execve): measured here under load, 3 to 180 ms during which a
  // reader doing them could read no exec's argv.
  struct PendingRead {
    size_t index;
    int pid;
    uint64_t eventNs;
    bool exec;
    int64_t argvReadDoneNs;  // exec with argv: when it was read, else 0
  };
  // Where each pid's latest fork / exec / exit sits in the batch (index + 1; 0 = none). An exit
  // is marked only for a pid with a fork or exec earlier in the batch: only those have reads.
  struct PidMarks {
    size_t lastFork = 0, lastExec = 0, lastExit = 0;
    uint64_t lastForkNs = 0;
    // CompleteBatch's one /proc/PID/stat read for the pid's live entries.
    enum : uint8_t { kUnread, kRead, kGone } stat = kUnread;
    uint64_t startTime = 0;
  };
  std::vector<PendingRead> pending_;
  std::unordered_map<int, PidMarks> batchPids_;
  // A flushed batch with its deferred reads, or a failure to post after the batches before it.
  struct FlushedBatch {
    std::unique_ptr<ReaderMessage> message;
    std::vector<PendingRead> reads;
    std::unordered_map<int, PidMarks> pids;
  };
  std::vector<char> recvBuffers_;
  std::vector<iovec> recvIov_;
  std::vector<mmsghdr> recvMsgs_;
};

}  // namespace forkscope
