/**
 * Turns the ProcessTable's drained changes into sequence-numbered DeltaBatches, at most one per
 * frame, for any number of subscribers (the Electron renderer, web tabs, the CLI).
 *
 * Coalescing: changes accumulate in the table keyed by process, so a batch holds one entry per
 * process touched in the frame however many events touched it.
 *
 * Backpressure: each subscriber acks the seq it applied. One with more than `maxUnacked` batches
 * in flight is skipped ("stalled") instead of queued; once it acks everything it was sent, it
 * gets a fresh snapshot and continues from there. What the Session holds for a slow subscriber is
 * therefore a few counters, never a queue of batches.
 */
import type { DeltaBatch, ServerMessage, Snapshot } from '../../common/delta';
import type { ProcEvent } from '../../common/events';
import type { EngineSubscription } from '../../common/hostEngine';
import { emptyCounters, type SourceStatus, type StormCounters } from '../../common/source';
import type { ProcessTable } from '../model/ProcessTable';

export interface SessionOptions {
  /** Minimum time between two batches. */
  frameMs?: number;
  /** Batches a subscriber may have unacked before it is skipped until it catches up. */
  maxUnacked?: number;
  /** Raw events sampled into each batch's `events`. */
  maxEventsPerBatch?: number;
  /** Parents listed in `topSpawners`. */
  topSpawnerCount?: number;
  /** The live source's status; read when a batch or snapshot is built. */
  sourceStatus: () => SourceStatus;
  now?: () => number;
}

export const DEFAULT_FRAME_MS = 16;
export const DEFAULT_MAX_UNACKED = 4;
export const DEFAULT_MAX_EVENTS_PER_BATCH = 256;
export const DEFAULT_TOP_SPAWNERS = 5;

/** One subscriber's handle: its own position in the stream (the hosts' EngineSubscription). */
export type SessionSubscription = EngineSubscription;

interface Subscriber {
  listener: (message: ServerMessage) => void;
  lastSent: number;
  lastAcked: number;
  /** Skipped for having too many batches unacked; resynced by snapshot once it catches up. */
  stalled: boolean;
}

export class Session {
  private readonly table: ProcessTable;
  private readonly frameMs: number;
  private readonly maxUnacked: number;
  private readonly maxEvents: number;
  private readonly topSpawnerCount: number;
  private readonly sourceStatus: () => SourceStatus;
  private readonly now: () => number;
  private readonly subscribers = new Set<Subscriber>();
  private seq = 0;
  private lastFlushAt = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  // The current batch window:
  private counters: StormCounters = emptyCounters();
  private forksByParent = new Map<number, number>();
  /** Reservoir sample of the window's events: [arrival index, event]. */
  private sample: Array<[number, ProcEvent]> = [];
  private eventsSeen = 0;
  private sourceChanged = false;

