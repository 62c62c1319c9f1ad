/**
 * The list view's rows: the tree flattened depth-first (like htop's tree mode), children sorted
 * by the chosen column within their siblings, collapsed subtrees skipped, and optionally limited
 * to a filter's visible set and a focused subtree. Pure and DOM-free so it is tested in node.
 */
import type { ProcessInfo, ProcKey } from '../../../electron/common/process';
import type { RNode } from '../model/TreeModel';

export const SORT_COLUMNS = ['pid', 'user', 'state', 'cpu', 'rss', 'threads', 'age', 'command'] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];

export interface SortSpec {
  column: SortColumn;
  descending: boolean;
}

export interface ListRow {
  node: RNode;
  depth: number;
  hasChildren: boolean;
  expanded: boolean;
}

export interface FlattenOptions {
  collapsed: ReadonlySet<ProcKey>;
  sort: SortSpec;
  /** Only these nodes are shown (a filter's matches and their ancestors); null shows all. */
  visible: ReadonlySet<RNode> | null;
  /** Processes not shown, with their whole subtree (kernel threads when hidden); null hides none. */
  hidden?: ((info: ProcessInfo) => boolean) | null;
}

type Compare = (a: ProcessInfo, b: ProcessInfo) => number;

const byNumber =
  (pick: (info: ProcessInfo) => number): Compare =>
  (a, b) =>
    pick(a) - pick(b);

const byText =
  (pick: (info: ProcessInfo) => string): Compare =>
  (a, b) =>
    pick(a).localeCompare(pick(b));

const COMPARE: Record<SortColumn, Compare> = {
  pid: byNumber((info) => info.pid),
  user: byText((info) => info.user),
  state: byText((info) => info.state),
  cpu: byNumber((info) => info.cpuPct ?? -1),
  rss: byNumber((info) => info.rssKb ?? -1),
  threads: byNumber((info) => info.threads),
  // Age ascending = youngest first is surprising; ascending age means oldest start first.
  age: byNumber((info) => info.startTime),
  command: byText((info) => (info.argv && info.argv.length > 0 ? info.argv.join(' ') : info.comm)),
};

export function siblingComparator(sort: SortSpec): (a: RNode, b: RNode) => number {
  const compare = COMPARE[sort.column];
  const sign = sort.descending ? -1 : 1;
  // Ties break on pid, then start time, so the order is total and rows never swap at random.
  return (a, b) =>
    sign * compare(a.info, b.info) || a.info.pid - b.info.pid || a.info.startTime - b.info.startTime;
}

export function flattenTree(roots: readonly RNode[], options: FlattenOptions): ListRow[] {
  const compare = siblingComparator(options.sort);
  const rows: ListRow[] = [];
  const { visible, hidden = null } = options;
  const shown = (node: RNode) => (visible === null || visible.has(node)) && (hidden === null || !hidden(node.info));
  // Explicit stack instead of recursion: process trees can be thousands deep (fork chains).
  const stack: Array<{ node: RNode; depth: number }> = [];
  const pushSorted = (nodes: readonly RNode[], depth: number) => {
    const kept = nodes.filter(shown).sort(compare);
    for (let i = kept.length - 1; i >= 0; i--) stack.push({ node: kept[i] as RNode, depth });
  };
  pushSorted(roots, 1);
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: RNode; depth: number };
    const hasChildren = node.children.some(shown);
    const expanded = hasChildren && !options.collapsed.has(node.info.key);
    rows.push({ node, depth, hasChildren, expanded });
    if (expanded) pushSorted(node.children, depth + 1);
  }
  return rows;
}

/**
 * Scroll position that keeps `anchor` at the same place on screen after the rows changed: when
 * rows are inserted or removed above it, shift the scroll by the same number of rows. Without an
 * anchor still present, the scroll position is kept (clamped to the new content).
 */
export function anchoredScrollTop(args: {
  previousIndex: number;
  nextIndex: number;
  scrollTop: number;
  rowHeight: number;
  rowCount: number;
  viewportHeight: number;
}): number {
  const { previousIndex, nextIndex, scrollTop, rowHeight, rowCount, viewportHeight } = args;
  const shifted = previousIndex >= 0 && nextIndex >= 0 ? scrollTop + (nextIndex - previousIndex) * rowHeight : scrollTop;
  const max = Math.max(0, rowCount * rowHeight - viewportHeight);
  return Math.min(max, Math.max(0, shifted));
}

/** Index of the row for `key`, or -1. */
export function rowIndexOf(rows: readonly ListRow[], key: ProcKey | null): number {
  if (key === null) return -1;
  return rows.findIndex((row) => row.node.info.key === key);
}
