/*
 * storm — generate process storms and write down exactly what was generated, so that a reader's
 * output can be checked against ground truth, pid by pid.
 *
 *   storm exec|fork|nested|threads|hold [options]
 *     -n COUNT        children (threads for `threads`) to create; 0 = until -d expires
 *     -c CONCURRENCY  children in flight at once (default 8)
 *     -r RATE         at most RATE starts per second (default: as fast as possible)
 *     -d SECONDS      stop starting new children after SECONDS
 *     -D DEPTH        nested: depth of each tree below the root (default 3)
 *     -F FANOUT       nested: children per node (default 3)
 *     -i RUNID        marker prefix for argv (default: the storm's pid)
 *     -o FILE         manifest path (default: stdout)
 *
 * Modes:
 *   exec     fork + execv("/bin/sh", {"sh", "-c", "exit N", "forkscope-storm-RUNID-I"})
 *   fork     fork + _exit(N), no exec
 *   nested   trees: each of COUNT top children forks FANOUT children, down to DEPTH levels;
 *            every node exits with its own code; every node writes the lines for its children
 *   threads  this process creates and joins COUNT short threads, CONCURRENCY at a time
 *   hold     fork COUNT children that pause(); print "ready" on stderr; on SIGTERM/SIGINT or
 *            stdin EOF SIGKILL and reap them all, then exit (stages a 10k-process snapshot)
 *
 * Manifest (TSV, one record per line, written with O_APPEND single write()s so that nested
 * writers never interleave within a line):
 *   S <mode> <runid> <storm pid>                      header
 *   C <pid> <ppid> <depth> <expected code> <marker>   one child process ("-" = no marker)
 *   T <tgid> <tid>                                     one thread (threads mode)
 *   E <generated> <elapsed ns> <failed starts>        trailer, written by the storm root last
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum mode { MODE_EXEC, MODE_FORK, MODE_NESTED, MODE_THREADS, MODE_HOLD };

struct options {
  enum mode mode;
  const char *mode_name;
  long count;
  long concurrency;
  double rate;
  double duration;
  int depth;
  int fanout;
  char runid[64];
  int manifest_fd;
};

static struct options opt;
static struct timespec started;
static long failed_starts;
/* nested: nodes fork in their own processes, so their failures are counted in shared memory. */
static long *nested_failed_starts;

static void die(const char *what) {
  fprintf(stderr, "storm: %s: %s\n", what, strerror(errno));
  exit(2);
}

static void usage(const char *why) {
  fprintf(stderr, "storm: %s\nusage: storm exec|fork|nested|threads|hold [-n COUNT] [-c CONCURRENCY] "
                  "[-r RATE] [-d SECONDS] [-D DEPTH] [-F FANOUT] [-i RUNID] [-o FILE]\n", why);
  exit(2);
}

static double seconds_since(const struct timespec *t0) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* One record = one write(): with O_APPEND the kernel keeps concurrent writers' lines whole. */
static void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void emit(const char *fmt, ...) {
  char line[512];
  va_list ap;
  va_start(ap, fmt);
  int len = vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (len < 0 || (size_t)len >= sizeof line) len = (int)sizeof line - 1;
  const char *p = line;
  while (len > 0) {
    ssize_t n = write(opt.manifest_fd, p, (size_t)len);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("write manifest");
    }
    p += n;
    len -= (int)n;
  }
}

/* Spread codes over 1..200 so that a reader that reports the wrong child's code is caught. */
static int expected_code(long index, int depth) { return (int)((index * 7 + depth) % 200) + 1; }

/* Whether another start is allowed now; sleeps to honour -r. */
static int may_start(long started_so_far) {
  if (opt.count > 0 && started_so_far >= opt.count) return 0;
  if (opt.duration > 0 && seconds_since(&started) >= opt.duration) return 0;
  if (opt.rate > 0) {
    double due = (double)started_so_far / opt.rate;
    double wait = due - seconds_since(&started);
    if (wait > 0) {
      struct timespec ts = {(time_t)wait, (long)((wait - (double)(time_t)wait) * 1e9)};
      while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {}
    }
    if (opt.duration > 0 && seconds_since(&started) >= opt.duration) return 0;
  }
  return 1;
}

