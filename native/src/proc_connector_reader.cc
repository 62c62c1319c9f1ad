#include "proc_connector_reader.h"

#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>

#include "capture_helper.h"
#include "clock.h"
#include "errno_name.h"
#include "proc_files.h"
#include "utf8.h"
#include "system_bus.h"

namespace forkscope {

namespace {

// Flush early once a batch is this large, so one JS call never carries an unbounded batch.
constexpr size_t kMaxBatchEvents = 4096;
// ... or once its strings (argv, exe, comm) reach this: offsets are int32, and argvMaxBytes may
// be up to 16 MiB per exec.
constexpr size_t kMaxBatchStringBytes = 64 << 20;
// recvmmsg geometry: a proc connector datagram is < 128 bytes; 256-byte slots leave room for
// future fields and MSG_TRUNC tells us if that ever stops being enough.
constexpr unsigned kRecvSlots = 256;
constexpr size_t kSlotBytes = 256;
// Adaptive batching never waits longer than this (or the configured interval, if longer): the
// fork → delta budget is 50 ms and the Session adds up to one frame (16 ms) on top. 16 ms here
// measured no less CPU than 8 and a worse latency median.
constexpr int kMaxAdaptiveFlushMs = 8;
// A fork is stamped (timestamp_ns) a little after its pid appears in /proc; a read that returned
// up to this long before a reuse's stamp may still have seen the reuser.
constexpr int64_t kReuseStampSlackNs = 1000000;
// Nap: while events come but no exec has for a while (a fork bomb, a thread storm), the reader
// sleeps this long after each drain instead of waking for every event. Only execs need the
// reader at once (their argv); an exec arriving during a nap is read this much later.
constexpr int64_t kNapNs = 1000000;
constexpr int64_t kNapAfterExecQuietNs = 50000000;
// The exec bell (ProcConnectorReader::bell_) lets the reader sleep until a batch's flush deadline while
// forks, exits and threads queue up: only with a receive buffer that holds that long a storm
// (getsockopt's figure, twice the payload; root asks 8 MiB, the stock rmem_max gives 416 KiB).
constexpr int kBellMinRcvbufBytes = 4 << 20;
// The bell's LISTEN is acked with ackSeq_ + kBellAckOffset + 1 (the main LISTEN with ackSeq_ + 1,
// the IGNORE at shutdown with ackSeq_ + 3).
constexpr uint32_t kBellAckOffset = 4;
// Room for a few hundred rings between two clears: an overflow would lose no event (a ring only
// says "an exec came", and ENOBUFS says it too), but it would show in the socket's drop count.
constexpr int kBellRcvbufBytes = 256 << 10;
// CPU indexes beyond this are not sequence-tracked (the kernel supports up to 8192 CPUs).
constexpr uint32_t kMaxTrackedCpus = 8192;
// At most 15 bytes (TASK_COMM_LEN).
constexpr char kReaderThreadName[] = "forkscope-read";
constexpr char kCompleterThreadName[] = "forkscope-done";

std::atomic<uint32_t> gAckSeqCounter{1};

// enum proc_cn_event values (include/uapi/linux/cn_proc.h). Spelled out because older uapi
// headers nest the enum inside struct proc_event and newer ones do not.
constexpr uint32_t kEventNone = 0x00000000;
constexpr uint32_t kEventFork = 0x00000001;
constexpr uint32_t kEventExec = 0x00000002;
constexpr uint32_t kEventUid = 0x00000004;
constexpr uint32_t kEventGid = 0x00000040;
constexpr uint32_t kEventSid = 0x00000080;
constexpr uint32_t kEventPtrace = 0x00000100;
constexpr uint32_t kEventComm = 0x00000200;
constexpr uint32_t kEventCoredump = 0x40000000;
constexpr uint32_t kEventExit = 0x80000000;

int64_t MonotonicMs() { return MonotonicNs() / 1000000; }

double NowEpochMs() { return static_cast<double>(ClockNs(CLOCK_REALTIME)) / 1e6; }

}  // namespace

ProcConnectorReader::ProcConnectorReader(napi_env env, const ReaderOptions& options, ConnectorSocket socket)
    : env_(env), options_(options), ndjson_(options.ndjsonSignalNames), socket_(socket) {
  // Distinct per reader and per process: the kernel multicasts every listener's ack.
  ackSeq_ = (static_cast<uint32_t>(getpid()) << 12) ^ gAckSeqCounter.fetch_add(1);
  wakeFd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wakeFd_ < 0) wakeErr_ = errno;  // reported by Start(), once there is a function to tell
  long hz = sysconf(_SC_CLK_TCK);
  if (hz > 0) nsPerTick_ = 1000000000LL / hz;
  statBuf_.resize(4097);
  recvBuffers_.resize(kRecvSlots * kSlotBytes);
  recvIov_.resize(kRecvSlots);
  recvMsgs_.resize(kRecvSlots);
  // The headers are set up once: recvmmsg only writes msg_len and msg_flags back, and redoing
  // 256 of them per wake-up (a real-time reader wakes for nearly every event) was measurable.
  for (unsigned i = 0; i < kRecvSlots; ++i) {
    recvIov_[i] = {recvBuffers_.data() + i * kSlotBytes, kSlotBytes};
    recvMsgs_[i] = {};
    recvMsgs_[i].msg_hdr.msg_iov = &recvIov_[i];
    recvMsgs_[i].msg_hdr.msg_iovlen = 1;
  }
  currentFlushMs_ = options_.flushIntervalMs;
  cmdlineBuf_.resize(options_.argvMaxBytes + 1);
  exeBuf_.resize(PATH_MAX);
  if (options_.realtime) systemBusAddress_ = SystemBusAddress();
  // Process exit, worker teardown and Electron reloads run env cleanup hooks before the addon
  // is unloaded: join the reader there so it never runs code that is about to be unmapped.
  napi_add_env_cleanup_hook(env_, OnEnvCleanup, this);
}

