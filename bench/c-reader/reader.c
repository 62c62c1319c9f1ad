/*
 * reader — the floor: the least a proc-connector watcher can do and still do forkscope's job.
 * It listens on the netlink proc connector, reads /proc/PID/cmdline right after each exec event,
 * and prints the same NDJSON as `forkscope events --json` (electron/common/events.ts):
 *   {"kind":"fork","ts":…,"pid":…,"ppid":…}
 *   {"kind":"thread-start","ts":…,"pid":TGID,"tid":TID}
 *   {"kind":"exec","ts":…,"pid":…,"argv":[…]}            argv absent when already unreadable
 *   {"kind":"exit","ts":…,"pid":…,"code":N} | …"signal":"SIGKILL","signo":9[,"core":true]}
 *   {"kind":"thread-exit","ts":…,"pid":TGID,"tid":TID}
 *   {"kind":"lost","ts":…,"pid":0,"reason":"ENOBUFS"}
 * ts is the kernel's event time (CLOCK_MONOTONIC) converted to ms since the epoch.
 *
 *   reader [-r]      -r: run SCHED_FIFO at the highest priority, like `forkstat -r`
 *
 * stderr: one "listening …" line once subscribed (so a harness knows when to start a storm), and
 * on SIGINT/SIGTERM a JSON summary line: {"summary":{"events":N,"lost":N,"rcvbuf":N,…}}.
 * The receive buffer is sized like forkscope's: SO_RCVBUFFORCE 8 MiB when permitted, else
 * SO_RCVBUF 8 MiB (which the kernel clamps to net.core.rmem_max).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RCVBUF_BYTES (8 * 1024 * 1024)
#define CMDLINE_MAX 4096
#define OUT_CAPACITY (256 * 1024)

static char out[OUT_CAPACITY];
static size_t out_len;
static volatile sig_atomic_t stopping;
static double epoch_offset_ms; /* realtime − monotonic, to turn kernel timestamps into epoch ms */

struct counters {
  unsigned long long events, lost_reports, unreadable_argv;
};
static struct counters counters;

static void flush_out(void) {
  size_t done = 0;
  while (done < out_len) {
    ssize_t n = write(STDOUT_FILENO, out + done, out_len - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      /* stdout gone (closed pipe): nothing useful left to do. */
      exit(1);
    }
    done += (size_t)n;
  }
  out_len = 0;
}

/* Make room for at least `need` bytes; every record is bounded well below OUT_CAPACITY. */
static void reserve(size_t need) {
  if (out_len + need > OUT_CAPACITY) flush_out();
}

static void put(const char *s, size_t n) {
  memcpy(out + out_len, s, n);
  out_len += n;
}

static void putf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void putf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(out + out_len, OUT_CAPACITY - out_len, fmt, ap);
  va_end(ap);
  if (n > 0) out_len += (size_t)n;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when the bytes are not valid UTF-8. */
static size_t utf8_sequence(const unsigned char *s, size_t left) {
  unsigned char c = s[0];
  size_t len;
  uint32_t cp;
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) len = 2, cp = c & 0x1f;
  else if (c >= 0xe0 && c <= 0xef) len = 3, cp = c & 0x0f;
  else if (c >= 0xf0 && c <= 0xf4) len = 4, cp = c & 0x07;
  else return 0;
  if (len > left) return 0;
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3f);
  }
  if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
    return 0;
  return len;
}

/* A JSON string; bytes that are not UTF-8 become U+FFFD, as forkscope's lossy decode does. */
static void put_json_string(const unsigned char *s, size_t n) {
  reserve(n * 6 + 2);
  out[out_len++] = '"';
  for (size_t i = 0; i < n;) {
    unsigned char c = s[i];
    if (c == '"' || c == '\\') {
      out[out_len++] = '\\';
      out[out_len++] = (char)c;
      i++;
    } else if (c < 0x20) {
      out_len += (size_t)snprintf(out + out_len, 7, "\\u%04x", c);
      i++;
    } else {
      size_t len = utf8_sequence(s + i, n - i);
      if (len == 0) {
        put("\xef\xbf\xbd", 3);
        i++;
      } else {
        put((const char *)s + i, len);
        i += len;
      }
    }
  }
  out[out_len++] = '"';
}

static double event_ms(uint64_t timestamp_ns) { return (double)timestamp_ns / 1e6 + epoch_offset_ms; }

