import { describe, expect, it } from 'vitest';
import { PositionTween, TWEEN_MS } from './positionTween';

describe('PositionTween', () => {
  const previous = { previousIndex: Int32Array.from([0, 1, -1]), x: Float32Array.from([0, 100]), y: Float32Array.from([0, 0]) };
  const target = { parent: Int32Array.from([-1, 0, 1]), x: Float32Array.from([0, 100, 200]), y: Float32Array.from([10, 10, 10]) };

  it('glides kept nodes from their old spot and grows new ones out of their parent', () => {
    const tween = new PositionTween(target, 0, previous);
    expect(Array.from(tween.x)).toEqual([0, 100, 100]); // c starts at its parent b
    expect(Array.from(tween.y)).toEqual([0, 0, 0]);
    tween.advance(TWEEN_MS / 2);
    expect(tween.y[0]).toBeGreaterThan(0);
    expect(tween.y[0]).toBeLessThan(10);
    expect(tween.x[2]).toBeGreaterThan(100);
    expect(tween.settled).toBe(false);
    expect(tween.advance(TWEEN_MS)).toBe(true);
    expect(tween.settled).toBe(true);
    expect(Array.from(tween.x)).toEqual([0, 100, 200]);
    expect(tween.advance(TWEEN_MS * 2)).toBe(false);
  });

  it('places the first layout directly', () => {
    const tween = new PositionTween(target, 0, null);
    expect(tween.settled).toBe(true);
    expect(Array.from(tween.y)).toEqual([10, 10, 10]);
  });

  it('is settled at once when the new layout moves nothing (the model changed elsewhere)', () => {
    const same = { parent: Int32Array.from([-1, 0]), x: Float32Array.from([0, 100]), y: Float32Array.from([0, 0]) };
    const tween = new PositionTween(same, 0, { previousIndex: Int32Array.from([0, 1]), x: Float32Array.from([0, 100]), y: Float32Array.from([0, 0.001]) });
    expect(tween.settled).toBe(true);
    expect(Array.from(tween.y)).toEqual([0, 0]);
    // A new node grows out of its parent: that is a move.
    expect(new PositionTween(target, 0, { ...previous, previousIndex: Int32Array.from([0, 1, -1]), y: Float32Array.from([10, 10]) }).settled).toBe(false);
  });
});