ProcConnectorReader::~ProcConnectorReader() {
  StopAndJoin();
  napi_remove_env_cleanup_hook(env_, OnEnvCleanup, this);
}

void ProcConnectorReader::OnEnvCleanup(void* self) { static_cast<ProcConnectorReader*>(self)->StopAndJoin(); }

void ProcConnectorReader::Start(ReaderTsfn tsfn) {
  tsfn_ = tsfn;
  if (wakeFd_ < 0) {
    PostFailure(ErrnoName(wakeErr_), "eventfd failed");
    return;
  }
  // Created from the JS thread: it keeps normal priority whatever the reader gets.
  completer_ = std::thread([this] { RunCompleter(); });
  thread_ = std::thread([this] { Run(); });
}

void ProcConnectorReader::Close() {
  if (closed_) return;
  closed_ = true;
  StopAndJoin();
  tsfn_.Release();
}

void ProcConnectorReader::OnTsfnFinalized() {
  closed_ = true;
  StopAndJoin();
}

void ProcConnectorReader::StopAndJoin() {
  if (thread_.joinable()) {
    stop_ = true;
    uint64_t one = 1;
    ssize_t ignored = write(wakeFd_, &one, sizeof one);
    (void)ignored;
    thread_.join();
  }
  if (completer_.joinable()) {
    stop_ = true;
    { std::lock_guard<std::mutex> lock(completeMutex_); }  // not between its check and its wait
    completeReady_.notify_all();
    completer_.join();
  }
  CloseExecBell();
  if (socket_.fd >= 0) {
    // Before 6.6 the kernel counts listeners globally: always balance a LISTEN we sent.
    if (listening_) SendMcastOp(socket_.fd, false, ackSeq_ + 2);
    close(socket_.fd);
    socket_.fd = -1;
  }
  if (wakeFd_ >= 0) {
    close(wakeFd_);
    wakeFd_ = -1;
  }
}

std::string ProcConnectorReader::priority() const {
  std::lock_guard<std::mutex> lock(priorityMutex_);
  return priority_;
}

double ProcConnectorReader::EventTimeMs(uint64_t monotonicNs) const {
  return static_cast<double>(monotonicNs) / 1e6 + realtimeMinusMonotonicMs_;
}

void ProcConnectorReader::PostFailure(const std::string& code, const std::string& message) {
  FlushedBatch job{std::unique_ptr<ReaderMessage>(new ReaderMessage{ReaderMessage::Type::kFailed, nullptr, code, message}), {}, {}};
  // Through the completer when it runs, so that it follows the batches flushed before it.
  if (completer_.joinable()) Enqueue(std::move(job));
  else Post(job);
}

void ProcConnectorReader::Enqueue(FlushedBatch job) {
  {
    std::lock_guard<std::mutex> lock(completeMutex_);
    completeQueue_.push_back(std::move(job));
  }
  completeReady_.notify_one();
}

void ProcConnectorReader::RunCompleter() {
  pthread_setname_np(pthread_self(), kCompleterThreadName);
  std::unique_lock<std::mutex> lock(completeMutex_);
  for (;;) {
    completeReady_.wait(lock, [this] { return stop_ || !completeQueue_.empty(); });
    // Stopped: CallReaderJs would deliver nothing more, so what is queued is dropped.
    if (stop_) return;
    FlushedBatch job = std::move(completeQueue_.front());
    completeQueue_.pop_front();
    completerBusy_ = true;
    lock.unlock();
    Complete(job);
    lock.lock();
    completerBusy_ = false;
  }
}

