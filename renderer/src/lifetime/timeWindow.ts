/**
 * The lifetime view's time axis: which stretch of time the bars area shows, and how dragging and
 * zooming move it. Following live, the right edge is "now" and moves with it; zooming keeps it
 * there (only the span changes), dragging into the past stops following, and dragging back up to
 * now (or the Follow live button) follows again — so the live edge is never lost. Pure.
 */
export const MIN_SPAN_MS = 20;
export const MAX_SPAN_MS = 7 * 24 * 3600 * 1000;
export const DEFAULT_SPAN_MS = 60_000;

export interface TimeWindow {
  span: number;
  /** The right edge when not following (ignored while following: the edge is now). */
  end: number;
  follow: boolean;
}

export interface VisibleTime {
  start: number;
  end: number;
}

export function initialWindow(): TimeWindow {
  return { span: DEFAULT_SPAN_MS, end: 0, follow: true };
}

export function visibleTime(window: TimeWindow, now: number): VisibleTime {
  const end = window.follow ? now : window.end;
  return { start: end - window.span, end };
}

/**
 * Zoom by `factor` (> 1 zooms out) keeping the moment at `anchor` (0 = left edge, 1 = right) in
 * place. Following live, the right edge stays at now whatever the anchor.
 */
export function zoomWindow(window: TimeWindow, factor: number, anchor: number, now: number): TimeWindow {
  const span = clampSpan(window.span * factor);
  if (window.follow) return { ...window, span };
  const { start, end } = visibleTime(window, now);
  const at = start + Math.min(1, Math.max(0, anchor)) * (end - start);
  return settle({ span, end: at + (1 - anchor) * span, follow: false }, now);
}

/** Move the window by `ms` (positive shows later times). Reaching now follows live again. */
export function panWindow(window: TimeWindow, ms: number, now: number): TimeWindow {
  const { end } = visibleTime(window, now);
  return settle({ span: window.span, end: end + ms, follow: false }, now);
}

/** Show [start, end] whole; an end at or past now follows live. */
export function showRange(start: number, end: number, now: number): TimeWindow {
  const span = clampSpan((end - start) * 1.05);
  return settle({ span, end: start + span, follow: false }, now);
}

function settle(window: TimeWindow, now: number): TimeWindow {
  return window.end >= now ? { span: window.span, end: now, follow: true } : window;
}

function clampSpan(span: number): number {
  return Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, Number.isFinite(span) ? span : DEFAULT_SPAN_MS));
}

/** Tick spacing for an axis `span` ms wide with room for about `count` ticks: 1/2/5 × 10^n ms. */
export function tickStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-3)));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}
