/**
 * Events per second by kind, over whole seconds, from the counters each DeltaBatch carries; and
 * the processes forking the most right now. Pure: the caller passes time (batch.ts, epoch ms).
 */
import type { DeltaBatch } from '../../../electron/common/delta';
import type { StormCounters } from '../../../electron/common/source';
import { emptyCounters } from '../../../electron/common/source';

export const STORM_KINDS = ['fork', 'exec', 'exit', 'threadStart', 'threadExit', 'other', 'lost'] as const;
export type StormKind = (typeof STORM_KINDS)[number];

/** Seconds of history kept for the sparkline. */
export const HISTORY_SECONDS = 60;
/** Window over which "top spawners right now" are summed. */
export const SPAWNER_WINDOW_MS = 3000;

interface SecondBucket {
  second: number;
  counters: StormCounters;
}

export class StormMeter {
  private readonly buckets: SecondBucket[] = [];
  private spawnerSamples: Array<{ at: number; spawners: Array<[number, number]> }> = [];

  record(batch: Pick<DeltaBatch, 'ts' | 'counters' | 'topSpawners'>): void {
    const second = Math.floor(batch.ts / 1000);
    let bucket = this.buckets[this.buckets.length - 1];
    if (!bucket || bucket.second !== second) {
      bucket = { second, counters: emptyCounters() };
      this.buckets.push(bucket);
      if (this.buckets.length > HISTORY_SECONDS + 1) this.buckets.shift();
    }
    for (const kind of STORM_KINDS) bucket.counters[kind] += batch.counters[kind];
    if (batch.topSpawners.length > 0) this.spawnerSamples.push({ at: batch.ts, spawners: batch.topSpawners });
    this.spawnerSamples = this.spawnerSamples.filter((sample) => sample.at > batch.ts - SPAWNER_WINDOW_MS);
  }

  /**
   * Rate per kind over the last complete second before `nowMs` (the current second is still
   * filling and would read low).
   */
  rates(nowMs: number): StormCounters {
    const wanted = Math.floor(nowMs / 1000) - 1;
    const bucket = this.buckets.find((b) => b.second === wanted);
    return bucket ? { ...bucket.counters } : emptyCounters();
  }

  /** Per-second totals of `kind` for the last HISTORY_SECONDS complete seconds, oldest first. */
  history(kind: StormKind | 'all', nowMs: number): number[] {
    const last = Math.floor(nowMs / 1000) - 1;
    const bySecond = new Map(this.buckets.map((b) => [b.second, b.counters]));
    const series: number[] = [];
    for (let second = last - HISTORY_SECONDS + 1; second <= last; second++) {
      const counters = bySecond.get(second);
      series.push(counters ? (kind === 'all' ? STORM_KINDS.reduce((sum, k) => sum + counters[k], 0) : counters[kind]) : 0);
    }
    return series;
  }

  /** Parent pids with the most forks in the last SPAWNER_WINDOW_MS before `nowMs`. */
  topSpawners(nowMs: number, limit = 5): Array<{ pid: number; forks: number }> {
    const totals = new Map<number, number>();
    for (const sample of this.spawnerSamples) {
      if (sample.at <= nowMs - SPAWNER_WINDOW_MS) continue;
      for (const [pid, forks] of sample.spawners) totals.set(pid, (totals.get(pid) ?? 0) + forks);
    }
    return Array.from(totals, ([pid, forks]) => ({ pid, forks }))
      .sort((a, b) => b.forks - a.forks || a.pid - b.pid)
      .slice(0, limit);
  }
}
