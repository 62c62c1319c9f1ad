/**
 * The tidy-tree layout (Reingold–Tilford via d3-hierarchy), as a pure function of a preorder
 * parent array so it runs the same in the worker and in tests. Depth runs left → right (labels
 * read naturally and deep shells stay legible); siblings stack top → bottom in input order, so a
 * new child appended after its siblings never reorders them and the tree does not jump.
 */
import { hierarchy, tree } from 'd3-hierarchy';
import { COLUMN_WIDTH, ROW_HEIGHT, type LayoutResult } from './layoutProtocol';

interface LayoutNode {
  index: number;
  children: LayoutNode[];
}

export function computeLayout(id: number, parent: Int32Array): LayoutResult {
  const count = parent.length;
  // One virtual root above all real roots, so a forest lays out as one tree.
  const virtualRoot: LayoutNode = { index: -1, children: [] };
  const nodes: LayoutNode[] = new Array<LayoutNode>(count);
  for (let i = 0; i < count; i++) {
    const p = parent[i]!;
    if (p >= i) throw new RangeError(`layout input is not in preorder: parent[${i}] = ${p}`);
    const node: LayoutNode = { index: i, children: [] };
    nodes[i] = node;
    (p < 0 ? virtualRoot : nodes[p]!).children.push(node);
  }

  const x = new Float32Array(count);
  const y = new Float32Array(count);
  const bounds = { minX: 0, minY: 0, maxX: 0, maxY: 0 };
  if (count === 0) return { id, x, y, bounds };

  const root = hierarchy(virtualRoot, (d) => (d.children.length > 0 ? d.children : null));
  // Cousins get a little more room than siblings so each family reads as a block.
  const laidOut = tree<LayoutNode>()
    .nodeSize([ROW_HEIGHT, COLUMN_WIDTH])
    .separation((a, b) => (a.parent === b.parent ? 1 : 1.5))(root);

  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  // The virtual root sits one column left of the real roots; shift everything so roots are at 0.
  laidOut.each((d) => {
    const i = d.data.index;
    if (i < 0) return;
    const wx = d.y - COLUMN_WIDTH;
    const wy = d.x;
    x[i] = wx;
    y[i] = wy;
    if (wx < minX) minX = wx;
    if (wx > maxX) maxX = wx;
    if (wy < minY) minY = wy;
    if (wy > maxY) maxY = wy;
  });
  bounds.minX = minX;
  bounds.minY = minY;
  bounds.maxX = maxX;
  bounds.maxY = maxY;
  return { id, x, y, bounds };
}
