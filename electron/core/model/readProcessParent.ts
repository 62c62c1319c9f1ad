/**
 * Re-reads a live process's real parent from /proc/PID/stat, asynchronously (never on the JS
 * thread's critical path with sync I/O). Used after a parent exits: the kernel has already handed
 * its children to init or the nearest subreaper, and no event says which.
 */
import { readFile } from 'node:fs/promises';
import { parseStat } from '../procfs/parseStat';
import type { ProcessRef } from './ProcessTable';

/**
 * The parent pid of (pid, startTime), or null when that process is gone or the pid now belongs
 * to another process (start time differs) — the caller then has nothing to apply.
 */
export async function readProcessParent(ref: ProcessRef, procRoot = '/proc'): Promise<number | null> {
  let text: string;
  try {
    text = await readFile(`${procRoot}/${ref.pid}/stat`, 'latin1');
  } catch {
    return null; // ENOENT/ESRCH: it exited meanwhile; its exit event will say so
  }
  try {
    const stat = parseStat(text);
    return stat.fields.startTime === ref.startTime ? stat.fields.ppid : null;
  } catch {
    return null;
  }
}
