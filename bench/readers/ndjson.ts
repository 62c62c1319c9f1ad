/**
 * Parse `forkscope events --json` output (and the C reader's, which prints the same contract:
 * electron/common/events.ts) into observed events.
 */
import { isEventKind, type ProcEvent } from '../../electron/common/events';
import type { ObservedEvent, ObservedKind, ParsedOutput } from './observed';

const SCORED_KINDS: ReadonlySet<string> = new Set<ObservedKind>(['fork', 'exec', 'exit', 'thread-start', 'thread-exit', 'lost']);

function isProcEventLike(value: unknown): value is ProcEvent {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return isEventKind(record.kind) && typeof record.pid === 'number';
}

function toObserved(event: ProcEvent): ObservedEvent {
  const observed: ObservedEvent = { kind: event.kind as ObservedKind, pid: event.pid };
  if (event.ppid !== undefined) observed.ppid = event.ppid;
  if (event.tid !== undefined) observed.tid = event.tid;
  if (event.kind === 'exec') {
    observed.argvText = Array.isArray(event.argv) && event.argv.length > 0 ? event.argv.join(' ') : null;
  }
  if (typeof event.code === 'number') observed.code = event.code;
  if (typeof event.signal === 'string') observed.signal = event.signal;
  if (typeof event.count === 'number') observed.count = event.count;
  return observed;
}

export function parseNdjsonEvents(text: string): ParsedOutput {
  const result: ParsedOutput = { events: [], otherEvents: 0, malformedLines: 0 };
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      result.malformedLines += 1;
      continue;
    }
    if (!isProcEventLike(value)) {
      result.malformedLines += 1;
    } else if (SCORED_KINDS.has(value.kind)) {
      result.events.push(toObserved(value));
    } else {
      result.otherEvents += 1;
    }
  }
  return result;
}
