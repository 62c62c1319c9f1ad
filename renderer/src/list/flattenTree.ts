/**
 * The list view's rows: the tree flattened depth-first (like htop's tree mode), children sorted
 * by the chosen column within their siblings, collapsed subtrees skipped, and optionally limited
 * to a filter's visible set and a focused subtree. Pure and DOM-free so it is tested in node.
 */
import type { ProcessInfo, ProcKey } from '../../../electron/common/process';
import type { RNode } from '../model/TreeModel';
import { groupHeaders, isGroupHeader, sameGroupAs } from '../model/byGroup';

export const SORT_COLUMNS = ['pid', 'user', 'group', 'state', 'cpu', 'rss', 'threads', 'age', 'command'] as const;
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

/**
 * The rows and where each process sits among them, built in the same walk: the list looks rows
 * up by key several times per render (selection, anchoring), and a scan of 20k rows is ~7 ms.
 */
export interface FlatList {
  rows: ListRow[];
  indexByKey: Map<ProcKey, number>;
}

export interface FlattenOptions {
  collapsed: ReadonlySet<ProcKey>;
  sort: SortSpec;
  /** Only these nodes are shown (a filter's matches and their ancestors); null shows all. */
  visible: ReadonlySet<RNode> | null;
  /** Processes not shown, with their whole subtree (kernel threads when hidden); null hides none. */
  hidden?: ((info: ProcessInfo) => boolean) | null;
  /** Under one header row per group (service, container, pod), each group's processes in tree order. */
  byGroup?: boolean;
}

/** A column's sort key: numbers compare by value, text by locale, both ways. */
type SortKey = { number: (info: ProcessInfo) => number } | { text: (info: ProcessInfo) => string };

const SORT_KEYS: Record<SortColumn, SortKey> = {
  pid: { number: (info) => info.pid },
  user: { text: (info) => info.user },
  group: { text: (info) => info.group?.name ?? '' },
  state: { text: (info) => info.state },
  cpu: { number: (info) => info.cpuPct ?? -1 },
  rss: { number: (info) => info.rssKb ?? -1 },
  threads: { number: (info) => info.threads },
  // Age ascending = youngest first is surprising; ascending age means oldest start first.
  age: { number: (info) => info.startTime },
  command: { text: (info) => (info.argv && info.argv.length > 0 ? info.argv.join(' ') : info.comm) },
};

/** Ties break on pid, then start time, so the order is total and rows never swap at random. */
function tieBreak(a: RNode, b: RNode): number {
  return a.info.pid - b.info.pid || a.info.startTime - b.info.startTime;
}

/** Sort one sibling group in place. */
function sortSiblings(nodes: RNode[], sort: SortSpec): void {
  const key = SORT_KEYS[sort.column];
  const sign = sort.descending ? -1 : 1;
  if ('number' in key) {
    const pick = key.number;
    nodes.sort((a, b) => sign * (pick(a.info) - pick(b.info)) || tieBreak(a, b));
    return;
  }
  // Text keys are computed once per node, not per comparison: joining a storm parent's children's
  // argv n·log n times made sorting by command take longer than a frame many times over.
  const pick = key.text;
  const keyed = nodes.map((node) => ({ node, text: pick(node.info) }));
  keyed.sort((a, b) => sign * a.text.localeCompare(b.text) || tieBreak(a.node, b.node));
  for (let i = 0; i < keyed.length; i++) nodes[i] = (keyed[i] as { node: RNode }).node;
}

/** How many rows the walk lists between looks at the clock. */
const ROWS_PER_CLOCK_CHECK = 256;

/**
 * Flattens in slices, so a streaming model's 20k rows never cost one frame all of them (as the
 * tree's SceneBuilder does). Between slices the model may change: rows listed earlier keep what
 * they were, nodes added under them wait for the next flatten, and a node the model moved to a
 * parent not walked yet is not listed twice.
 */
export class FlattenBuilder {
  private readonly rows: ListRow[] = [];
  private readonly indexByKey = new Map<ProcKey, number>();
  // Explicit stack instead of recursion: process trees can be thousands deep (fork chains). Two
  // parallel arrays, so the walk allocates nothing per node but its row.
  private readonly stackNodes: RNode[] = [];
  private readonly stackDepths: number[] = [];
  private readonly shown: (node: RNode) => boolean;
  /** Whether a step stopped early, i.e. the model may have moved under the walk. */
  private sliced = false;

