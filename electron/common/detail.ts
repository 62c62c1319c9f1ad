/**
 * Everything /proc tells about one process, fetched on request and refreshed while a pane is
 * open. Every field may be unreadable on its own: a pane never fails as a whole.
 */
import type { ProcEvent } from './events';
import type { ExitRecord, ProcKey } from './process';

/** Why a field could not be read. */
export type UnreadableReason =
  | 'EACCES' // permission denied (another user's process, hidepid, ptrace check)
  | 'ENOENT' // the file or the process is gone
  | 'ESRCH' // the process is gone
  | 'zombie' // exited, not yet reaped: most files are empty
  | 'kernel-thread' // kernel threads have no cmdline, exe, environ, maps
  | 'exited' // process no longer exists; values are from its last sample or history
  | 'recycled' // the pid now belongs to another process (start time differs)
  | 'error'; // anything else; see message

export type Field<T> = { ok: true; value: T } | { ok: false; reason: UnreadableReason; message: string };

export interface StatFields {
  state: string;
  ppid: number;
  pgrp: number;
  session: number;
  ttyNr: number;
  minflt: number;
  majflt: number;
  /** CPU time in clock ticks. */
  utime: number;
  stime: number;
  priority: number;
  nice: number;
  numThreads: number;
  startTime: number;
  vsizeBytes: number;
  rssPages: number;
  processor: number;
  rtPriority: number;
  policy: number;
}

export interface StatusFields {
  name: string;
  state: string;
  tgid: number;
  pid: number;
  ppid: number;
  tracerPid: number;
  /** real, effective, saved, filesystem */
  uids: [number, number, number, number];
  gids: [number, number, number, number];
  groups: number[];
  /** The pid as seen in each PID namespace, outermost first. */
  nspid: number[];
  threads: number;
  voluntaryCtxtSwitches?: number;
  nonvoluntaryCtxtSwitches?: number;
  /** Vm* fields in KiB: VmPeak, VmSize, VmRSS, VmHWM, VmData, VmStk, VmExe, VmLib, VmSwap ... */
  vm: Record<string, number>;
  /** Capability masks as hex strings. */
  capEff?: string;
  capPrm?: string;
  seccomp?: number;
  /** All raw key/value lines, for what is not parsed above. */
  raw: Record<string, string>;
}

export interface FdInfo {
  fd: number;
  /** readlink target: a path, "socket:[123]", "pipe:[456]", "anon_inode:[eventfd]" ... */
  target: string;
}

export interface FdsInfo {
  count: number;
  /** At most a few hundred entries; `count` is the full number. */
  entries: FdInfo[];
  truncated: boolean;
}

export interface IoFields {
  rchar: number;
  wchar: number;
  syscr: number;
  syscw: number;
  readBytes: number;
  writeBytes: number;
  cancelledWriteBytes: number;
}

export interface LimitRow {
  name: string;
  soft: string;
  hard: string;
  units: string;
}

export interface CgroupEntry {
  hierarchy: string;
  controllers: string;
  path: string;
}

export interface NamespaceEntry {
  /** "pid", "net", "mnt", ... */
  type: string;
  /** "pid:[4026531836]" */
  target: string;
  inode: number;
}

export interface SchedStat {
  runNs: number;
  waitNs: number;
  timeslices: number;
}

/**
 * How a NUL-separated /proc file (cmdline, environ) was turned into text: it may hold bytes that
 * are not UTF-8 (replaced by U+FFFD) and may be megabytes long (cut at a capture limit).
 */
export interface TextDecodeNotes {
  /** Some bytes were not valid UTF-8 and were replaced by U+FFFD. */
  lossy: boolean;
  /** The file was longer than the capture limit; the last entry may be cut short. */
  truncated: boolean;
}

/** A thread that named itself (pthread_setname_np, prctl PR_SET_NAME): not the process's name. */
export interface ThreadName {
  tid: number;
  name: string;
}

export interface EnvEntry {
  name: string;
  value: string;
}

export interface ProcessDetail {
  key: ProcKey;
  pid: number;
  startTime: number;
  /** ms since epoch when read. */
  fetchedAt: number;
  alive: boolean;
  stat: Field<StatFields>;
  status: Field<StatusFields>;
  cmdline: Field<string[]>;
  /** Set when cmdline was read: whether it was lossy or truncated. */
  cmdlineNotes?: TextDecodeNotes;
  comm: Field<string>;
  exe: Field<string>;
  cwd: Field<string>;
  root: Field<string>;
  environ: Field<EnvEntry[]>;
  /** Set when environ was read: whether it was lossy or truncated. */
  environNotes?: TextDecodeNotes;
  fds: Field<FdsInfo>;
  io: Field<IoFields>;
  limits: Field<LimitRow[]>;
  cgroup: Field<CgroupEntry[]>;
  namespaces: Field<NamespaceEntry[]>;
  /** smaps_rollup values in KiB (Rss, Pss, Shared_Clean, ...). */
  smapsRollup: Field<Record<string, number>>;
  schedstat: Field<SchedStat>;
  wchan: Field<string>;
  oomScore: Field<number>;
  oomScoreAdj: Field<number>;
  /** The user name for the real uid, when known. */
  user?: string;
  /** This process's own events, as seen by the model (bounded). */
  history: ProcEvent[];
  /** Names its other threads gave themselves while the model watched (bounded), by tid. */
  threadNames?: ThreadName[];
  /** Set when it has exited: how it died. */
  exit?: ExitRecord;
  /** Lifetime in ms, once exited. */
  lifetimeMs?: number;
  /** Asked for by DetailRequest.translatePid: our pid of the process that is `pid` in this one's PID namespace (null: none). */
  translated?: { pid: number; hostPid: number | null };
}

/**
 * The names of ProcessDetail's /proc fields: those that hold a Field, each read (or found
 * unreadable) on its own. Derived from ProcessDetail, so a Field added there is one here.
 */
export type ProcFieldName = { [K in keyof ProcessDetail]-?: ProcessDetail[K] extends Field<unknown> ? K : never }[keyof ProcessDetail];
export type ProcFields = Pick<ProcessDetail, ProcFieldName>;

// Every ProcFieldName once, for code that needs the names at run time: the compiler rejects this
// object while a Field of ProcessDetail is missing from it or it names one ProcessDetail lacks.
const PROC_FIELDS: Readonly<Record<ProcFieldName, true>> = {
  stat: true,
  status: true,
  cmdline: true,
  comm: true,
  exe: true,
  cwd: true,
  root: true,
  environ: true,
  fds: true,
  io: true,
  limits: true,
  cgroup: true,
  namespaces: true,
  smapsRollup: true,
  schedstat: true,
  wchan: true,
  oomScore: true,
  oomScoreAdj: true,
};
export const PROC_FIELD_NAMES = Object.keys(PROC_FIELDS) as readonly ProcFieldName[];

/** Every /proc field unreadable for one reason: a process that cannot be read at all, a recording. */
export function unreadableProcFields(failure: Extract<Field<unknown>, { ok: false }>): ProcFields {
  return Object.fromEntries(PROC_FIELD_NAMES.map((name) => [name, failure])) as ProcFields;
}
