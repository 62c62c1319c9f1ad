/** Nearest-rank percentiles for bench figures (latency samples). */

/**
 * The p-th percentile (0 < p ≤ 100) by nearest rank: the smallest sample with at least p% of
 * samples at or below it. Throws on an empty sample, so a bench that measured nothing cannot
 * report a figure.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of nothing');
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[rank - 1]!;
}