void ProcConnectorReader::Complete(FlushedBatch& job) {
  if (job.message->type == ReaderMessage::Type::kBatch) {
    CompleteBatch(job);
    if (options_.ndjson) ndjson_.Render(*job.message->batch, &job.message->batch->ndjson, &job.message->batch->lineEnd);
  }
  Post(job);
}

void ProcConnectorReader::Post(FlushedBatch& job) {
  size_t n = job.message->batch ? job.message->batch->size() : 0;
  ReaderMessage* msg = job.message.release();
  if (tsfn_.NonBlockingCall(msg) != napi_ok) {
    // Only when the function is closing (teardown): nobody is left to deliver to.
    inFlight -= n;
    delete msg;
    return;
  }
  if (msg->type == ReaderMessage::Type::kBatch) counters_.batches++;
}

void ProcConnectorReader::Run() {
  // Named, so that top -H, perf and bench/thread-cpu.sh can tell the reader from V8's threads.
  pthread_setname_np(pthread_self(), kReaderThreadName);
  if (!options_.helperPath.empty() && !AdoptHelperSocket()) return;
  {
    ThreadPriority granted = helperSchedError_ == 0 ? RealtimeGrantedByOther("capture helper")
                                                     : RaiseCurrentThreadPriority(options_.realtime, systemBusAddress_);
    if (helperSchedError_ > 0) granted.description += " [capture helper: SCHED_FIFO " + ErrnoName(helperSchedError_) + "]";
    // Under a finite RLIMIT_RTTIME (always so through RealtimeKit) a busy real-time reader must
    // sleep now and then, or the kernel kills the whole process.
    runBudget_ = RunBudgetGuard(granted.runBudgetUs);
    std::lock_guard<std::mutex> lock(priorityMutex_);
    priority_ = granted.description;
  }
  // timestamp_ns is CLOCK_MONOTONIC (ktime_get_ns); stat start times count from boot including
  // suspend (CLOCK_BOOTTIME). Measure both offsets once, here.
  int64_t mono = MonotonicNs();
  realtimeMinusMonotonicMs_ = static_cast<double>(ClockNs(CLOCK_REALTIME) - mono) / 1e6;
  boottimeMinusMonotonicNs_ = ClockNs(CLOCK_BOOTTIME) - mono;
  batch_ = std::make_unique<EventBatch>();

  if (!ListenAndAwaitAck()) return;
  auto* ready = new ReaderMessage{ReaderMessage::Type::kReady, nullptr, "", ""};
  if (tsfn_.NonBlockingCall(ready) != napi_ok) {
    delete ready;
    return;
  }

  OpenExecBell();
  pollfd fds[3] = {{socket_.fd, POLLIN, 0}, {wakeFd_, POLLIN, 0}, {-1, POLLIN, 0}};
  // A ring whose exec the socket did not hold yet when drained (see below).
  bool execAwaited = false;
  while (!stop_) {
    runBudget_.Check();
    if (bell_ == Bell::kAwaitingAck && MonotonicMs() >= bellAckDeadlineMs_) CloseExecBell();
    int timeout = -1;
    if (batch_->size() > 0) {
      int64_t remaining = flushDeadlineMs_ - MonotonicMs();
      timeout = remaining > 0 ? static_cast<int>(remaining) : 0;
    }
    // Bell on and a batch open: sleep until its deadline or an exec, not until the next event
    // (poll skips a negative fd).
    bool napping = bell_ == Bell::kOn && batch_->size() > 0 && !execAwaited;
    fds[0].fd = napping ? -1 : socket_.fd;
    fds[2].fd = bellFd_;
    int n = poll(fds, 3, timeout);
    if (n < 0 && errno != EINTR) {
      PostFailure(ErrnoName(errno), "poll on the connector socket failed");
      return;
    }
    if (stop_) break;
    if (n > 0 && (fds[1].revents & POLLIN)) {
      // Not a stop: NoteUndelivered's wake-up. Reset the eventfd and report.
      uint64_t ignored;
      ssize_t r = read(wakeFd_, &ignored, sizeof ignored);
      (void)r;
    }
    ReportUndelivered();
    size_t rings = n > 0 && bellFd_ >= 0 && (fds[2].revents & POLLIN) ? ClearExecBell() : 0;
    uint64_t execsBefore = execsDecoded_;
    if (napping || rings > 0 || (n > 0 && (fds[0].revents & (POLLIN | POLLERR)))) {
      uint64_t before = counters_.events.load(std::memory_order_relaxed);
      if (!Drain()) return;
      bool delivered = counters_.events.load(std::memory_order_relaxed) != before;
      // Without the bell, a fork bomb or thread storm would wake the reader for every event.
      if (bell_ != Bell::kOn && delivered && MonotonicNs() - lastExecNs_ > kNapAfterExecQuietNs) {
        timespec nap{0, kNapNs};
        nanosleep(&nap, nullptr);
      }
    }
    // The kernel hands an exec to each listener in turn, the bell possibly first: if a ring came
    // whose exec the socket did not hold yet, watch the socket for it rather than nap past it.
    execAwaited = rings > execsDecoded_ - execsBefore;
    if (batch_->size() > 0 && MonotonicMs() >= flushDeadlineMs_) Flush();
  }
  // Stopped by StopAndJoin (Close, the function's finalizer, env teardown): CallReaderJs
  // delivers nothing after any of them, so the open batch is dropped, not completed and posted.
}

