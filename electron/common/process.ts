/**
 * The process model as the renderer and the hosts see it. Identity is (pid, startTime): a PID
 * is reused by the kernel, a (pid, startTime) pair never is.
 */

/** Stable identity of one process: `${pid}@${startTime}` (startTime in clock ticks since boot). */
export type ProcKey = string;

export function procKey(pid: number, startTime: number): ProcKey {
  return `${pid}@${startTime}`;
}

export function parseProcKey(key: ProcKey): { pid: number; startTime: number } | null {
  const m = /^(\d+)@(\d+)$/.exec(key);
  if (!m) return null;
  return { pid: Number(m[1]), startTime: Number(m[2]) };
}

export interface ExitRecord {
  key: ProcKey;
  /** When it exited, ms since epoch. */
  at: number;
  code?: number;
  signal?: string;
  core?: boolean;
}

export interface ProcessInfo {
  key: ProcKey;
  pid: number;
  /** Parent pid; 0 for init and kthreadd. */
  ppid: number;
  /** Clock ticks since boot (/proc/PID/stat field 22). */
  startTime: number;
  /** Start time as ms since the Unix epoch. */
  startedAt: number;
  uid: number;
  /** User name, or the uid as text when it has no name. */
  user: string;
  /** Task name (≤ 15 bytes, any bytes: render as text). */
  comm: string;
  /** argv, or null when unreadable (zombie, kernel thread, gone before it could be read). */
  argv: string[] | null;
  /** Process state letter from stat (R, S, D, Z, T, t, X, I). */
  state: string;
  threads: number;
  /** Resident set size in KiB, when sampled. */
  rssKb?: number;
  /** CPU use in percent of one core since the previous sample, when sampled. */
  cpuPct?: number;
  kernelThread?: boolean;
  /** Number of execs seen in this process's life. */
  execs?: number;
  /** Set once the process has exited (it is then a tombstone until it expires). */
  exit?: ExitRecord;
  /** True when this process was found by a /proc scan after loss, not seen live. */
  inferred?: boolean;
}

/** Fields of a process that changed; `key` names it. */
export type ProcessChange = Partial<Omit<ProcessInfo, 'key' | 'pid' | 'startTime'>> & { key: ProcKey };