static void on_exec(const struct proc_event *ev) {
  pid_t pid = ev->event_data.exec.process_tgid;
  char path[64];
  unsigned char cmdline[CMDLINE_MAX];
  ssize_t n = -1;
  snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    n = read(fd, cmdline, sizeof cmdline);
    close(fd);
  }
  reserve(128);
  putf("{\"kind\":\"exec\",\"ts\":%.3f,\"pid\":%d", event_ms(ev->timestamp_ns), pid);
  if (n > 0) {
    put(",\"argv\":[", 9);
    /* cmdline is NUL-separated with a trailing NUL; a last argument without one was truncated. */
    size_t start = 0, len = (size_t)n;
    int first = 1;
    for (size_t i = 0; i <= len; i++) {
      if (i == len ? i > start : cmdline[i] == '\0') {
        reserve(2);
        if (!first) out[out_len++] = ',';
        put_json_string(cmdline + start, i - start);
        first = 0;
        start = i + 1;
      }
    }
    reserve(32);
    put("]", 1);
    if ((size_t)n == sizeof cmdline) put(",\"argvTruncated\":true", 21);
  } else {
    counters.unreadable_argv++;
  }
  put("}\n", 2);
}

static const char *signal_name(int signo) {
  static char fallback[16];
  const char *name = sigabbrev_np(signo);
  if (name) {
    snprintf(fallback, sizeof fallback, "SIG%s", name);
  } else {
    snprintf(fallback, sizeof fallback, "SIG%d", signo);
  }
  return fallback;
}

static void on_event(const struct proc_event *ev) {
  double ts = event_ms(ev->timestamp_ns);
  switch (ev->what) {
    case PROC_EVENT_FORK: {
      const struct fork_proc_event *f = &ev->event_data.fork;
      reserve(160);
      if (f->child_pid != f->child_tgid)
        putf("{\"kind\":\"thread-start\",\"ts\":%.3f,\"pid\":%d,\"tid\":%d}\n", ts, f->child_tgid, f->child_pid);
      else
        putf("{\"kind\":\"fork\",\"ts\":%.3f,\"pid\":%d,\"ppid\":%d}\n", ts, f->child_tgid, f->parent_tgid);
      break;
    }
    case PROC_EVENT_EXEC:
      on_exec(ev);
      break;
    case PROC_EVENT_EXIT: {
      const struct exit_proc_event *x = &ev->event_data.exit;
      reserve(160);
      if (x->process_pid != x->process_tgid) {
        putf("{\"kind\":\"thread-exit\",\"ts\":%.3f,\"pid\":%d,\"tid\":%d}\n", ts, x->process_tgid, x->process_pid);
      } else if ((x->exit_code & 0x7f) == 0) {
        putf("{\"kind\":\"exit\",\"ts\":%.3f,\"pid\":%d,\"code\":%u}\n", ts, x->process_tgid, (x->exit_code >> 8) & 0xff);
      } else {
        int signo = (int)(x->exit_code & 0x7f);
        putf("{\"kind\":\"exit\",\"ts\":%.3f,\"pid\":%d,\"signal\":\"%s\",\"signo\":%d%s}\n", ts, x->process_tgid,
             signal_name(signo), signo, (x->exit_code & 0x80) ? ",\"core\":true" : "");
      }
      break;
    }
    default:
      return; /* comm, uid, sid, ptrace …: not part of the job being measured */
  }
  counters.events++;
}

static int send_mcast_op(int sock, enum proc_cn_mcast_op op) {
  struct {
    struct nlmsghdr nl;
    struct cn_msg cn;
    enum proc_cn_mcast_op op;
  } __attribute__((packed)) msg;
  memset(&msg, 0, sizeof msg);
  msg.nl.nlmsg_len = sizeof msg;
  msg.nl.nlmsg_type = NLMSG_DONE;
  msg.nl.nlmsg_pid = (uint32_t)getpid();
  msg.cn.id.idx = CN_IDX_PROC;
  msg.cn.id.val = CN_VAL_PROC;
  msg.cn.len = sizeof(enum proc_cn_mcast_op);
  msg.op = op;
  return send(sock, &msg, sizeof msg, 0) < 0 ? -1 : 0;
}

static void on_stop_signal(int signo) {
  (void)signo;
  stopping = 1;
}