bool ProcConnectorReader::AdoptHelperSocket() {
  CaptureHelperRequest request;
  request.path = options_.helperPath;
  request.rcvbufBytes = options_.rcvbufBytes;
  request.ackSeq = ackSeq_;
  request.ackWaitMs = options_.ackTimeoutMs;
  request.realtimeTid = options_.realtime ? static_cast<int>(gettid()) : 0;
  request.timeoutMs = options_.helperTimeoutMs;
  CaptureHelperResult result = ObtainSocketFromHelper(request, wakeFd_);
  if (result.fd < 0) {
    if (!stop_) PostFailure(result.code, result.message);
    return false;
  }
  socket_.fd = result.fd;
  socket_.rcvbufBytes = result.rcvbufBytes;
  listenSentByHelper_ = true;
  helperSchedError_ = result.schedError;
  return true;
}

bool ProcConnectorReader::ListenAndAwaitAck() {
  int err = listenSentByHelper_ ? 0 : SendMcastOp(socket_.fd, true, ackSeq_);
  if (err != 0) {
    PostFailure(ErrnoName(err), std::string("PROC_CN_MCAST_LISTEN failed: ") + strerror(err));
    return false;
  }
  listening_ = true;
  int64_t deadline = MonotonicMs() + options_.ackTimeoutMs;
  pollfd fds[2] = {{socket_.fd, POLLIN, 0}, {wakeFd_, POLLIN, 0}};
  while (!acked_) {
    int64_t remaining = deadline - MonotonicMs();
    if (remaining <= 0) {
      PostFailure("NO_ACK",
                  "the kernel did not acknowledge PROC_CN_MCAST_LISTEN within " +
                      std::to_string(options_.ackTimeoutMs) +
                      " ms (inside a user or PID namespace the proc connector is silent)");
      return false;
    }
    int n = poll(fds, 2, static_cast<int>(remaining));
    if (n < 0 && errno != EINTR) {
      PostFailure(ErrnoName(errno), "poll on the connector socket failed");
      return false;
    }
    if (stop_ || (n > 0 && (fds[1].revents & POLLIN))) return false;
    if (n > 0 && !Drain()) return false;
  }
  if (ackErr_ != 0) {
    std::string hint = ackErr_ == EPERM ? " (kernels before 6.6 require CAP_NET_ADMIN to listen)" : "";
    PostFailure(ErrnoName(ackErr_), std::string("the kernel refused PROC_CN_MCAST_LISTEN: ") + strerror(ackErr_) + hint);
    return false;
  }
  return true;
}

void ProcConnectorReader::OpenExecBell() {
  // Through the capture helper there is one socket, and it is the helper's to open.
  if (listenSentByHelper_ || socket_.rcvbufBytes < kBellMinRcvbufBytes) return;
  ConnectorSocket bell;
  if (OpenConnectorSocket(kBellRcvbufBytes, &bell) != 0) return;
  if (SendMcastOp(bell.fd, true, ackSeq_ + kBellAckOffset, kEventExec) != 0) {
    close(bell.fd);
    return;
  }
  bellFd_ = bell.fd;
  bell_ = Bell::kAwaitingAck;
  bellAckDeadlineMs_ = MonotonicMs() + options_.ackTimeoutMs;
}

void ProcConnectorReader::CloseExecBell() {
  if (bellFd_ < 0) return;
  // Only an acked LISTEN counted a listener; an older kernel's silence counted none.
  if (bell_ == Bell::kOn) SendMcastOp(bellFd_, false, ackSeq_ + kBellAckOffset + 2);
  close(bellFd_);
  bellFd_ = -1;
  bell_ = Bell::kOff;
}

