/**
 * The model rebuilt from a recording: a fresh ProcessTable loaded from a keyframe, then fed the
 * recorded events and parent and placement patches — the same code that built the live model, so a replayed
 * moment is the model as it was, not an approximation of it. Its clock is the recording's: the
 * event being applied sets it, so tombstones age exactly as they did live.
 */
import type { ProcEvent } from '../../common/events';
import type { ProcessInfo } from '../../common/process';
import { ProcessTable, type PlacementChange } from '../model/ProcessTable';
import type { ScannedProcess } from '../../../native/ScannedProcess';
import type { ChunkBody, KeyframeBody, RecordingInfo } from './codec';

/**
 * What the seek that builds a model knows of its future, so a keyframe's tombstones that could
 * not matter are never restored (restoring ~7000 of them was most of a seek's cost).
 */
export interface RestoreHint {
  /** The model's clock once the seek is done: tombstones whose TTL ran out by then expire. */
  settlesAt: number;
  /** Every pid the events and patches to be replayed name: their tombstones stay. */
  referencedPids: ReadonlySet<number>;
}

/** Told as a slice is replayed, each right after the model applied it. */
export interface ReplaySteps {
  event?(event: ProcEvent): void;
  /** A placement patch that changed the process's group or NSpid. */
  placed?(change: PlacementChange): void;
}

export class ReplayModel {
  readonly table: ProcessTable;
  private clock: number;
  private readonly tombstoneTtlMs: number;
  private readonly users = new Map<number, string>();

  constructor(info: RecordingInfo, keyframe: KeyframeBody, hint?: RestoreHint) {
    this.clock = keyframe.ts;
    this.tombstoneTtlMs = info.tombstoneTtlMs;
    this.table = new ProcessTable({
      clock: { clkTck: info.clkTck, bootEpochMs: info.bootEpochMs },
      tombstoneTtlMs: info.tombstoneTtlMs,
      userName: (uid) => this.users.get(uid) ?? String(uid),
      now: () => this.clock,
    });
    for (const p of keyframe.processes) if (typeof p.user === 'string') this.users.set(p.uid, p.user);
    const live = keyframe.processes.filter((p) => !p.exit);
    this.table.load(live.map(toScanned));
    for (const p of live) {
      if (p.cpuPct !== undefined || p.rssKb !== undefined) {
        this.table.setSample(p, { ...(p.cpuPct === undefined ? {} : { cpuPct: p.cpuPct }), ...(p.rssKb === undefined ? {} : { rssKb: p.rssKb }) });
      }
    }
    for (const p of live) if (p.leaderExit) this.table.restoreLeaderExit(p.key, p.leaderExit);
    this.restoreTombstones(keyframe.processes.filter((p) => p.exit), new Set(live.map((p) => p.pid)), hint);
    // Links by key as they were, not as ppids re-derive them now: lineage outlives reparenting,
    // and a restored tombstone's fork was linked to whoever holds that pid today. (Recordings
    // made before keys were recorded carry neither: their ppid links stand.)
    for (const p of keyframe.processes) {
      if (p.parentKey !== undefined || p.forkerKey !== undefined) this.table.restoreLinks(p.key, p);
    }
    this.table.drainChanges();
  }

  /** Current recording time (ms since epoch). */
  get now(): number {
    return this.clock;
  }

  /** Apply a slice's events in order, each patch after the first `after` events of this same slice. */
  apply(slice: Readonly<ChunkBody>, steps: ReplaySteps = {}): void {
    const { events, patches, placements = [] } = slice;
    let nextPatch = 0;
    let nextPlacement = 0;
    for (let i = 0; i <= events.length; i++) {
      for (; nextPatch < patches.length && patches[nextPatch]!.after <= i; nextPatch++) {
        const patch = patches[nextPatch]!;
        this.table.setParent(patch, patch.ppid);
      }
      for (; nextPlacement < placements.length && placements[nextPlacement]!.after <= i; nextPlacement++) {
        const change = this.table.setPlacement(placements[nextPlacement]!, placements[nextPlacement]!);
        if (change) steps.placed?.(change);
      }
      const event = events[i];
      if (!event) break;
      if (event.ts > this.clock) this.clock = event.ts;
      this.table.apply([event]);
      steps.event?.(event);
    }
  }

  /** Move the clock to `ts` (never backwards) and expire the tombstones that ages out. */
  advanceTo(ts: number): void {
    if (ts > this.clock) this.clock = ts;
    this.table.expireTombstones();
  }

  processes(): ProcessInfo[] {
    return this.table.all();
  }

  /**
   * A keyframe's tombstones go back into the table the way they came: a fork, an exec with their
   * argv, and an exit at their recorded exit time, so they expire when they did live. One whose
   * pid a live process holds again (PID reuse within the TTL) is left out: replaying its fork
   * would retire the live holder.
   *
   * With a hint, the oldest tombstones that will have expired when the seek settles and that no
   * replayed event names are skipped. That leaves the seek's result unchanged: such a tombstone
   * has no children (forks link to live parents only), no event can touch or revive it, and it
   * sits at the head of the expiry queue, so it would only have been dropped first — by the TTL
   * at the end, or by the tombstone cap while the others, which it precedes, are all still kept.
   * Skipping stops at the first tombstone that must stay, which keeps the queue's order.
   */
  private restoreTombstones(tombstones: readonly ProcessInfo[], livePids: ReadonlySet<number>, hint: RestoreHint | undefined): void {
    const saved = this.clock;
    const sorted = [...tombstones].sort((a, b) => (a.exit?.at ?? 0) - (b.exit?.at ?? 0));
    let first = 0;
    if (hint) {
      const cutoff = Math.max(hint.settlesAt, this.clock) - this.tombstoneTtlMs;
      for (; first < sorted.length; first++) {
        const p = sorted[first] as ProcessInfo;
        if (livePids.has(p.pid)) continue; // never restored anyway
        if ((p.exit?.at ?? 0) > cutoff || hint.referencedPids.has(p.pid)) break;
      }
    }
    for (const p of sorted.slice(first)) {
      if (livePids.has(p.pid) || !p.exit) continue;
      this.clock = p.exit.at;
      const base = { ts: p.exit.at, pid: p.pid, startTime: p.startTime, origin: 'replay' as const };
      const exit: ProcEvent = { ...base, kind: 'exit' };
      if (p.exit.code !== undefined) exit.code = p.exit.code;
      if (p.exit.signal !== undefined) exit.signal = p.exit.signal;
      if (p.exit.core) exit.core = true;
      const events: ProcEvent[] = [{ ...base, kind: 'fork', ppid: p.ppid, comm: p.comm }];
      if (p.argv) events.push({ ...base, kind: 'exec', argv: p.argv, comm: p.comm });
      events.push({ ...base, kind: 'uid', ruid: p.uid, euid: p.uid }, exit);
      this.table.apply(events);
    }
    this.clock = saved;
  }
}

function toScanned(p: ProcessInfo): ScannedProcess {
  return {
    pid: p.pid,
    ppid: p.ppid,
    startTime: p.startTime,
    uid: p.uid,
    comm: p.comm,
    argv: p.argv,
    state: p.state,
    threads: p.threads,
    rssKb: p.rssKb ?? 0,
    cpuTicks: 0,
    kernelThread: p.kernelThread ?? false,
    // A replay shows the service/container and NSpid the recording saw.
    ...(p.group ? { group: p.group } : {}),
    ...(p.nsPid ? { nsPid: p.nsPid } : {}),
  };
}