  constructor(table: ProcessTable, options: SessionOptions) {
    this.table = table;
    this.frameMs = options.frameMs ?? DEFAULT_FRAME_MS;
    this.maxUnacked = options.maxUnacked ?? DEFAULT_MAX_UNACKED;
    this.maxEvents = options.maxEventsPerBatch ?? DEFAULT_MAX_EVENTS_PER_BATCH;
    this.topSpawnerCount = options.topSpawnerCount ?? DEFAULT_TOP_SPAWNERS;
    this.sourceStatus = options.sourceStatus;
    this.now = options.now ?? Date.now;
    this.table.recordChanges(false);
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** Events just applied to the table: counted for the storm meter and sampled for history. */
  noteEvents(events: readonly ProcEvent[]): void {
    // Without subscribers no batch is built (see flush): only whether anything happened counts,
    // and no frame timer runs for it (in a storm that was a timer per batch for nobody): the
    // next subscriber's snapshot() flushes the window first, so its seq is still exact.
    if (this.subscribers.size === 0) {
      this.eventsSeen += events.length;
      return;
    }
    for (const event of events) {
      countEvent(this.counters, event);
      if (event.kind === 'fork' && event.ppid !== undefined) {
        this.forksByParent.set(event.ppid, (this.forksByParent.get(event.ppid) ?? 0) + 1);
      }
      // Algorithm R: every event of the window has the same chance to be in the sample.
      const index = this.eventsSeen++;
      if (this.sample.length < this.maxEvents) this.sample.push([index, event]);
      else {
        const slot = Math.floor(Math.random() * (index + 1));
        if (slot < this.maxEvents) this.sample[slot] = [index, event];
      }
    }
    if (events.length > 0) this.schedule();
  }

  /** The source status changed (loss, resync, fallback): the next batch carries it. */
  noteSourceChanged(): void {
    this.sourceChanged = true;
    this.schedule();
  }

  /** Ask for a batch at the next frame boundary (no-op when one is already scheduled). */
  schedule(): void {
    if (this.timer !== undefined || this.closed) return;
    const wait = Math.max(0, this.lastFlushAt + this.frameMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
    this.timer.unref?.();
  }

  /**
   * Build and deliver a batch now, if anything happened and anyone subscribes. Returns it (for
   * tests and hosts).
   */
  flush(): DeltaBatch | null {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.lastFlushAt = this.now();
    if (this.subscribers.size === 0) {
      // Nobody to deliver to (`forkscope events`, or between two renderer connections): a
      // subscriber starts from a snapshot of the table anyway, so the window's changes are
      // dropped unread instead of being copied into a batch nobody receives. The seq still
      // advances as if the batch had been sent, so numbering does not depend on who listens.
      const happened = this.table.hasChanges || this.eventsSeen > 0 || this.sourceChanged;
      if (happened) this.seq++;
      this.table.discardChanges();
      this.resetWindow();
      return null;
    }
    const changes = this.table.drainChanges();
    const hasEvents = this.eventsSeen > 0;
    const empty =
      changes.added.length === 0 &&
      changes.changed.length === 0 &&
      changes.exited.length === 0 &&
      changes.removed.length === 0;
    if (empty && !hasEvents && !this.sourceChanged) return null;
    const batch: DeltaBatch = {
      seq: ++this.seq,
      ts: this.lastFlushAt,
      added: changes.added,
      changed: changes.changed,
      exited: changes.exited,
      removed: changes.removed,
      counters: this.counters,
      topSpawners: this.topSpawners(),
    };
    if (this.sample.length > 0) batch.events = this.sample.sort((a, b) => a[0] - b[0]).map(([, event]) => event);
    if (this.sourceChanged) batch.source = this.sourceStatus();
    this.resetWindow();
    this.deliver(batch);
    return batch;
  }

  private resetWindow(): void {
    this.counters = emptyCounters();
    this.forksByParent = new Map();
    this.sample = [];
    this.eventsSeen = 0;
    this.sourceChanged = false;
  }

  /** The whole model now. Pending changes are flushed first, so `seq` is exact. */
  snapshot(): Snapshot {
    if (this.table.hasChanges || this.eventsSeen > 0 || this.sourceChanged) this.flush();
    return { seq: this.seq, ts: this.now(), processes: this.table.all(), source: this.sourceStatus() };
  }

  /** A new subscriber; it receives a snapshot at once, then deltas. */
  subscribe(listener: (message: ServerMessage) => void): SessionSubscription {
    const subscriber: Subscriber = { listener, lastSent: 0, lastAcked: 0, stalled: false };
    const resync = (): Snapshot => {
      const snapshot = this.snapshot();
      subscriber.lastSent = snapshot.seq;
      subscriber.lastAcked = snapshot.seq;
      subscriber.stalled = false;
      return snapshot;
    };
    // Built before joining, so the flush inside snapshot() does not send it a delta first.
    const initial = resync();
    this.subscribers.add(subscriber);
    this.table.recordChanges(true);
    this.send(subscriber, { type: 'snapshot', snapshot: initial });
    return {
      ack: (seq) => {
        if (!this.subscribers.has(subscriber)) return;
        // Acks beyond what was sent (a confused client) count only up to what it really has.
        subscriber.lastAcked = Math.max(subscriber.lastAcked, Math.min(seq, subscriber.lastSent));
        if (subscriber.stalled && subscriber.lastAcked >= subscriber.lastSent) {
          this.send(subscriber, { type: 'snapshot', snapshot: resync() });
        }
      },
      requestSnapshot: resync,
      close: () => {
        this.unsubscribe(subscriber);
      },
    };
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  close(): void {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.subscribers.clear();
  }

  private deliver(batch: DeltaBatch): void {
    const message: ServerMessage = { type: 'delta', batch };
    for (const subscriber of this.subscribers) {
      if (subscriber.stalled) continue;
      if (subscriber.lastSent - subscriber.lastAcked >= this.maxUnacked) {
        subscriber.stalled = true;
        continue;
      }
      subscriber.lastSent = batch.seq;
      this.send(subscriber, message);
    }
  }

  private send(subscriber: Subscriber, message: ServerMessage): void {
    try {
      subscriber.listener(message);
    } catch {
      // A broken client (closed socket, destroyed window) must not stop the others: drop it.
      this.unsubscribe(subscriber);
    }
  }

  private unsubscribe(subscriber: Subscriber): void {
    this.subscribers.delete(subscriber);
    if (this.subscribers.size === 0) this.table.recordChanges(false);
  }

  private topSpawners(): Array<[number, number]> {
    return [...this.forksByParent].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, this.topSpawnerCount);
  }
}

function countEvent(counters: StormCounters, event: ProcEvent): void {
  switch (event.kind) {
    case 'fork':
      counters.fork++;
      return;
    case 'exec':
      counters.exec++;
      return;
    case 'exit':
      counters.exit++;
      return;
    case 'thread-start':
      counters.threadStart++;
      return;
    case 'thread-exit':
      counters.threadExit++;
      return;
    case 'lost':
      counters.lost += event.count ?? 1;
      return;
    default:
      counters.other++;
  }
}
