import { describe, expect, it } from 'vitest';
import { percentile } from '../percentile';

describe('percentile', () => {
  it('takes the nearest rank, whatever the input order', () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 90)).toBe(9);
    expect(percentile(values, 99)).toBe(10);
    expect(percentile(values, 100)).toBe(10);
    expect(percentile(values, 1)).toBe(1);
  });

  it('at p99 passes over one slow sample in a hundred, but not two in 101', () => {
    const values = [...Array.from({ length: 99 }, () => 10), 400];
    expect(percentile(values, 99)).toBe(10);
    expect(percentile([...values, 400], 99)).toBe(400);
    expect(percentile(values, 100)).toBe(400);
  });

  it('refuses an empty sample and out-of-range percentiles', () => {
    expect(() => percentile([], 50)).toThrow(RangeError);
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});
