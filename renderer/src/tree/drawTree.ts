/**
 * Canvas drawing of a laid-out scene, in two modes chosen by zoom:
 *
 * - vector (zoomed in): edges are one path and one stroke; nodes are sorted into a few style
 *   buckets, one Path2D and one fill each; labels once rows are tall enough to read. Culling keeps
 *   this to what is on screen — a few hundred nodes.
 * - pixel (zoomed out, markers under ~1.5 px): thousands of nodes share each pixel row, and a
 *   software rasteriser (no GPU here) spends far longer filling a path of 20k sub-pixel rects than
 *   it takes to write the pixels ourselves. Nodes and edges are written into an ImageData buffer
 *   and put in one call.
 */
import type { Camera } from './camera';
import { COLUMN_WIDTH, ROW_HEIGHT } from './layoutProtocol';
import { HIT_WIDTH } from './hitGrid';
import { visibleText } from '../text/visibleText';
import { processLabel, truncate } from './nodeLabel';
import { aggregateLabel } from './aggregates';
import { isAggregate, SceneFlag, type Scene } from './scene';

export interface Viewport {
  width: number;
  height: number;
  /** devicePixelRatio the canvases are sized for. */
  dpr: number;
}

export interface NodeTiming {
  now: number;
  fadeMs: number;
  /**
   * performance.now() when each scene index first got a position. A process forked just after a
   * relayout only appears at the next one: it grows from then, not from its fork.
   */
  appearedAt: Float64Array;
}

const GROW_MS = 300;
const FLASH_MS = 450;
/** Marker half-size in world units (a row is 18). */
const MARKER = 4.5;
const LABEL_MIN_ROW_PX = 10;
/** The smallest scale at which labels are drawn: framing a tree never goes below it by itself. */
export const LABEL_MIN_SCALE = LABEL_MIN_ROW_PX / ROW_HEIGHT;
/**
 * Edge geometry. Children sit one column right of their parent. The parent's label owns its row
 * up to LABEL_END (where hit testing stops too), so the edge leaves the parent there, drops along
 * a bar just before the children's column, and enters each child from ELBOW_GAP to its left.
 */
const LABEL_END = HIT_WIDTH;
const ELBOW_GAP = COLUMN_WIDTH * 0.1;
const BAR_OFFSET = COLUMN_WIDTH - ELBOW_GAP;
/** Below this marker half-size in CSS px, draw in pixel mode. */
const PIXEL_MODE_HALF_PX = 1.5;
/** Fade steps for exited nodes: one bucket per step instead of one fill per node. */
const FADE_STEPS = 8;

interface Style {
  css: string;
  alpha: number;
  /** The same colour as a little-endian RGBA word for ImageData. */
  word: number;
}

function style(r: number, g: number, b: number, alpha: number): Style {
  return { css: `rgb(${r},${g},${b})`, alpha, word: ((Math.round(alpha * 255) << 24) | (b << 16) | (g << 8) | r) >>> 0 };
}

const STYLE = {
  live: 0,
  kernel: 1,
  fresh: 2,
  aggregate: 3,
  dimLive: 4,
  dimKernel: 5,
  flash: 6,
  group: 7,
  exited: 8, // 8 .. 8 + FADE_STEPS - 1, brightest first
} as const;

const STYLES: Style[] = [
  style(91, 141, 239, 1),
  style(138, 143, 152, 1),
  style(76, 195, 138, 1),
  style(245, 165, 36, 1),
  style(91, 141, 239, 0.3),
  style(138, 143, 152, 0.3),
  style(255, 224, 102, 0.5),
  style(180, 142, 240, 1),
  // Red at once, then fading over fadeMs to a faint mark until the model removes the tombstone.
  ...Array.from({ length: FADE_STEPS }, (_, step) => style(229, 72, 77, 1 - (0.8 * step) / (FADE_STEPS - 1))),
];

/** Flash halos first, so the markers sit on top of them. */
const FILL_ORDER = [STYLE.flash, ...Array.from(STYLES.keys()).filter((k) => k !== STYLE.flash)];