/* hold mode: the paused children, killed by pid on release. */
static pid_t *held;
static long held_count, held_capacity;

static void remember_held(pid_t pid) {
  if (held_count == held_capacity) {
    held_capacity = held_capacity ? held_capacity * 2 : 1024;
    held = realloc(held, (size_t)held_capacity * sizeof *held);
    if (!held) die("realloc");
  }
  held[held_count++] = pid;
}

static void reap_one(void) {
  for (;;) {
    pid_t pid = waitpid(-1, NULL, 0);
    if (pid >= 0 || errno == ECHILD) return;
    if (errno != EINTR) die("waitpid");
  }
}

/* A nested node: fork `fanout` children one level down, wait for them, exit with `code`. */
__attribute__((noreturn)) static void nested_node(int depth, int code) {
  if (depth < opt.depth) {
    for (int i = 0; i < opt.fanout; i++) {
      int child_code = expected_code(i, depth + 1);
      pid_t pid = fork();
      if (pid == 0) nested_node(depth + 1, child_code);
      if (pid < 0) {
        __atomic_fetch_add(nested_failed_starts, 1, __ATOMIC_RELAXED);
        continue;
      }
      emit("C\t%d\t%d\t%d\t%d\t-\n", pid, getpid(), depth + 1, child_code);
    }
    while (waitpid(-1, NULL, 0) > 0 || errno == EINTR) {}
  }
  _exit(code);
}

static long run_processes(void) {
  long generated = 0, in_flight = 0;
  while (may_start(generated)) {
    if (in_flight >= opt.concurrency) {
      reap_one();
      in_flight--;
    }
    int code = expected_code(generated, 1);
    char marker[128];
    snprintf(marker, sizeof marker, "forkscope-storm-%s-%ld", opt.runid, generated);
    char exit_arg[16];
    snprintf(exit_arg, sizeof exit_arg, "exit %d", code);
    pid_t pid = fork();
    if (pid == 0) {
      if (opt.mode == MODE_EXEC) {
        char *argv[] = {"sh", "-c", exit_arg, marker, NULL};
        execv("/bin/sh", argv);
        _exit(127);
      }
      if (opt.mode == MODE_NESTED) nested_node(1, code);
      if (opt.mode == MODE_HOLD) {
        /* Never outlive the storm, even if it is SIGKILLed before it can clean up. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() == 1) _exit(0);
        for (;;) pause();
      }
      _exit(code);
    }
    if (pid < 0) {
      /* EAGAIN under RLIMIT_NPROC / pid exhaustion: count it, wait for one, go on. */
      failed_starts++;
      if (in_flight > 0) {
        reap_one();
        in_flight--;
      }
      if (opt.mode == MODE_HOLD) break;
      continue;
    }
    emit("C\t%d\t%d\t1\t%d\t%s\n", pid, getpid(), code, opt.mode == MODE_EXEC ? marker : "-");
    generated++;
    if (opt.mode == MODE_HOLD) remember_held(pid);
    else in_flight++;
  }
  while (in_flight-- > 0) reap_one();
  return generated;
}

static void *thread_body(void *arg) {
  *(pid_t *)arg = (pid_t)syscall(SYS_gettid);
  return NULL;
}

static long run_threads(void) {
  long generated = 0;
  pthread_t *threads = calloc((size_t)opt.concurrency, sizeof *threads);
  pid_t *tids = calloc((size_t)opt.concurrency, sizeof *tids);
  if (!threads || !tids) die("calloc");
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 64 * 1024);
  while (may_start(generated)) {
    long started_batch = 0;
    for (; started_batch < opt.concurrency && may_start(generated + started_batch); started_batch++) {
      int err = pthread_create(&threads[started_batch], &attr, thread_body, &tids[started_batch]);
      if (err != 0) {
        failed_starts++;
        break;
      }
    }
    if (started_batch == 0) break;
    for (long i = 0; i < started_batch; i++) {
      pthread_join(threads[i], NULL);
      emit("T\t%d\t%d\n", getpid(), tids[i]);
    }
    generated += started_batch;
  }
  pthread_attr_destroy(&attr);
  free(threads);
  free(tids);
  return generated;
}

