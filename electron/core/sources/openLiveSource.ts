/**
 * Opens the best live event source: netlink when the kernel lets us listen, else /proc polling,
 * with a reason the user can read ("netlink: EPERM — listening needs CAP_NET_ADMIN on kernels
 * before 6.6; polling /proc every 500 ms ..."). `source` forces one (`--source poll|netlink`).
 */
import { NetlinkUnavailableError, type WatcherOptions } from '../../../native/index';
import type { ScannedProcess } from '../procfs/ScannedProcess';
import type { EventSink, EventSource } from './EventSource';
import { NetlinkSource } from './NetlinkSource';
import { DEFAULT_POLL_INTERVAL_MS, PollSource } from './PollSource';

export type SourceChoice = 'auto' | 'netlink' | 'poll';

/**
 * A source choice from a flag or the environment (`--source`, FORKSCOPE_SOURCE); absent means
 * 'auto'. Anything else throws, naming `name` and the choices; never ignored.
 */
export function parseSourceChoice(value: unknown, name = '--source'): SourceChoice {
  if (value === undefined) return 'auto';
  if (value === 'auto' || value === 'netlink' || value === 'poll') return value;
  throw new Error(`${name} must be one of netlink, poll, auto; got '${String(value)}'`);
}

export interface LiveSourceOptions {
  /** 'auto' (default): netlink, falling back to poll. A forced choice never falls back. */
  source?: SourceChoice;
  pollIntervalMs?: number;
  watcher?: WatcherOptions;
  /** Full /proc scan used by the poll source. */
  scan: () => Promise<ScannedProcess[]>;
}

/** Why the netlink listener could not start, in words a user can act on. */
export function describeNetlinkFailure(error: unknown): string {
  if (!(error instanceof NetlinkUnavailableError)) {
    return `netlink: ${error instanceof Error ? error.message : String(error)}`;
  }
  switch (error.code) {
    case 'EPERM':
    case 'EACCES':
      return `netlink: ${error.code} — listening needs CAP_NET_ADMIN on kernels before 6.6`;
    case 'NO_ACK':
      return 'netlink: NO_ACK — the kernel never acknowledged the subscription (inside a user or PID namespace?)';
    case 'NO_ADDON':
      return `netlink: NO_ADDON — the native addon is not built or cannot load (${error.message})`;
    case 'EPROTONOSUPPORT':
      return 'netlink: EPROTONOSUPPORT — this kernel has no proc connector (CONFIG_PROC_EVENTS)';
    default:
      return `netlink: ${error.code} — ${error.message}`;
  }
}

/** Starts and returns the source; events flow into `sink` from then on. */
export async function openLiveSource(sink: EventSink, options: LiveSourceOptions): Promise<EventSource> {
  const choice = options.source ?? 'auto';
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  if (choice === 'poll') {
    const poll = new PollSource({ scan: options.scan, intervalMs: pollIntervalMs, why: 'forced by --source poll' });
    await poll.start(sink);
    return poll;
  }
  const netlink = new NetlinkSource(options.watcher ?? {}, choice === 'netlink' ? 'netlink proc connector (forced by --source netlink)' : 'netlink proc connector');
  try {
    await netlink.start(sink);
    return netlink;
  } catch (error) {
    // Forced netlink reports the failure; auto mode keeps the user watching, and says why.
    if (choice === 'netlink') throw error;
    const poll = new PollSource({ scan: options.scan, intervalMs: pollIntervalMs, why: describeNetlinkFailure(error) });
    await poll.start(sink);
    return poll;
  }
}
