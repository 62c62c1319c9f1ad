/**
 * What a host window shows, over time: the live engine, or a recording replayed — a file the user
 * opened, or the live engine's always-on ring rewound. Hosts (the web host, Electron main) serve
 * the TimeMachine as their one HostEngine; when the user rewinds, opens a file or goes back to
 * live, every client's subscription moves to the engine now shown and receives its snapshot at
 * once, so the renderer needs no special case: it just sees a fresh snapshot.
 *
 *   const machine = new TimeMachine({ live: { engine, clock: readProcClock() } });   // ring starts
 *   machine.seek(ts);           // rewind the live view to ts (replay of the ring)
 *   machine.goLive();
 *   machine.openRecording('storm.fsrec', bytes);
 *
 * Host-agnostic core (no electron): the web host and Electron main both serve it.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { ServerMessage } from '../../common/delta';
import type { ProcessDetail } from '../../common/detail';
import type { EngineSubscription, HostEngine } from '../../common/hostEngine';
import type { SignalRequest, SignalResult } from '../../common/signals';
import type { SourceStatus } from '../../common/source';
import {
  recordingFileName,
  type DownloadableFile,
  type ExportRequest,
  type TimelineDensity,
  type TimelineDiff,
  type TimelineMode,
  type TimelineState,
} from '../../common/timeline';
import type { ProcClock } from '../model/ProcClock';
import { exportNdjson } from './exportNdjson';
import { exportPerfetto } from './exportPerfetto';
import { startRecording, type RecordableEngine, type Recorder, type RingRecorder } from './Recorder';
import { openRecording, type Recording } from './Recording';
import { ReplayEngine } from './ReplayEngine';
import { MovableSubscriptions } from '../session/MovableSubscriptions';
import type { RingLimits } from './RingSink';

/**
 * The always-on ring behind "rewind": the last 5 minutes, at most 64 MiB. Measured here, a
 * `/bin/true` loop records at ~9 bytes per event (deflated chunks) plus a keyframe of the whole
 * model every few seconds; a sustained storm of 10k events/s for 5 minutes (3M events) is then
 * ≈ 30 MB of events — inside the cap with room for keyframes of a large desktop. The byte cap
 * bounds anything worse; a quiet desktop keeps the full 5 minutes in a few MB.
 */
export const LIVE_RING_LIMITS: RingLimits = { minutes: 5, maxBytes: 64 * 1024 * 1024 };

/** How often the record button's counters (events, bytes) are pushed while it records. */
const RECORDING_PROGRESS_MS = 1000;

export type LiveEngine = HostEngine & RecordableEngine;

export interface TimeMachineOptions {
  /** The live machine. Its ring starts at once (unless `ring` is false). */
  live?: { engine: LiveEngine; clock: ProcClock; ring?: RingLimits | false };
  /** A recording to show first (`forkscope web FILE`); the live engine, if any, waits behind it. */
  recording?: { recording: Recording; label: string };
  /** Where the record button writes before handing the file over (default the OS temp dir). */
  tempDir?: string;
}

interface Replay {
  engine: ReplayEngine;
  recording: Recording;
  mode: Exclude<TimelineMode, 'live'>;
  label: string;
  stopPlayback: () => void;
}

interface FileRecording {
  recorder: Recorder;
  dir: string;
  path: string;
  startedAt: number;
  progress: ReturnType<typeof setInterval>;
}

/** Asked of the time machine what it cannot do (no live engine, nothing recorded): the user's message. */
export class TimeTravelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimeTravelError';
  }
}

export class TimeMachine implements HostEngine {
  private readonly live: TimeMachineOptions['live'];
  private readonly ring: RingRecorder | undefined;
  private replay: Replay | undefined;
  private fileRecording: FileRecording | undefined;
  /** Between the record button and its temp dir existing: a second press is refused. */
  private startingRecording = false;
  private readonly clients = new MovableSubscriptions(() => this.shown);
  private readonly listeners = new Set<(state: TimelineState) => void>();
  private closed = false;

