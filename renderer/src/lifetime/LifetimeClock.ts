/**
 * "Now" for the lifetime view, on the processes' clock: the wall clock live, the playhead in a
 * replay (advancing between the host's playback pushes at the playback speed, so the right edge
 * moves smoothly), and frozen while the window is paused.
 */
import type { PlaybackInfo, TimelineState } from '../../../electron/common/timeline';

export class LifetimeClock {
  private playback: { info: PlaybackInfo; at: number } | null = null;
  private frozen: number | null = null;

  constructor(
    private readonly wall: () => number = Date.now,
    private readonly monotonic: () => number = () => performance.now(),
  ) {}

  readonly now = (): number => {
    if (this.frozen !== null) return this.frozen;
    return this.running();
  };

  setTimeline(state: TimelineState): void {
    this.playback = state.mode !== 'live' && state.playback ? { info: state.playback, at: this.monotonic() } : null;
  }

  setPaused(paused: boolean): void {
    this.frozen = paused ? this.running() : null;
  }

  private running(): number {
    if (!this.playback) return this.wall();
    const { info, at } = this.playback;
    if (!info.playing) return info.time;
    return Math.min(info.end, info.time + (this.monotonic() - at) * info.speed);
  }
}
