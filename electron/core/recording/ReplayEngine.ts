/**
 * A recording served to the hosts as if it were live: it implements HostEngine (subscribe,
 * getDetail, signal, status) over a Session that watches a ReplayModel, so the unchanged renderer
 * shows a recording with the same views — plus playback controls for the timeline.
 *
 *   const replay = new ReplayEngine(openRecording(path), { label: path });
 *   startWebHost({ engine: replay, ... });
 *   replay.play(2); replay.pause(); replay.seek(ts); replay.step(1); replay.step(-1);
 *   replay.onPlayback((state) => ...);   // time, position, speed, playing: for the timeline
 *
 * A seek builds a fresh model from the nearest keyframe and a fresh Session: every subscriber is
 * moved to it and receives its snapshot at once (deltas then continue from that snapshot's seq).
 */
import type { ServerMessage } from '../../common/delta';
import { unreadableProcFields, type ProcessDetail } from '../../common/detail';
import type { EngineSubscription, HostEngine } from '../../common/hostEngine';
import { procKey } from '../../common/process';
import type { SignalRequest, SignalResult } from '../../common/signals';
import type { SourceStatus } from '../../common/source';
import { MAX_PLAYBACK_SPEED, MIN_PLAYBACK_SPEED, type PlaybackInfo } from '../../common/timeline';
import { MovableSubscriptions } from '../session/MovableSubscriptions';
import { Session } from '../session/Session';
import { MAX_KEYFRAME_INTERVAL, type Recording } from './Recording';
import type { ReplayModel } from './ReplayModel';

/** Where playback stands: the contract's PlaybackInfo, which the timeline shows as is. */
export type PlaybackState = PlaybackInfo;

export interface ReplayEngineOptions {
  /** Shown in the source status: the file name, or "live ring". */
  label: string;
  /** Where playback starts; default the recording's start. */
  startAt?: number;
  frameMs?: number;
  /** Wall clock, injectable for tests. */
  now?: () => number;
}

const NOT_RECORDED = 'not in a recording: only the process model and its events are recorded';

export class ReplayEngine implements HostEngine {
  private model: ReplayModel;
  private session: Session;
  private readonly clients = new MovableSubscriptions(() => this.session);
  private readonly playbackListeners = new Set<(state: PlaybackState) => void>();
  private readonly range: { start: number; end: number };
  private readonly frameMs: number;
  private readonly now: () => number;
  private position: number;
  private time: number;
  private speed = 1;
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastTickAt = 0;
  private closed = false;

  constructor(
    private readonly recording: Recording,
    private readonly options: ReplayEngineOptions,
  ) {
    this.range = recording.timeRange;
    this.frameMs = options.frameMs ?? 16;
    this.now = options.now ?? Date.now;
    this.time = clamp(options.startAt ?? this.range.start, this.range.start, this.range.end);
    this.position = recording.positionAt(this.time);
    this.model = recording.modelAt(this.position, this.time);
    this.session = this.newSession();
  }

  // ── HostEngine ────────────────────────────────────────────────────────────────────────────

  subscribe(listener: (message: ServerMessage) => void): EngineSubscription {
    return this.clients.subscribe(listener);
  }

  /** Detail from the recorded model: argv, comm, user, history, exit; /proc fields say why not. */
  getDetail(pid: number, startTime: number): Promise<ProcessDetail> {
    const key = procKey(pid, startTime);
    const info = this.model.table.get(key);
    const notRecorded = { ok: false, reason: info?.exit ? 'exited' : 'error', message: `from a recording: ${NOT_RECORDED}` } as const;
    const detail: ProcessDetail = {
      key,
      pid,
      startTime,
      fetchedAt: this.time,
      alive: info !== undefined && !info.exit,
      // Every /proc field ProcessDetail has is unreadable here, but for the two the model keeps.
      ...unreadableProcFields(notRecorded),
      cmdline: info?.argv ? { ok: true, value: [...info.argv] } : { ok: false, reason: info ? 'error' : 'ENOENT', message: info ? 'from a recording: argv was not captured' : 'from a recording: no such process at this moment' },
      comm: info ? { ok: true, value: info.comm } : notRecorded,
      history: this.model.table.history(key),
    };
    if (info) detail.user = info.user;
    const threadNames = this.model.table.threadNames(key);
    if (threadNames.length > 0) detail.threadNames = threadNames;
    if (info?.exit) {
      detail.exit = info.exit;
      detail.lifetimeMs = Math.max(0, info.exit.at - info.startedAt);
    }
    return Promise.resolve(detail);
  }

  /** A recording is history: nothing in it can be signalled. */
  signal(request: SignalRequest): SignalResult {
    return { outcomes: [{ pid: request.pid, ok: false, error: 'replay', message: 'this is a recording: processes in it cannot be signalled' }] };
  }

