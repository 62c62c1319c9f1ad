/**
 * Opens the best live event source, in this order, each one probed, never inferred from the
 * kernel version: the proc connector opened directly (root, CAP_NET_ADMIN, or a kernel that lets
 * any user listen), the proc connector through the capture helper (a desktop user in the
 * `forkscope` group), then /proc polling. The reason shown is the one measured at each step,
 * and whenever capture is not full the status carries the one command that enables it.
 * `source` forces one (`--source poll|netlink`; netlink means direct, then the helper).
 */
import { findInstalledHelper, joinGroupCommand, setupHelperCommand } from '../../../native/captureHelper';
import { NetlinkUnavailableError, type WatcherOptions } from '../../../native/index';
import type { FullCaptureFix } from '../../common/source';
import type { ScannedProcess } from '../../../native/ScannedProcess';
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
  /** The capture helper to try after a refused direct listen; default: the installed one, if any. */
  helperPath?: string | null;
}

/** Why listening directly failed, in words a user can act on. */
export function describeNetlinkFailure(error: unknown): string {
  if (!(error instanceof NetlinkUnavailableError)) {
    return `netlink: ${error instanceof Error ? error.message : String(error)}`;
  }
  switch (error.code) {
    case 'EPERM':
    case 'EACCES':
      return `netlink: ${error.code} — this kernel lets only CAP_NET_ADMIN listen to the proc connector`;
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

/** Why the capture helper could not deliver, and what fixes that. */
export function describeHelperFailure(helperPath: string | undefined, error: unknown): { why: string; fix?: FullCaptureFix } {
  const packaged = (process as { resourcesPath?: string }).resourcesPath !== undefined;
  const install: FullCaptureFix = packaged
    ? { command: 'sudo apt install --reinstall forkscope', explanation: 'The package installs the capture helper with the capabilities it needs.' }
    : {
        command: setupHelperCommand(),
        explanation:
          'Installs the capture helper (a small program with cap_net_admin and cap_sys_nice, runnable by the forkscope group) ' +
          'that gives Forkscope the full event stream with a large buffer and a real-time reader.',
      };
  if (!helperPath) return { why: 'capture helper: not installed', fix: install };
  const code = error instanceof NetlinkUnavailableError ? error.code : 'ERROR';
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'EACCES':
      return {
        why: `capture helper: EACCES — ${helperPath} is not executable by this user`,
        fix: { command: joinGroupCommand(), explanation: 'Adds you to the group that may run the capture helper; log out and in again for it to apply.' },
      };
    case 'EPERM':
      return { why: `capture helper: EPERM — ${helperPath} runs without its capabilities (${message})`, fix: install };
    case 'ENOENT':
      return { why: `capture helper: ENOENT — ${helperPath}: ${message}`, fix: install };
    case 'ETIMEDOUT':
      return { why: 'capture helper: the kernel did not answer it (inside a user or PID namespace?): run Forkscope on the host' };
    default:
      return { why: `capture helper: ${code} — ${helperPath}: ${message}`, fix: install };
  }
}

/** Starts and returns the source; events flow into `sink` from then on. */
export async function openLiveSource(sink: EventSink, options: LiveSourceOptions): Promise<EventSource> {
  const choice = options.source ?? 'auto';
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const startPoll = async (why: string, fullCapture?: FullCaptureFix): Promise<EventSource> => {
    const poll = new PollSource({ scan: options.scan, intervalMs: pollIntervalMs, why, ...(fullCapture ? { fullCapture } : {}) });
    await poll.start(sink);
    return poll;
  };
  if (choice === 'poll') return startPoll('forced by --source poll');

  const forced = choice === 'netlink' ? ' (forced by --source netlink)' : '';
  const direct = new NetlinkSource(options.watcher ?? {}, `netlink proc connector${forced}`, 'direct');
  let directError: unknown;
  try {
    await direct.start(sink);
    return direct;
  } catch (error) {
    directError = error;
  }
  const directWhy = describeNetlinkFailure(directError);
  // Only a refusal of privilege is the helper's to fix; no helper can help a namespace or a
  // kernel without the connector.
  const refused = directError instanceof NetlinkUnavailableError && (directError.code === 'EPERM' || directError.code === 'EACCES');
  let helperWhy: string | undefined;
  let fix: FullCaptureFix | undefined;
  if (refused) {
    const helperPath = options.helperPath === undefined ? findInstalledHelper() : (options.helperPath ?? undefined);
    if (helperPath) {
      const viaHelper = new NetlinkSource(
        { ...options.watcher, helperPath },
        `netlink proc connector via the capture helper ${helperPath}${forced} (direct ${directWhy})`,
        'helper',
      );
      try {
        await viaHelper.start(sink);
        return viaHelper;
      } catch (error) {
        ({ why: helperWhy, fix } = describeHelperFailure(helperPath, error));
      }
    } else {
      ({ why: helperWhy, fix } = describeHelperFailure(undefined, undefined));
    }
  }
  const why = helperWhy ? `${directWhy}; ${helperWhy}` : directWhy;
  // Forced netlink reports the failure; auto mode keeps the user watching, and says why.
  if (choice === 'netlink') throw directError instanceof NetlinkUnavailableError ? new NetlinkUnavailableError(directError.code, why) : directError;
  return startPoll(why, fix);
}
