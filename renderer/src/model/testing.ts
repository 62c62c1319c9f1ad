/**
 * Builders for model tests: real-shaped ProcessInfo, snapshots and delta batches, and a clock the
 * test drives. Test-only (imported by *.test.ts files, never by the app, so never bundled).
 */
import type { DeltaBatch, Snapshot } from '../../../electron/common/delta';
import { procKey, type ProcessInfo } from '../../../electron/common/process';
import { emptyCounters } from '../../../electron/common/source';
import type { ModelClock } from './clock';

export function proc(pid: number, ppid: number, startTime: number, extra: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    key: procKey(pid, startTime),
    pid,
    ppid,
    startTime,
    startedAt: 1_700_000_000_000 + startTime * 10,
    uid: 1000,
    user: 'alice',
    comm: `p${pid}`,
    argv: [`/usr/bin/p${pid}`, '--flag'],
    state: 'S',
    threads: 1,
    ...extra,
  };
}

export function snapshot(seq: number, processes: ProcessInfo[], ts = 1_700_000_000_000 + seq): Snapshot {
  return {
    seq,
    ts,
    processes,
    source: { kind: 'netlink', reason: 'test', lostEvents: 0, resyncs: 0 },
  };
}

export function delta(seq: number, parts: Partial<DeltaBatch> = {}): DeltaBatch {
  return {
    seq,
    ts: 1_700_000_000_000 + seq,
    added: [],
    changed: [],
    exited: [],
    removed: [],
    counters: emptyCounters(),
    topSpawners: [],
    ...parts,
  };
}

export class ManualClock implements ModelClock {
  constructor(public t = 1000) {}
  now(): number {
    return this.t;
  }
  fromEpoch(epochMs: number): number {
    return epochMs - 1_700_000_000_000;
  }
}