  status(): SourceStatus {
    const recorded = this.recording.lastStatus;
    const state = this.timer ? `playing at ${this.speed}×` : 'paused';
    return {
      kind: 'replay',
      reason: `replaying ${this.options.label} (${this.recording.info.machine}, kernel ${this.recording.info.kernel}), ${state}`,
      lostEvents: recorded?.lostEvents ?? 0,
      resyncs: recorded?.resyncs ?? 0,
      ...(recorded?.lastLossAt === undefined ? {} : { lastLossAt: recorded.lastLossAt }),
    };
  }

  // ── playback ──────────────────────────────────────────────────────────────────────────────

  playback(): PlaybackState {
    return { time: this.time, position: this.position, start: this.range.start, end: this.range.end, speed: this.speed, playing: this.timer !== undefined };
  }

  /** Called on every play, pause, seek, step and frame of playback. Returns an unsubscribe. */
  onPlayback(listener: (state: PlaybackState) => void): () => void {
    this.playbackListeners.add(listener);
    return () => this.playbackListeners.delete(listener);
  }

  play(speed = this.speed): void {
    if (!(speed >= MIN_PLAYBACK_SPEED && speed <= MAX_PLAYBACK_SPEED)) {
      throw new RangeError(`speed must be from ${MIN_PLAYBACK_SPEED} to ${MAX_PLAYBACK_SPEED}, got ${speed}`);
    }
    this.speed = speed;
    if (this.closed) return;
    if (this.time >= this.range.end) this.seek(this.range.start);
    if (this.timer === undefined) {
      this.lastTickAt = this.now();
      this.timer = setInterval(() => this.tick(), this.frameMs);
      this.timer.unref?.();
    }
    this.session.noteSourceChanged();
    this.notify();
  }

  pause(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.session.noteSourceChanged();
    this.notify();
  }

  /** Show the model exactly as it was at `ts` (clamped to the recording). */
  seek(ts: number): void {
    if (this.closed) return;
    const before = this.time;
    this.time = clamp(ts, this.range.start, this.range.end);
    // Tombstones expired on the way cannot come back: only a forward seek may reuse the model,
    // and only for a short step (cheaper than rebuilding from a keyframe).
    const maxForward = this.time >= before ? Math.min(this.recording.eventCount / 10 + 1000, MAX_KEYFRAME_INTERVAL) : -1;
    this.moveTo(this.recording.positionAt(this.time), maxForward);
    this.notify();
  }

  /** One event forward (+1) or back (-1); the clock jumps to that event's time. */
  step(direction: 1 | -1): void {
    if (this.closed) return;
    if (direction === 1) {
      const event = this.recording.eventAt(this.position);
      if (!event) return;
      this.time = Math.max(this.time, event.ts);
      this.advance(this.position + 1);
    } else {
      if (this.position <= this.recording.firstIndex) return;
      this.position--;
      this.time = this.recording.eventAt(this.position - 1)?.ts ?? this.range.start;
      this.rebuild();
    }
    this.notify();
  }

  close(): void {
    if (this.closed) return;
    this.pause();
    this.closed = true;
    this.clients.closeAll();
    this.session.close();
    this.playbackListeners.clear();
  }

  // ── internals ─────────────────────────────────────────────────────────────────────────────

  private tick(): void {
    const now = this.now();
    const target = Math.min(this.range.end, this.time + (now - this.lastTickAt) * this.speed);
    this.lastTickAt = now;
    this.time = target;
    this.moveTo(this.recording.positionAfter(this.position, target), MAX_KEYFRAME_INTERVAL);
    if (this.time >= this.range.end) this.pause();
    else this.notify();
  }

  /**
   * Show `position`: a step forward of at most `maxForward` events applies them to the current
   * model; anything else rebuilds from the nearest keyframe. maxForward never exceeds
   * MAX_KEYFRAME_INTERVAL, so no request replays more than a keyframe interval, however far a
   * (crafted) recording makes it jump.
   */
  private moveTo(position: number, maxForward: number): void {
    if (position >= this.position && position - this.position <= maxForward) this.advance(position);
    else {
      this.position = position;
      this.rebuild();
    }
  }

  /** Apply events up to `position` on the current model, and tell the Session. */
  private advance(position: number): void {
    const events = this.recording.applyRange(this.model, this.position, position);
    this.position = position;
    this.model.advanceTo(this.time);
    this.session.noteEvents(events);
    this.session.schedule();
  }

  private rebuild(): void {
    this.model = this.recording.modelAt(this.position, this.time);
    const previous = this.session;
    this.session = this.newSession();
    previous.close();
    this.clients.moveAll();
  }

  private newSession(): Session {
    return new Session(this.model.table, { sourceStatus: () => this.status(), frameMs: this.frameMs });
  }

  private notify(): void {
    const state = this.playback();
    for (const listener of this.playbackListeners) listener(state);
  }
}

function clamp(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, value));
}