size_t ProcConnectorReader::ClearExecBell() {
  // The socket's recvmmsg buffers are free between drains.
  size_t rings = 0;
  for (;;) {
    int n = recvmmsg(bellFd_, recvMsgs_.data(), kRecvSlots, MSG_DONTWAIT, nullptr);
    if (n < 0 && errno == EINTR) continue;
    // ENOBUFS (rings lost while it was full) still means that execs came.
    if (n < 0) return errno == ENOBUFS ? rings + 1 : rings;
    rings += static_cast<size_t>(n);
    if (n < static_cast<int>(kRecvSlots)) return rings;
  }
}

bool ProcConnectorReader::Drain() {
  auto& buffers = recvBuffers_;
  auto& msgs = recvMsgs_;
  while (!stop_) {
    int n = recvmmsg(socket_.fd, msgs.data(), kRecvSlots, MSG_DONTWAIT, nullptr);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return true;
      if (errno == ENOBUFS) {
        // The kernel dropped datagrams; how many shows up as per-CPU sequence gaps next.
        counters_.enobufs++;
        AppendLost(-1, LostReason::kEnobufs);
        continue;
      }
      PostFailure(ErrnoName(errno), std::string("recvmmsg on the connector socket failed: ") + strerror(errno));
      return false;
    }
    PrefetchArgv(n);
    for (int i = 0; i < n; ++i) {
      if (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) continue;
      ForEachProcEvent(buffers.data() + static_cast<size_t>(i) * kSlotBytes, msgs[i].msg_len,
                       [this](const cn_msg* msg, const proc_event* ev) { Decode(msg, ev); });
    }
    if (options_.debugStallUs > 0) usleep(static_cast<useconds_t>(options_.debugStallUs));
    if (n < static_cast<int>(kRecvSlots)) return true;
    runBudget_.Check();  // a full batch: more is queued, and this loop may not block for long
  }
  return true;
}

template <typename Visit>
void ProcConnectorReader::ForEachProcEvent(const char* data, size_t len, Visit&& visit) {
  for (auto* nl = reinterpret_cast<const nlmsghdr*>(data); NLMSG_OK(nl, len); nl = NLMSG_NEXT(nl, len)) {
    if (nl->nlmsg_type == NLMSG_NOOP || nl->nlmsg_type == NLMSG_ERROR) continue;
    if (nl->nlmsg_len < NLMSG_LENGTH(sizeof(cn_msg) + offsetof(proc_event, event_data))) continue;
    const auto* msg = static_cast<const cn_msg*>(NLMSG_DATA(nl));
    if (msg->id.idx != CN_IDX_PROC || msg->id.val != CN_VAL_PROC) continue;
    visit(msg, reinterpret_cast<const proc_event*>(msg->data));
  }
}

void ProcConnectorReader::PrefetchArgv(int received) {
  prefetched_.clear();
  prefetchCursor_ = 0;
  prefetchArena_.clear();
  char path[48];
  for (int i = 0; i < received; ++i) {
    if (recvMsgs_[i].msg_hdr.msg_flags & MSG_TRUNC) continue;
    ForEachProcEvent(recvBuffers_.data() + static_cast<size_t>(i) * kSlotBytes, recvMsgs_[i].msg_len,
                     [&](const cn_msg*, const proc_event* ev) {
                       if (static_cast<uint32_t>(ev->what) != kEventExec) return;
                       snprintf(path, sizeof path, "/proc/%d/cmdline", ev->event_data.exec.process_tgid);
                       bool truncated = false;
                       ssize_t len = ReadFileInto(path, cmdlineBuf_, options_.argvMaxBytes, &truncated);
                       size_t offset = prefetchArena_.size();
                       if (len > 0) prefetchArena_.insert(prefetchArena_.end(), cmdlineBuf_.data(), cmdlineBuf_.data() + len);
                       prefetched_.push_back({ev, offset, len, truncated, 0, 0, -1});
                     });
  }
  // Then every exe link, which goes with the memory too (a zombie has none): after all the argv,
  // so that no exec's argv waits for another's exe.
  for (PrefetchedArgv& p : prefetched_) {
    snprintf(path, sizeof path, "/proc/%d/exe", p.event->event_data.exec.process_tgid);
    p.exeLength = readlink(path, exeBuf_.data(), exeBuf_.size());
    p.exeOffset = prefetchArena_.size();
    if (p.exeLength > 0) prefetchArena_.insert(prefetchArena_.end(), exeBuf_.data(), exeBuf_.data() + p.exeLength);
    p.readDoneNs = MonotonicNs();  // both reads done
  }
}

