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

/** Same argv, element by element; two unreadable (null) argv count as the same. */
export function sameArgv(a: readonly string[] | null, b: readonly string[] | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
  /**
   * The key of its current parent (after reparenting to init or a subreaper): the tree links by
   * it, never by ppid, which names a different process after PID reuse. Undefined when the parent
   * is not in the model (init, kthreadd, a parent it never held). It may name a process that has
   * since left the model (an expired tombstone).
   */
  parentKey?: ProcKey;
  /**
   * The key of the process that forked it (its lineage), kept after reparenting and after the
   * forker exits. Undefined for processes found by a /proc scan rather than seen forking:
   * consumers then fall back to parentKey.
   */
  forkerKey?: ProcKey;
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
  /**
   * Its main thread exited while other threads still run (pthread_exit, or an exit_group whose
   * other threads are still ending): the process is alive, and this is how it ended if its last
   * thread reports nothing better. The model's bookkeeping: snapshots and recordings' keyframes
   * carry it (replay from a keyframe would never end the process without it), deltas do not.
   */
  leaderExit?: ExitRecord;
  /** True when this process was found by a /proc scan after loss, not seen live. */
  inferred?: boolean;
  /** Its service, container or pod, from its cgroup; undefined in the root cgroup (init, kernel threads). */
  group?: ProcessGroup;
  /** The NSpid chain (outermost first) when it lives in a nested PID namespace; undefined otherwise. */
  nsPid?: number[];
}

/**
 * What a process belongs to, read off its cgroup path: a systemd unit, scope or slice, a user's
 * slice, a container (docker, podman, containerd, cri-o) or a Kubernetes pod. `id` is stable
 * (the cgroup path for systemd and others, the full container id, the pod uid); `name` is what a
 * person reads (the unit name, the container's name from its runtime, else a 12-character id).
 */
export interface ProcessGroup {
  kind: 'unit' | 'scope' | 'slice' | 'container' | 'pod' | 'user' | 'other';
  id: string;
  name: string;
  /** Container runtime: 'docker', 'podman', 'containerd', 'cri-o'. */
  runtime?: string;
}

/** Whether `a` is the group `b`, field for field (groups are read afresh, not shared, by each /proc read). */
export function sameGroup(a: ProcessGroup | undefined, b: ProcessGroup): boolean {
  if (a === b) return true;
  return a !== undefined && a.kind === b.kind && a.id === b.id && a.name === b.name && a.runtime === b.runtime;
}

/** Fields of a process that changed; `key` names it. */
export type ProcessChange = Partial<Omit<ProcessInfo, 'key' | 'pid' | 'startTime'>> & { key: ProcKey };
