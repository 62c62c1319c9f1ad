/**
 * The watcher against the real kernel: a storm of short-lived children, each of whose fork,
 * exec (with its exact argv) and exit (with its exact code or signal) must be seen.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcEvent } from '../../electron/common/events';
import { collect, eventsOf, exited, spawnChild, waitFor, type Collector } from './helpers';

const CHILDREN = 300;
const CONCURRENCY = 8;

interface Spawned {
  pid: number;
  argv: string[];
  code: number;
}

/** `children` × `sh -c 'exit N' TAG-I`, `concurrency` at a time; resolves once all have exited. */
async function execStorm(children: number, concurrency: number): Promise<Spawned[]> {
  const tag = `forkscope-test-${randomUUID()}`;
  const spawned: Spawned[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < children) {
      const i = next++;
      const code = i % 256;
      const argv = ['sh', '-c', `exit ${code}`, `${tag}-${i}`];
      const child = spawnChild('sh', argv.slice(1));
      spawned.push({ pid: child.pid!, argv, code });
      expect((await exited(child)).code).toBe(code);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return spawned;
}

/** How many of `spawned` have their exact argv in `events` (and none has another's). */
function argvCaptured(events: ProcEvent[], spawned: Spawned[]): number {
  let captured = 0;
  for (const s of spawned) {
    const argv = eventsOf(events, s.pid, 'exec')[0]?.argv;
    if (argv) {
      expect(argv).toEqual(s.argv);
      captured++;
    }
  }
  return captured;
}

describe('netlink watcher: process storm', () => {
  let c: Collector;
  beforeAll(async () => {
    c = await collect();
  });
  afterAll(() => c.watcher.close());

  it('reports its reader priority and the granted buffer', () => {
    const info = c.watcher.info();
    expect(info.priority).toMatch(/^(SCHED_FIFO \d+|SCHED_RR \d+ \(RealtimeKit\)|nice -\d+( \(.+\))?|normal \(.+\))$/);
    expect(info.rcvbufBytes).toBeGreaterThan(0);
  });

  it('sees fork, exec with exact argv, and exit with exact code for every child', async () => {
    const spawned = await execStorm(CHILDREN, CONCURRENCY);
    await waitFor(() => spawned.every((s) => eventsOf(c.events, s.pid, 'exit').length > 0));

    for (const s of spawned) {
      const forks = eventsOf(c.events, s.pid, 'fork');
      expect(forks, `fork of ${s.pid}`).toHaveLength(1);
      expect(forks[0]!.ppid).toBe(process.pid);
      expect(eventsOf(c.events, s.pid, 'exec'), `exec of ${s.pid}`).toHaveLength(1);
      const exits = eventsOf(c.events, s.pid, 'exit');
      expect(exits).toHaveLength(1);
      expect(exits[0]).toMatchObject({ code: s.code, ppid: process.pid, exitSignal: 17 });
      expect(exits[0]!.signal).toBeUndefined();
    }
    // Capture races a ~1 ms life: the reader must run before the child exits. On an idle machine
    // a SCHED_FIFO reader gets ~all (architecture.md §4), but on a loaded shared VM neither priority
    // guarantees it; an absent argv says so honestly and a present one must be exact (above).
    // Long-lived execs must always be captured: see identity.test.ts.
    expect(argvCaptured(c.events, spawned)).toBeGreaterThanOrEqual(CHILDREN / 2);
    expect(c.watcher.stats().lost).toBe(0);
    expect(c.losses).toEqual([]);
  });

  it('decodes signal deaths by name', async () => {
    const victims = (['SIGKILL', 'SIGTERM', 'SIGKILL', 'SIGTERM'] as const).map((signal) => ({
      child: spawnChild('sleep', ['30']),
      signal,
    }));
    for (const v of victims) v.child.kill(v.signal);
    for (const v of victims) expect((await exited(v.child)).signal).toBe(v.signal);
    await waitFor(() => victims.every((v) => eventsOf(c.events, v.child.pid!, 'exit').length > 0));
    for (const v of victims) {
      const [exit] = eventsOf(c.events, v.child.pid!, 'exit');
      expect(exit).toMatchObject({ signal: v.signal, signo: v.signal === 'SIGKILL' ? 9 : 15 });
      expect(exit!.code).toBeUndefined();
    }
  });

  it('stamps events with a wall-clock time and the CPU they happened on', () => {
    const forks = c.events.filter((e) => e.kind === 'fork' && e.ppid === process.pid);
    expect(forks.length).toBeGreaterThan(0);
    for (const e of forks) {
      expect(Math.abs(e.ts - Date.now())).toBeLessThan(5 * 60_000);
      expect(e.cpu).toBeGreaterThanOrEqual(0);
      expect(e.origin).toBeUndefined();
    }
  });
});

describe('netlink watcher: an exec while a batch waits for its flush', () => {
  // With the kernel's per-socket event filter (6.6+) the reader sleeps through forks and exits
  // until the batch's deadline, woken early only by an exec (proc_connector_reader.h, bell_): a long interval
  // makes every child's exec arrive while the reader sleeps, and its argv must still be read at
  // once, not a second later when the child is long gone.
  let c: Collector;
  beforeAll(async () => {
    c = await collect({ flushIntervalMs: 1000 });
  });
  afterAll(() => c.watcher.close());

  it("still reads each exec's argv at once", async () => {
    const spawned = await execStorm(100, 4);
    await waitFor(() => spawned.every((s) => eventsOf(c.events, s.pid, 'exit').length > 0));
    // As above, some 1 ms lives end before any reader runs on a loaded VM (the bar is lower:
    // this storm is smaller); read a second late, almost none keep their argv (6 of 100 here).
    expect(argvCaptured(c.events, spawned)).toBeGreaterThanOrEqual(30);
    expect(c.losses).toEqual([]);
  });
});
