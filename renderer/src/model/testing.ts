/**
 * Builders for model tests: real-shaped ProcessInfo, snapshots and delta batches, and a clock the
 * test drives. Test-only (imported by *.test.ts files, never by the app, so never bundled).
 */
import type { DeltaBatch, Snapshot } from '../../../electron/common/delta';
import { parseProcKey, procKey, type ProcessGroup, type ProcessInfo, type ProcKey } from '../../../electron/common/process';
import { emptyCounters } from '../../../electron/common/source';
import type { ModelClock } from './clock';
import { TreeModel } from './TreeModel';

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

/** Groups for the by-group tests: a systemd unit and a docker container. */
export const NGINX_UNIT: ProcessGroup = { kind: 'unit', id: '/system.slice/nginx.service', name: 'nginx.service' };
export const WEB_CONTAINER: ProcessGroup = { kind: 'container', id: '3f4e8a2b9c1d', name: 'web-frontend', runtime: 'docker' };

/**
 * Two groups with lineage across them: init → nginx (10) → worker (11); init → containerd-shim
 * (15, no group) → web's entry point (20) → its worker (21) → a helper back in nginx (22).
 */
export function twoGroupModel(): TreeModel {
  const m = new TreeModel(new ManualClock());
  m.applySnapshot(
    snapshot(1, [
      proc(1, 0, 1, { comm: 'init' }),
      proc(10, 1, 2, { comm: 'nginx', group: NGINX_UNIT }),
      proc(11, 10, 3, { comm: 'nginx', group: NGINX_UNIT }),
      proc(15, 1, 4, { comm: 'containerd-shim' }),
      proc(20, 15, 5, { comm: 'node', group: WEB_CONTAINER }),
      proc(21, 20, 6, { comm: 'node', group: WEB_CONTAINER }),
      proc(22, 21, 7, { comm: 'helper', group: NGINX_UNIT }),
    ]),
  );
  return m;
}
