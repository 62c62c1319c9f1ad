/**
 * Loss is never silent: whatever drops events (the kernel's socket buffer, a batch that cannot be
 * decoded, a consumer that throws) yields a 'lost' report with a count, counted once.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProcEvent } from '../../electron/common/events';
import { startWatcher, type LossInfo, type NetlinkWatcher } from '../index';
import { collect, eventsOf, exited, spawnChild, waitFor } from './helpers';

// A batch that fails to decode, on demand: the real decoder otherwise.
const decodeFault = vi.hoisted(() => ({ armed: false }));
vi.mock('../decodeEvents', async (importOriginal) => {
  const real = await importOriginal<typeof import('../decodeEvents')>();
  return {
    ...real,
    decodeEventBatch: (...args: Parameters<typeof real.decodeEventBatch>) => {
      if (decodeFault.armed) {
        decodeFault.armed = false;
        throw new Error('injected corruption');
      }
      return real.decodeEventBatch(...args);
    },
  };
});

const sumOfCounts = (reports: ReadonlyArray<{ count?: number }>): number => reports.reduce((sum, r) => sum + (r.count ?? 0), 0);

/** Runs `sh -c 'exit 0' TAG` and returns its pid once it has exited. */
async function spawnTagged(tag: string): Promise<number> {
  const child = spawnChild('sh', ['-c', 'exit 0', tag]);
  await exited(child);
  return child.pid!;
}

describe('netlink watcher: loss', () => {
  let watcher: NetlinkWatcher | undefined;
  afterEach(() => {
    watcher?.close();
    watcher = undefined;
    decodeFault.armed = false;
  });

  it('counts a kernel overflow once: ENOBUFS carries no count, the sequence gaps that follow do', async () => {
    // A tiny buffer and a reader that naps after each recvmmsg: the kernel must drop.
    const c = await collect({ rcvbufBytes: 4096, debugStallUs: 50_000 });
    watcher = c.watcher;
    for (let round = 0; round < 5; round++) {
      await Promise.all(Array.from({ length: 40 }, () => exited(spawnChild('true', []))));
    }
    await waitFor(() => c.events.some((e) => e.kind === 'lost' && e.reason === 'sequence gap'));
    const enobufs = c.events.filter((e) => e.kind === 'lost' && e.reason === 'ENOBUFS');
    const gaps = c.events.filter((e) => e.kind === 'lost' && e.reason === 'sequence gap');
    expect(enobufs.length).toBeGreaterThan(0);
    for (const marker of enobufs) expect(marker.count).toBeUndefined();
    for (const gap of gaps) expect(gap.count).toBeGreaterThan(0);
    // The counters run ahead of delivery by at most the batch in flight.
    const stats = c.watcher.stats();
    expect(stats.enobufs).toBeGreaterThanOrEqual(enobufs.length);
    expect(stats.seqGaps).toBeGreaterThanOrEqual(gaps.length);
    // Once delivery caught up, the reader's own count is exactly the sum of the markers' counts:
    // one count, one meaning, whoever reads it.
    await waitFor(() => sumOfCounts(c.losses) === c.watcher.stats().lost);
    expect(sumOfCounts(c.losses)).toBeGreaterThan(0);
    // Each marker is also reported to onLoss, in order.
    expect(c.losses).toEqual(
      c.events.filter((e) => e.kind === 'lost').map((e) => (e.count === undefined ? { reason: e.reason } : { count: e.count, reason: e.reason })),
    );
  });

  it('turns a batch that cannot be decoded into a counted loss, and decodes the next one', async () => {
    const c = await collect();
    watcher = c.watcher;
    decodeFault.armed = true;
    const tag = `forkscope-loss-${randomUUID()}`;
    await spawnTagged(`${tag}-0`);
    await waitFor(() => c.losses.length > 0);
    const [loss] = c.losses;
    expect(loss).toEqual({ count: expect.any(Number), reason: 'undecodable batch: injected corruption' });
    expect(loss!.count).toBeGreaterThan(0);
    // The stream says so in order, with the same count, for consumers that only read events.
    const marker = c.events.find((e) => e.kind === 'lost');
    expect(marker).toMatchObject({ count: loss!.count, reason: loss!.reason });

    const pid = await spawnTagged(`${tag}-1`);
    await waitFor(() => eventsOf(c.events, pid, 'exit').length > 0);
    expect(eventsOf(c.events, pid, 'exec').length).toBe(1);
  });

  it('drops what a blocked consumer cannot take, as a counted "queue full" loss', async () => {
    const delivered: ProcEvent[] = [];
    const losses: LossInfo[] = [];
    let shellPid = -1;
    let blocked = false;
    watcher = await startWatcher(
      { debugMaxQueuedEvents: 16 },
      (events) => {
        if (!blocked && events.some((e) => e.ppid === shellPid)) {
          // The JS thread stops consuming while the shell below keeps forking: the reader must drop.
          blocked = true;
          const until = Date.now() + 1500;
          while (Date.now() < until) {
            // busy: no callback can run
          }
        }
        delivered.push(...events);
      },
      (info) => losses.push(info),
    );
    // Events made while the JS thread is blocked: a shell makes them on its own.
    const shell = spawnChild('sh', ['-c', 'i=0; while [ $i -lt 300 ]; do /bin/true; i=$((i+1)); done']);
    shellPid = shell.pid!;
    await exited(shell);
    // The marker is appended when the queue has room again, with the next event: make one.
    await spawnTagged(`forkscope-loss-${randomUUID()}`);
    await waitFor(() => losses.some((l) => l.reason === 'queue full'));
    expect(blocked).toBe(true);
    for (const loss of losses.filter((l) => l.reason === 'queue full')) expect(loss.count).toBeGreaterThan(0);
    await waitFor(() => sumOfCounts(losses) === watcher!.stats().lost);
  });

  it('turns a consumer that throws into a counted loss of that batch, and keeps delivering', async () => {
    const delivered: ProcEvent[] = [];
    const losses: LossInfo[] = [];
    let throwOnce = true;
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): void => void uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      watcher = await startWatcher(
        {},
        (events) => {
          if (throwOnce && events.some((e) => e.kind === 'exec')) {
            throwOnce = false;
            throw new Error('consumer bug');
          }
          delivered.push(...events);
        },
        (info) => losses.push(info),
      );
      const tag = `forkscope-loss-${randomUUID()}`;
      await spawnTagged(`${tag}-0`);
      await waitFor(() => losses.some((l) => l.reason.startsWith('undelivered')));
      const loss = losses.find((l) => l.reason.startsWith('undelivered'))!;
      expect(loss.reason).toBe('undelivered batch: consumer bug');
      // At least the exec that made the consumer throw.
      expect(loss.count).toBeGreaterThanOrEqual(1);

      const pid = await spawnTagged(`${tag}-1`);
      await waitFor(() => eventsOf(delivered, pid, 'exit').length > 0);
      expect(eventsOf(delivered, pid, 'exec').length).toBe(1);
      // Reported as a loss, not rethrown as an uncaught exception.
      await new Promise((resolve) => setImmediate(resolve));
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