static volatile sig_atomic_t hold_released;
static void release_hold(int signo) {
  (void)signo;
  hold_released = 1;
}

/* Stage: children already paused. Wait for a release, then kill and reap them all. */
static void hold_until_released(void) {
  struct sigaction sa = {0};
  sa.sa_handler = release_hold;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  fprintf(stderr, "ready\n");
  char byte;
  while (!hold_released) {
    ssize_t n = read(STDIN_FILENO, &byte, 1);
    if (n == 0 || (n < 0 && errno != EINTR)) break;
  }
  for (long i = 0; i < held_count; i++) kill(held[i], SIGKILL);
  while (waitpid(-1, NULL, 0) > 0 || errno == EINTR) {}
}

static void parse_options(int argc, char **argv) {
  if (argc < 2) usage("missing mode");
  opt.mode_name = argv[1];
  if (strcmp(argv[1], "exec") == 0) opt.mode = MODE_EXEC;
  else if (strcmp(argv[1], "fork") == 0) opt.mode = MODE_FORK;
  else if (strcmp(argv[1], "nested") == 0) opt.mode = MODE_NESTED;
  else if (strcmp(argv[1], "threads") == 0) opt.mode = MODE_THREADS;
  else if (strcmp(argv[1], "hold") == 0) opt.mode = MODE_HOLD;
  else usage("unknown mode");
  opt.concurrency = 8;
  opt.depth = 3;
  opt.fanout = 3;
  opt.manifest_fd = STDOUT_FILENO;
  snprintf(opt.runid, sizeof opt.runid, "%d", getpid());
  int c;
  optind = 2;
  while ((c = getopt(argc, argv, "n:c:r:d:D:F:i:o:")) != -1) {
    switch (c) {
      case 'n': opt.count = atol(optarg); break;
      case 'c': opt.concurrency = atol(optarg); break;
      case 'r': opt.rate = atof(optarg); break;
      case 'd': opt.duration = atof(optarg); break;
      case 'D': opt.depth = atoi(optarg); break;
      case 'F': opt.fanout = atoi(optarg); break;
      case 'i': snprintf(opt.runid, sizeof opt.runid, "%s", optarg); break;
      case 'o':
        opt.manifest_fd = open(optarg, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
        if (opt.manifest_fd < 0) die(optarg);
        break;
      default: usage("bad option");
    }
  }
  if (opt.count < 0 || opt.concurrency < 1 || opt.rate < 0 || opt.duration < 0 || opt.depth < 1 ||
      opt.fanout < 1)
    usage("counts must be positive");
  if (opt.count == 0 && opt.duration == 0) usage("give -n COUNT or -d SECONDS");
  if (strpbrk(opt.runid, "\t\n ")) usage("runid must not contain blanks");
}

int main(int argc, char **argv) {
  parse_options(argc, argv);
  if (opt.mode == MODE_NESTED) {
    nested_failed_starts = mmap(NULL, sizeof *nested_failed_starts, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (nested_failed_starts == MAP_FAILED) die("mmap");
  }
  emit("S\t%s\t%s\t%d\n", opt.mode_name, opt.runid, getpid());
  clock_gettime(CLOCK_MONOTONIC, &started);
  long generated = opt.mode == MODE_THREADS ? run_threads() : run_processes();
  double elapsed = seconds_since(&started);
  /* Every nested node has exited by now: the top children wait for theirs before exiting. */
  if (nested_failed_starts) failed_starts += __atomic_load_n(nested_failed_starts, __ATOMIC_RELAXED);
  emit("E\t%ld\t%.0f\t%ld\n", generated, elapsed * 1e9, failed_starts);
  if (opt.mode == MODE_HOLD) hold_until_released();
  return 0;
}
