/**
 * The kernel's proc connector, read by the native addon's reader thread. Events arrive in kernel
 * order in batches; losses (ENOBUFS, sequence gaps, batches that could not be decoded or
 * delivered) arrive both as 'lost' events in the stream and through onLoss, which the consumer
 * counts and answers with a /proc resync.
 */
import type { ProcEvent, RenderedLines } from '../../common/events';
import { startWatcher, type NetlinkWatcher, type WatcherOptions } from '../../../native/index';
import type { EventSink, EventSource, SourceState } from './EventSource';

export class NetlinkSource implements EventSource {
  readonly kind = 'netlink' as const;
  private readonly options: WatcherOptions;
  private readonly reason: string;
  private watcher: NetlinkWatcher | undefined;

  constructor(options: WatcherOptions = {}, reason = 'netlink proc connector') {
    this.options = options;
    this.reason = reason;
  }

  /**
   * Resolves once the kernel acknowledged the subscription; rejects with NetlinkUnavailableError.
   * If the reader dies later (socket error), the sink hears onError and may fall back to polling.
   */
  async start(sink: EventSink): Promise<void> {
    if (this.watcher) throw new Error('NetlinkSource already started');
    this.watcher = await startWatcher(
      this.options,
      (events: ProcEvent[], lines?: RenderedLines) => sink.onEvents(events, lines),
      (info) => sink.onLoss(info),
      (error) => sink.onError(error),
    );
  }

  status(): SourceState {
    const status: SourceState = { kind: 'netlink', reason: this.reason };
    if (!this.watcher) return status;
    const info = this.watcher.info();
    status.priority = info.priority;
    status.rcvbufBytes = info.rcvbufBytes;
    return status;
  }

  async stop(): Promise<void> {
    this.watcher?.close();
    this.watcher = undefined;
  }
}
