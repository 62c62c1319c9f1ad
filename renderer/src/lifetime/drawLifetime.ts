/**
 * Draws one frame of the lifetime view: a time axis on top, a label column on the left (lineage
 * indented), and per row the process's bar from fork to exit (or to now), one segment per command
 * (coloured by it), and an end cap saying how it ended. A fold row draws its members' density:
 * per pixel column, how many of them were alive. Only the rows on screen are drawn, so a frame
 * costs the same with 200 rows or 20k.
 *
 * Process data is drawn with fillText (never markup) after visibleText, as the tree does.
 */
import type { ProcKey } from '../../../electron/common/process';
import { formatDuration } from '../text/format';
import { visibleText } from '../text/visibleText';
import { formatMoment } from '../timeline/timeScale';
import { truncate } from '../tree/nodeLabel';
import type { LifetimeEntry } from './LifetimeModel';
import type { FoldRow, LifetimeRow } from './rows';
import { tickStep, type VisibleTime } from './timeWindow';

export const ROW_HEIGHT = 18;
export const AXIS_HEIGHT = 22;
export const LABEL_WIDTH = 260;
const INDENT = 10;
const MAX_INDENT_DEPTH = 12;
const FONT_PX = 11;
const CHAR_PX = FONT_PX * 0.6;
const CAP_PX = 3;

export const COLORS = {
  background: '#16181c',
  labelBackground: '#1c1f24',
  grid: '#2a2e35',
  axisText: '#9aa2ae',
  label: '#e3e6eb',
  labelDim: '#9aa2ae',
  selected: '#213a63',
  hover: '#23272e',
  now: '#6ea8ff',
  fold: '#8fb3ff',
  exitOk: '#4caf50',
  exitFail: '#ffb300',
  exitSignal: '#e53935',
  exitUnknown: '#7d848f',
  barText: '#101216',
};

export interface LifetimeFrame {
  rows: readonly LifetimeRow[];
  time: VisibleTime;
  now: number;
  width: number;
  height: number;
  scrollTop: number;
  selectedKey: ProcKey | null;
  /** Index of the row under the pointer, -1 for none. */
  hoverRow: number;
}

/** The row drawn at y (CSS px), or -1. */
export function rowAt(y: number, scrollTop: number, rowCount: number): number {
  if (y < AXIS_HEIGHT) return -1;
  const index = Math.floor((y - AXIS_HEIGHT + scrollTop) / ROW_HEIGHT);
  return index >= 0 && index < rowCount ? index : -1;
}

export function barsWidth(width: number): number {
  return Math.max(1, width - LABEL_WIDTH);
}

/** x (CSS px, unclamped) of moment t. */
export function timeX(t: number, time: VisibleTime, width: number): number {
  return LABEL_WIDTH + ((t - time.start) / Math.max(1e-6, time.end - time.start)) * barsWidth(width);
}

export function drawLifetime(ctx: CanvasRenderingContext2D, frame: LifetimeFrame): void {
  const { width, height, rows, scrollTop } = frame;
  ctx.fillStyle = COLORS.background;
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = COLORS.labelBackground;
  ctx.fillRect(0, 0, LABEL_WIDTH, height);
  ctx.font = `${FONT_PX}px ui-monospace, monospace`;
  ctx.textBaseline = 'middle';
  drawAxis(ctx, frame);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT));
  const last = Math.min(rows.length - 1, Math.ceil((scrollTop + height - AXIS_HEIGHT) / ROW_HEIGHT));
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, AXIS_HEIGHT, width, height - AXIS_HEIGHT);
  ctx.clip();
  for (let i = first; i <= last; i++) {
    const row = rows[i]!;
    const y = AXIS_HEIGHT + i * ROW_HEIGHT - scrollTop;
    const selected = row.kind === 'process' && row.entry.key === frame.selectedKey;
    if (selected || i === frame.hoverRow) {
      ctx.fillStyle = selected ? COLORS.selected : COLORS.hover;
      ctx.fillRect(0, y, width, ROW_HEIGHT);
    }
    drawLabel(ctx, row, y);
    if (row.kind === 'process') drawBar(ctx, row.entry, y, frame);
    else drawFold(ctx, row, y, frame);
  }
  ctx.restore();

  const nowX = timeX(frame.now, frame.time, width);
  if (nowX >= LABEL_WIDTH && nowX <= width) {
    ctx.fillStyle = COLORS.now;
    ctx.fillRect(Math.min(width - 1, nowX), 0, 1, height);
  }
}

function drawAxis(ctx: CanvasRenderingContext2D, frame: LifetimeFrame): void {
  const { time, width, height } = frame;
  const step = tickStep(time.end - time.start, Math.max(2, Math.floor(barsWidth(width) / 110)));
  ctx.fillStyle = COLORS.axisText;
  for (let t = Math.ceil(time.start / step) * step; t <= time.end; t += step) {
    const x = Math.round(timeX(t, time, width));
    ctx.fillStyle = COLORS.grid;
    ctx.fillRect(x, 0, 1, height);
    ctx.fillStyle = COLORS.axisText;
    ctx.fillText(step >= 1000 ? formatMoment(t).slice(0, 8) : formatMoment(t), x + 3, AXIS_HEIGHT / 2);
  }
  ctx.fillStyle = COLORS.grid;
  ctx.fillRect(0, AXIS_HEIGHT - 1, width, 1);
  ctx.fillStyle = COLORS.axisText;
  ctx.fillText(`${formatDuration(time.end - time.start)} shown`, 6, AXIS_HEIGHT / 2);
}

