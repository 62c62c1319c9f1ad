/**
 * One interface for every event source: netlink (native reader thread), poll (/proc diff at an
 * interval, events marked inferred) and replay. The live source in use, and why, is queryable.
 */
import type { ProcEvent, RenderedLines } from '../../common/events';
import type { SourceStatus } from '../../common/source';

export interface EventSink {
  /**
   * A batch of events in kernel order. Called on the JS thread, at most every few ms. `lines`:
   * the batch's NDJSON, when the source rendered it (netlink with WatcherOptions.ndjson).
   */
  onEvents(events: ProcEvent[], lines?: RenderedLines): void;
  /**
   * The source knows events were lost (ENOBUFS, sequence gap, a batch it could not decode or
   * deliver): the consumer should resync from /proc. count: events lost, when known; summing it
   * over every call counts each lost event once (see LossInfo in native/index.ts).
   */
  onLoss(info: { count?: number; reason: string }): void;
  /** A fatal source error (socket closed under us, ...). The consumer may fall back. */
  onError(error: Error): void;
}

/**
 * What a source tells about itself. Loss and resyncs are not in it: the consumer counts loss
 * from onLoss (one count, kept across a fallback from one source to another) and runs resyncs.
 */
export type SourceState = Omit<SourceStatus, 'lostEvents' | 'resyncs' | 'lastLossAt'>;

export interface EventSource {
  readonly kind: SourceStatus['kind'];
  start(sink: EventSink): Promise<void>;
  /** Current state: kind, reason, priority, buffer size. */
  status(): SourceState;
  stop(): Promise<void>;
}