void ProcConnectorReader::TrackSequence(uint32_t cpu, uint32_t seq) {
  if (cpu >= kMaxTrackedCpus) return;
  if (cpu >= nextSeq_.size()) {
    nextSeq_.resize(cpu + 1, 0);
    seqKnown_.resize(cpu + 1, 0);
  }
  if (seqKnown_[cpu]) {
    uint32_t gap = seq - nextSeq_[cpu];  // modulo 2^32: the counter wraps
    if (gap != 0 && gap < 0x80000000u) {
      counters_.seqGaps++;
      counters_.lost += gap;
      AppendLost(gap, LostReason::kSequenceGap);
    }
  }
  seqKnown_[cpu] = 1;
  nextSeq_[cpu] = seq + 1;
}

bool ProcConnectorReader::DropForBackpressure() {
  if (inFlight.load(std::memory_order_relaxed) + batch_->size() < options_.maxQueuedEvents) {
    if (droppedForBackpressure_ > 0) {
      counters_.lost += droppedForBackpressure_;
      AppendLost(static_cast<int64_t>(droppedForBackpressure_), LostReason::kQueueFull);
      droppedForBackpressure_ = 0;
    }
    return false;
  }
  droppedForBackpressure_++;
  return true;
}

void ProcConnectorReader::AppendLost(int64_t count, LostReason reason) {
  size_t i = batch_->Append(EventKind::kLost, NowEpochMs(), -1, 0, 0);
  batch_->SetLost(i, count, reason);
  NoteAppended();
}

void ProcConnectorReader::NoteUndelivered(uint64_t events) {
  if (events == 0) return;
  undelivered_ += events;
  uint64_t one = 1;
  ssize_t ignored = write(wakeFd_, &one, sizeof one);
  (void)ignored;
}

void ProcConnectorReader::ReportUndelivered() {
  uint64_t events = undelivered_.exchange(0);
  if (events == 0) return;
  counters_.lost += events;
  AppendLost(static_cast<int64_t>(std::min<uint64_t>(events, INT64_MAX)), LostReason::kUndelivered);
}

void ProcConnectorReader::NoteAppended() {
  if (batch_->size() == 1) {
    int64_t now = MonotonicMs();
    if (options_.flushIntervalMs > 0) {
      bool backToBack = now - lastFlushMs_ <= currentFlushMs_;
      int cap = std::max(options_.flushIntervalMs, kMaxAdaptiveFlushMs);
      currentFlushMs_ = backToBack ? std::min(currentFlushMs_ * 2, cap) : options_.flushIntervalMs;
    }
    flushDeadlineMs_ = now + currentFlushMs_;
  }
  if (batch_->size() >= kMaxBatchEvents || batch_->strings.size() >= kMaxBatchStringBytes) Flush();
}

void ProcConnectorReader::Flush() {
  if (!batch_ || batch_->size() == 0) return;
  size_t n = batch_->size();
  size_t stringBytes = batch_->strings.size();
  lastFlushMs_ = MonotonicMs();
  inFlight += n;
  FlushedBatch job{std::unique_ptr<ReaderMessage>(new ReaderMessage{ReaderMessage::Type::kBatch, std::move(batch_), "", ""}),
                   std::move(pending_), std::move(batchPids_)};
  pending_.clear();  // moved from: valid, emptiness not promised
  batchPids_.clear();
  // A batch with no /proc read left to do (every read moot: its process exited in the batch, as
  // in fork and thread storms) cannot block: when nothing is queued before it, finish and post it
  // here, and spare the completer's wake-up (measured: most of its CPU in a fork storm).
  bool needsReads = std::any_of(job.reads.begin(), job.reads.end(),
                                [&](const PendingRead& p) { return job.pids[p.pid].lastExit <= p.index + 1; });
  bool completerIdle;
  {
    std::lock_guard<std::mutex> lock(completeMutex_);
    completerIdle = completeQueue_.empty() && !completerBusy_;
  }
  if (!needsReads && completerIdle) {
    Complete(job);
  } else {
    Enqueue(std::move(job));
  }
  batch_ = std::make_unique<EventBatch>();
  // Sized like the batch just sent: in a storm the next is alike, and its columns need not grow.
  batch_->Reserve(std::max<size_t>(64, n), std::max<size_t>(4096, stringBytes));
}