const EDGE = style(140, 150, 170, 0.55);
const COLORS = { selection: '#ffffff', label: '#d8dee9', labelDim: 'rgba(216,222,233,0.35)', labelExited: '#f0a0a3', labelAggregate: '#f5a524', labelGroup: '#c9b3f5' };

/** How one entry looks at time `now`. Reused object: the draw loops run per node per frame. */
interface Look {
  style: number;
  /** Marker size relative to a settled node (grows from 0.15 to 1; aggregates are 1.6). */
  size: number;
  /** Exec flash halo relative to the marker, 0 for none. */
  flash: number;
  animating: boolean;
}

function lookOf(scene: Scene, index: number, timing: NodeTiming, look: Look): Look {
  const flags = scene.flags[index]!;
  look.flash = 0;
  look.animating = false;
  if (flags & SceneFlag.aggregate) {
    look.style = STYLE.aggregate;
    look.size = 1.6;
    return look;
  }
  if (flags & SceneFlag.group) {
    look.style = STYLE.group;
    look.size = 1.6;
    return look;
  }
  const { now, fadeMs } = timing;
  const age = now - Math.max(scene.addedAt[index]!, timing.appearedAt[index]!);
  const growing = age < GROW_MS;
  look.size = growing ? Math.max(0.15, age / GROW_MS) : 1;
  if (growing) look.animating = true;
  const sinceExec = now - scene.execAt[index]!; // NaN when it never exec'd: comparisons fail
  if (sinceExec < FLASH_MS) {
    look.flash = 2.2 - sinceExec / FLASH_MS;
    look.animating = true;
  }
  const exitedAt = scene.exitedAt[index]!;
  const kernel = (flags & SceneFlag.kernelThread) !== 0;
  if (!Number.isNaN(exitedAt)) {
    const t = Math.min(1, (now - exitedAt) / Math.max(fadeMs, 1));
    if (t < 1) look.animating = true;
    look.style = STYLE.exited + Math.round(t * (FADE_STEPS - 1));
  } else if (flags & SceneFlag.dimmed) {
    look.style = kernel ? STYLE.dimKernel : STYLE.dimLive;
  } else {
    look.style = growing ? STYLE.fresh : kernel ? STYLE.kernel : STYLE.live;
  }
  return look;
}

/** World rectangle on screen, widened so labels and edges entering from the left are kept. */
function visibleRect(camera: Camera, view: Viewport, padPx: number) {
  return {
    minX: camera.toWorldX(-padPx) - COLUMN_WIDTH,
    maxX: camera.toWorldX(view.width + padPx),
    minY: camera.toWorldY(-padPx),
    maxY: camera.toWorldY(view.height + padPx),
  };
}

export function usesPixelMode(camera: Camera): boolean {
  return MARKER * camera.scale < PIXEL_MODE_HALF_PX;
}

/**
 * A reusable device-pixel buffer for one canvas. Only the box that was drawn into is cleared and
 * uploaded: zoomed out, a tall tree is a thin sliver of the view, and putImageData of the whole
 * canvas each frame would cost more than drawing the nodes.
 */
export class PixelSurface {
  private image: ImageData | null = null;
  private words = new Uint32Array(0);
  private stride = 0;
  private rows = 0;
  private minX = 0;
  private minY = 0;
  private maxX = -1;
  private maxY = -1;

  begin(width: number, height: number): void {
    if (!this.image || this.image.width !== width || this.image.height !== height) {
      this.image = new ImageData(width, height);
      this.words = new Uint32Array(this.image.data.buffer);
      this.stride = width;
      this.rows = height;
    } else {
      for (let py = this.minY; py <= this.maxY; py++) this.words.fill(0, py * width + this.minX, py * width + this.maxX + 1);
    }
    this.minX = this.minY = Infinity;
    this.maxX = this.maxY = -1;
  }

