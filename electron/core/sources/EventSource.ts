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
   * The source knows events were lost (ENOBUFS, sequence gap, poll can't see short lives):
   * the consumer should resync from /proc.
   */
  onLoss(info: { count?: number; reason: string }): void;
  /** A fatal source error (socket closed under us, ...). The consumer may fall back. */
  onError(error: Error): void;
}

export interface EventSource {
  readonly kind: SourceStatus['kind'];
  start(sink: EventSink): Promise<void>;
  /** Current status: kind, reason, priority, buffer size, loss counters. */
  status(): SourceStatus;
  stop(): Promise<void>;
}