static const char *take_realtime_priority(void) {
  static char result[96];
  struct sched_param param = {.sched_priority = sched_get_priority_max(SCHED_FIFO)};
  if (sched_setscheduler(0, SCHED_FIFO, &param) == 0)
    snprintf(result, sizeof result, "SCHED_FIFO %d", param.sched_priority);
  else
    snprintf(result, sizeof result, "normal (SCHED_FIFO refused: %s)", strerror(errno));
  return result;
}

int main(int argc, char **argv) {
  int realtime = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-r") == 0) {
      realtime = 1;
    } else {
      fprintf(stderr, "usage: reader [-r]\n");
      return 2;
    }
  }
  const char *priority = realtime ? take_realtime_priority() : "normal";

  struct timespec mono, real;
  clock_gettime(CLOCK_MONOTONIC, &mono);
  clock_gettime(CLOCK_REALTIME, &real);
  epoch_offset_ms = ((double)real.tv_sec - (double)mono.tv_sec) * 1e3 + ((double)real.tv_nsec - (double)mono.tv_nsec) / 1e6;

  int sock = socket(PF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_CONNECTOR);
  if (sock < 0) {
    fprintf(stderr, "reader: socket: %s\n", strerror(errno));
    return 1;
  }
  int want = RCVBUF_BYTES;
  const char *sizing = "SO_RCVBUFFORCE";
  if (setsockopt(sock, SOL_SOCKET, SO_RCVBUFFORCE, &want, sizeof want) < 0) {
    sizing = "SO_RCVBUF (clamped to net.core.rmem_max)";
    setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &want, sizeof want);
  }
  int granted = 0;
  socklen_t granted_len = sizeof granted;
  getsockopt(sock, SOL_SOCKET, SO_RCVBUF, &granted, &granted_len);

  struct sockaddr_nl addr = {.nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC, .nl_pid = 0};
  if (bind(sock, (struct sockaddr *)&addr, sizeof addr) < 0) {
    fprintf(stderr, "reader: bind: %s\n", strerror(errno));
    return 1;
  }
  if (send_mcast_op(sock, PROC_CN_MCAST_LISTEN) < 0) {
    fprintf(stderr, "reader: listen: %s\n", strerror(errno));
    return 1;
  }
  /* No SA_RESTART: a stop signal must interrupt the blocking recv. */
  struct sigaction sa = {0};
  sa.sa_handler = on_stop_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  fprintf(stderr, "listening rcvbuf=%d sizing=%s priority=%s\n", granted, sizing, priority);

  char buf[8192] __attribute__((aligned(NLMSG_ALIGNTO)));
  while (!stopping) {
    /* Drain without blocking; write the batch out only when the socket is empty. */
    ssize_t n = recv(sock, buf, sizeof buf, MSG_DONTWAIT);
    if (n < 0 && errno == EAGAIN) {
      flush_out();
      n = recv(sock, buf, sizeof buf, 0);
    }
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == ENOBUFS) {
        counters.lost_reports++;
        reserve(96);
        clock_gettime(CLOCK_REALTIME, &real);
        putf("{\"kind\":\"lost\",\"ts\":%.3f,\"pid\":0,\"reason\":\"ENOBUFS\"}\n",
             (double)real.tv_sec * 1e3 + (double)real.tv_nsec / 1e6);
        continue;
      }
      fprintf(stderr, "reader: recv: %s\n", strerror(errno));
      break;
    }
    for (struct nlmsghdr *nl = (struct nlmsghdr *)buf; NLMSG_OK(nl, (size_t)n); nl = NLMSG_NEXT(nl, n)) {
      if (nl->nlmsg_type == NLMSG_ERROR || nl->nlmsg_type == NLMSG_NOOP) continue;
      const struct cn_msg *cn = NLMSG_DATA(nl);
      if (cn->id.idx != CN_IDX_PROC || cn->id.val != CN_VAL_PROC) continue;
      on_event((const struct proc_event *)cn->data);
    }
  }
  send_mcast_op(sock, PROC_CN_MCAST_IGNORE);
  flush_out();
  fprintf(stderr, "{\"summary\":{\"events\":%llu,\"lost\":%llu,\"unreadableArgv\":%llu,\"rcvbuf\":%d,\"priority\":\"%s\"}}\n",
          counters.events, counters.lost_reports, counters.unreadable_argv, granted, priority);
  close(sock);
  return 0;
}
