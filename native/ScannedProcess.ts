import type { ProcessGroup } from '../electron/common/process';

/**
 * One process as read by a full /proc scan: this layer's scanner makes it, and core's TypeScript
 * fallback (electron/core/procfs/scanProcessesFallback.ts) makes the same when the addon is absent.
 */
export interface ScannedProcess {
  pid: number;
  ppid: number;
  /** Clock ticks since boot (stat field 22). */
  startTime: number;
  /** Real uid (status Uid: first field). */
  uid: number;
  comm: string;
  /** null when unreadable or empty (zombie, kernel thread). */
  argv: string[] | null;
  /** stat state letter. */
  state: string;
  threads: number;
  /** Resident set in KiB. */
  rssKb: number;
  /** utime + stime in clock ticks. */
  cpuTicks: number;
  /** PF_KTHREAD set in stat flags. */
  kernelThread: boolean;
  /** From its cgroup; undefined at the root or when unreadable. */
  group?: ProcessGroup;
  /** NSpid, outermost first, only when it lives in a nested PID namespace. */
  nsPid?: number[];
}

/** Zombies have exited: the model shows them as tombstones, not as live processes. */
export function isLiveInScan(process: ScannedProcess): boolean {
  if (process.state === 'X' || process.state === 'x') return false;
  // A zombie leader whose other threads still run (pthread_exit) shows Z with threads > 1.
  if (process.state === 'Z') return process.threads > 1;
  return true;
}
