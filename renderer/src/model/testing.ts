/**
 * Builders for model tests: real-shaped ProcessInfo, snapshots and delta batches, and a clock the
 * test drives. Test-only (imported by *.test.ts files, never by the app, so never bundled).
 */
import type { DeltaBatch, Snapshot } from '../../../electron/common/delta';
import { parseProcKey, procKey, type ProcessInfo, type ProcKey } from '../../../electron/common/process';
import { emptyCounters } from '../../../electron/common/source';
import type { ModelClock } from './clock';

/**
 * A process under `parent`: a key ("200@60") links it to that process, as the core does; a bare
 * pid sets only ppid (snapshot() then links it to the live process holding that pid).
 */
export function proc(pid: number, parent: number | ProcKey, startTime: number, extra: Partial<ProcessInfo> = {}): ProcessInfo {
  const parentRef = typeof parent === 'string' ? parseProcKey(parent) : null;
  return {
    key: procKey(pid, startTime),
    pid,
    ppid: parentRef?.pid ?? (parent as number),
    ...(typeof parent === 'string' ? { parentKey: parent } : {}),
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

/**
 * A snapshot of `processes`. One given without a parentKey gets the one the core's scan would
 * give it: the live process in the list that holds its ppid.
 */
export function snapshot(seq: number, processes: ProcessInfo[], ts = 1_700_000_000_000 + seq): Snapshot {
  const live = new Map(processes.filter((p) => !p.exit).map((p) => [p.pid, p.key]));
  const linked = processes.map((p) => {
    const parentKey = live.get(p.ppid);
    return p.parentKey !== undefined || parentKey === undefined || parentKey === p.key ? p : { ...p, parentKey };
  });
  return {
    seq,
    ts,
    processes: linked,
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
