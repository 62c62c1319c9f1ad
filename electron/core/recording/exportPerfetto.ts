/**
 * A recording as a Chrome JSON trace (the "Trace Event Format"), which ui.perfetto.dev and
 * chrome://tracing open: one track per process (pid = tid = the process's pid, named by a
 * process_name metadata event), one complete slice ("X") per process lifetime with its argv,
 * ppid, user and how it ended, a flow arrow ("s" → "f") from the parent at each fork to the
 * child, and a global instant event at each loss.
 *
 * Times are microseconds since the selection's start (the format's unit); `otherData` carries
 * the absolute start so nothing is lost.
 */
import type { ProcEvent } from '../../common/events';
import type { Recording } from './Recording';
import { resolveSelection, type Selection } from './selection';

interface Lifetime {
  pid: number;
  ppid: number;
  startMs: number;
  endMs?: number;
  comm: string;
  argv: string[] | null;
  user: string;
  exit?: { code?: number; signal?: string; core?: boolean };
}

export interface TraceEvent {
  ph: 'X' | 'M' | 's' | 'f' | 'i';
  name: string;
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  id?: number;
  cat?: string;
  bp?: 'e';
  s?: 'g';
  args?: Record<string, unknown>;
}

export interface PerfettoTrace {
  traceEvents: TraceEvent[];
  displayTimeUnit: 'ms';
  otherData: Record<string, string | number>;
}

export function exportPerfetto(recording: Recording, selection: Selection = {}): PerfettoTrace {
  const { from, to, initial, accepts } = resolveSelection(recording, selection);
  const us = (ms: number): number => Math.round((ms - from) * 1000);
  const done: Lifetime[] = [];
  const running = new Map<number, Lifetime>();
  const trace: TraceEvent[] = [];
  let flowId = 0;

  const begin = (p: Pick<Lifetime, 'pid' | 'ppid' | 'comm' | 'argv' | 'user'>, startMs: number): Lifetime => {
    const previous = running.get(p.pid);
    if (previous) finish(previous, startMs); // pid reused without a recorded exit
    const life: Lifetime = { ...p, startMs };
    running.set(p.pid, life);
    return life;
  };
  const finish = (life: Lifetime, endMs: number): void => {
    life.endMs = endMs;
    running.delete(life.pid);
    done.push(life);
  };

  for (const p of initial) {
    const life = begin(p, Math.max(from, Math.min(p.startedAt, to)));
    if (p.exit) {
      life.exit = exitOf(p.exit);
      finish(life, Math.max(life.startMs, Math.min(p.exit.at, to)));
    }
  }
  for (const event of recording.eventsBetween(from, to)) {
    if (!accepts(event)) continue;
    apply(event);
  }
  for (const life of [...running.values()]) finish(life, to);

  function apply(event: ProcEvent): void {
    switch (event.kind) {
      case 'fork': {
        const parent = event.ppid === undefined ? undefined : running.get(event.ppid);
        begin(
          { pid: event.pid, ppid: event.ppid ?? 0, comm: event.comm ?? parent?.comm ?? '', argv: parent?.argv ?? null, user: parent?.user ?? '' },
          event.ts,
        );
        if (parent) {
          const id = ++flowId;
          trace.push({ ph: 's', name: 'fork', cat: 'fork', id, pid: parent.pid, tid: parent.pid, ts: us(event.ts) });
          trace.push({ ph: 'f', bp: 'e', name: 'fork', cat: 'fork', id, pid: event.pid, tid: event.pid, ts: us(event.ts) });
        }
        return;
      }
      case 'exec': {
        const life = running.get(event.pid) ?? begin({ pid: event.pid, ppid: event.ppid ?? 0, comm: '', argv: null, user: '' }, event.ts);
        if (event.argv) life.argv = [...event.argv];
        if (event.comm !== undefined) life.comm = event.comm;
        return;
      }
      case 'comm': {
        const life = running.get(event.pid);
        if (life && event.comm !== undefined) life.comm = event.comm;
        return;
      }
      case 'exit': {
        if (event.tid !== undefined && event.tid !== event.pid) return;
        const life = running.get(event.pid);
        if (!life) return;
        life.exit = exitOf(event);
        finish(life, event.ts);
        return;
      }
      case 'lost':
        trace.push({ ph: 'i', s: 'g', name: `lost ${event.count ?? 'some'} events`, pid: 0, tid: 0, ts: us(event.ts), args: { reason: event.reason ?? 'lost' } });
        return;
      default:
        return;
    }
  }

  const named = new Set<number>();
  for (const life of done) {
    if (!named.has(life.pid)) {
      named.add(life.pid);
      trace.push({ ph: 'M', name: 'process_name', pid: life.pid, tid: life.pid, args: { name: `${life.comm} (${life.pid})` } });
    }
    const args: Record<string, unknown> = { argv: life.argv, ppid: life.ppid, user: life.user };
    if (life.exit?.code !== undefined) args.exitCode = life.exit.code;
    if (life.exit?.signal !== undefined) args.signal = life.exit.signal;
    if (life.exit?.core) args.core = true;
    if (!life.exit && (life.endMs ?? to) < to) args.exit = 'unknown';
    trace.push({
      ph: 'X',
      name: life.argv?.length ? life.argv.join(' ').slice(0, 200) : life.comm || String(life.pid),
      cat: 'process',
      pid: life.pid,
      tid: life.pid,
      ts: us(life.startMs),
      dur: Math.max(0, us(life.endMs ?? to) - us(life.startMs)),
      args,
    });
  }
  return {
    traceEvents: trace,
    displayTimeUnit: 'ms',
    otherData: { source: 'forkscope', machine: recording.info.machine, kernel: recording.info.kernel, startEpochMs: from, endEpochMs: to },
  };
}

/** How it ended, from an exit event or a tombstone's exit record: only the fields known. */
function exitOf(ended: { code?: number; signal?: string; core?: boolean }): Lifetime['exit'] {
  return {
    ...(ended.code === undefined ? {} : { code: ended.code }),
    ...(ended.signal === undefined ? {} : { signal: ended.signal }),
    ...(ended.core ? { core: true } : {}),
  };
}
