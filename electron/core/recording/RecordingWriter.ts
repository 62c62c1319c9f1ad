/**
 * Turns what the engine sees into records: events batched into chunks (≤ `chunkMs` of time or
 * ≤ `chunkEvents` events), parent patches in stream order, status changes, and a keyframe of the
 * whole model at the start and then every `keyframeMs` or `keyframeEvents` — so a seek replays at
 * most one keyframe interval. Pure bookkeeping: where the bytes go is the sink's business.
 */
import type { ProcEvent } from '../../common/events';
import type { ProcessInfo } from '../../common/process';
import type { SourceStatus } from '../../common/source';
import type { PlacementChange } from '../model/ProcessTable';
import { encodeChunk, encodeKeyframe, encodeStatus, summarize, type ParentPatch, type PlacementPatch } from './codec';
import { encodeRecord, RecordType, type RecordTypeCode } from './format';

export interface RecordSink {
  /** Append one whole record; `ts` is its time (events: the chunk's latest event). */
  append(record: Buffer, type: RecordTypeCode, ts: number): void;
}

export interface WriterTuning {
  chunkMs?: number;
  chunkEvents?: number;
  keyframeMs?: number;
  keyframeEvents?: number;
}

export const DEFAULT_TUNING: Required<WriterTuning> = {
  chunkMs: 100,
  chunkEvents: 4096,
  keyframeMs: 10_000,
  keyframeEvents: 50_000,
};

export interface WriterStats {
  events: number;
  /** Bytes of records written (preamble and info excluded). */
  bytes: number;
  keyframes: number;
  chunks: number;
  statusRecords: number;
}

export class RecordingWriter {
  private readonly tuning: Required<WriterTuning>;
  private pending: ProcEvent[] = [];
  private patches: ParentPatch[] = [];
  private placements: PlacementPatch[] = [];
  private chunkOpenedAt = 0;
  private lastKeyframeAt: number;
  private eventsAtLastKeyframe = 0;
  readonly stats: WriterStats = { events: 0, bytes: 0, keyframes: 0, chunks: 0, statusRecords: 0 };

  /** Writes the first keyframe at once, from `model()` at `now`. */
  constructor(
    private readonly sink: RecordSink,
    private readonly model: () => ProcessInfo[],
    now: number,
    tuning: WriterTuning = {},
  ) {
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
    this.lastKeyframeAt = now;
    this.keyframe(now);
  }

  /** Events just applied to the model, in kernel order. */
  addEvents(events: readonly ProcEvent[], now: number): void {
    if (events.length === 0) return;
    if (this.chunkEmpty) this.chunkOpenedAt = now;
    for (const event of events) {
      this.pending.push(event);
      if (this.pending.length >= this.tuning.chunkEvents) this.flushChunk(now);
    }
    this.tick(now);
  }

  /** The model re-read a live process's parent from /proc: replay must do the same, here. */
  addParentPatch(pid: number, startTime: number, ppid: number, now: number): void {
    if (this.chunkEmpty) this.chunkOpenedAt = now;
    this.patches.push({ after: this.pending.length, pid, startTime, ppid });
  }

  /** The model re-read a live process's group or NSpid from /proc: replay must do the same, here. */
  addPlacementPatch(change: PlacementChange, now: number): void {
    if (this.chunkEmpty) this.chunkOpenedAt = now;
    this.placements.push({ after: this.pending.length, ...change });
  }

  /** The source status changed. A resync rewrote the model without events: keyframe it. */
  addStatus(status: SourceStatus, now: number, modelRewritten: boolean): void {
    this.flushChunk(now);
    this.write(RecordType.status, encodeStatus({ ts: now, eventIndex: this.stats.events, status }), now);
    this.stats.statusRecords++;
    if (modelRewritten) this.keyframe(now);
  }

  /** Close the chunk when it is old enough; write a keyframe when one is due. */
  tick(now: number): void {
    if (!this.chunkEmpty && now - this.chunkOpenedAt >= this.tuning.chunkMs) this.flushChunk(now);
    const sinceKeyframe = this.stats.events + this.pending.length - this.eventsAtLastKeyframe;
    if (sinceKeyframe > 0 && (sinceKeyframe >= this.tuning.keyframeEvents || now - this.lastKeyframeAt >= this.tuning.keyframeMs)) {
      this.keyframe(now);
    }
  }

  /** Write out the open chunk (on close, and before anything that must follow its events). */
  flushChunk(now: number): void {
    if (this.chunkEmpty) return;
    const body = { events: this.pending, patches: this.patches, placements: this.placements };
    const summary = summarize(body, this.stats.events, now);
    this.write(RecordType.events, encodeChunk(summary, body), summary.maxTs);
    this.stats.events += this.pending.length;
    this.stats.chunks++;
    this.pending = [];
    this.patches = [];
    this.placements = [];
  }

  private get chunkEmpty(): boolean {
    return this.pending.length === 0 && this.patches.length === 0 && this.placements.length === 0;
  }

  /** The whole model now, after every event handed in so far. */
  keyframe(now: number): void {
    this.flushChunk(now);
    this.write(RecordType.keyframe, encodeKeyframe({ ts: now, eventIndex: this.stats.events, processes: this.model() }), now);
    this.stats.keyframes++;
    this.lastKeyframeAt = now;
    this.eventsAtLastKeyframe = this.stats.events;
  }

  private write(type: RecordTypeCode, payload: Buffer, ts: number): void {
    const record = encodeRecord(type, payload);
    this.sink.append(record, type, ts);
    this.stats.bytes += record.length;
  }
}
