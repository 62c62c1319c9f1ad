/**
 * The process-event contract shared by every source (netlink, poll, replay), the model, the CLI's
 * NDJSON output and the renderer. Pure data: no node:, no electron, no DOM.
 *
 * NDJSON contract (`forkscope events --json`): one ProcEvent per line. Required: kind, ts, pid.
 * fork adds ppid; exec adds argv (when readable) and exe; exit adds code (0–255) or signal
 * ("SIGKILL"), and core when it dumped core; thread events add tid; lost adds count when known.
 * Extra fields are allowed and documented below.
 *
 * fork and exec lines also carry `group` when the process is not in the root cgroup: its
 * ProcessGroup (electron/common/process.ts: { kind: unit | scope | slice | container | pod | user
 * | other, id, name, runtime? }) as the model knows it when the line is written. A fork has its
 * parent's (cgroups are inherited); an exec the one known so far: a process that a service
 * manager or container runtime moves to its cgroup around its exec (systemd-run, runc, a
 * `echo $$ > cgroup.procs`) may carry its old group there. When the model learns a new group
 * for a live process a fork or exec line named (the engine reads the cgroup again 100 ms after
 * each exec), a GroupLine follows: `{"kind":"group","ts":…,"pid":…,
 * "group":{…}}`, once per change, never for a process that line did not name. Consumers that
 * only know the kinds above skip it. `forkscope export ndjson` writes the same lines from a
 * recording, which keeps those re-reads in its chunks.
 */

import type { ProcessGroup } from './process';

export const EVENT_KINDS = [
  'fork',
  'exec',
  'exit',
  'thread-start',
  'thread-exit',
  'comm',
  'uid',
  'gid',
  'sid',
  'ptrace',
  'coredump',
  'lost',
] as const;

export type EventKind = (typeof EVENT_KINDS)[number];

export function isEventKind(value: unknown): value is EventKind {
  return typeof value === 'string' && (EVENT_KINDS as readonly string[]).includes(value);
}

/** The NDJSON line that tells a named process's new group (see the contract above); no kernel event. */
export interface GroupLine {
  kind: 'group';
  /** ms since epoch when the model learnt it. */
  ts: number;
  pid: number;
  group: ProcessGroup;
}

/**
 * A batch's NDJSON as its source already rendered it (the native reader does, when asked): line i
 * is bytes[lineEnd[i-1] .. lineEnd[i]) including its '\n', exactly JSON.stringify(events[i]) + '\n';
 * an empty line means "not rendered here" (the consumer stringifies that event itself).
 */
export interface RenderedLines {
  bytes: Uint8Array;
  lineEnd: Uint32Array;
}

/** Where an event came from. "inferred" events were reconstructed by a /proc diff, not seen. */
export type EventOrigin = 'netlink' | 'poll' | 'resync' | 'replay';

export interface ProcEvent {
  kind: EventKind;
  /** Milliseconds since the Unix epoch, fractional. For netlink: the kernel's timestamp. */
  ts: number;
  /** Thread-group id (the "process id" users know). */
  pid: number;
  /** Thread id, for thread-start / thread-exit (and exit of a non-leader thread). */
  tid?: number;
  /** Parent process (tgid). fork: the new child's parent. exec/exit: when known. */
  ppid?: number;
  /**
   * Process start time in clock ticks since boot (/proc/PID/stat field 22). Together with pid it
   * is the process identity: (pid, startTime) never names two processes.
   */
  startTime?: number;
  /** exec: argv as read from /proc/PID/cmdline right after the event (lossy UTF-8 decode). */
  argv?: string[];
  /** exec: true when argv held bytes that are not valid UTF-8 (replaced by U+FFFD). */
  argvLossy?: boolean;
  /** exec: true when argv was truncated to the capture limit. */
  argvTruncated?: boolean;
  /** exec: /proc/PID/exe target. */
  exe?: string;
  /** comm (task name, up to 15 bytes), captured at fork/exec/comm. */
  comm?: string;
  /** exit: exit code 0–255 when the process exited normally. */
  code?: number;
  /** exit: terminating signal name ("SIGKILL") when killed by a signal. */
  signal?: string;
  /** exit: signal number when killed by a signal. */
  signo?: number;
  /**
   * exit / thread-exit (netlink): the signal the kernel sends the parent on exit (exit_signal:
   * SIGCHLD = 17 for processes, -1 for threads, other values for clone() callers).
   */
  exitSignal?: number;
  /** exit / coredump: a core was dumped. */
  core?: boolean;
  /** uid / gid events: real and effective ids. */
  ruid?: number;
  euid?: number;
  rgid?: number;
  egid?: number;
  /** ptrace: tracer pid (0 on detach). */
  tracer?: number;
  /** lost: number of events lost, when known. */
  count?: number;
  /** lost: why ("ENOBUFS", "sequence gap", ...). */
  reason?: string;
  /** CPU the kernel reported the event on (netlink only). */
  cpu?: number;
  /** How the event was obtained; absent means netlink. */
  origin?: EventOrigin;
}

/** Signal names by number for x86-64 / generic Linux (the signals a user will see). */
export const SIGNAL_NAMES: Readonly<Record<number, string>> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  3: 'SIGQUIT',
  4: 'SIGILL',
  5: 'SIGTRAP',
  6: 'SIGABRT',
  7: 'SIGBUS',
  8: 'SIGFPE',
  9: 'SIGKILL',
  10: 'SIGUSR1',
  11: 'SIGSEGV',
  12: 'SIGUSR2',
  13: 'SIGPIPE',
  14: 'SIGALRM',
  15: 'SIGTERM',
  16: 'SIGSTKFLT',
  17: 'SIGCHLD',
  18: 'SIGCONT',
  19: 'SIGSTOP',
  20: 'SIGTSTP',
  21: 'SIGTTIN',
  22: 'SIGTTOU',
  23: 'SIGURG',
  24: 'SIGXCPU',
  25: 'SIGXFSZ',
  26: 'SIGVTALRM',
  27: 'SIGPROF',
  28: 'SIGWINCH',
  29: 'SIGIO',
  30: 'SIGPWR',
  31: 'SIGSYS',
};

export function signalName(signo: number): string {
  return SIGNAL_NAMES[signo] ?? (signo >= 34 && signo <= 64 ? `SIGRTMIN+${signo - 34}` : `SIG${signo}`);
}

/** How a process ended, decoded from the kernel's wait status. */
export interface ExitStatus {
  code?: number;
  signal?: string;
  signo?: number;
  core?: boolean;
}

/**
 * Decode a wait(2) status as the kernel's proc connector reports it in exit_code:
 * exit(3) arrives as 0x300, SIGKILL as 9, SIGSEGV with core as 0x8b.
 */
export function decodeWaitStatus(status: number): ExitStatus {
  const low = status & 0x7f;
  if (low === 0) return { code: (status >> 8) & 0xff };
  const core = (status & 0x80) !== 0;
  return core ? { signal: signalName(low), signo: low, core } : { signal: signalName(low), signo: low };
}
