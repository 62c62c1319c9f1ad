/*
 * forkscope-helper: Forkscope's capture helper, in the manner of Wireshark's dumpcap.
 *
 * Installed root:forkscope, mode 0750, with the file capabilities cap_net_admin,cap_sys_nice+ep
 * (`forkscope setup-helper`, or the .deb's postinst), so that a desktop user in the `forkscope`
 * group gets the capture root gets, while the app itself stays unprivileged.
 *
 * One job. Through the unix socket it inherits as fd 3 from its parent, it reads one fixed-size
 * request (helper_protocol.h), then:
 *   1. opens a NETLINK_CONNECTOR socket, forces its receive buffer to the requested size
 *      (SO_RCVBUFFORCE, capped at 64 MiB: the stock net.core.rmem_max holds only ~256 events),
 *      binds it to the proc connector's group and sends PROC_CN_MCAST_LISTEN;
 *   2. waits until the kernel answers on it. It does not read the answer: events the kernel
 *      queues ahead of its ack are the caller's, so the caller reads the ack itself, as it
 *      does for a socket it opened (inside a user or PID namespace nothing ever arrives);
 *   3. optionally moves one thread of its parent's thread group to SCHED_FIFO at the reader's
 *      fixed priority (whether a 1 ms process shows its argv is decided by when that thread runs);
 *   4. hands the socket back with SCM_RIGHTS in a fixed-size reply, and exits.
 *
 * It reads no environment, opens no path, runs nothing, and takes no arguments. It keeps only
 * the two capabilities it uses from the start, and drops each as soon as its step is done. A
 * request it does not like is refused with a reply and one errno-coded line on stderr.
 * Exit status: 0 done; 1 refused or failed (a reply says why); 2 no usable socket on fd 3.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/capability.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "helper_protocol.h"

#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK 0x40000000
#endif

/* How long the parent has to send its request. */
#define REQUEST_WAIT_MS 5000

static const char *const STEP_NAMES[] = {"done", "request", "socket", "rcvbuf", "bind", "listen", "ack"};

static const char *errno_name(int err) {
#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 32)
  const char *name = strerrorname_np(err);
  if (name) return name;
#endif
  // Older C libraries: the number, as "E<n>".
  static char numbered[16];
  snprintf(numbered, sizeof numbered, "E%d", err);
  return numbered;
}

/* Keeps exactly `caps` (a mask of CAP_* bits below 32) in the effective and permitted sets,
 * and nothing inheritable. Capabilities the process does not hold are simply not kept. */
static int keep_capabilities(uint32_t caps) {
  struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct data[2];
  memset(data, 0, sizeof data);
  if (syscall(SYS_capget, &header, data) != 0) return -1;
  data[0].permitted &= caps;
  data[0].effective = data[0].permitted;
  data[0].inheritable = 0;
  data[1].permitted = data[1].effective = data[1].inheritable = 0;
  return (int)syscall(SYS_capset, &header, data);
}

static int64_t monotonic_ms(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* Waits until fd is readable; 0, or ETIMEDOUT / an errno. */
static int wait_readable(int fd, int64_t deadline_ms) {
  for (;;) {
    int64_t remaining = deadline_ms - monotonic_ms();
    if (remaining <= 0) return ETIMEDOUT;
    struct pollfd pfd = {fd, POLLIN, 0};
    int n = poll(&pfd, 1, (int)remaining);
    if (n > 0) return 0;
    if (n < 0 && errno != EINTR) return errno;
  }
}

/* The reply, with the socket attached when fd >= 0. Best effort: the parent may be gone. */
static void send_reply(const struct fsh_reply *reply, int fd) {
  struct iovec iov = {(void *)reply, sizeof *reply};
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } control;
  struct msghdr msg;
  memset(&msg, 0, sizeof msg);
  memset(&control, 0, sizeof control);
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  if (fd >= 0) {
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof control.buf;
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmsg), &fd, sizeof fd);
  }
  while (sendmsg(FSH_SOCKET_FD, &msg, MSG_NOSIGNAL) < 0 && errno == EINTR) {
  }
}

