/**
 * Messages between the tree view and its layout worker. Only typed arrays cross, and they are
 * transferred, not copied: the main thread keeps the index → node table for each request itself,
 * so no strings travel either way.
 */

/** World units: one row per sibling slot, one column per depth level. */
export const ROW_HEIGHT = 18;
export const COLUMN_WIDTH = 180;

export interface LayoutRequest {
  id: number;
  /**
   * parent[i] is the index of node i's parent, or -1 for a root. Nodes come in preorder
   * (parent[i] < i) and siblings in display order; the layout keeps that order.
   */
  parent: Int32Array;
}

export interface LayoutResult {
  id: number;
  /** World x (depth axis) and y (sibling axis) of node i. */
  x: Float32Array;
  y: Float32Array;
  /** Bounding box of all nodes, for fit-to-view. */
  bounds: { minX: number; minY: number; maxX: number; maxY: number };
}

export type LayoutReply = { type: 'layout'; id: number; result: LayoutResult } | { type: 'error'; id: number; message: string };
