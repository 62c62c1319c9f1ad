/**
 * A full /proc scan in TypeScript: used when the native addon is absent, and by tests to
 * cross-check the native scanner. Reads stat, status, cmdline and cgroup of every process with bounded
 * concurrency; processes that vanish mid-scan are skipped (they are exits the event source
 * reports), never reported half-read.
 */
import { readFile, readdir } from 'node:fs/promises';
import type { ProcessGroup } from '../../common/process';
import type { ScannedProcess } from '../../../native/ScannedProcess';
import { scanGroupReader } from './groupFromCgroup';
import { mapWithConcurrency } from './mapWithConcurrency';
import { pageSizeKiB } from './pageSize';
import { CMDLINE_MAX_BYTES, parseCmdline } from './parseCmdline';
import { isKernelThread, parseStat } from './parseStat';
import { parseStatus } from './parseStatus';
import { readCapped } from './readProcFile';
import { errnoCode } from './unreadable';

/** Reads in flight: enough to keep libuv's pool busy, few enough to leave it to others too. */
const SCAN_CONCURRENCY = 16;

function isGone(error: unknown): boolean {
  const code = errnoCode(error);
  return code === 'ENOENT' || code === 'ESRCH';
}

async function readArgv(path: string): Promise<string[] | null> {
  try {
    const { bytes, truncated } = await readCapped(path, CMDLINE_MAX_BYTES);
    const { items } = parseCmdline(bytes, CMDLINE_MAX_BYTES, truncated);
    return items.length === 0 ? null : items;
  } catch (error) {
    // Unreadable argv (hidepid, EACCES, gone) is "unknown", which null says; the rest is a bug.
    if (isGone(error) || errnoCode(error) === 'EACCES' || errnoCode(error) === 'EPERM') return null;
    throw error;
  }
}

/** The cgroup file's text, or '' when unreadable (no group, like the native scanner). */
function readCgroupText(path: string): Promise<string> {
  return readFile(path, 'utf8').catch(() => '');
}

async function scanOne(
  root: string,
  pid: number,
  pageKiB: number,
  groupOf: (text: string) => ProcessGroup | undefined,
): Promise<ScannedProcess | null> {
  const dir = `${root}/${pid}`;
  try {
    const [statText, statusText, argv, cgroupText] = await Promise.all([
      readFile(`${dir}/stat`, 'utf8'),
      readFile(`${dir}/status`, 'utf8'),
      readArgv(`${dir}/cmdline`),
      readCgroupText(`${dir}/cgroup`),
    ]);
    const stat = parseStat(statText);
    const status = parseStatus(statusText);
    const group = groupOf(cgroupText);
    return {
      pid,
      ppid: stat.fields.ppid,
      startTime: stat.fields.startTime,
      uid: status.uids[0],
      comm: stat.comm,
      argv,
      state: stat.fields.state,
      threads: stat.fields.numThreads,
      rssKb: stat.fields.rssPages * pageKiB,
      cpuTicks: stat.fields.utime + stat.fields.stime,
      kernelThread: isKernelThread(stat),
      ...(group ? { group } : {}),
      ...(status.nspid.length > 1 ? { nsPid: status.nspid } : {}),
    };
  } catch (error) {
    if (isGone(error)) return null;
    throw error;
  }
}

export async function scanProcessesFallback(root = '/proc'): Promise<ScannedProcess[]> {
  const [names, pageKiB] = await Promise.all([readdir(root), pageSizeKiB()]);
  const pids = names.filter((name) => /^\d+$/.test(name)).map(Number);
  const groupOf = scanGroupReader();
  const scanned = await mapWithConcurrency(pids, SCAN_CONCURRENCY, (pid) => scanOne(root, pid, pageKiB, groupOf));
  return scanned.filter((process): process is ScannedProcess => process !== null);
}
