import { describe, expect, it } from 'vitest';
import type { DeltaBatch } from '../../../electron/common/delta';
import { TreeModel } from '../model/TreeModel';
import { SeededStream } from './seededStream';

function run(seed: number, batches: number) {
  const stream = new SeededStream({ seed, initialNodes: 500, eventsPerSecond: 20_000 });
  const snapshot = stream.snapshot();
  const deltas: DeltaBatch[] = [];
  for (let i = 0; i < batches; i++) deltas.push(stream.next(16));
  return { snapshot, deltas };
}

describe('SeededStream', () => {
  it('replays the same storm for the same seed, and a different one for another seed', () => {
    expect(JSON.stringify(run(7, 120))).toBe(JSON.stringify(run(7, 120)));
    expect(JSON.stringify(run(8, 120).deltas)).not.toBe(JSON.stringify(run(7, 120).deltas));
  });

  it('starts from a snapshot of the requested size with unique identities', () => {
    const { snapshot } = run(1, 0);
    expect(snapshot.processes).toHaveLength(500);
    expect(new Set(snapshot.processes.map((p) => p.key)).size).toBe(500);
    expect(snapshot.processes.find((p) => p.pid === 1)?.comm).toBe('systemd');
  });

  it('delivers about the requested event rate, in consistent sequence', () => {
    const { deltas } = run(2, 125); // 2 s of virtual time
    let events = 0;
    deltas.forEach((d, i) => {
      expect(d.seq).toBe(i + 1);
      events += d.counters.fork + d.counters.exec + d.counters.exit;
    });
    // Warm-up: the first exits lag the first forks; the rate settles within ±15%.
    expect(events / 2).toBeGreaterThan(17_000);
    expect(events / 2).toBeLessThan(23_000);
  });

  it('produces a storm the real tree model applies without a gap, with make, loops and a bomb', () => {
    const stream = new SeededStream({ seed: 3, initialNodes: 300, eventsPerSecond: 5000, tombstoneMs: 500 });
    const model = new TreeModel();
    model.applySnapshot(stream.snapshot());
    const seen = new Set<string>();
    let signalled = 0;
    let reparented = 0;
    let failed = 0;
    for (let i = 0; i < 200; i++) {
      const batch = stream.next(16);
      const bornHere = new Set<number>();
      for (const info of batch.added) {
        expect(seen.has(info.key)).toBe(false);
        seen.add(info.key);
        // The parent was alive at the fork: known to the model, or forked earlier in this batch.
        expect(model.liveByPid(info.ppid) !== undefined || bornHere.has(info.ppid)).toBe(true);
        bornHere.add(info.pid);
      }
      for (const exit of batch.exited) {
        if (exit.signal) signalled++;
        if (exit.code) failed++;
      }
      reparented += batch.changed.filter((c) => c.ppid === 1).length;
      expect(model.applyDelta(batch)).toBe('ok');
    }
    const comms = new Set(Array.from(model.nodes.values(), (n) => n.info.comm));
    expect(comms).toContain('cc1');
    expect(signalled).toBeGreaterThan(0);
    expect(failed).toBeGreaterThan(0);
    expect(reparented).toBeGreaterThan(0);
    // Tombstones expire, so the tree stays bounded: initial + live storm + 0.5 s of tombstones.
    expect(model.nodes.size).toBeLessThan(300 + 5000);
    const make = model.liveByPid(1003)!;
    expect(make.children.length).toBeGreaterThan(50);
  });

  it('rejects nonsense options', () => {
    expect(() => new SeededStream({ seed: 1, initialNodes: 2, eventsPerSecond: 10 })).toThrow(RangeError);
    expect(() => new SeededStream({ seed: 1, initialNodes: 100, eventsPerSecond: Number.NaN })).toThrow(RangeError);
    expect(() => new SeededStream({ seed: 1, initialNodes: 100, eventsPerSecond: 10 }).next(-1)).toThrow(RangeError);
  });
});
