import { describe, expect, it } from 'vitest';
import { computeLayout } from './computeLayout';
import { HIT_WIDTH, HitGrid } from './hitGrid';
import { ROW_HEIGHT } from './layoutProtocol';

describe('HitGrid', () => {
  // A wide, deep tree: node i's parent is floor((i - 1) / 7).
  const parent = Int32Array.from({ length: 3000 }, (_, i) => (i === 0 ? -1 : Math.floor((i - 1) / 7)));
  const { x, y } = computeLayout(1, parent);
  const grid = new HitGrid(x, y);

  it('finds every node at its own marker', () => {
    for (let i = 0; i < parent.length; i++) expect(grid.hitTest(x[i]!, y[i]!)).toBe(i);
  });

  it('finds a node by its label, to the right of the marker', () => {
    expect(grid.hitTest(x[42]! + HIT_WIDTH * 0.9, y[42]! + 2)).toBe(42);
  });

  it('misses empty space and honours the slop', () => {
    const far = grid.hitTest(x[0]! - 100, y[0]!);
    expect(far).toBe(-1);
    const justAbove = y[0]! - ROW_HEIGHT / 2 - 3;
    expect(grid.hitTest(x[0]!, justAbove - 1000)).toBe(-1);
    expect(grid.hitTest(x[0]! - 12, y[0]!)).toBe(-1);
    expect(grid.hitTest(x[0]! - 12, y[0]!, 6)).toBe(0);
  });

  it('agrees with a brute-force scan on random points', () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const minY = Math.min(...y);
    const maxY = Math.max(...y);
    const maxX = Math.max(...x);
    let hits = 0;
    for (let k = 0; k < 2000; k++) {
      const px = rand() * (maxX + 200) - 50;
      const py = minY + rand() * (maxY - minY);
      const got = grid.hitTest(px, py);
      const inside = [];
      for (let i = 0; i < x.length; i++) {
        const dx = px - x[i]!;
        if (dx >= -8 && dx <= HIT_WIDTH && Math.abs(py - y[i]!) <= ROW_HEIGHT / 2) inside.push(i);
      }
      if (inside.length === 0) expect(got).toBe(-1);
      else {
        expect(inside).toContain(got);
        hits++;
      }
    }
    expect(hits).toBeGreaterThan(100);
  });
});