function drawLabel(ctx: CanvasRenderingContext2D, row: LifetimeRow, y: number): void {
  const indent = Math.min(row.depth, MAX_INDENT_DEPTH) * INDENT + 6;
  const maxChars = Math.floor((LABEL_WIDTH - indent - 6) / CHAR_PX);
  let text: string;
  if (row.kind === 'fold') {
    ctx.fillStyle = COLORS.fold;
    text = `${row.open ? '▾' : '▸'} ${visibleText(row.command)} ×${row.members.length}`;
  } else {
    ctx.fillStyle = row.entry.end === null ? COLORS.label : COLORS.labelDim;
    text = `${row.entry.info.pid} ${visibleText(row.entry.segments[row.entry.segments.length - 1]!.command)}`;
  }
  ctx.fillText(truncate(text, maxChars), indent, y + ROW_HEIGHT / 2);
}

function drawBar(ctx: CanvasRenderingContext2D, entry: LifetimeEntry, y: number, frame: LifetimeFrame): void {
  const { time, width } = frame;
  const end = entry.end ?? frame.now;
  if (end < time.start || entry.start > time.end) return;
  const top = y + 3;
  const h = ROW_HEIGHT - 6;
  const segments = entry.segments;
  for (let s = 0; s < segments.length; s++) {
    const segment = segments[s]!;
    const segEnd = s + 1 < segments.length ? segments[s + 1]!.at : end;
    const x0 = Math.max(LABEL_WIDTH, timeX(segment.at, time, width));
    const x1 = Math.min(width, timeX(segEnd, time, width));
    if (x1 < LABEL_WIDTH || x0 > width) continue;
    const w = Math.max(1, x1 - x0);
    ctx.fillStyle = commandColor(segment.command);
    ctx.fillRect(x0, top, w, h);
    if (w > 4 * CHAR_PX) {
      ctx.fillStyle = COLORS.barText;
      ctx.fillText(truncate(visibleText(segment.command), Math.floor((w - 4) / CHAR_PX)), x0 + 2, y + ROW_HEIGHT / 2);
    }
  }
  if (entry.end !== null) {
    const x = timeX(entry.end, time, width);
    if (x >= LABEL_WIDTH && x <= width + CAP_PX) {
      ctx.fillStyle = endColor(entry);
      ctx.fillRect(x - CAP_PX, y + 1, CAP_PX, ROW_HEIGHT - 2);
    }
  }
}

/** Members alive per pixel column, drawn as a strip whose opacity grows with the count. */
function drawFold(ctx: CanvasRenderingContext2D, row: FoldRow, y: number, frame: LifetimeFrame): void {
  const { time, width } = frame;
  const columns = Math.ceil(barsWidth(width));
  const counts = new Float32Array(columns + 1);
  for (const member of row.members) {
    const end = member.end ?? frame.now;
    if (end < time.start || member.start > time.end) continue;
    const c0 = Math.max(0, Math.floor(timeX(member.start, time, width) - LABEL_WIDTH));
    const c1 = Math.min(columns - 1, Math.floor(timeX(end, time, width) - LABEL_WIDTH));
    // Difference array: +1 where a life begins, −1 after it ends, then one prefix sum.
    counts[Math.min(c0, columns - 1)]! += 1;
    counts[Math.max(c0, c1) + 1]! -= 1;
  }
  let alive = 0;
  let max = 1;
  for (let c = 0; c < columns; c++) {
    alive += counts[c]!;
    counts[c] = alive;
    if (alive > max) max = alive;
  }
  ctx.fillStyle = commandColor(row.command);
  const top = y + 3;
  const h = ROW_HEIGHT - 6;
  for (let c = 0; c < columns; c++) {
    const n = counts[c]!;
    if (n <= 0) continue;
    ctx.globalAlpha = 0.25 + 0.75 * Math.sqrt(n / max);
    ctx.fillRect(LABEL_WIDTH + c, top, 1, h);
  }
  ctx.globalAlpha = 1;
}

function endColor(entry: LifetimeEntry): string {
  const exit = entry.exit;
  if (!exit) return COLORS.exitUnknown;
  if (exit.signal || exit.core) return COLORS.exitSignal;
  if (exit.code === undefined) return COLORS.exitUnknown;
  return exit.code === 0 ? COLORS.exitOk : COLORS.exitFail;
}

const colorCache = new Map<string, string>();
const COLOR_CACHE_MAX = 4096;

/** A stable colour per command (hash → hue), so every `cc` looks alike across rows. */
export function commandColor(command: string): string {
  let color = colorCache.get(command);
  if (color) return color;
  let hash = 2166136261;
  for (let i = 0; i < command.length; i++) hash = Math.imul(hash ^ command.charCodeAt(i), 16777619);
  color = `hsl(${(hash >>> 0) % 360} 55% 62%)`;
  if (colorCache.size >= COLOR_CACHE_MAX) colorCache.clear();
  colorCache.set(command, color);
  return color;
}
