/**
 * The kernel's proc connector, read by the native addon's reader thread. Events arrive in kernel
 * order in batches; losses (ENOBUFS, sequence gaps, batches that could not be decoded or
 * delivered) arrive both as 'lost' events in the stream and through onLoss, which the consumer
 * counts and answers with a /proc resync.
 */
import type { ProcEvent, RenderedLines } from '../../common/events';
import type { FullCaptureFix } from '../../common/source';
import { setupHelperCommand } from '../../../native/captureHelper';
import { startWatcher, type NetlinkWatcher, type WatcherOptions } from '../../../native/index';
import type { EventSink, EventSource, SourceState } from './EventSource';

export class NetlinkSource implements EventSource {
  readonly kind = 'netlink' as const;
  private readonly options: WatcherOptions;
  private readonly reason: string;
  private readonly capture: 'direct' | 'helper';
  private watcher: NetlinkWatcher | undefined;
  /** Decided once the reader's priority is known (status() runs for every batch). */
  private fullCapture: FullCaptureFix | undefined;

  constructor(options: WatcherOptions = {}, reason = 'netlink proc connector', capture: 'direct' | 'helper' = 'direct') {
    this.options = options;
    this.reason = reason;
    this.capture = capture;
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
    // A user who may listen directly but whose reader is not real-time misses argv of the
    // shortest processes: the helper grants SCHED_FIFO (and a large buffer).
    const { priority } = this.watcher.info();
    if (this.capture === 'direct' && this.options.realtime !== false && !/^SCHED_(FIFO|RR) /.test(priority)) {
      this.fullCapture = {
        command: setupHelperCommand(),
        explanation: 'Installs the capture helper, which gives the reader real-time priority and a large socket buffer.',
      };
    }
  }

  status(): SourceState {
    const status: SourceState = { kind: 'netlink', capture: this.capture, reason: this.reason };
    if (!this.watcher) return status;
    const info = this.watcher.info();
    status.priority = info.priority;
    if (this.fullCapture) status.fullCapture = this.fullCapture;
    status.rcvbufBytes = info.rcvbufBytes;
    return status;
  }

  async stop(): Promise<void> {
    this.watcher?.close();
    this.watcher = undefined;
  }
}
