/**
 * Frame statistics for the benchmark page: intervals between requestAnimationFrame callbacks and,
 * where the browser supports it, long animation frames (PerformanceObserver 'long-animation-frame').
 * Its requestAnimationFrame is its own, not a client of the app's frame loop (app/frameLoop.ts): it
 * measures every frame the browser runs, the loop's busy ones and idle ones alike, and must not
 * keep the loop awake or be ordered among the phases it measures.
 */
export interface FrameStats {
  frames: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Frames the display would have shown but we missed: Σ max(0, round(interval / 16.67) − 1). */
  dropped: number;
  droppedPct: number;
  /** Long animation frames over 50 ms; null when the browser cannot observe them. */
  longFrames: number | null;
  longestLongFrameMs: number | null;
}

const FRAME_MS = 1000 / 60;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export class FrameRecorder {
  private intervals: number[] = [];
  private last = 0;
  private handle = 0;
  private longFrames: number[] = [];
  private observer: PerformanceObserver | null = null;
  readonly longFramesSupported = PerformanceObserver.supportedEntryTypes.includes('long-animation-frame');

  start(): void {
    this.intervals = [];
    this.longFrames = [];
    this.last = 0;
    const tick = (now: number) => {
      if (this.last > 0) this.intervals.push(now - this.last);
      this.last = now;
      this.handle = requestAnimationFrame(tick);
    };
    this.handle = requestAnimationFrame(tick);
    if (this.longFramesSupported) {
      this.observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) if (entry.duration > 50) this.longFrames.push(entry.duration);
      });
      this.observer.observe({ type: 'long-animation-frame' });
    }
  }

  stop(): FrameStats {
    cancelAnimationFrame(this.handle);
    this.observer?.disconnect();
    this.observer = null;
    const sorted = this.intervals.slice().sort((a, b) => a - b);
    let dropped = 0;
    for (const interval of this.intervals) dropped += Math.max(0, Math.round(interval / FRAME_MS) - 1);
    return {
      frames: sorted.length,
      p50Ms: percentile(sorted, 0.5),
      p95Ms: percentile(sorted, 0.95),
      p99Ms: percentile(sorted, 0.99),
      maxMs: sorted[sorted.length - 1] ?? 0,
      dropped,
      droppedPct: sorted.length === 0 ? 0 : (100 * dropped) / (sorted.length + dropped),
      longFrames: this.longFramesSupported ? this.longFrames.length : null,
      longestLongFrameMs: this.longFramesSupported ? Math.max(0, ...this.longFrames) : null,
    };
  }
}
