#include "capture_helper.h"

#include <fcntl.h>
#include <linux/netlink.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "../helper/helper_protocol.h"
#include "clock.h"
#include "errno_name.h"

namespace forkscope {

namespace {

const char* const kStepNames[] = {"done", "request", "socket", "rcvbuf", "bind", "listen", "ack"};

CaptureHelperResult Failure(std::string code, std::string message) {
  CaptureHelperResult result;
  result.code = std::move(code);
  result.message = std::move(message);
  return result;
}

// "exited with status 1", "killed by SIGKILL": what became of a helper that did not answer.
std::string DescribeWaitStatus(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (!WIFSIGNALED(status)) return "ended";
  // sigabbrev_np() needs glibc 2.32 (as ErrnoName, older sysroots matter): the two a helper meets.
  switch (WTERMSIG(status)) {
    case SIGKILL: return "killed by SIGKILL";
    case SIGSEGV: return "killed by SIGSEGV";
    default: return "killed by signal " + std::to_string(WTERMSIG(status));
  }
}

// Spawns the helper with `childEnd` as its fd 3, stdio on /dev/null and an empty environment.
int SpawnHelper(const std::string& path, int childEnd, pid_t* pid) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  // dup2 clears close-on-exec on fd 3 (childEnd is never 3: see ObtainSocketFromHelper).
  posix_spawn_file_actions_adddup2(&actions, childEnd, FSH_SOCKET_FD);
  char* argv[] = {const_cast<char*>(path.c_str()), nullptr};
  char* envp[] = {nullptr};
  int err = posix_spawn(pid, path.c_str(), &actions, nullptr, argv, envp);
  posix_spawn_file_actions_destroy(&actions);
  return err;
}

// Receives the reply and, with it, at most one fd. Returns bytes read, 0 at EOF, -errno.
ssize_t ReceiveReply(int fd, fsh_reply* reply, int* passedFd) {
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    cmsghdr align;
  } control{};
  char bytes[sizeof(fsh_reply) + 1];
  iovec iov{bytes, sizeof bytes};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.buf;
  msg.msg_controllen = sizeof control.buf;
  ssize_t n;
  do {
    n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return -errno;
  for (cmsghdr* cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
    if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS) continue;
    const size_t count = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < count; ++i) {
      int received;
      memcpy(&received, CMSG_DATA(cmsg) + i * sizeof(int), sizeof received);
      // Keep the first; never leak an unexpected extra one.
      if (*passedFd < 0) *passedFd = received;
      else close(received);
    }
  }
  if (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) return static_cast<ssize_t>(sizeof(fsh_reply) + 1);
  if (n == static_cast<ssize_t>(sizeof(fsh_reply))) memcpy(reply, bytes, sizeof *reply);
  return n;
}

// The socket passed back must be what was asked for: a netlink connector socket.
bool IsConnectorSocket(int fd) {
  int domain = 0, protocol = -1;
  socklen_t len = sizeof domain;
  if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) != 0 || domain != AF_NETLINK) return false;
  len = sizeof protocol;
  return getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &protocol, &len) == 0 && protocol == NETLINK_CONNECTOR;
}

