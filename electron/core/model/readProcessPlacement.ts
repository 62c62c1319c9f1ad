/**
 * Reads a live process's group (from /proc/PID/cgroup) and NSpid (from status), asynchronously:
 * for a process that exec'd (its runtime or service manager may have moved it to a new cgroup
 * since its fork) or that was forked inside a nested PID namespace.
 */
import { readFile } from 'node:fs/promises';
import type { ScannedProcess } from '../../../native/ScannedProcess';
import { groupFromCgroup } from '../procfs/groupFromCgroup';
import { parseStatus } from '../procfs/parseStatus';
import type { ProcessRef } from './ProcessTable';

export type Placement = Pick<ScannedProcess, 'group' | 'nsPid'>;

/**
 * The group and nested NSpid of `ref`, or null when it is gone. The files carry no start time:
 * the caller applies the result only to the process the table still holds alive under that pid,
 * which a reused pid (the holder died, its exit applied) is not.
 */
export async function readProcessPlacement(ref: ProcessRef, procRoot = '/proc'): Promise<Placement | null> {
  let cgroupText: string;
  let statusText: string;
  try {
    [cgroupText, statusText] = await Promise.all([
      readFile(`${procRoot}/${ref.pid}/cgroup`, 'utf8'),
      readFile(`${procRoot}/${ref.pid}/status`, 'utf8'),
    ]);
  } catch {
    return null; // ENOENT/ESRCH: it exited meanwhile
  }
  let nspid: number[];
  try {
    nspid = parseStatus(statusText).nspid;
  } catch {
    nspid = [];
  }
  const group = groupFromCgroup(cgroupText);
  return { ...(group ? { group } : {}), ...(nspid.length > 1 ? { nsPid: nspid } : {}) };
}