void ProcConnectorReader::AttachArgv(size_t index, const proc_event* ev, int pid) {
  // argv first: it is what a short life takes away soonest (a zombie's cmdline is empty), so
  // PrefetchArgv read it for every exec of the recvmmsg batch before this pass.
  while (prefetchCursor_ < prefetched_.size() && prefetched_[prefetchCursor_].event < ev) ++prefetchCursor_;
  int64_t readDoneNs = 0;
  if (prefetchCursor_ < prefetched_.size() && prefetched_[prefetchCursor_].event == ev) {
    const PrefetchedArgv& p = prefetched_[prefetchCursor_++];
    if (p.length > 0) {
      const char* argv = prefetchArena_.data() + p.offset;
      auto len = static_cast<size_t>(p.length);
      batch_->SetArgv(index, argv, len);
      if (p.truncated) batch_->flags[index] |= kArgvTruncated;
      if (!IsValidUtf8(argv, len)) batch_->flags[index] |= kArgvLossy;
    }
    if (p.exeLength > 0) {
      batch_->SetExe(index, prefetchArena_.data() + p.exeOffset, static_cast<size_t>(p.exeLength));
    }
    if (p.length > 0 || p.exeLength > 0) readDoneNs = p.readDoneNs;
  }
  pending_.push_back({index, pid, ev->timestamp_ns, true, readDoneNs});
}

void ProcConnectorReader::CompleteBatch(FlushedBatch& job) {
  EventBatch& batch = *job.message->batch;
  // Newest first, so that one stat read per pid serves all its live entries: after a pid's last
  // exit in the batch all its entries are one process, and the first met is its latest exec (if
  // any), the one entry that also takes comm and ppid from that read.
  for (auto it = job.reads.rbegin(); it != job.reads.rend(); ++it) {
    const PendingRead& p = *it;
    PidMarks& marks = job.pids[p.pid];
    size_t position = p.index + 1;
    if (marks.lastExit > position) {
      // Gone already: nothing left to read. Non-empty argv came from a task that still had
      // its memory: this process before its exit, or a stranger if the pid was reaped and
      // forked again before our read. That fork is then in this batch, stamped (a few µs after
      // /proc could see it) before or just after the read returned.
      if (p.exec && p.argvReadDoneNs != 0 && marks.lastFork > position &&
          static_cast<int64_t>(marks.lastForkNs) < p.argvReadDoneNs + kReuseStampSlackNs) {
        batch.ClearExecReads(p.index);
      }
      continue;
    }
    StatFields stat;
    bool fresh = marks.stat == PidMarks::kUnread;
    if (fresh) {
      marks.stat = ReadStat(p.pid, statBuf_, &stat) == 0 ? PidMarks::kRead : PidMarks::kGone;
      marks.startTime = stat.startTime;
    }
    if (marks.stat == PidMarks::kGone) continue;  // exited since the drain: the event keeps what it carries
    // A process cannot have started after its own event: if it did, the pid was reused.
    int64_t eventBootTicks = (static_cast<int64_t>(p.eventNs) + boottimeMinusMonotonicNs_) / nsPerTick_;
    if (static_cast<int64_t>(marks.startTime) > eventBootTicks) {
      if (p.exec) batch.ClearExecReads(p.index);  // keep no stranger's argv
      continue;
    }
    batch.startTime[p.index] = static_cast<double>(marks.startTime);
    // comm and ppid describe the process after its latest exec: they belong to that exec's event
    // only (a fork's child runs its parent's program: the model inherits comm).
    if (!p.exec || marks.lastExec != position || !fresh) continue;
    batch.ppid[p.index] = stat.ppid;
    batch.SetComm(p.index, stat.comm.data(), stat.comm.size());
  }
}

