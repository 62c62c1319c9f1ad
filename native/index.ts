/**
 * Forkscope's native layer: the netlink proc-connector watcher (its own real-time reader
 * thread), the fast /proc scanner, identity-safe signals and clock facts.
 *
 * The watcher keeps the event loop alive while open (a CLI `events` command runs on it alone);
 * close() lets the process exit. Callbacks run on the JS thread, in kernel order, one batch about
 * every flushIntervalMs (see there). Every event it delivers has `origin` undefined (= netlink).
 */
import { signalName, type ProcEvent, type RenderedLines } from '../electron/common/events';
import type { ScannedProcess } from './ScannedProcess';
import { decodeEventBatch } from './decodeEvents';
import { decodeScan, type CgroupGroupReader } from './decodeScan';
import { loadAddon, type RawSignalResult, type RawWatcher, type RawWatcherMessage, type RawWatcherOptions } from './loadAddon';

export { AddonLoadError, locateAddon } from './loadAddon';

/** The addon's options (documented on RawWatcherOptions), with `ndjson` in place of the signal names. */
export interface WatcherOptions extends Omit<RawWatcherOptions, 'ndjsonSignalNames'> {
  /**
   * Also render every batch as NDJSON off the JS thread (RenderedLines, passed to onEvents):
   * `forkscope events --json` writes those bytes instead of stringifying each event on the JS
   * thread. Off by default: only that log needs it.
   */
  ndjson?: boolean;
}

export interface WatcherInfo {
  /**
   * Reader thread scheduling in force: "SCHED_FIFO 10", "SCHED_RR 10 (RealtimeKit)", "nice -10",
   * "normal (SCHED_FIFO: EPERM; RealtimeKit: not running; nice: EACCES)".
   */
  priority: string;
  /** SO_RCVBUF as granted by the kernel (getsockopt reports twice the usable payload). */
  rcvbufBytes: number;
}

export interface WatcherStats {
  /** Events decoded (lost markers excluded). */
  events: number;
  /**
   * Events the reader thread knows lost: the sum of the counts of its 'lost' markers (sequence
   * gaps, events dropped because JS fell behind, batches JS could not be handed). ENOBUFS adds
   * nothing here: the sequence gaps that follow it measure what it dropped.
   */
  lost: number;
  /** Times the kernel reported ENOBUFS (socket buffer overflow): loss episodes, not events. */
  enobufs: number;
  /** Per-CPU sequence gaps detected. */
  seqGaps: number;
  /** Batches posted to the JS thread. */
  batches: number;
}

/**
 * The netlink source cannot run here. code: 'EPERM' (kernel < 6.6 without CAP_NET_ADMIN),
 * 'NO_ACK' (no ack: likely inside a user or PID namespace), 'EPROTONOSUPPORT' (no connector),
 * 'NO_ADDON' (the addon is not built or not loadable), or another errno name.
 */
export class NetlinkUnavailableError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'NetlinkUnavailableError';
    this.code = code;
  }
}

export interface NetlinkWatcher {
  info(): WatcherInfo;
  stats(): WatcherStats;
  /** Stops delivery at once, joins the reader thread, unsubscribes. Idempotent. */
  close(): void;
}

/**
 * One loss, as the watcher reports it. count: events lost, when known. A marker without a count
 * (ENOBUFS, "watcher stopped") says loss happened; for ENOBUFS the sequence-gap markers that
 * follow carry the count, so summing `count` never counts an event twice.
 */
export type LossInfo = { count?: number; reason: string };

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Runs a user callback so that its exception surfaces as a normal uncaught exception. */
function deliver(callback: () => void): void {
  try {
    callback();
  } catch (error) {
    process.nextTick(() => {
      throw error;
    });
  }
}

/**
 * Starts listening. Resolves after the kernel acknowledged the subscription; rejects with
 * NetlinkUnavailableError when netlink cannot be used (callers fall back to /proc polling).
 * 'lost' events appear in the onEvents stream in order, and each one is also passed to onLoss
 * (after the batch that carries it). If the reader later dies (socket error), a 'lost' event
 * with reason "watcher stopped: CODE" is delivered, then onError if given.
 *
 * Nothing vanishes silently: a batch that cannot be decoded is delivered as one 'lost' event
 * ("undecodable batch: …", counting its entries), and if onEvents throws, its batch's events are
 * reported to onLoss ("undelivered batch: …") instead of surfacing as an uncaught exception, so
 * the consumer resyncs from /proc. Exceptions from onLoss and onError still surface uncaught.
 */
