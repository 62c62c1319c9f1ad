/**
 * The kernel's proc connector, read by the native addon's reader thread. Events arrive in kernel
 * order in batches; losses (ENOBUFS, sequence gaps) arrive both as 'lost' events in the stream
 * and through onLoss, which the consumer answers with a /proc resync.
 */
import type { ProcEvent, RenderedLines } from '../../common/events';
import type { SourceStatus } from '../../common/source';
import { startWatcher, type NetlinkWatcher, type WatcherOptions } from '../../../native/index';
import type { EventSink, EventSource } from './EventSource';

export class NetlinkSource implements EventSource {
  readonly kind = 'netlink' as const;
  private readonly options: WatcherOptions;
  private readonly reason: string;
  private watcher: NetlinkWatcher | undefined;
  /** Lost events counted from the stream, for when the addon's own counter lags. */
  private lostInStream = 0;

  constructor(options: WatcherOptions = {}, reason = 'netlink proc connector') {
    this.options = options;
    this.reason = reason;
  }

  /** Resolves once the kernel acknowledged the subscription; rejects with NetlinkUnavailableError. */
  async start(sink: EventSink): Promise<void> {
    if (this.watcher) throw new Error('NetlinkSource already started');
    this.watcher = await startWatcher(
      this.options,
      (events: ProcEvent[], lines?: RenderedLines) => {
        for (const event of events) if (event.kind === 'lost') this.lostInStream += event.count ?? 1;
        sink.onEvents(events, lines);
      },
      (info) => sink.onLoss(info),
    );
  }

  status(): SourceStatus {
    const status: SourceStatus = { kind: 'netlink', reason: this.reason, lostEvents: this.lostInStream, resyncs: 0 };
    if (!this.watcher) return status;
    const info = this.watcher.info();
    status.priority = info.priority;
    status.rcvbufBytes = info.rcvbufBytes;
    status.lostEvents = Math.max(this.watcher.stats().lost, this.lostInStream);
    return status;
  }

  async stop(): Promise<void> {
    this.watcher?.close();
    this.watcher = undefined;
  }
}
