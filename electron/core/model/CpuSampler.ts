/**
 * Turns successive /proc scans into per-process CPU percentages (of one core) and RSS: CPU use
 * is the difference of utime+stime between two scans of the same (pid, startTime).
 */
import { procKey, type ProcKey } from '../../common/process';
import type { ScannedProcess } from '../../../native/ScannedProcess';
import type { ProcessRef } from './ProcessTable';

export interface ProcessSample extends ProcessRef {
  /** Undefined on a process's first scan: there is no previous reading to compare with. */
  cpuPct?: number;
  rssKb: number;
  threads: number;
  state: string;
}

export class CpuSampler {
  private previous = new Map<ProcKey, number>();
  private previousAt: number | undefined;

  constructor(private readonly clkTck: number) {}

  /** Samples for every process in `scan`, taken at `at` (ms). */
  sample(scan: readonly ScannedProcess[], at: number): ProcessSample[] {
    const elapsedSeconds = this.previousAt === undefined ? 0 : (at - this.previousAt) / 1000;
    const current = new Map<ProcKey, number>();
    const samples: ProcessSample[] = [];
    for (const process of scan) {
      const key = procKey(process.pid, process.startTime);
      current.set(key, process.cpuTicks);
      const before = this.previous.get(key);
      const sample: ProcessSample = {
        pid: process.pid,
        startTime: process.startTime,
        rssKb: process.rssKb,
        threads: process.threads,
        state: process.state,
      };
      if (before !== undefined && elapsedSeconds > 0) {
        const pct = ((process.cpuTicks - before) / this.clkTck / elapsedSeconds) * 100;
        // One decimal is all a person reads; rounding also keeps unchanged figures unchanged.
        sample.cpuPct = Math.max(0, Math.round(pct * 10) / 10);
      }
      samples.push(sample);
    }
    this.previous = current;
    this.previousAt = at;
    return samples;
  }
}
