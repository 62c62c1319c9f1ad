// Integration: real storms against the real kernel and /proc.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { holdProcesses, runStorm } from '../storm';

function stateOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return null;
  }
}

describe('storm generator', () => {
  it('fork storm: writes one record per child with distinct pids and varied codes', async () => {
    const m = await runStorm({ mode: 'fork', count: 100, concurrency: 4 });
    expect(m.mode).toBe('fork');
    expect(m.generated).toBe(100);
    expect(m.children).toHaveLength(100);
    expect(new Set(m.children.map((c) => c.pid)).size).toBe(100);
    expect(m.children.every((c) => c.ppid === m.stormPid && c.marker === null)).toBe(true);
    expect(new Set(m.children.map((c) => c.expectedCode)).size).toBeGreaterThan(10);
  });

  it('exec storm: every child carries a unique marker with the run id', async () => {
    const m = await runStorm({ mode: 'exec', count: 20, runId: 'unit-test' });
    expect(m.children.map((c) => c.marker)).toEqual(Array.from({ length: 20 }, (_, i) => `forkscope-storm-unit-test-${i}`));
  });

  it('nested storm: records every node of every tree with its depth and parent', async () => {
    const m = await runStorm({ mode: 'nested', count: 2, depth: 3, fanout: 2 });
    // 2 roots, 4 at depth 2, 8 at depth 3.
    expect(m.children.filter((c) => c.depth === 1)).toHaveLength(2);
    expect(m.children.filter((c) => c.depth === 2)).toHaveLength(4);
    expect(m.children.filter((c) => c.depth === 3)).toHaveLength(8);
    const pids = new Set(m.children.map((c) => c.pid));
    expect(m.children.filter((c) => c.depth > 1).every((c) => pids.has(c.ppid))).toBe(true);
  });

  it('thread storm: records every thread id of the storm process', async () => {
    const m = await runStorm({ mode: 'threads', count: 50, concurrency: 8 });
    expect(m.threads).toHaveLength(50);
    expect(m.threads.every((t) => t.tgid === m.stormPid && t.tid !== m.stormPid)).toBe(true);
  });

  it('hold: children sleep until released, then are all gone', async () => {
    const held = await holdProcesses(30);
    const pids = held.manifest.children.map((c) => c.pid);
    expect(pids).toHaveLength(30);
    try {
      // Alive and not yet reaped; a child may still be runnable ('R') on a loaded machine.
      expect(pids.map(stateOf).filter((state) => state !== 'S' && state !== 'R')).toEqual([]);
    } finally {
      await held.release();
    }
    expect(pids.map(stateOf).filter((state) => state !== null && state !== 'Z')).toEqual([]);
  });

  it('rejects a storm without a count or a duration', async () => {
    await expect(runStorm({ mode: 'fork' })).rejects.toThrow(/count or a duration/);
  });
});
