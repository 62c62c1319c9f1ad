/**
 * Derives fork/exec/exit events from two successive /proc scans (the poll source). A scan sees
 * only who is alive at that instant: a process born and gone between two scans is invisible, an
 * exit's code is unknown, and a fork followed by exec shows up as one new process with its final
 * argv. Events are ordered so the model can apply them as if they came from the kernel: exits
 * first (freeing pids for reuse), then births parents-first, then execs.
 */
import type { ProcEvent } from '../../common/events';
import { procKey, sameArgv, type ProcKey } from '../../common/process';
import { isLiveInScan, type ScannedProcess } from '../../../native/ScannedProcess';

export function indexLiveScan(scan: readonly ScannedProcess[]): Map<ProcKey, ScannedProcess> {
  const byKey = new Map<ProcKey, ScannedProcess>();
  for (const process of scan) if (isLiveInScan(process)) byKey.set(procKey(process.pid, process.startTime), process);
  return byKey;
}

export function diffScans(
  previous: ReadonlyMap<ProcKey, ScannedProcess>,
  next: ReadonlyMap<ProcKey, ScannedProcess>,
  ts: number,
): ProcEvent[] {
  const exits: ProcEvent[] = [];
  for (const [key, process] of previous) {
    if (!next.has(key)) exits.push({ kind: 'exit', ts, pid: process.pid, ppid: process.ppid, origin: 'poll' });
  }
  const born: ScannedProcess[] = [];
  const execs: ProcEvent[] = [];
  for (const [key, process] of next) {
    const before = previous.get(key);
    if (!before) born.push(process);
    else if (before.comm !== process.comm || !sameArgv(before.argv, process.argv)) execs.push(execEvent(process, ts));
  }
  if (born.length === 0) return [...exits, ...execs];
  // Start time orders births: a parent is always older than its child.
  born.sort((a, b) => a.startTime - b.startTime || a.pid - b.pid);
  const births: ProcEvent[] = [];
  const byPid = new Map<number, ScannedProcess>();
  for (const process of next.values()) byPid.set(process.pid, process);
  for (const process of born) {
    births.push(pollEvent('fork', process, ts));
    // If it no longer runs its parent's program, it exec'd since the fork.
    const parent = byPid.get(process.ppid);
    if (!parent || parent.comm !== process.comm || !sameArgv(parent.argv, process.argv)) {
      births.push(execEvent(process, ts));
    }
  }
  return [...exits, ...births, ...execs];
}

function pollEvent(kind: 'fork' | 'exec', process: ScannedProcess, ts: number): ProcEvent {
  return { kind, ts, pid: process.pid, ppid: process.ppid, startTime: process.startTime, comm: process.comm, origin: 'poll' };
}

function execEvent(process: ScannedProcess, ts: number): ProcEvent {
  const event = pollEvent('exec', process, ts);
  if (process.argv) event.argv = [...process.argv];
  return event;
}
