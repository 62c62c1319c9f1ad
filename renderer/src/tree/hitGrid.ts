/**
 * Click → node without scanning the scene: a uniform grid over the layout's world positions,
 * stored flat (CSR: cell offsets + node indices) so building it for 20k nodes is two passes over
 * typed arrays. A node's hit box is its marker plus the label to its right, one row tall.
 */
import { COLUMN_WIDTH, ROW_HEIGHT } from './layoutProtocol';

/** How far right of the node centre a click still selects it (the label). */
export const HIT_WIDTH = COLUMN_WIDTH * 0.8;
/** How far left of the node centre (the marker). */
export const HIT_LEFT = 8;

const CELL_WIDTH = COLUMN_WIDTH;
const CELL_HEIGHT = ROW_HEIGHT * 4;

export class HitGrid {
  private readonly originX: number;
  private readonly originY: number;
  private readonly columns: number;
  private readonly rows: number;
  /** Nodes of cell c are members[offsets[c] .. offsets[c + 1]). */
  private readonly offsets: Int32Array;
  private readonly members: Int32Array;

  constructor(
    private readonly x: Float32Array,
    private readonly y: Float32Array,
    count = x.length,
  ) {
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < count; i++) {
      minX = Math.min(minX, x[i]!);
      maxX = Math.max(maxX, x[i]!);
      minY = Math.min(minY, y[i]!);
      maxY = Math.max(maxY, y[i]!);
    }
    if (count === 0) minX = minY = maxX = maxY = 0;
    this.originX = minX;
    this.originY = minY;
    this.columns = Math.floor((maxX - minX) / CELL_WIDTH) + 1;
    this.rows = Math.floor((maxY - minY) / CELL_HEIGHT) + 1;

    const cellOf = new Int32Array(count);
    const offsets = new Int32Array(this.columns * this.rows + 1);
    for (let i = 0; i < count; i++) {
      const cell = this.cellIndex(x[i]!, y[i]!);
      cellOf[i] = cell;
      offsets[cell + 1]!++;
    }
    for (let c = 1; c < offsets.length; c++) offsets[c]! += offsets[c - 1]!;
    const fill = offsets.slice(0, -1);
    const members = new Int32Array(count);
    for (let i = 0; i < count; i++) members[fill[cellOf[i]!]!++] = i;
    this.offsets = offsets;
    this.members = members;
  }

  /**
   * The node whose hit box contains the world point, or -1. `slop` widens the boxes (world
   * units), so tiny nodes at low zoom can still be clicked. Nearest centre wins on overlap.
   */
  hitTest(wx: number, wy: number, slop = 0): number {
    const column = Math.floor((wx - this.originX) / CELL_WIDTH);
    const row = Math.floor((wy - this.originY) / CELL_HEIGHT);
    const reachRows = Math.ceil((ROW_HEIGHT / 2 + slop) / CELL_HEIGHT);
    const reachLeft = Math.ceil((HIT_WIDTH + slop) / CELL_WIDTH);
    const reachRight = Math.ceil((HIT_LEFT + slop) / CELL_WIDTH);
    let best = -1;
    let bestDistance = Infinity;
    for (let c = Math.max(0, column - reachLeft); c <= Math.min(this.columns - 1, column + reachRight); c++) {
      for (let r = Math.max(0, row - reachRows); r <= Math.min(this.rows - 1, row + reachRows); r++) {
        const cell = r * this.columns + c;
        for (let m = this.offsets[cell]!; m < this.offsets[cell + 1]!; m++) {
          const i = this.members[m]!;
          const dx = wx - this.x[i]!;
          const dy = wy - this.y[i]!;
          if (dx < -HIT_LEFT - slop || dx > HIT_WIDTH + slop || Math.abs(dy) > ROW_HEIGHT / 2 + slop) continue;
          // Prefer the marker under the pointer over a label that merely reaches it.
          const distance = dy * dy + (dx > 0 ? (dx / 8) ** 2 : dx * dx);
          if (distance < bestDistance) {
            bestDistance = distance;
            best = i;
          }
        }
      }
    }
    return best;
  }

  private cellIndex(wx: number, wy: number): number {
    const column = Math.min(this.columns - 1, Math.max(0, Math.floor((wx - this.originX) / CELL_WIDTH)));
    const row = Math.min(this.rows - 1, Math.max(0, Math.floor((wy - this.originY) / CELL_HEIGHT)));
    return row * this.columns + column;
  }
}
