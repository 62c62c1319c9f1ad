/**
 * Records what an engine sees — its model as keyframes, every raw event in kernel order, parent
 * and placement (group, NSpid) re-reads (in stream order, between the events they came between)
 * and source status changes —
 * to a file or to an in-memory ring.
 *
 *   const recorder = startRecording(engine, { path: 'storm.fsrec' });
 *   ...
 *   const stats = recorder.close();
 *
 *   const ring = startRecording(engine, { ring: { minutes: 5, maxBytes: 64 << 20 } });
 *   const recording = ring.toRecording();       // rewind the live view
 */
import { hostname, release } from 'node:os';
import type { ServerMessage } from '../../common/delta';
import type { ProcEvent } from '../../common/events';
import type { ProcessInfo } from '../../common/process';
import type { SourceStatus } from '../../common/source';
import type { EngineSubscription } from '../../common/hostEngine';
import type { ParentMove } from '../model/ParentRefresher';
import type { PlacementChange } from '../model/ProcessTable';
import { DEFAULT_TOMBSTONE_TTL_MS } from '../model/ProcessTable';
import type { ProcClock } from '../model/ProcClock';
import type { RecordingInfo } from './codec';
import { FileSink } from './FileSink';
import type { Recording } from './Recording';
import { RecordingWriter, type WriterStats, type WriterTuning } from './RecordingWriter';
import { RingSink, type RingLimits } from './RingSink';

/** The part of the engine a recorder uses (electron/core/engine.ts satisfies it). */
export interface RecordableEngine {
  onEvents(listener: (events: readonly ProcEvent[]) => void): () => void;
  onParentChange(listener: (move: ParentMove) => void): () => void;
  onPlacementChange(listener: (change: PlacementChange) => void): () => void;
  subscribe(listener: (message: ServerMessage) => void): EngineSubscription;
  status(): SourceStatus;
  readonly table: { all(): ProcessInfo[] };
}

/** Where to record. A file is fsynced every few seconds and on close unless `sync` is false. */
export type FileTarget = { path: string; sync?: boolean };
export type RingTarget = { ring: RingLimits };

export interface RecorderOptions {
  clock: ProcClock;
  /** The engine's tombstone TTL, so replay expires tombstones alike. */
  tombstoneTtlMs?: number;
  tuning?: WriterTuning;
  /** How often the open chunk is closed and keyframes are checked while no events arrive. */
  tickMs?: number;
  now?: () => number;
}

export interface RecorderStats extends WriterStats {
  /** Bytes in the file or ring, preamble and info included. */
  totalBytes: number;
  startedAt: number;
  durationMs: number;
}

export interface Recorder {
  stats(): RecorderStats;
  /** Stop listening, write the last chunk, fsync (unless told not to) and close. Idempotent. */
  close(): RecorderStats;
}

export interface RingRecorder extends Recorder {
  /** The ring's contents so far, the open chunk included. */
  toRecording(): Recording;
}

export const WRITER_NAME = 'forkscope 0.1.0';

export function startRecording(engine: RecordableEngine, target: RingTarget, options: RecorderOptions): RingRecorder;
export function startRecording(engine: RecordableEngine, target: FileTarget, options: RecorderOptions): Recorder;
export function startRecording(engine: RecordableEngine, target: FileTarget | RingTarget, options: RecorderOptions): Recorder | RingRecorder {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const info: RecordingInfo = {
    machine: hostname(),
    kernel: release(),
    clkTck: options.clock.clkTck,
    bootEpochMs: options.clock.bootEpochMs,
    startedAt,
    tombstoneTtlMs: options.tombstoneTtlMs ?? DEFAULT_TOMBSTONE_TTL_MS,
    writer: WRITER_NAME,
  };
  const sink = 'path' in target ? new FileSink(target.path, info, { sync: target.sync ?? true }) : new RingSink(info, target.ring);
  const writer = new RecordingWriter(sink, () => engine.table.all(), startedAt, options.tuning);
  let lastStatus = engine.status();
  writer.addStatus(lastStatus, startedAt, false);

  const stopEvents = engine.onEvents((events) => writer.addEvents(events, now()));
  // Written when the table applies it, so replay applies it after exactly the same events (a
  // Session delta would tell it up to a frame, and many events, late).
  const stopParents = engine.onParentChange((move) => writer.addParentPatch(move.pid, move.startTime, move.ppid, now()));
  const stopPlacements = engine.onPlacementChange((change) => writer.addPlacementPatch(change, now()));
  // The Session's deltas tell the source status (loss, resync). We ack at once: a recorder is
  // never a slow client.
  const subscription = engine.subscribe((message) => {
    if (message.type !== 'delta') return;
    const batch = message.batch;
    subscription.ack(batch.seq);
    if (batch.source) {
      const rewritten = batch.source.resyncs > lastStatus.resyncs || batch.source.kind !== lastStatus.kind;
      lastStatus = batch.source;
      writer.addStatus(batch.source, now(), rewritten);
    }
  });
  const timer = setInterval(() => writer.tick(now()), options.tickMs ?? 100);
  timer.unref();

  let closed = false;
  const stats = (): RecorderStats => ({ ...writer.stats, totalBytes: sink.bytes, startedAt, durationMs: now() - startedAt });
  const recorder: Recorder = {
    stats,
    close() {
      if (!closed) {
        closed = true;
        clearInterval(timer);
        stopEvents();
        stopParents();
        stopPlacements();
        subscription.close();
        writer.flushChunk(now());
        if (sink instanceof FileSink) sink.close();
      }
      return stats();
    },
  };
  if (sink instanceof FileSink) return recorder;
  return {
    ...recorder,
    toRecording() {
      writer.flushChunk(now());
      return sink.toRecording();
    },
  };
}
