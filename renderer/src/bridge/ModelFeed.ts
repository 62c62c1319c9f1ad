/**
 * Feeds the TreeModel from a bridge: snapshot on start and on every (re)connect, deltas in seq
 * order, a fresh snapshot when a gap shows, an ack after each applied delta (the Session's
 * backpressure), and pause.
 *
 * Pause buffers deltas instead of applying them: views read the mutable model directly, so the
 * only way to freeze what they show while still recording everything is to hold the deltas back
 * and apply them in order on resume. The buffer is bounded; past the bound it is dropped and
 * resume takes a snapshot instead (the tree ends correct, only the in-between animation is lost).
 */
import type { ForkscopeBridge } from '../../../electron/common/bridge';
import type { DeltaBatch, ServerMessage, Snapshot } from '../../../electron/common/delta';
import type { SourceStatus } from '../../../electron/common/source';
import type { TreeModel } from '../model/TreeModel';
import { isConnectionAware } from './connection';

/** Process entries (added + changed + exited + removed) held while paused before giving up. */
export const PAUSE_BUFFER_LIMIT = 500_000;

export interface FeedCallbacks {
  /** Source status from a snapshot or a delta that carries one. */
  onSource?(status: SourceStatus): void;
  /** Every delta applied to the model (for the storm meter). */
  onDelta?(batch: DeltaBatch): void;
  /** A snapshot request failed (shown to the user; retried on the next gap or reconnect). */
  onError?(error: Error): void;
}

/** The part of the bridge a feed uses. */
export type FeedBridge = Pick<ForkscopeBridge, 'subscribe' | 'requestSnapshot' | 'ack'>;

export class ModelFeed {
  private paused = false;
  /** The latest snapshot the host pushed while paused, applied on resume. */
  private heldWhilePaused: Snapshot | undefined;
  private pauseBuffer: DeltaBatch[] = [];
  private pauseBufferSize = 0;
  private resyncOnResume = false;
  private snapshotInFlight = false;
  /** Deltas that arrived while a snapshot was on its way: replayed after it. */
  private heldForSnapshot: DeltaBatch[] = [];
  private readonly cleanups: Array<() => void> = [];

  constructor(
    private readonly bridge: FeedBridge,
    private readonly model: TreeModel,
    private readonly callbacks: FeedCallbacks = {},
  ) {}

  start(): void {
    this.cleanups.push(this.bridge.subscribe((message) => this.receive(message)));
    if (isConnectionAware(this.bridge)) {
      this.cleanups.push(
        this.bridge.onConnectionChange((state) => {
          if (state.status === 'connected') this.requestSnapshot();
        }),
      );
      if (this.bridge.connection.status === 'connected') this.requestSnapshot();
    } else {
      this.requestSnapshot();
    }
  }

  stop(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
  }

  setPaused(paused: boolean): void {
    if (paused === this.paused) return;
    this.paused = paused;
    if (paused) return;
    const buffered = this.pauseBuffer;
    this.pauseBuffer = [];
    this.pauseBufferSize = 0;
    const held = this.heldWhilePaused;
    this.heldWhilePaused = undefined;
    if (held) {
      // A snapshot pushed while paused: it supersedes the deltas before it; those after it follow.
      this.resyncOnResume = false;
      this.applySnapshot(held);
    }
    if (this.resyncOnResume) {
      this.resyncOnResume = false;
      this.requestSnapshot();
      return;
    }
    for (const batch of buffered) this.applyDelta(batch);
  }

  private receive(message: ServerMessage): void {
    if (message.type === 'snapshot') {
      if (this.paused) {
        // Frozen means frozen: keep it for the resume, and drop what it supersedes.
        this.heldWhilePaused = message.snapshot;
        this.pauseBuffer = [];
        this.pauseBufferSize = 0;
        this.resyncOnResume = false;
        return;
      }
      this.applySnapshot(message.snapshot);
      return;
    }
    const batch = message.batch;
    if (this.paused) {
      this.hold(batch);
      return;
    }
    this.applyDelta(batch);
  }

  private hold(batch: DeltaBatch): void {
    // Ack while paused: the Session keeps streaming and we keep recording.
    this.bridge.ack(batch.seq);
    if (this.resyncOnResume) return;
    this.pauseBuffer.push(batch);
    this.pauseBufferSize += batch.added.length + batch.changed.length + batch.exited.length + batch.removed.length;
    if (this.pauseBufferSize > PAUSE_BUFFER_LIMIT) {
      this.pauseBuffer = [];
      this.pauseBufferSize = 0;
      this.resyncOnResume = true;
    }
  }

  private applyDelta(batch: DeltaBatch): void {
    if (this.snapshotInFlight) {
      this.heldForSnapshot.push(batch);
      return;
    }
    const result = this.model.applyDelta(batch);
    if (result === 'gap') {
      this.heldForSnapshot.push(batch);
      this.requestSnapshot();
      return;
    }
    this.bridge.ack(batch.seq);
    if (result === 'ok') {
      if (batch.source) this.callbacks.onSource?.(batch.source);
      this.callbacks.onDelta?.(batch);
    }
  }

  private applySnapshot(snapshot: Snapshot): void {
    this.model.applySnapshot(snapshot);
    this.callbacks.onSource?.(snapshot.source);
  }

  private requestSnapshot(): void {
    if (this.snapshotInFlight) return;
    this.snapshotInFlight = true;
    this.bridge.requestSnapshot().then(
      (snapshot) => {
        this.snapshotInFlight = false;
        this.applySnapshot(snapshot);
        const held = this.heldForSnapshot;
        this.heldForSnapshot = [];
        // Stale ones are dropped by the model; a remaining gap asks again.
        for (const batch of held) {
          if (this.snapshotInFlight) this.heldForSnapshot.push(batch);
          else this.applyDelta(batch);
        }
      },
      (error: unknown) => {
        this.snapshotInFlight = false;
        this.heldForSnapshot = [];
        this.callbacks.onError?.(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }
}
