/**
 * The timeline strip's geometry: recording time ↔ pixels, and the host's density buckets folded
 * into one bar per pixel column. Pure, so the strip's drawing and dragging are tested without a
 * canvas.
 */
import type { TimelineDensity } from '../../../electron/common/timeline';

export interface TimeRange {
  start: number;
  end: number;
}

/** x in [0, width] of a moment; moments outside the range stick to the edges. */
export function timeToX(ts: number, range: TimeRange, width: number): number {
  const span = range.end - range.start;
  if (!(span > 0) || !(width > 0)) return 0;
  return Math.min(width, Math.max(0, ((ts - range.start) / span) * width));
}

/** The moment under x; x outside the strip (a drag past its ends) clamps to the range. */
export function xToTime(x: number, range: TimeRange, width: number): number {
  if (!(width > 0)) return range.start;
  const fraction = Math.min(1, Math.max(0, x / width));
  return range.start + fraction * (range.end - range.start);
}

export interface DensityColumns {
  /** Events per pixel column (summed from the host's buckets). */
  counts: number[];
  /** The largest column, for scaling bar heights (at least 1). */
  max: number;
  /** x of every loss marker, in column units. */
  losses: number[];
}

/**
 * Fold the host's buckets into `columns` bars. Each bucket's events go to the column holding the
 * bucket's midpoint, so no event is counted twice or dropped whatever the two sizes are.
 */
export function densityColumns(density: TimelineDensity, columns: number): DensityColumns {
  const width = Math.max(1, Math.floor(columns));
  const counts = new Array<number>(width).fill(0);
  const buckets = density.counts.length;
  for (let i = 0; i < buckets; i++) {
    const column = Math.min(width - 1, Math.floor(((i + 0.5) / buckets) * width));
    counts[column] = (counts[column] ?? 0) + (density.counts[i] ?? 0);
  }
  const range = { start: density.start, end: density.end };
  return {
    counts,
    max: Math.max(1, ...counts),
    losses: density.losses.map((loss) => Math.min(width - 1, Math.floor(timeToX(loss.ts, range, width)))),
  };
}

/** Bar height for `count` in a strip `height` tall: square-root scale, so a storm does not flatten the rest. */
export function barHeight(count: number, max: number, height: number): number {
  if (count <= 0) return 0;
  return Math.max(1, Math.round(Math.sqrt(count / max) * height));
}

/** "12:03:04.250" — local wall time of a recording moment, to the millisecond. */
export function formatMoment(ts: number): string {
  const date = new Date(ts);
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** The speeds the speed picker offers, within the host's 0.1×–10×. */
export const PLAYBACK_SPEEDS = [0.1, 0.25, 0.5, 1, 2, 5, 10] as const;