  constructor(
    roots: readonly RNode[],
    private readonly options: FlattenOptions,
  ) {
    const { visible, hidden = null } = options;
    const shownProcess = (node: RNode) => (visible === null || visible.has(node)) && (hidden === null || !hidden(node.info));
    // A header is shown while any of its entry points is.
    this.shown = (node) => (isGroupHeader(node.info.key) ? node.children.some(shownProcess) : shownProcess(node));
    if (options.byGroup) {
      // Headers come in name order, not by the sort column (which orders the processes in them).
      const headers = groupHeaders(roots).filter(this.shown);
      for (let i = headers.length - 1; i >= 0; i--) {
        this.stackNodes.push(headers[i] as RNode);
        this.stackDepths.push(1);
      }
    } else this.push(roots.filter(this.shown), 1);
  }

  /** Walk until done or until `clock()` passes `deadline`: the list when done, else null. */
  step(deadline: number, clock: () => number): FlatList | null {
    const { rows, indexByKey, stackNodes, stackDepths, shown } = this;
    const collapsed = this.options.collapsed;
    let budget = ROWS_PER_CLOCK_CHECK;
    while (stackNodes.length > 0) {
      if (--budget === 0) {
        if (clock() >= deadline) {
          this.sliced = true;
          return null;
        }
        budget = ROWS_PER_CLOCK_CHECK;
      }
      const node = stackNodes.pop() as RNode;
      const depth = stackDepths.pop() as number;
      if (this.sliced && indexByKey.has(node.info.key)) continue;
      // An expanded node filters its children once, for both questions; a collapsed one only asks
      // whether any is shown, which stops at the first.
      const children = this.options.byGroup ? node.children.filter((child) => sameGroupAs(node, child)) : node.children;
      const open = children.length > 0 && !collapsed.has(node.info.key);
      const kept = open ? children.filter(shown) : null;
      const hasChildren = kept ? kept.length > 0 : children.some(shown);
      const expanded = hasChildren && open;
      indexByKey.set(node.info.key, rows.length);
      rows.push({ node, depth, hasChildren, expanded });
      if (kept && expanded) this.push(kept, depth + 1);
    }
    return { rows, indexByKey };
  }

  private push(kept: RNode[], depth: number): void {
    sortSiblings(kept, this.options.sort);
    for (let i = kept.length - 1; i >= 0; i--) {
      this.stackNodes.push(kept[i] as RNode);
      this.stackDepths.push(depth);
    }
  }
}

/** Flatten all at once (user actions, tests). */
export function flattenTree(roots: readonly RNode[], options: FlattenOptions): FlatList {
  return new FlattenBuilder(roots, options).step(Infinity, () => 0) as FlatList;
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

/**
 * The row to hold still when the rows change (see anchoredScrollTop). The row under the pointer
 * (it may be about to be clicked), unless holding it still would carry the selected row out of
 * view: the pointer rests wherever the last click or a layout shift left it, so the row under it
 * is often not one the person points at, and the selected row is the one they work with. Else the
 * selected row when it is on screen, else the top row. When the person changed the filter query
 * they are typing, not pointing at the list: the selected process is the anchor then, when both
 * lists hold it.
 */
export function anchorKey(args: {
  before: FlatList;
  after: FlatList;
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  selectedKey: ProcKey | null;
  hoveredKey: ProcKey | null;
  queryChanged: boolean;
}): ProcKey | null {
  const { before, after, scrollTop, viewportHeight, rowHeight, selectedKey, hoveredKey } = args;
  const onScreen = (index: number, top: number) => index >= 0 && index * rowHeight >= top && index * rowHeight < top + viewportHeight;
  const selectedIndex = rowIndexOf(before, selectedKey);
  const selectedNext = rowIndexOf(after, selectedKey);
  if (args.queryChanged && selectedIndex >= 0 && selectedNext >= 0) return selectedKey;
  const selectedShown = onScreen(selectedIndex, scrollTop);
  if (hoveredKey !== null) {
    if (!selectedShown || selectedNext < 0) return hoveredKey;
    const top = anchoredScrollTop({
      previousIndex: rowIndexOf(before, hoveredKey),
      nextIndex: rowIndexOf(after, hoveredKey),
      scrollTop,
      rowHeight,
      rowCount: after.rows.length,
      viewportHeight,
    });
    return onScreen(selectedNext, top) ? hoveredKey : selectedKey;
  }
  if (selectedShown) return selectedKey;
  return before.rows[Math.floor(scrollTop / rowHeight)]?.node.info.key ?? null;
}

/** Index of the row for `key`, or -1. */
export function rowIndexOf(list: FlatList, key: ProcKey | null): number {
  return key === null ? -1 : (list.indexByKey.get(key) ?? -1);
}