void ProcConnectorReader::Decode(const cn_msg* msg, const proc_event* ev) {
  // Every message, acks included, takes the next number of its CPU's counter (send_msg()).
  TrackSequence(ev->cpu, msg->seq);
  if (static_cast<uint32_t>(ev->what) == kEventNone) {
    // The kernel overwrites seq but echoes our ack + 1, and multicasts every listener's ack:
    // the ack value is how we recognise ours.
    if (!acked_ && msg->ack == ackSeq_ + 1) {
      acked_ = true;
      ackErr_ = static_cast<int>(ev->event_data.ack.err);
    } else if (bell_ == Bell::kAwaitingAck && msg->ack == ackSeq_ + kBellAckOffset + 1) {
      if (ev->event_data.ack.err == 0) bell_ = Bell::kOn;
      else CloseExecBell();
    }
    return;
  }
  if (DropForBackpressure()) return;

  const double ts = EventTimeMs(ev->timestamp_ns);
  const auto cpu = static_cast<int32_t>(ev->cpu);
  const auto what = static_cast<uint32_t>(ev->what);
  size_t i;
  switch (what) {
    case kEventFork: {
      const auto& f = ev->event_data.fork;
      // A thread's creation arrives as a fork with child_pid != child_tgid; its parent_* fields
      // name the process's parent, so ownership comes from child_tgid alone.
      bool isThread = f.child_pid != f.child_tgid;
      i = batch_->Append(isThread ? EventKind::kThreadStart : EventKind::kFork, ts, cpu, f.child_tgid, f.child_pid);
      batch_->ppid[i] = f.parent_tgid;
      if (!isThread) {
        PidMarks& marks = batchPids_[f.child_tgid];
        marks.lastFork = i + 1;
        marks.lastForkNs = ev->timestamp_ns;
        pending_.push_back({i, f.child_tgid, ev->timestamp_ns, false, 0});
      }
      break;
    }
    case kEventExec: {
      const auto& e = ev->event_data.exec;
      i = batch_->Append(EventKind::kExec, ts, cpu, e.process_tgid, e.process_pid);
      batchPids_[e.process_tgid].lastExec = i + 1;
      lastExecNs_ = static_cast<int64_t>(ev->timestamp_ns);
      execsDecoded_++;
      AttachArgv(i, ev, e.process_tgid);
      break;
    }
    case kEventUid:
    case kEventGid: {
      const auto& id = ev->event_data.id;
      bool uid = what == kEventUid;
      i = batch_->Append(uid ? EventKind::kUid : EventKind::kGid, ts, cpu, id.process_tgid, id.process_pid);
      batch_->SetIds(i, uid ? id.r.ruid : id.r.rgid, uid ? id.e.euid : id.e.egid);
      break;
    }
    case kEventSid: {
      const auto& s = ev->event_data.sid;
      i = batch_->Append(EventKind::kSid, ts, cpu, s.process_tgid, s.process_pid);
      break;
    }
    case kEventPtrace: {
      const auto& p = ev->event_data.ptrace;
      i = batch_->Append(EventKind::kPtrace, ts, cpu, p.process_tgid, p.process_pid);
      batch_->SetTracer(i, p.tracer_tgid, p.tracer_pid);
      break;
    }
    case kEventComm: {
      const auto& c = ev->event_data.comm;
      i = batch_->Append(EventKind::kComm, ts, cpu, c.process_tgid, c.process_pid);
      batch_->SetComm(i, c.comm, strnlen(c.comm, sizeof c.comm));
      break;
    }
    case kEventCoredump: {
      const auto& c = ev->event_data.coredump;
      i = batch_->Append(EventKind::kCoredump, ts, cpu, c.process_tgid, c.process_pid);
      batch_->ppid[i] = c.parent_tgid;
      break;
    }
    case kEventExit: {
      const auto& x = ev->event_data.exit;
      // pid == tgid is the thread-group leader; it may still be only the main thread leaving
      // (pthread_exit), which consumers learn from the process's later events.
      bool isThread = x.process_pid != x.process_tgid;
      i = batch_->Append(isThread ? EventKind::kThreadExit : EventKind::kExit, ts, cpu, x.process_tgid, x.process_pid);
      batch_->SetExit(i, x.exit_code, x.exit_signal);
      batch_->ppid[i] = x.parent_tgid;
      if (!isThread) {
        // Only a pid already marked has a pending read that this exit can make moot: no entry
        // (an allocation) for every exit of a process that started before this batch.
        auto marks = batchPids_.find(x.process_tgid);
        if (marks != batchPids_.end()) marks->second.lastExit = i + 1;
      }
      break;
    }
    default:
      return;  // an event kind newer than this decoder: counted by sequence, not delivered
  }
  counters_.events++;
  NoteAppended();
}

void CallReaderJs(Napi::Env env, Napi::Function callback, ProcConnectorReader* core, ReaderMessage* message) {
  std::unique_ptr<ReaderMessage> owned(message);
  if (owned->type == ReaderMessage::Type::kBatch) core->inFlight -= owned->batch->size();
  if (env == nullptr || core->closed()) return;  // torn down, or closed: deliver nothing more

  // index.ts turns its users' exceptions into losses; what reaches here is building the batch
  // failing (memory) or the environment refusing to run JS (worker.terminate(), shutdown).
  // Never let a C++ exception escape into the event loop (std::terminate): count the batch as
  // lost instead, which the reader reports with a marker if anyone is still listening.
  try {
    Napi::Object out = Napi::Object::New(env);
    switch (owned->type) {
      case ReaderMessage::Type::kReady:
        out.Set("type", "ready");
        break;
      case ReaderMessage::Type::kFailed:
        // The reader has stopped: release everything before telling JS.
        core->Close();
        out.Set("type", "error");
        out.Set("code", owned->code);
        out.Set("message", owned->message);
        break;
      case ReaderMessage::Type::kBatch:
        out = owned->batch->ToJs(env);
        out.Set("type", "batch");
        break;
    }
    callback.Call({out});
  } catch (const Napi::Error&) {
    if (owned->type == ReaderMessage::Type::kBatch) core->NoteUndelivered(owned->batch->LossIfDropped());
  }
}

}  // namespace forkscope