  /** Fill a w × h block at (x0, y0), clipped to the buffer. */
  fill(x0: number, y0: number, w: number, h: number, word: number): void {
    const xa = Math.max(0, x0);
    const xb = Math.min(this.stride, x0 + w);
    const ya = Math.max(0, y0);
    const yb = Math.min(this.rows, y0 + h);
    if (xa >= xb || ya >= yb) return;
    const words = this.words;
    for (let py = ya; py < yb; py++) {
      const row = py * this.stride;
      // Markers are a few pixels wide: a plain loop beats a TypedArray.fill call per row.
      for (let at = row + xa, end = row + xb; at < end; at++) words[at] = word;
    }
    if (xa < this.minX) this.minX = xa;
    if (ya < this.minY) this.minY = ya;
    if (xb - 1 > this.maxX) this.maxX = xb - 1;
    if (yb - 1 > this.maxY) this.maxY = yb - 1;
  }

  /** Start from another surface's pixels (the edges under the nodes). Same size required. */
  copyFrom(other: PixelSurface): void {
    if (other.stride !== this.stride || other.rows !== this.rows || other.maxX < 0) return;
    for (let py = other.minY; py <= other.maxY; py++) {
      const row = py * this.stride;
      this.words.set(other.words.subarray(row + other.minX, row + other.maxX + 1), row + other.minX);
    }
    this.minX = Math.min(this.minX, other.minX);
    this.minY = Math.min(this.minY, other.minY);
    this.maxX = Math.max(this.maxX, other.maxX);
    this.maxY = Math.max(this.maxY, other.maxY);
  }

  commit(ctx: CanvasRenderingContext2D): void {
    if (!this.image || this.maxX < 0) return;
    ctx.putImageData(this.image, 0, 0, this.minX, this.minY, this.maxX - this.minX + 1, this.maxY - this.minY + 1);
  }
}

let spanTop = new Float32Array(0);
let spanBottom = new Float32Array(0);

/**
 * Per-parent vertical extent of its children, for elbow edges (one bar per parent). The buffers
 * are reused across frames: edges redraw every frame of a tween.
 */
function childSpans(scene: Scene, y: Float32Array): { top: Float32Array; bottom: Float32Array } {
  const n = scene.keys.length;
  if (spanTop.length < n) {
    spanTop = new Float32Array(n);
    spanBottom = new Float32Array(n);
  }
  const top = spanTop.fill(Infinity, 0, n);
  const bottom = spanBottom.fill(-Infinity, 0, n);
  for (let i = 0; i < n; i++) {
    const p = scene.parent[i]!;
    if (p < 0) continue;
    if (y[i]! < top[p]!) top[p] = y[i]!;
    if (y[i]! > bottom[p]!) bottom[p] = y[i]!;
  }
  return { top, bottom };
}

/**
 * Elbow edges (see LABEL_END) written into a
 * pixel surface, which drawNodes then puts under the nodes: one canvas upload per frame, not two.
 */
export function drawEdgePixels(surface: PixelSurface, scene: Scene, x: Float32Array, y: Float32Array, camera: Camera, view: Viewport): void {
  const n = scene.keys.length;
  const { minY, maxY } = visibleRect(camera, view, 4);
  const spans = childSpans(scene, y);
  surface.begin(Math.round(view.width * view.dpr), Math.round(view.height * view.dpr));
  const s = camera.scale * view.dpr;
  const ox = camera.offsetX * view.dpr;
  const oy = camera.offsetY * view.dpr;
  for (let i = 0; i < n; i++) {
    const cy = y[i]!;
    // A stub shorter than a pixel would only smear the marker beside it.
    if (scene.parent[i]! >= 0 && cy >= minY && cy <= maxY && (ELBOW_GAP - MARKER) * s >= 1) {
      const a = Math.round((x[i]! - ELBOW_GAP) * s + ox);
      const b = Math.round((x[i]! - MARKER) * s + ox);
      surface.fill(a, Math.round(cy * s + oy), b - a, 1, EDGE.word);
    }
    if (spans.top[i] === Infinity) continue;
    const top = Math.min(spans.top[i]!, cy);
    const bottom = Math.max(spans.bottom[i]!, cy);
    if (bottom < minY || top > maxY) continue;
    const py = Math.round(top * s + oy);
    const barX = Math.round((x[i]! + BAR_OFFSET) * s + ox);
    surface.fill(barX, py, 1, Math.round(bottom * s + oy) - py + 1, EDGE.word);
    const stubX = Math.round((x[i]! + LABEL_END) * s + ox);
    if (barX > stubX) surface.fill(stubX, Math.round(cy * s + oy), barX - stubX, 1, EDGE.word);
  }
}

