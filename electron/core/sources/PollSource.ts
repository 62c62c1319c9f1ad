/**
 * The fallback event source: scan /proc every `intervalMs` and diff successive scans into
 * fork/exec/exit events (origin "poll"). Used where netlink is unavailable (the user may not
 * listen and no capture helper serves it, user/PID namespaces) or when forced with `--source poll`.
 * It never claims that nothing was lost: it cannot know.
 */
import type { ProcKey } from '../../common/process';
import type { FullCaptureFix } from '../../common/source';
import type { ScannedProcess } from '../../../native/ScannedProcess';
import { diffScans, indexLiveScan } from './diffScans';
import type { EventSink, EventSource, SourceState } from './EventSource';

export const DEFAULT_POLL_INTERVAL_MS = 500;

export interface PollSourceOptions {
  /** A full /proc scan (native scanner, or the TS fallback). */
  scan: () => Promise<ScannedProcess[]>;
  intervalMs?: number;
  /** Why polling is in use (e.g. why netlink is not); the limits of polling are appended. */
  why?: string;
  /** The one command that would enable full capture here, when there is one. */
  fullCapture?: FullCaptureFix;
}

/** What a user must know about a poll source: what it cannot see. */
export function pollLimits(intervalMs: number): string {
  return (
    `polling /proc every ${intervalMs} ms: short-lived processes (those that start and end ` +
    'between two polls) are not seen, exit codes are unknown, and what is missed is not counted'
  );
}

export class PollSource implements EventSource {
  readonly kind = 'poll' as const;
  private readonly scan: () => Promise<ScannedProcess[]>;
  private readonly intervalMs: number;
  private readonly reason: string;
  private readonly fullCapture: FullCaptureFix | undefined;
  private previous: Map<ProcKey, ScannedProcess> = new Map();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  /** Polls and rescans run one after another on this chain, so the baseline moves in order. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(options: PollSourceOptions) {
    this.scan = options.scan;
    this.intervalMs = options.intervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    const limits = pollLimits(this.intervalMs);
    this.reason = options.why ? `${options.why}; ${limits}` : limits;
    this.fullCapture = options.fullCapture;
  }

  /** Takes the first scan as the baseline (no events for what already runs), then polls. */
  async start(sink: EventSink): Promise<void> {
    if (this.running) throw new Error('PollSource already started');
    this.previous = indexLiveScan(await this.scan());
    this.running = true;
    this.arm(sink);
  }

  status(): SourceState {
    const status: SourceState = { kind: 'poll', reason: this.reason, pollIntervalMs: this.intervalMs };
    if (this.fullCapture) status.fullCapture = this.fullCapture;
    return status;
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.chain;
  }

  /**
   * A full scan that also becomes the baseline of the next poll. The model must be loaded or
   * reconciled from this scan, not from another one: a process that appeared in some other scan
   * but not in the baseline, and died before the next poll, would never get its exit event.
   */
  rescan(): Promise<ScannedProcess[]> {
    return this.exclusive(async () => {
      const scan = await this.scan();
      this.previous = indexLiveScan(scan);
      return scan;
    });
  }

  /** Next poll `intervalMs` after the previous one finished: scans never overlap. */
  private arm(sink: EventSink): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.exclusive(() => this.poll(sink)).finally(() => this.arm(sink));
    }, this.intervalMs);
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.chain.then(task);
    this.chain = result.catch(() => undefined);
    return result;
  }

  private async poll(sink: EventSink): Promise<void> {
    let scan: ScannedProcess[];
    try {
      scan = await this.scan();
    } catch (error) {
      sink.onError(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (!this.running) return;
    const next = indexLiveScan(scan);
    const events = diffScans(this.previous, next, Date.now());
    this.previous = next;
    if (events.length > 0) sink.onEvents(events);
  }
}
