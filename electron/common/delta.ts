/**
 * Session → renderer messages. Deltas are sequence-numbered; a renderer that sees a gap in `seq`
 * asks for a snapshot. At most one batch per frame; the Session coalesces under load so that what
 * it holds for a slow renderer is bounded by the number of processes, not the number of events.
 */
import type { ExitRecord, ProcessChange, ProcessInfo, ProcKey } from './process';
import type { SourceStatus, StormCounters } from './source';
import type { ProcEvent } from './events';

export interface Snapshot {
  /** The seq of the last delta folded into this snapshot; the next delta has seq + 1. */
  seq: number;
  ts: number;
  processes: ProcessInfo[];
  source: SourceStatus;
}

export interface DeltaBatch {
  seq: number;
  /** ms since epoch when the batch was emitted. */
  ts: number;
  added: ProcessInfo[];
  changed: ProcessChange[];
  exited: ExitRecord[];
  /** Tombstones that expired. */
  removed: ProcKey[];
  /** Events by kind since the previous batch. */
  counters: StormCounters;
  /** Parent pids with the most forks in this batch window: [pid, forks]. */
  topSpawners: Array<[number, number]>;
  /** A bounded sample of the raw events in this window (for event history / timelines). */
  events?: ProcEvent[];
  /** Present when the source status changed (loss, resync, fallback). */
  source?: SourceStatus;
}

export type ServerMessage =
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'delta'; batch: DeltaBatch };
