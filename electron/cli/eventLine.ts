/**
 * One human-readable line per event, like forkstat: time, event, pid, ppid, info, duration,
 * command. Pure function of the event and what the caller remembers about the process.
 */
import type { ProcEvent } from '../common/events';
import { escapeControl, formatArgv } from './terminalText';

export const EVENT_LINE_HEADER = 'Time         Event        PID    PPID Info         Duration Process';

/** What the events command remembers of a live process, to print duration and command at exit. */
export interface KnownProcess {
  /** ms since epoch when it started (fork event, or its start time). */
  startedAt?: number;
  command?: string;
}

export function clockTime(ts: number): string {
  const d = new Date(ts);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function formatDuration(ms: number): string {
  if (ms < 0) return '';
  if (ms < 1000) return `${ms.toFixed(1)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(3)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

function info(event: ProcEvent): string {
  switch (event.kind) {
    case 'exit':
      if (event.signal) return event.signal + (event.core ? '+core' : '');
      return event.code === undefined ? '?' : String(event.code);
    case 'thread-start':
    case 'thread-exit':
      return `tid ${event.tid ?? '?'}`;
    case 'uid':
      return `uid ${event.ruid ?? '?'}/${event.euid ?? '?'}`;
    case 'gid':
      return `gid ${event.rgid ?? '?'}/${event.egid ?? '?'}`;
    case 'ptrace':
      return event.tracer ? `by ${event.tracer}` : 'detach';
    case 'lost':
      return event.count === undefined ? `${event.reason ?? 'lost'}` : `${event.count} lost`;
    default:
      return '';
  }
}

export function commandOf(event: ProcEvent, known: KnownProcess | undefined): string {
  if (event.argv && event.argv.length > 0) return formatArgv(event.argv);
  if (known?.command) return known.command;
  if (event.comm !== undefined) return `[${escapeControl(event.comm)}]`;
  return '';
}

export function formatEventLine(event: ProcEvent, known: KnownProcess | undefined): string {
  const duration =
    event.kind === 'exit' && known?.startedAt !== undefined ? formatDuration(event.ts - known.startedAt) : '';
  const inferred = event.origin && event.origin !== 'netlink' ? ` (${event.origin})` : '';
  return [
    clockTime(event.ts),
    event.kind.padEnd(12),
    String(event.pid).padStart(7),
    (event.ppid === undefined ? '' : String(event.ppid)).padStart(7),
    (info(event) + inferred).padEnd(12),
    duration.padStart(8),
    commandOf(event, known),
  ].join(' ');
}
