/**
 * The timeline's state from the host (pushed on every change) and the density of what is shown,
 * re-read when the recording changes — and every few seconds in live mode, where the ring grows.
 */
import { useEffect, useState } from 'react';
import type { TimelineBridge, TimelineDensity, TimelineState } from '../../../electron/common/timeline';

/** Buckets asked of the host: finer than any strip is wide, so columns fold evenly. */
export const DENSITY_BUCKETS = 2048;
const LIVE_DENSITY_REFRESH_MS = 5000;

export interface TimelineData {
  state: TimelineState | null;
  density: TimelineDensity | null;
  error: string | null;
  setError(error: string | null): void;
}

export function useTimeline(timeline: TimelineBridge): TimelineData {
  const [state, setState] = useState<TimelineState | null>(null);
  const [density, setDensity] = useState<TimelineDensity | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let alive = true;
    const off = timeline.onTimeline((next) => setState(next));
    timeline.timelineState().then(
      (next) => alive && setState(next),
      (reason: unknown) => alive && setError(messageOf(reason)),
    );
    return () => {
      alive = false;
      off();
    };
  }, [timeline]);

  // What identifies "the recording shown": a new one (or a rewind) needs its density read again.
  const mode = state?.mode;
  const recordingId = state ? `${state.mode}|${state.label}|${state.playback?.start ?? ''}|${state.playback?.end ?? ''}` : null;
  useEffect(() => {
    if (recordingId === null) return;
    let alive = true;
    const load = (): void => {
      timeline.timeline(DENSITY_BUCKETS).then(
        (next) => alive && setDensity(next),
        // Live with nothing in the ring yet, or a host without one: the strip stays empty.
        () => alive && setDensity(null),
      );
    };
    load();
    // A poll of the host (the ring's density grows), not drawing: no business of the frame loop.
    const timer = mode === 'live' ? setInterval(load, LIVE_DENSITY_REFRESH_MS) : undefined;
    return () => {
      alive = false;
      if (timer) clearInterval(timer);
    };
  }, [timeline, recordingId, mode]);

  return { state, density, error, setError };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