/** Elbow edges as one path and one stroke, for the zoomed-in (vector) mode. */
export function drawEdgeVectors(ctx: CanvasRenderingContext2D, scene: Scene, x: Float32Array, y: Float32Array, camera: Camera, view: Viewport): void {
  const n = scene.keys.length;
  const { minX, maxX, minY, maxY } = visibleRect(camera, view, 4);
  const spans = childSpans(scene, y);
  const s = camera.scale;
  const sx = (wx: number) => wx * s + camera.offsetX;
  const sy = (wy: number) => wy * s + camera.offsetY;
  ctx.beginPath();
  for (let i = 0; i < n; i++) {
    const cx = x[i]!;
    const cy = y[i]!;
    if (scene.parent[i]! >= 0 && cx >= minX && cx - ELBOW_GAP <= maxX && cy >= minY && cy <= maxY) {
      ctx.moveTo(sx(cx - ELBOW_GAP), sy(cy));
      ctx.lineTo(sx(cx - MARKER), sy(cy));
    }
    if (spans.top[i] === Infinity) continue;
    const top = Math.min(spans.top[i]!, cy);
    const bottom = Math.max(spans.bottom[i]!, cy);
    if (cx > maxX || cx + BAR_OFFSET < minX || bottom < minY || top > maxY) continue;
    ctx.moveTo(sx(cx + LABEL_END), sy(cy));
    ctx.lineTo(sx(cx + BAR_OFFSET), sy(cy));
    ctx.moveTo(sx(cx + BAR_OFFSET), sy(Math.max(top, minY)));
    ctx.lineTo(sx(cx + BAR_OFFSET), sy(Math.min(bottom, maxY)));
  }
  ctx.globalAlpha = EDGE.alpha;
  ctx.strokeStyle = EDGE.css;
  ctx.lineWidth = 1;
  ctx.stroke();
  ctx.globalAlpha = 1;
}

/**
 * Draw node markers, exec flashes, the selection ring and (when legible) labels. Returns whether
 * any node is mid-animation, i.e. whether the next frame must redraw even if nothing else changes.
 */
export function drawNodes(
  ctx: CanvasRenderingContext2D,
  surface: PixelSurface,
  edges: PixelSurface,
  scene: Scene,
  x: Float32Array,
  y: Float32Array,
  camera: Camera,
  view: Viewport,
  timing: NodeTiming,
  selectedIndex: number,
): boolean {
  const animating = usesPixelMode(camera) ? drawNodePixels(ctx, surface, edges, scene, x, y, camera, view, timing) : drawNodeVectors(ctx, scene, x, y, camera, view, timing);
  if (selectedIndex >= 0 && selectedIndex < scene.keys.length) {
    const r = Math.max(MARKER * camera.scale * 2, 5);
    ctx.strokeStyle = COLORS.selection;
    ctx.lineWidth = 2;
    ctx.strokeRect(camera.toScreenX(x[selectedIndex]!) - r, camera.toScreenY(y[selectedIndex]!) - r, 2 * r, 2 * r);
  }
  return animating;
}