  constructor(private readonly options: TimeMachineOptions) {
    if (!options.live && !options.recording) throw new TypeError('a TimeMachine needs a live engine or a recording');
    this.live = options.live;
    if (this.live && this.live.ring !== false) {
      this.ring = startRecording(this.live.engine, { ring: this.live.ring ?? LIVE_RING_LIMITS }, { clock: this.live.clock });
    }
    if (options.recording) this.replay = this.startReplay(options.recording.recording, 'file', options.recording.label);
  }

  // ── HostEngine: whatever is shown ────────────────────────────────────────────────────────

  private get shown(): HostEngine {
    return this.replay?.engine ?? (this.live as NonNullable<TimeMachineOptions['live']>).engine;
  }

  subscribe(listener: (message: ServerMessage) => void): EngineSubscription {
    return this.clients.subscribe(listener);
  }

  getDetail(pid: number, startTime: number, translatePid?: number): Promise<ProcessDetail> {
    return this.shown.getDetail(pid, startTime, translatePid);
  }

  signal(request: SignalRequest): SignalResult | Promise<SignalResult> {
    return this.shown.signal(request);
  }

  status(): SourceStatus {
    return this.shown.status();
  }

  // ── timeline ─────────────────────────────────────────────────────────────────────────────

  state(): TimelineState {
    const state: TimelineState = {
      mode: this.replay?.mode ?? 'live',
      label: this.replay?.label ?? 'live',
      liveAvailable: this.live !== undefined,
    };
    if (this.replay) {
      state.playback = this.replay.engine.playback();
      if (this.replay.recording.notes.length > 0) state.notes = [...this.replay.recording.notes];
    }
    if (this.fileRecording) {
      const stats = this.fileRecording.recorder.stats();
      state.recording = { startedAt: this.fileRecording.startedAt, events: stats.events, bytes: stats.totalBytes };
    }
    return state;
  }

