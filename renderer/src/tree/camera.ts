/**
 * The view transform: screen = world × scale + offset (CSS pixels). Pure state and arithmetic,
 * so zoom, fit and follow are testable without a canvas.
 */
export interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export const MAX_SCALE = 3;
/** Never zoom out past the point where the whole tree is a speck. */
const MIN_SCALE = 1e-4;

export class Camera {
  scale = 1;
  offsetX = 0;
  offsetY = 0;

  toScreenX(wx: number): number {
    return wx * this.scale + this.offsetX;
  }

  toScreenY(wy: number): number {
    return wy * this.scale + this.offsetY;
  }

  toWorldX(sx: number): number {
    return (sx - this.offsetX) / this.scale;
  }

  toWorldY(sy: number): number {
    return (sy - this.offsetY) / this.scale;
  }

  /** Zoom by `factor`, keeping the world point under (sx, sy) where it is on screen. */
  zoomAt(sx: number, sy: number, factor: number): void {
    const wx = this.toWorldX(sx);
    const wy = this.toWorldY(sy);
    this.scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, this.scale * factor));
    this.offsetX = sx - wx * this.scale;
    this.offsetY = sy - wy * this.scale;
  }

  panBy(dx: number, dy: number): void {
    this.offsetX += dx;
    this.offsetY += dy;
  }

  /** Show all of `bounds` (plus `pad` world units around it) centred in a width × height view. */
  fit(bounds: Bounds, width: number, height: number, pad: number): void {
    if (width <= 0 || height <= 0) return;
    this.scale = fitScale(bounds, width, height, pad);
    this.offsetX = width / 2 - ((bounds.minX + bounds.maxX) / 2) * this.scale;
    this.offsetY = height / 2 - ((bounds.minY + bounds.maxY) / 2) * this.scale;
  }

  /**
   * Frame `bounds` so that it can be read: all of it when that needs no scale below
   * `readableScale` (where labels are drawn), else at `readableScale` around `anchor` (the
   * selection, or the root side), kept inside the padded bounds so no screen is wasted on empty
   * space; the person pans or presses "0" for the rest. A tree of thousands of dots is not a view
   * of anything, which is why this, not fit(), frames a tree that appears or changes shape.
   */
  frame(bounds: Bounds, width: number, height: number, pad: number, readableScale: number, anchor: { x: number; y: number }): void {
    if (width <= 0 || height <= 0) return;
    if (fitScale(bounds, width, height, pad) >= readableScale) {
      this.fit(bounds, width, height, pad);
      return;
    }
    const s = Math.min(MAX_SCALE, Math.max(MIN_SCALE, readableScale));
    this.scale = s;
    this.offsetX = offsetWithin(width / 2 - anchor.x * s, width, (bounds.minX - pad) * s, (bounds.maxX + pad) * s);
    this.offsetY = offsetWithin(height / 2 - anchor.y * s, height, (bounds.minY - pad) * s, (bounds.maxY + pad) * s);
  }

  /**
   * Pan the least needed so the world point is at least `margin` CSS px inside the view.
   * Returns whether the camera moved.
   */
  keepInView(wx: number, wy: number, width: number, height: number, margin: number): boolean {
    const sx = this.toScreenX(wx);
    const sy = this.toScreenY(wy);
    const mx = Math.min(margin, width / 2);
    const my = Math.min(margin, height / 2);
    const dx = sx < mx ? mx - sx : sx > width - mx ? width - mx - sx : 0;
    const dy = sy < my ? my - sy : sy > height - my ? height - my - sy : 0;
    if (dx === 0 && dy === 0) return false;
    this.panBy(dx, dy);
    return true;
  }
}

/** The scale at which all of `bounds` plus `pad` fits a width × height view (never above 1.5). */
function fitScale(bounds: Bounds, width: number, height: number, pad: number): number {
  const w = bounds.maxX - bounds.minX + 2 * pad;
  const h = bounds.maxY - bounds.minY + 2 * pad;
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, Math.min(width / w, height / h, 1.5)));
}

/**
 * The offset closest to `wanted` along one axis at which content spanning [start, end] (screen
 * px before offset) covers the whole view of `size`; content smaller than the view is centred.
 */
function offsetWithin(wanted: number, size: number, start: number, end: number): number {
  if (end - start <= size) return (size - start - end) / 2;
  return Math.min(-start, Math.max(size - end, wanted));
}
