/** Loss is never silent: an overflowing socket buffer yields 'lost' events and counters. */
import { describe, expect, it } from 'vitest';
import { collect, exited, spawnChild, waitFor } from './helpers';

describe('netlink watcher: loss', () => {
  it('inserts ENOBUFS and sequence-gap markers when the kernel drops events', async () => {
    // A tiny buffer and a reader that naps after each recvmmsg: the kernel must drop.
    const c = await collect({ rcvbufBytes: 4096, debugStallUs: 50_000 });
    try {
      for (let round = 0; round < 5; round++) {
        await Promise.all(Array.from({ length: 40 }, () => exited(spawnChild('true', []))));
      }
      await waitFor(() => c.events.some((e) => e.kind === 'lost' && e.reason === 'sequence gap'));
      const enobufs = c.events.filter((e) => e.kind === 'lost' && e.reason === 'ENOBUFS');
      const gaps = c.events.filter((e) => e.kind === 'lost' && e.reason === 'sequence gap');
      expect(enobufs.length).toBeGreaterThan(0);
      for (const gap of gaps) expect(gap.count).toBeGreaterThan(0);
      // The counters run ahead of delivery by at most the batch in flight.
      const stats = c.watcher.stats();
      expect(stats.enobufs).toBeGreaterThanOrEqual(enobufs.length);
      expect(stats.seqGaps).toBeGreaterThanOrEqual(gaps.length);
      expect(stats.lost).toBeGreaterThanOrEqual(gaps.reduce((sum, g) => sum + g.count!, 0));
      expect(stats.lost).toBeGreaterThan(0);
      // Each marker is also reported to onLoss, in order.
      expect(c.losses).toEqual(
        c.events.filter((e) => e.kind === 'lost').map((e) => (e.count === undefined ? { reason: e.reason } : { count: e.count, reason: e.reason })),
      );
    } finally {
      c.watcher.close();
    }
  });
});
