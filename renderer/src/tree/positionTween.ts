/**
 * Smooth moves between layouts: each node glides from where it is drawn now to where the new
 * layout puts it; a node new to the layout starts at its parent's current spot, so it grows out
 * of its parent instead of popping up somewhere.
 */
export const TWEEN_MS = 250;
/** World units under which a move is rounding, not a move (a row is 18). */
const STILL_WORLD = 0.01;

export interface Placement {
  /** Preorder parent indices (-1 for roots), as in the Scene. */
  parent: Int32Array;
  x: Float32Array;
  y: Float32Array;
}

function easeOutCubic(t: number): number {
  const u = 1 - t;
  return 1 - u * u * u;
}

export class PositionTween {
  /** Positions to draw this frame, by index of the target layout. */
  readonly x: Float32Array;
  readonly y: Float32Array;
  private readonly fromX: Float32Array;
  private readonly fromY: Float32Array;
  private done = false;

  constructor(
    private readonly target: Placement,
    private readonly startedAt: number,
    /** Where each node was drawn: previousIndex[i] is its index in x/y, or -1 when it is new. */
    previous: { previousIndex: Int32Array; x: Float32Array; y: Float32Array } | null,
  ) {
    const n = target.x.length;
    this.fromX = new Float32Array(n);
    this.fromY = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const old = previous ? previous.previousIndex[i]! : -1;
      if (old >= 0 && previous) {
        this.fromX[i] = previous.x[old]!;
        this.fromY[i] = previous.y[old]!;
        continue;
      }
      const p = target.parent[i]!;
      // Preorder: the parent's start position is already set. Without a previous layout (first
      // one) or parent, a node simply appears in place.
      this.fromX[i] = previous && p >= 0 ? this.fromX[p]! : target.x[i]!;
      this.fromY[i] = previous && p >= 0 ? this.fromY[p]! : target.y[i]!;
    }
    this.x = this.fromX.slice();
    this.y = this.fromY.slice();
    // A relayout that moves nothing (the model changed elsewhere, as it does all the time on a
    // busy machine) is settled at once: hover and clicks answer from the settled layout, and a
    // tween per relayout would keep them from ever seeing one.
    if (!previous || this.still()) this.finish();
  }

  /** Whether no node moves further than rounding (anchoring shifts layouts in float32). */
  private still(): boolean {
    const { x: tx, y: ty } = this.target;
    for (let i = 0; i < tx.length; i++) {
      if (Math.abs(this.fromX[i]! - tx[i]!) > STILL_WORLD || Math.abs(this.fromY[i]! - ty[i]!) > STILL_WORLD) return false;
    }
    return true;
  }

  get settled(): boolean {
    return this.done;
  }

  /** Move the drawn positions to time `now`. Returns whether anything moved. */
  advance(now: number): boolean {
    if (this.done) return false;
    const t = Math.min(1, Math.max(0, (now - this.startedAt) / TWEEN_MS));
    if (t >= 1) {
      this.finish();
      return true;
    }
    const k = easeOutCubic(t);
    const { x: tx, y: ty } = this.target;
    for (let i = 0; i < this.x.length; i++) {
      this.x[i] = this.fromX[i]! + (tx[i]! - this.fromX[i]!) * k;
      this.y[i] = this.fromY[i]! + (ty[i]! - this.fromY[i]!) * k;
    }
    return true;
  }

  private finish(): void {
    this.x.set(this.target.x);
    this.y.set(this.target.y);
    this.done = true;
  }
}