  /** Every change of mode, playback or recording progress. Returns an unsubscribe. */
  onTimeline(listener: (state: TimelineState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  density(buckets: number): TimelineDensity {
    return this.recordingShown().eventDensity(buckets);
  }

  /** Show the moment `ts`; in live mode this rewinds into the ring. */
  seek(ts: number): void {
    if (this.replay) this.replay.engine.seek(ts);
    else this.rewind(ts);
  }

  play(speed: number): void {
    if (!this.replay) throw new TimeTravelError('the live view is already playing in real time: rewind first');
    this.replay.engine.play(speed);
  }

  /** In live mode, pausing freezes the view at "now" by rewinding to the ring's end. */
  pause(): void {
    if (!this.replay) this.rewind(Number.POSITIVE_INFINITY);
    else this.replay.engine.pause();
  }

  step(direction: 1 | -1): void {
    if (!this.replay) this.rewind(Number.POSITIVE_INFINITY);
    (this.replay as Replay).engine.step(direction);
  }

  goLive(): void {
    if (!this.live) throw new TimeTravelError('this window shows a recording and has no live machine behind it');
    if (!this.replay) return;
    this.endReplay();
    this.clients.moveAll();
    this.emit();
  }

  diff(from: number, to: number): TimelineDiff {
    const diff = this.recordingShown().diff(from, to);
    return { from: Math.min(from, to), to: Math.max(from, to), ...diff };
  }

  exportRecording(request: ExportRequest): DownloadableFile {
    const recording = this.recordingShown();
    const selection = {
      ...(request.from === undefined ? {} : { from: request.from }),
      ...(request.to === undefined ? {} : { to: request.to }),
      ...(request.pid === undefined ? {} : { pid: request.pid }),
    };
    const base = this.exportBaseName(recording);
    if (request.format === 'perfetto') {
      return { fileName: `${base}.perfetto.json`, mimeType: 'application/json', encoding: 'utf8', data: JSON.stringify(exportPerfetto(recording, selection)) };
    }
    let text = '';
    for (const line of exportNdjson(recording, selection)) text += `${line}\n`;
    return { fileName: `${base}.ndjson`, mimeType: 'application/x-ndjson', encoding: 'utf8', data: text };
  }

  /** The record button: record the live engine to a temporary file until stopRecording. */
  async startRecording(): Promise<void> {
    if (!this.live) throw new TimeTravelError('nothing live to record: this window shows a recording');
    if (this.fileRecording || this.startingRecording) throw new TimeTravelError('already recording');
    this.startingRecording = true;
    try {
      const dir = await mkdtemp(join(this.options.tempDir ?? tmpdir(), 'forkscope-record-'));
      const startedAt = Date.now();
      const path = join(dir, recordingFileName(startedAt));
      let recorder: Recorder;
      try {
        // Read back and deleted on stop: no fsync, which would block this (live) JS thread.
        recorder = startRecording(this.live.engine, { path, sync: false }, { clock: this.live.clock });
      } catch (error) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
      const progress = setInterval(() => this.emit(), RECORDING_PROGRESS_MS);
      progress.unref();
      this.fileRecording = { recorder, dir, path, startedAt, progress };
    } finally {
      this.startingRecording = false;
    }
    this.emit();
  }

  /** Stop the record button's recording and hand its bytes over; the temporary file is removed. */
  async stopRecording(): Promise<DownloadableFile> {
    const active = this.fileRecording;
    if (!active) throw new TimeTravelError('not recording');
    this.fileRecording = undefined;
    clearInterval(active.progress);
    try {
      active.recorder.close();
      const bytes = await readFile(active.path);
      return { fileName: basename(active.path), mimeType: 'application/octet-stream', encoding: 'base64', data: bytes.toString('base64') };
    } finally {
      await rm(active.dir, { recursive: true, force: true });
      this.emit();
    }
  }

  /** Show a recording the user opened; a bad file throws RecordingFormatError and changes nothing. */
  openRecording(name: string, bytes: Uint8Array): void {
    const recording = openRecording(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    this.show(recording, 'file', name);
  }

  /** Stop the ring, any recording and replay. Does not close the live engine (its host does). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.fileRecording) {
      clearInterval(this.fileRecording.progress);
      this.fileRecording.recorder.close();
      rmSync(this.fileRecording.dir, { recursive: true, force: true });
      this.fileRecording = undefined;
    }
    this.ring?.close();
    this.clients.closeAll();
    if (this.replay) this.endReplay();
    this.listeners.clear();
  }

  // ── internals ────────────────────────────────────────────────────────────────────────────

  /**
   * The recording the timeline reads: the one shown, else the live ring — read from the records
   * it indexed as they were written, so the density asked every few seconds costs a few ms.
   */
  private recordingShown(): Recording {
    if (this.replay) return this.replay.recording;
    if (!this.ring) throw new TimeTravelError('no recording: this host keeps no live ring');
    return this.ring.toRecording();
  }

  private rewind(ts: number): void {
    if (!this.ring) throw new TimeTravelError('cannot rewind: this host keeps no live ring');
    const recording = this.ring.toRecording();
    const minutes = (this.live?.ring || LIVE_RING_LIMITS).minutes;
    this.show(recording, 'ring', `last ${minutes} min (live ring)`, ts);
  }

  private show(recording: Recording, mode: Replay['mode'], label: string, startAt?: number): void {
    if (this.closed) throw new TimeTravelError('closed');
    const next = this.startReplay(recording, mode, label, startAt);
    if (this.replay) this.endReplay();
    this.replay = next;
    this.clients.moveAll();
    this.emit();
  }

  private startReplay(recording: Recording, mode: Replay['mode'], label: string, startAt?: number): Replay {
    const range = recording.timeRange;
    const at = startAt === undefined ? undefined : Math.min(range.end, Math.max(range.start, startAt));
    const engine = new ReplayEngine(recording, { label, ...(at === undefined ? {} : { startAt: at }) });
    const stopPlayback = engine.onPlayback(() => this.emit());
    return { engine, recording, mode, label, stopPlayback };
  }

  private endReplay(): void {
    const replay = this.replay as Replay;
    this.replay = undefined;
    replay.stopPlayback();
    replay.engine.close();
  }

  private exportBaseName(recording: Recording): string {
    const label = this.replay?.mode === 'file' ? this.replay.label.replace(/\.fsrec$/i, '') : `forkscope-${new Date(recording.timeRange.start).toISOString().slice(0, 19).replace(/:/g, '-')}`;
    return basename(label).replace(/[^\w.@+-]/g, '_') || 'forkscope';
  }

  private emit(): void {
    if (this.closed || this.listeners.size === 0) return;
    const state = this.state();
    for (const listener of this.listeners) listener(state);
  }
}
