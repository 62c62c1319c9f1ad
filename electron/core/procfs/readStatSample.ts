/**
 * The periodic sample of a visible process for CPU% and RSS columns: one read of
 * /proc/PID/stat, the cheapest file that has all of it.
 */
import { readFile } from 'node:fs/promises';
import { pageSizeKiB } from './pageSize';
import { parseStat } from './parseStat';

export interface StatSample {
  /** utime + stime in clock ticks; CPU% is its difference between samples over elapsed ticks. */
  cpuTicks: number;
  rssKb: number;
  state: string;
  threads: number;
  /** Compare with the known start time: a different value means the pid was recycled. */
  startTime: number;
}

/** Rejects with the fs error (ENOENT/ESRCH once the process is gone) or a ProcParseError. */
export async function readStatSample(pid: number, root = '/proc'): Promise<StatSample> {
  const [text, pageKiB] = await Promise.all([readFile(`${root}/${pid}/stat`, 'utf8'), pageSizeKiB()]);
  const { fields } = parseStat(text);
  return {
    cpuTicks: fields.utime + fields.stime,
    rssKb: fields.rssPages * pageKiB,
    state: fields.state,
    threads: fields.numThreads,
    startTime: fields.startTime,
  };
}