function drawNodePixels(ctx: CanvasRenderingContext2D, surface: PixelSurface, edges: PixelSurface, scene: Scene, x: Float32Array, y: Float32Array, camera: Camera, view: Viewport, timing: NodeTiming): boolean {
  const stride = Math.round(view.width * view.dpr);
  const rows = Math.round(view.height * view.dpr);
  surface.begin(stride, rows);
  surface.copyFrom(edges);
  const s = camera.scale * view.dpr;
  const ox = camera.offsetX * view.dpr;
  const oy = camera.offsetY * view.dpr;
  const full = Math.max(1, 2 * MARKER * s);
  const look: Look = { style: 0, size: 1, flash: 0, animating: false };
  let animating = false;
  const n = scene.keys.length;
  for (let i = 0; i < n; i++) {
    const px = x[i]! * s + ox;
    const py = y[i]! * s + oy;
    if (px < -4 || py < -4 || px > stride + 4 || py > rows + 4) continue;
    lookOf(scene, i, timing, look);
    if (look.animating) animating = true;
    const size = Math.max(1, Math.round(full * Math.max(look.size, look.flash)));
    const word = look.flash > 0 && look.style !== STYLE.aggregate ? STYLES[STYLE.flash]!.word : STYLES[look.style]!.word;
    surface.fill(Math.round(px - size / 2), Math.round(py - size / 2), size, size, word);
  }
  surface.commit(ctx);
  return animating;
}

function drawNodeVectors(ctx: CanvasRenderingContext2D, scene: Scene, x: Float32Array, y: Float32Array, camera: Camera, view: Viewport, timing: NodeTiming): boolean {
  const n = scene.keys.length;
  const { minX, maxX, minY, maxY } = visibleRect(camera, view, 8);
  const s = camera.scale;
  const half = MARKER * s;
  const paths: Array<Path2D | undefined> = [];
  const pathFor = (styleIndex: number): Path2D => (paths[styleIndex] ??= new Path2D());
  const look: Look = { style: 0, size: 1, flash: 0, animating: false };
  let animating = false;
  const rowPx = ROW_HEIGHT * s;
  const labelled: number[] = [];

  for (let i = 0; i < n; i++) {
    const wx = x[i]!;
    const wy = y[i]!;
    if (wx < minX || wx > maxX || wy < minY || wy > maxY) continue;
    const sx = wx * s + camera.offsetX;
    const sy = wy * s + camera.offsetY;
    if (s >= LABEL_MIN_SCALE) labelled.push(i);
    lookOf(scene, i, timing, look);
    if (look.animating) animating = true;
    if (look.flash > 0) {
      const glow = half * look.size * look.flash;
      pathFor(STYLE.flash).rect(sx - glow, sy - glow, 2 * glow, 2 * glow);
    }
    const h = half * look.size;
    pathFor(look.style).rect(sx - h, sy - h, 2 * h, 2 * h);
  }
  for (const k of FILL_ORDER) {
    const path = paths[k];
    if (!path) continue;
    ctx.globalAlpha = STYLES[k]!.alpha;
    ctx.fillStyle = STYLES[k]!.css;
    ctx.fill(path);
  }
  ctx.globalAlpha = 1;
  if (labelled.length > 0) drawLabels(ctx, scene, x, y, camera, labelled, rowPx);
  return animating;
}

function drawLabels(ctx: CanvasRenderingContext2D, scene: Scene, x: Float32Array, y: Float32Array, camera: Camera, indices: number[], rowPx: number): void {
  const fontPx = Math.min(13, rowPx * 0.68);
  ctx.font = `${fontPx}px ui-monospace, monospace`;
  ctx.textBaseline = 'middle';
  // Monospace: a character is ~0.6 em, so the fitting length is known without measureText.
  const maxChars = Math.floor(((LABEL_END - 2 * MARKER) * camera.scale) / (fontPx * 0.6));
  const dx = MARKER * 2 * camera.scale;
  for (const i of indices) {
    const entry = scene.entries[i]!;
    const sx = camera.toScreenX(x[i]!) + dx;
    const sy = camera.toScreenY(y[i]!);
    if (isAggregate(entry)) {
      ctx.fillStyle = COLORS.labelAggregate;
      ctx.fillText(truncate(aggregateLabel(visibleText(entry.parent.info.comm), entry.summary), maxChars), sx, sy);
      continue;
    }
    const flags = scene.flags[i]!;
    ctx.fillStyle = flags & SceneFlag.group ? COLORS.labelGroup : entry.exitedAt !== undefined ? COLORS.labelExited : flags & SceneFlag.dimmed ? COLORS.labelDim : COLORS.label;
    ctx.fillText(processLabel(entry.info, maxChars), sx, sy);
  }
}
