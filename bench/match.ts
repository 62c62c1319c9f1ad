/**
 * Score a reader's output against a storm's manifest: which of the generated forks, execs (with
 * the right argv marker), exits (with the right code) and threads it reported. Matching is by
 * pid (tid for threads) as a multiset, because a long storm can wrap pid_max and reuse pids.
 */
import type { StormManifest } from './storm/manifest';
import type { ParsedOutput } from './readers/observed';

export interface Tally {
  seen: number;
  expected: number;
}

export interface ReaderScore {
  forks: Tally;
  execs: Tally;
  /** exec events whose argv carried the child's marker, over exec'd children. */
  argvCaptured: Tally;
  exits: Tally;
  /** exits reported with the code the child really exited with. */
  exitCodesRight: Tally;
  threads: Tally;
  /** Loss the reader itself reported (lost events' counts, or 1 per lost report without one). */
  lostReported: number;
  /** Every event the reader emitted, storm or not: the work its CPU time paid for. */
  eventsEmitted: number;
}

class Multiset {
  private readonly counts = new Map<string, number>();
  add(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  /** Take one occurrence of key if present. */
  take(key: string): boolean {
    const count = this.counts.get(key) ?? 0;
    if (count === 0) return false;
    this.counts.set(key, count - 1);
    return true;
  }
}

function tally(expectedKeys: readonly string[], seen: Multiset): Tally {
  let hits = 0;
  for (const key of expectedKeys) if (seen.take(key)) hits += 1;
  return { seen: hits, expected: expectedKeys.length };
}

export function scoreReader(manifest: StormManifest, output: ParsedOutput): ReaderScore {
  const forks = new Multiset();
  const execs = new Multiset();
  const exits = new Multiset();
  const exitCodes = new Multiset();
  const threads = new Multiset();
  const argvByPid = new Map<number, string[]>();
  let lostReported = 0;
  for (const event of output.events) {
    switch (event.kind) {
      case 'fork':
        forks.add(String(event.pid));
        break;
      case 'exec': {
        execs.add(String(event.pid));
        if (event.argvText) {
          const list = argvByPid.get(event.pid) ?? [];
          list.push(event.argvText);
          argvByPid.set(event.pid, list);
        }
        break;
      }
      case 'exit':
        exits.add(String(event.pid));
        exitCodes.add(`${event.pid}:${event.code ?? event.signal ?? '?'}`);
        break;
      case 'thread-start':
        if (event.tid !== undefined) threads.add(String(event.tid));
        break;
      case 'lost':
        lostReported += event.count ?? 1;
        break;
      case 'thread-exit':
        break;
    }
  }
  const children = manifest.children;
  const execChildren = children.filter((child) => child.marker !== null);
  const argvCaptured = execChildren.filter((child) =>
    (argvByPid.get(child.pid) ?? []).some((text) => child.marker !== null && text.includes(child.marker)),
  ).length;
  return {
    forks: tally(children.map((c) => String(c.pid)), forks),
    execs: tally(execChildren.map((c) => String(c.pid)), execs),
    argvCaptured: { seen: argvCaptured, expected: execChildren.length },
    exits: tally(children.map((c) => String(c.pid)), exits),
    exitCodesRight: tally(children.map((c) => `${c.pid}:${c.expectedCode}`), exitCodes),
    threads: tally(manifest.threads.map((t) => String(t.tid)), threads),
    lostReported,
    eventsEmitted: output.events.length + output.otherEvents,
  };
}

/** seen / expected, or null when nothing was expected (a rate of an empty set means nothing). */
export function rate(value: Tally): number | null {
  return value.expected === 0 ? null : value.seen / value.expected;
}

/** CPU seconds per emitted event, or null when the reader emitted nothing. */
export function cpuPerEvent(cpuSeconds: number, events: number): number | null {
  return events > 0 ? cpuSeconds / events : null;
}

/** a / b for two per-event costs; null when either is missing or b is zero. */
export function costRatio(a: number | null, b: number | null): number | null {
  return a === null || b === null || b === 0 ? null : a / b;
}
