/**
 * The watcher against the real kernel: a storm of short-lived children, each of whose fork,
 * exec (with its exact argv) and exit (with its exact code or signal) must be seen.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, eventsOf, exited, spawnChild, waitFor, type Collector } from './helpers';

const CHILDREN = 300;
const CONCURRENCY = 8;

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
    const tag = `forkscope-test-${randomUUID()}`;
    const spawned: Array<{ pid: number; argv: string[]; code: number }> = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < CHILDREN) {
        const i = next++;
        const code = i % 256;
        const argv = ['sh', '-c', `exit ${code}`, `${tag}-${i}`];
        const child = spawnChild('sh', argv.slice(1));
        spawned.push({ pid: child.pid!, argv, code });
        expect((await exited(child)).code).toBe(code);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await waitFor(() => spawned.every((s) => eventsOf(c.events, s.pid, 'exit').length > 0));

    let argvCaptured = 0;
    for (const s of spawned) {
      const forks = eventsOf(c.events, s.pid, 'fork');
      expect(forks, `fork of ${s.pid}`).toHaveLength(1);
      expect(forks[0]!.ppid).toBe(process.pid);
      const execs = eventsOf(c.events, s.pid, 'exec');
      expect(execs, `exec of ${s.pid}`).toHaveLength(1);
      if (execs[0]!.argv) {
        expect(execs[0]!.argv).toEqual(s.argv);
        argvCaptured++;
      }
      const exits = eventsOf(c.events, s.pid, 'exit');
      expect(exits).toHaveLength(1);
      expect(exits[0]).toMatchObject({ code: s.code, ppid: process.pid, exitSignal: 17 });
      expect(exits[0]!.signal).toBeUndefined();
    }
    // Capture races a ~1 ms life: the reader must run before the child exits. On an idle machine
    // a SCHED_FIFO reader gets ~all (architecture.md §4), but on a loaded shared VM neither priority
    // guarantees it; an absent argv says so honestly and a present one must be exact (above).
    // Long-lived execs must always be captured: see identity.test.ts.
    expect(argvCaptured).toBeGreaterThanOrEqual(CHILDREN / 2);
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
