import { describe, expect, it } from 'vitest';
import type { TimelineState } from '../../../electron/common/timeline';
import { LifetimeClock } from './LifetimeClock';

function replay(playing: boolean): TimelineState {
  return { mode: 'file', label: 'x', liveAvailable: true, playback: { time: 5000, position: 0, start: 1000, end: 9000, speed: 2, playing } };
}

describe('LifetimeClock', () => {
  it('is the wall clock live, the advancing playhead in a replay, and frozen while paused', () => {
    let wall = 100_000;
    let mono = 10;
    const clock = new LifetimeClock(() => wall, () => mono);
    expect(clock.now()).toBe(100_000);
    clock.setTimeline(replay(true));
    mono += 500;
    expect(clock.now()).toBe(6000);
    mono += 10_000;
    expect(clock.now()).toBe(9000);
    clock.setTimeline(replay(false));
    expect(clock.now()).toBe(5000);
    clock.setTimeline({ mode: 'live', label: 'live', liveAvailable: true });
    clock.setPaused(true);
    wall += 1000;
    expect(clock.now()).toBe(100_000);
    clock.setPaused(false);
    expect(clock.now()).toBe(101_000);
  });
});
