// Asks the capture helper (native/helper/forkscope_helper.c, installed with file capabilities)
// for a proc-connector socket: runs it with one end of a fresh socketpair as its fd 3, sends
// one request, and takes the subscribed socket back through SCM_RIGHTS. The reader thread
// calls this, so the thread the helper may raise to SCHED_FIFO is the reader itself.
#pragma once

#include <cstdint>
#include <string>

namespace forkscope {

struct CaptureHelperRequest {
  std::string path;
  int rcvbufBytes = 0;
  uint32_t ackSeq = 0;
  int ackWaitMs = 1000;
  // Thread to raise to SCHED_FIFO (the caller's own tid), or 0 for none.
  int realtimeTid = 0;
  // Longest the whole exchange may take before the helper is killed.
  int timeoutMs = 3000;
};

struct CaptureHelperResult {
  // The subscribed socket (PROC_CN_MCAST_LISTEN already sent; the kernel's ack still queued on
  // it), or -1 with code/message saying why.
  int fd = -1;
  int rcvbufBytes = 0;
  // 0: the thread runs SCHED_FIFO; -1: not asked; else the errno the helper met.
  int schedError = -1;
  // On failure: an errno name from a refusing step ("EPERM", "ENOENT", "EACCES", ...), or
  // HELPER_TIMEOUT, HELPER_DIED, HELPER_PROTOCOL, CANCELLED.
  std::string code;
  std::string message;
};

// Blocks for at most request.timeoutMs; returns early (code CANCELLED) once cancelFd is readable.
CaptureHelperResult ObtainSocketFromHelper(const CaptureHelperRequest& request, int cancelFd);

}  // namespace forkscope
