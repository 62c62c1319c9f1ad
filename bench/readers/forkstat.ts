/**
 * Parse forkstat's text output (forkstat 0.03, `-e fork,exec,exit,clone`):
 *
 *   Time     Event   PID Info   Duration Process
 *   02:22:23 fork   4622 parent          bash /dev/fd/3
 *   02:22:23 fork   7210 child           bash /dev/fd/3
 *   02:22:23 exec   7210                 mkdir -p -m 700 /tmp/x
 *   02:22:23 exit   7210    768   0.002s mkdir -p -m 700 /tmp/x     (raw wait status: exit 3)
 *   02:25:36 clone 23606 parent          out/storm threads
 *   02:25:36 clone 23607 thread          out/storm threads
 *
 * A fork is a parent line followed by its child line; the child line is the event. exec prints
 * the command line it read (joined by spaces), exit the raw wait status.
 */
import { decodeWaitStatus } from '../../electron/common/events';
import type { ObservedEvent, ParsedOutput } from './observed';

const LINE = /^\d\d:\d\d:\d\d (\w+)\s+(\d+) (.*)$/;
const HEADER = /^Time\s+Event\s+PID/;

function exitEvent(pid: number, rest: string): ObservedEvent | null {
  const m = /^\s*(\d+)\s/.exec(rest);
  if (!m) return null;
  const { code, signal } = decodeWaitStatus(Number(m[1]));
  return code !== undefined ? { kind: 'exit', pid, code } : { kind: 'exit', pid, signal };
}

export function parseForkstat(text: string): ParsedOutput {
  const result: ParsedOutput = { events: [], otherEvents: 0, malformedLines: 0 };
  let lastParent: number | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '' || HEADER.test(line)) continue;
    const m = LINE.exec(line);
    if (!m) {
      result.malformedLines += 1;
      continue;
    }
    const [, kind, pidText, rest = ''] = m;
    const pid = Number(pidText);
    const role = rest.trimStart().split(/\s/, 1)[0];
    switch (kind) {
      case 'fork':
      case 'clone':
        if (role === 'parent') {
          lastParent = pid;
        } else if (role === 'child') {
          result.events.push(lastParent === undefined ? { kind: 'fork', pid } : { kind: 'fork', pid, ppid: lastParent });
          lastParent = undefined;
        } else if (role === 'thread') {
          result.events.push({ kind: 'thread-start', pid: lastParent ?? 0, tid: pid });
          lastParent = undefined;
        } else {
          result.malformedLines += 1;
        }
        break;
      case 'exec':
        result.events.push({ kind: 'exec', pid, argvText: rest.trim() === '' ? null : rest.trim() });
        break;
      case 'exit': {
        const event = exitEvent(pid, rest);
        if (event) result.events.push(event);
        else result.malformedLines += 1;
        break;
      }
      default:
        result.otherEvents += 1;
    }
  }
  return result;
}