/* Refuses or reports a failed step: one reply, one line on stderr, exit status 1. */
static int fail(enum fsh_step step, int err, const char *detail) {
  struct fsh_reply reply = {FSH_REPLY_MAGIC, err, (uint32_t)step, 0, -1, 0};
  send_reply(&reply, -1);
  fprintf(stderr, "forkscope-helper: %s: %s: %s\n", errno_name(err), STEP_NAMES[step], detail);
  return 1;
}

/* Reads exactly one request; anything shorter, longer or later is refused. */
static int read_request(struct fsh_request *request) {
  char buf[sizeof *request + 1];
  size_t got = 0;
  const int64_t deadline = monotonic_ms() + REQUEST_WAIT_MS;
  while (got < sizeof *request) {
    int err = wait_readable(FSH_SOCKET_FD, deadline);
    if (err != 0) return fail(FSH_STEP_REQUEST, err, "no request arrived");
    ssize_t n = recv(FSH_SOCKET_FD, buf + got, sizeof buf - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(FSH_STEP_REQUEST, errno, "cannot read the request");
    if (n == 0) return fail(FSH_STEP_REQUEST, EINVAL, "the request is shorter than a request");
    got += (size_t)n;
  }
  // A record that goes on past its size is not a request (a datagram socket shows it at once,
  // a stream one as bytes still waiting).
  if (got > sizeof *request || recv(FSH_SOCKET_FD, buf, 1, MSG_DONTWAIT | MSG_PEEK) > 0) {
    return fail(FSH_STEP_REQUEST, E2BIG, "the request is longer than a request");
  }
  memcpy(request, buf, sizeof *request);
  if (request->magic != FSH_REQUEST_MAGIC || request->version != FSH_VERSION || request->reserved != 0) {
    return fail(FSH_STEP_REQUEST, EINVAL, "not a version 1 forkscope-helper request");
  }
  if (request->rcvbuf_bytes < 1024 || request->rcvbuf_bytes > FSH_MAX_RCVBUF_BYTES) {
    return fail(FSH_STEP_REQUEST, EINVAL, "rcvbuf_bytes must be in 1 KiB .. 64 MiB");
  }
  if (request->ack_wait_ms < 1 || request->ack_wait_ms > FSH_MAX_ACK_WAIT_MS) {
    return fail(FSH_STEP_REQUEST, EINVAL, "ack_wait_ms must be in 1 .. 10000");
  }
  if (request->realtime_tid < 0 || (request->realtime_tid == 0 && request->priority != 0)) {
    return fail(FSH_STEP_REQUEST, EINVAL, "realtime_tid must be a thread id, or 0 with priority 0");
  }
  if (request->realtime_tid > 0 && request->priority != FSH_FIFO_PRIORITY) {
    return fail(FSH_STEP_REQUEST, EPERM, "the only priority granted is SCHED_FIFO 10");
  }
  return 0;
}

/* PROC_CN_MCAST_LISTEN, acknowledged with ack_seq + 1 to every listener. */
static int send_listen(int fd, uint32_t ack_seq) {
  const uint32_t op = PROC_CN_MCAST_LISTEN;
  union {
    char buf[NLMSG_SPACE(sizeof(struct cn_msg) + sizeof op)];
    struct nlmsghdr align;
  } message;
  memset(&message, 0, sizeof message);
  struct nlmsghdr *nl = &message.align;
  nl->nlmsg_len = NLMSG_LENGTH(sizeof(struct cn_msg) + sizeof op);
  nl->nlmsg_type = NLMSG_DONE;
  struct cn_msg *cn = (struct cn_msg *)NLMSG_DATA(nl);
  cn->id.idx = CN_IDX_PROC;
  cn->id.val = CN_VAL_PROC;
  cn->ack = ack_seq;
  cn->len = sizeof op;
  memcpy(cn->data, &op, sizeof op);
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  while (sendto(fd, nl, nl->nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0) {
    if (errno != EINTR) return errno;
  }
  return 0;
}

int main(void) {
  // Before anything reads input: only the two capabilities this program uses, and no way to
  // gain more through an exec (it never execs; this makes that a property, not a habit).
  if (keep_capabilities((1u << CAP_NET_ADMIN) | (1u << CAP_SYS_NICE)) != 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    fprintf(stderr, "forkscope-helper: %s: cannot limit its capabilities\n", errno_name(errno));
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);

  // fd 3 must be a unix socket whose other end its parent holds.
  struct ucred peer;
  socklen_t peer_len = sizeof peer;
  if (getsockopt(FSH_SOCKET_FD, SOL_SOCKET, SO_PEERCRED, &peer, &peer_len) != 0) {
    fprintf(stderr, "forkscope-helper: %s: fd 3 is not a unix socket from its parent (run by Forkscope, not by hand)\n",
            errno_name(errno));
    return 2;
  }
  const pid_t parent = getppid();
  if (peer.pid != parent) return fail(FSH_STEP_REQUEST, EPERM, "the socket on fd 3 does not come from its parent");

  struct fsh_request request = {0};
  if (read_request(&request) != 0) return 1;

  int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_CONNECTOR);
  if (fd < 0) return fail(FSH_STEP_SOCKET, errno, "cannot open a netlink connector socket");
  int rcvbuf = (int)request.rcvbuf_bytes;
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) != 0) {
    return fail(FSH_STEP_RCVBUF, errno, "SO_RCVBUFFORCE refused (the helper needs cap_net_admin+ep)");
  }
  struct sockaddr_nl addr = {.nl_family = AF_NETLINK, .nl_pid = 0, .nl_groups = CN_IDX_PROC};
  if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    return fail(FSH_STEP_BIND, errno, "cannot bind to the proc connector (the helper needs cap_net_admin+ep)");
  }
  int err = send_listen(fd, request.ack_seq);
  if (err != 0) return fail(FSH_STEP_LISTEN, err, "PROC_CN_MCAST_LISTEN refused");
  // The socket is subscribed: networking privilege is no longer needed.
  if (keep_capabilities(request.realtime_tid > 0 ? 1u << CAP_SYS_NICE : 0) != 0) {
    return fail(FSH_STEP_LISTEN, errno, "cannot drop cap_net_admin");
  }
  err = wait_readable(fd, monotonic_ms() + (int64_t)request.ack_wait_ms);
  if (err != 0) return fail(FSH_STEP_ACK, err, "the kernel did not answer PROC_CN_MCAST_LISTEN (inside a user or PID namespace?)");

  struct fsh_reply reply = {FSH_REPLY_MAGIC, 0, FSH_STEP_NONE, 0, -1, 0};
  socklen_t granted_len = sizeof reply.rcvbuf_bytes;
  getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &reply.rcvbuf_bytes, &granted_len);

  if (request.realtime_tid > 0) {
    // Only a thread of the parent's own thread group (tgkill checks that the tid belongs to the
    // tgid). The thread asked and is waiting for this reply, so it cannot exit and be reused.
    struct sched_param param = {.sched_priority = FSH_FIFO_PRIORITY};
    if (syscall(SYS_tgkill, parent, request.realtime_tid, 0) != 0) {
      reply.sched_error = errno;
    } else if (getppid() != parent) {
      reply.sched_error = ESRCH;
    } else if (sched_setscheduler(request.realtime_tid, SCHED_FIFO | SCHED_RESET_ON_FORK, &param) != 0) {
      reply.sched_error = errno;
    } else {
      reply.sched_error = 0;
    }
    keep_capabilities(0);
  }
  send_reply(&reply, fd);
  return 0;
}