export function startWatcher(
  options: WatcherOptions,
  onEvents: (events: ProcEvent[], lines?: RenderedLines) => void,
  onLoss: (info: LossInfo) => void,
  onError?: (error: NetlinkUnavailableError) => void,
): Promise<NetlinkWatcher> {
  return new Promise<NetlinkWatcher>((resolve, reject) => {
    let addon;
    try {
      addon = loadAddon();
    } catch (error) {
      reject(new NetlinkUnavailableError('NO_ADDON', (error as Error).message));
      return;
    }
    let ready = false;
    const onMessage = (message: RawWatcherMessage): void => {
      switch (message.type) {
        case 'ready':
          ready = true;
          resolve(handle);
          return;
        case 'error': {
          const error = new NetlinkUnavailableError(message.code, message.message);
          if (!ready) {
            reject(error);
            return;
          }
          const reason = `watcher stopped: ${message.code}`;
          deliver(() => onEvents([{ kind: 'lost', ts: Date.now(), pid: 0, reason }]));
          deliver(() => onLoss({ reason }));
          if (onError) deliver(() => onError(error));
          return;
        }
        case 'batch': {
          let events: ProcEvent[];
          try {
            events = decodeEventBatch(message);
          } catch (error) {
            // Its entries are unknown, so is how many were 'lost' markers: every entry counts.
            const loss = { count: message.kind.length, reason: `undecodable batch: ${messageOf(error)}` };
            deliver(() => onEvents([{ kind: 'lost', ts: Date.now(), pid: 0, ...loss }]));
            deliver(() => onLoss(loss));
            return;
          }
          const lines = message.ndjson && message.lineEnd ? { bytes: message.ndjson, lineEnd: message.lineEnd } : undefined;
          try {
            onEvents(events, lines);
          } catch (error) {
            // The batch's own 'lost' markers are reported below, each with its count.
            const count = events.reduce((n, event) => (event.kind === 'lost' ? n : n + 1), 0);
            deliver(() => onLoss({ count, reason: `undelivered batch: ${messageOf(error)}` }));
          }
          for (const event of events) {
            if (event.kind === 'lost') {
              const reason = event.reason ?? 'unknown';
              deliver(() => onLoss(event.count === undefined ? { reason } : { count: event.count, reason }));
            }
          }
          return;
        }
      }
    };
    let native: RawWatcher;
    try {
      const { ndjson, ...rest } = options;
      // The renderer names signals as signalName() does, so both paths print the same line.
      const nativeOptions = ndjson ? { ...rest, ndjsonSignalNames: Array.from({ length: 128 }, (_, n) => signalName(n)) } : rest;
      native = new addon.Watcher(nativeOptions, onMessage);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      reject(typeof code === 'string' ? new NetlinkUnavailableError(code, (error as Error).message) : error);
      return;
    }
    const handle: NetlinkWatcher = {
      info: () => native.info(),
      stats: () => native.stats(),
      close: () => native.close(),
    };
  });
}

/**
 * Reads every /proc/PID off the JS thread. Processes that vanish mid-scan are skipped. What a
 * cgroup means (a unit, a container, a pod) is core's knowledge, not this layer's: `groupOf`
 * names the group of each readable cgroup file's text.
 */
export async function scanProcesses(groupOf: CgroupGroupReader): Promise<ScannedProcess[]> {
  return decodeScan(await loadAddon().scanProcesses(), groupOf);
}

/**
 * Signals (pid, startTime) through a pidfd, so a recycled pid is never hit. error is an errno
 * name ("ESRCH", "EPERM", ...) or "recycled" when the pid now has another start time.
 * Throws TypeError/RangeError for arguments that are not integers in range.
 */
export function pidfdSignal(pid: number, startTime: number, signo: number): RawSignalResult {
  return loadAddon().pidfdSignal(pid, startTime, signo);
}

/** Clock ticks per second and the boot time in ms since the epoch: startedAt = bootEpochMs + startTime * 1000 / clkTck. */
export function clockInfo(): { clkTck: number; bootEpochMs: number } {
  return loadAddon().clockInfo();
}

/**
 * The scheduling the reader thread would get here, without listening: runs the reader's own
 * priority code (SCHED_FIFO, else RealtimeKit, else nice) on a fresh thread and returns its
 * description. Blocks for at most the RealtimeKit deadline (500 ms). For `forkscope doctor`.
 */
export function probeReaderPriority(): string {
  return loadAddon().probeThreadPriority();
}
