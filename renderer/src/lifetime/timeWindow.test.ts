import { describe, expect, it } from 'vitest';
import { initialWindow, MIN_SPAN_MS, panWindow, showRange, tickStep, visibleTime, zoomWindow } from './timeWindow';

describe('time window', () => {
  it('follows now, and zooming keeps the live edge', () => {
    const live = initialWindow();
    expect(visibleTime(live, 100_000)).toEqual({ start: 40_000, end: 100_000 });
    const zoomed = zoomWindow(live, 0.5, 0.2, 100_000);
    expect(zoomed.follow).toBe(true);
    expect(visibleTime(zoomed, 130_000)).toEqual({ start: 100_000, end: 130_000 });
  });

  it('stops following when dragged into the past, and follows again when dragged back to now', () => {
    const past = panWindow(initialWindow(), -10_000, 100_000);
    expect(past.follow).toBe(false);
    expect(visibleTime(past, 200_000)).toEqual({ start: 30_000, end: 90_000 });
    const back = panWindow(past, 15_000, 100_000);
    expect(back.follow).toBe(true);
  });

  it('zooms about the anchor when not following, and bounds the span', () => {
    const past = { span: 1000, end: 5000, follow: false };
    const zoomed = zoomWindow(past, 0.5, 0.5, 100_000);
    expect(visibleTime(zoomed, 100_000)).toEqual({ start: 4250, end: 4750 });
    expect(zoomWindow(past, 1e-9, 0.5, 100_000).span).toBe(MIN_SPAN_MS);
  });

  it('shows a range whole, following when it reaches now', () => {
    expect(showRange(1000, 2000, 100_000).follow).toBe(false);
    expect(showRange(1000, 99_990, 100_000).follow).toBe(true);
  });

  it('picks round tick steps', () => {
    expect(tickStep(60_000, 6)).toBe(10_000);
    expect(tickStep(1300, 5)).toBe(500);
  });
});