CaptureHelperResult Exchange(const CaptureHelperRequest& request, int ours, int cancelFd, int64_t deadlineNs) {
  fsh_request wire{};
  wire.magic = FSH_REQUEST_MAGIC;
  wire.version = FSH_VERSION;
  wire.rcvbuf_bytes = static_cast<uint32_t>(request.rcvbufBytes);
  wire.ack_seq = request.ackSeq;
  wire.ack_wait_ms = static_cast<uint32_t>(request.ackWaitMs);
  wire.realtime_tid = request.realtimeTid;
  wire.priority = request.realtimeTid > 0 ? FSH_FIFO_PRIORITY : 0;
  if (send(ours, &wire, sizeof wire, MSG_NOSIGNAL) != static_cast<ssize_t>(sizeof wire)) {
    // The helper closed its end already: it died or refused; its exit status tells more.
    return Failure("HELPER_DIED", std::string("cannot send the request: ") + strerror(errno));
  }
  pollfd fds[2] = {{ours, POLLIN, 0}, {cancelFd, POLLIN, 0}};
  for (;;) {
    const int64_t remainingMs = (deadlineNs - MonotonicNs()) / 1000000;
    if (remainingMs <= 0) return Failure("HELPER_TIMEOUT", "no answer within " + std::to_string(request.timeoutMs) + " ms");
    int n = poll(fds, cancelFd >= 0 ? 2 : 1, static_cast<int>(remainingMs));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Failure(ErrnoName(errno), "poll on the helper's socket failed");
    if (n > 0 && cancelFd >= 0 && (fds[1].revents & POLLIN)) return Failure("CANCELLED", "closed during the handshake");
    if (n > 0) break;
  }
  fsh_reply reply{};
  int passed = -1;
  ssize_t got = ReceiveReply(ours, &reply, &passed);
  CaptureHelperResult result;
  if (got == 0 || got == -ECONNRESET) {
    result = Failure("HELPER_DIED", "it ended without answering");
  } else if (got < 0) {
    result = Failure(ErrnoName(static_cast<int>(-got)), "cannot read its answer");
  } else if (got != static_cast<ssize_t>(sizeof reply) || reply.magic != FSH_REPLY_MAGIC || reply.reserved != 0 ||
             reply.step >= sizeof kStepNames / sizeof kStepNames[0]) {
    result = Failure("HELPER_PROTOCOL", "its answer is not a forkscope-helper reply (" + std::to_string(got) + " bytes)");
  } else if (reply.error != 0) {
    const int err = reply.error;
    result = Failure(err > 0 && err < 4096 ? ErrnoName(err) : "HELPER_PROTOCOL",
                     std::string(kStepNames[reply.step]) + ": " + (err > 0 && err < 4096 ? strerror(err) : "bad errno"));
  } else if (passed < 0 || !IsConnectorSocket(passed)) {
    result = Failure("HELPER_PROTOCOL", "it answered success without passing a proc-connector socket");
  } else {
    result.fd = passed;
    passed = -1;
    result.rcvbufBytes = reply.rcvbuf_bytes;
    result.schedError = reply.sched_error;
  }
  if (passed >= 0) close(passed);
  return result;
}

}  // namespace

CaptureHelperResult ObtainSocketFromHelper(const CaptureHelperRequest& request, int cancelFd) {
  const int64_t deadlineNs = MonotonicNs() + static_cast<int64_t>(request.timeoutMs) * 1000000;
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) {
    return Failure(ErrnoName(errno), std::string("socketpair: ") + strerror(errno));
  }
  int ours = pair[0], theirs = pair[1];
  if (theirs == FSH_SOCKET_FD) {  // dup2(3, 3) would keep close-on-exec set
    theirs = fcntl(pair[1], F_DUPFD_CLOEXEC, FSH_SOCKET_FD + 1);
    close(pair[1]);
    if (theirs < 0) {
      close(ours);
      return Failure(ErrnoName(errno), "fcntl(F_DUPFD_CLOEXEC) failed");
    }
  }
  pid_t pid = -1;
  int spawnErr = SpawnHelper(request.path, theirs, &pid);
  close(theirs);  // the helper holds its own copy: its exit is then our EOF
  if (spawnErr != 0) {
    close(ours);
    std::string why = spawnErr == ENOENT   ? "not installed there"
                      : spawnErr == EACCES ? "not executable by this user (is the user in the helper's group?)"
                                           : strerror(spawnErr);
    return Failure(ErrnoName(spawnErr), "cannot run it: " + why);
  }
  CaptureHelperResult result = Exchange(request, ours, cancelFd, deadlineNs);
  close(ours);
  // Reap it: one that answered or hung up gets a short grace period to exit, one that timed out
  // or was cancelled none; then SIGKILL. It never outlives the handshake.
  int status = 0;
  const int64_t graceEndNs = MonotonicNs() + 200 * 1000000LL;
  pid_t reaped;
  const bool stillTalking = result.code == "HELPER_TIMEOUT" || result.code == "CANCELLED";
  while ((reaped = waitpid(pid, &status, WNOHANG)) == 0 && !stillTalking && MonotonicNs() < graceEndNs) {
    usleep(1000);
  }
  if (reaped == 0) {
    kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  if (result.code == "HELPER_DIED" || result.code == "HELPER_TIMEOUT") result.message += " (" + DescribeWaitStatus(status) + ")";
  return result;
}

}  // namespace forkscope
