import { describe, expect, it } from 'vitest';
import { computeLayout } from './computeLayout';
import { COLUMN_WIDTH, ROW_HEIGHT } from './layoutProtocol';

describe('computeLayout', () => {
  it('puts depth on x and stacks siblings on y around their parent', () => {
    // 0 ─┬─ 1 ── 2
    //    ├─ 3
    //    └─ 4
    const { x, y, bounds } = computeLayout(7, Int32Array.from([-1, 0, 1, 0, 0]));
    expect(Array.from(x)).toEqual([0, COLUMN_WIDTH, 2 * COLUMN_WIDTH, COLUMN_WIDTH, COLUMN_WIDTH]);
    expect(y[3]! - y[1]!).toBe(ROW_HEIGHT);
    expect(y[4]! - y[3]!).toBe(ROW_HEIGHT);
    expect(y[0]).toBe(y[3]); // parent centred on its three children
    expect(y[2]).toBe(y[1]); // only child level with its parent
    expect(bounds).toEqual({ minX: 0, maxX: 2 * COLUMN_WIDTH, minY: Math.min(...y), maxY: Math.max(...y) });
  });

  it('keeps sibling order when a child is appended, so the tree does not jump', () => {
    const before = computeLayout(1, Int32Array.from([-1, 0, 0, 0]));
    const after = computeLayout(2, Int32Array.from([-1, 0, 0, 0, 0]));
    for (const layout of [before, after]) {
      for (let i = 2; i < layout.y.length; i++) expect(layout.y[i]).toBeGreaterThan(layout.y[i - 1]!);
    }
    // Relative spacing of the old siblings is unchanged.
    expect(after.y[2]! - after.y[1]!).toBe(before.y[2]! - before.y[1]!);
    expect(after.y[3]! - after.y[1]!).toBe(before.y[3]! - before.y[1]!);
  });

  it('lays out a forest with every root in column 0 and no overlapping rows', () => {
    const { x, y } = computeLayout(3, Int32Array.from([-1, 0, -1, 2, 2]));
    expect(x[0]).toBe(0);
    expect(x[2]).toBe(0);
    const rows = new Set(Array.from(y).map((v, i) => `${x[i]},${v}`));
    expect(rows.size).toBe(5);
  });

  it('handles an empty scene and a 2000-deep chain (fork bomb) without recursion limits', () => {
    expect(computeLayout(4, new Int32Array(0)).x.length).toBe(0);
    const chain = Int32Array.from({ length: 2000 }, (_, i) => i - 1);
    const { x } = computeLayout(5, chain);
    expect(x[1999]).toBe(1999 * COLUMN_WIDTH);
  });

  it('rejects input that is not in preorder', () => {
    expect(() => computeLayout(6, Int32Array.from([-1, 2, 0]))).toThrow(/preorder/);
  });
});
