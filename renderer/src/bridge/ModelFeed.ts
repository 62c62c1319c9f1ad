/**
 * Feeds the TreeModel from a bridge: snapshot on start and on every (re)connect, deltas in seq
 * order, a fresh snapshot when a gap shows, an ack after each applied delta (the Session's
 * backpressure), and pause.
 *
 * Pause buffers deltas instead of applying them: views read the mutable model directly, so the
 * only way to freeze what they show while still recording everything is to hold the deltas back
 * and apply them in order on resume. The buffer is bounded; past the bound it is dropped and
 * resume takes a snapshot instead (the tree ends correct, only the in-between animation is lost).
 *
 * With `onPending` set, the feed changes the model only in applyPending() (the frame loop's model
 * phase, see app/frameLoop.ts): every received message, snapshot reply and pause or resume waits
 * there in arrival order, so no view can see the model move in the middle of a frame. Acks go out
 * as the deltas are applied, so the Session's backpressure counts what the window really took.
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
  /** Something waits for applyPending(); unset, the feed applies everything as it arrives. */
  onPending?(): void;
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
  /** Changes to the model waiting for applyPending(), in arrival order (only with onPending). */
  private inbox: Array<() => void> = [];

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

  /** Apply what arrived since the last call, in order (a no-op without onPending). */
  applyPending(): void {
    const inbox = this.inbox;
    this.inbox = [];
    for (const change of inbox) change();
  }

  /** Now, or at the next applyPending() when the owner chooses when the model changes. */
  private apply(change: () => void): void {
    if (!this.callbacks.onPending) {
      change();
      return;
    }
    this.inbox.push(change);
    this.callbacks.onPending();
  }

  setPaused(paused: boolean): void {
    // In order with the messages: those received before the click apply, those after are held.
    this.apply(() => this.applyPaused(paused));
  }

  private applyPaused(paused: boolean): void {
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
    this.apply(() => this.handle(message));
  }

  private handle(message: ServerMessage): void {
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
      (snapshot) => this.apply(() => this.snapshotArrived(snapshot)),
      (error: unknown) => this.apply(() => this.snapshotFailed(error)),
    );
  }

  private snapshotArrived(snapshot: Snapshot): void {
    this.snapshotInFlight = false;
    this.applySnapshot(snapshot);
    const held = this.heldForSnapshot;
    this.heldForSnapshot = [];
    // Stale ones are dropped by the model; a remaining gap asks again.
    for (const batch of held) {
      if (this.snapshotInFlight) this.heldForSnapshot.push(batch);
      else this.applyDelta(batch);
    }
  }

  private snapshotFailed(error: unknown): void {
    this.snapshotInFlight = false;
    this.heldForSnapshot = [];
    this.callbacks.onError?.(error instanceof Error ? error : new Error(String(error)));
  }
}
