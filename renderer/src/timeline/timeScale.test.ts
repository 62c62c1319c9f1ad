import { describe, expect, it } from 'vitest';
import type { TimelineDensity } from '../../../electron/common/timeline';
import { barHeight, densityColumns, timeToX, xToTime } from './timeScale';

const range = { start: 1000, end: 2000 };

describe('playhead ↔ time', () => {
  it('maps both ways and round-trips', () => {
    expect(timeToX(1500, range, 400)).toBe(200);
    expect(xToTime(200, range, 400)).toBe(1500);
    for (const ts of [1000, 1234.5, 1999]) expect(xToTime(timeToX(ts, range, 800), range, 800)).toBeCloseTo(ts, 9);
  });

  it('clamps a drag past either end to the recording', () => {
    expect(xToTime(-50, range, 400)).toBe(1000);
    expect(xToTime(900, range, 400)).toBe(2000);
    expect(timeToX(500, range, 400)).toBe(0);
    expect(timeToX(9999, range, 400)).toBe(400);
  });

  it('survives an empty range or a strip not laid out yet', () => {
    expect(timeToX(1000, { start: 1000, end: 1000 }, 400)).toBe(0);
    expect(xToTime(10, range, 0)).toBe(1000);
  });
});

describe('density columns', () => {
  const density = (counts: number[], losses: number[] = []): TimelineDensity => ({
    start: 0,
    end: 1000,
    bucketMs: 1000 / counts.length,
    counts,
    losses: losses.map((ts) => ({ ts, count: 3, reason: 'ENOBUFS' })),
  });

  it('folds many buckets into fewer columns without losing or doubling an event', () => {
    const counts = Array.from({ length: 2048 }, (_, i) => i % 7);
    const columns = densityColumns(density(counts), 333);
    expect(columns.counts).toHaveLength(333);
    expect(columns.counts.reduce((a, b) => a + b, 0)).toBe(counts.reduce((a, b) => a + b, 0));
  });

  it('spreads few buckets over many columns at the right places', () => {
    const columns = densityColumns(density([5, 0, 0, 9]), 8);
    expect(columns.counts).toEqual([0, 5, 0, 0, 0, 0, 0, 9]);
    expect(columns.max).toBe(9);
  });

  it('places loss markers where they happened', () => {
    expect(densityColumns(density([1, 1], [0, 500, 1000]), 100).losses).toEqual([0, 50, 99]);
  });

  it('scales bars by square root, keeping any event visible', () => {
    expect(barHeight(0, 100, 40)).toBe(0);
    expect(barHeight(100, 100, 40)).toBe(40);
    expect(barHeight(25, 100, 40)).toBe(20);
    expect(barHeight(1, 1_000_000, 40)).toBe(1);
  });
});
