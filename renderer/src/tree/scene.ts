/**
 * What the tree view shows, flattened: the model's nodes after focus, filter and aggregation, in
 * preorder with siblings in start order. Built on the main thread a few times a second (a walk of
 * ~20k nodes costs a few ms); its parent array is all the layout worker needs.
 */
import type { ProcKey } from '../../../electron/common/process';
import type { RNode, TreeModel } from '../model/TreeModel';
import { splitChildren, summarize, type AggregateOptions, type AggregateSummary } from './aggregates';

export interface AggregateEntry {
  kind: 'aggregate';
  /** The process whose children were folded. */
  parent: RNode;
  folded: RNode[];
  summary: AggregateSummary;
}

export type SceneEntry = RNode | AggregateEntry;

export function isAggregate(entry: SceneEntry): entry is AggregateEntry {
  return (entry as AggregateEntry).kind === 'aggregate';
}

/** Aggregates are keyed by the parent they summarise; "/" never occurs in a ProcKey. */
export function aggregateKey(parentKey: ProcKey): string {
  return `${parentKey}/children`;
}

export interface Scene {
  entries: SceneEntry[];
  /** ProcKey for processes, aggregateKey(parent) for aggregates. */
  keys: string[];
  indexByKey: Map<string, number>;
  /** Preorder parent indices, -1 for roots. */
  parent: Int32Array;
  /** 1 where a process is shown only as the ancestor of a filter match. */
  dimmed: Uint8Array;
  /** performance.now() time after which aggregation may differ without a model change. */
  changesAt: number;
}

export interface SceneOptions {
  filter: ((node: RNode) => boolean) | null;
  focusKey: ProcKey | null;
  /** Parents whose aggregate the user opened. */
  expanded: ReadonlySet<ProcKey>;
  aggregate: AggregateOptions;
  now: number;
}

function byStart(a: RNode, b: RNode): number {
  return a.info.startTime - b.info.startTime || a.info.pid - b.info.pid;
}

function isSortedByStart(nodes: readonly RNode[]): boolean {
  for (let i = 1; i < nodes.length; i++) if (byStart(nodes[i - 1]!, nodes[i]!) > 0) return false;
  return true;
}

/** The nodes a filter keeps: matches and every ancestor of a match (within `roots`). */
function nodesKeptBy(roots: readonly RNode[], filter: (node: RNode) => boolean): { kept: Set<RNode>; matched: Set<RNode> } {
  const kept = new Set<RNode>();
  const matched = new Set<RNode>();
  const stack = roots.slice();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (filter(node)) {
      matched.add(node);
      for (let at: RNode | null = node; at && !kept.has(at); at = at.parent) kept.add(at);
    }
    for (const child of node.children) stack.push(child);
  }
  return { kept, matched };
}

export function buildScene(model: TreeModel, options: SceneOptions): Scene {
  const focus = options.focusKey === null ? undefined : model.get(options.focusKey);
  // A focus that no longer exists (its tombstone expired) shows the whole tree rather than nothing.
  const roots = (focus ? [focus] : model.roots().slice()).sort(byStart);
  const filtered = options.filter ? nodesKeptBy(roots, options.filter) : null;

  const entries: SceneEntry[] = [];
  const keys: string[] = [];
  const parents: number[] = [];
  const dimmedList: number[] = [];
  let changesAt = Infinity;

  // Explicit stack (fork bombs make chains deeper than the JS call stack likes), as two parallel
  // arrays so a 20k-node walk allocates no per-node objects.
  const stackEntries: SceneEntry[] = [];
  const stackParents: number[] = [];
  for (let i = roots.length - 1; i >= 0; i--) {
    const root = roots[i]!;
    if (!filtered || filtered.kept.has(root)) {
      stackEntries.push(root);
      stackParents.push(-1);
    }
  }
  while (stackEntries.length > 0) {
    const entry = stackEntries.pop()!;
    const parent = stackParents.pop()!;
    const index = entries.length;
    entries.push(entry);
    parents.push(parent);
    if (isAggregate(entry)) {
      keys.push(aggregateKey(entry.parent.info.key));
      dimmedList.push(0);
      continue;
    }
    keys.push(entry.info.key);
    dimmedList.push(filtered && !filtered.matched.has(entry) ? 1 : 0);
    if (entry.children.length === 0) continue;

    const ordered = filtered ? entry.children.filter((c) => filtered.kept.has(c)) : entry.children.slice();
    // The model keeps children in arrival order, which is nearly always start order already.
    if (!isSortedByStart(ordered)) ordered.sort(byStart);
    let children: readonly RNode[] = ordered;
    if (!options.expanded.has(entry.info.key)) {
      const split = splitChildren(children, options.now, options.aggregate);
      if (split.folded) {
        changesAt = Math.min(changesAt, split.changesAt);
        // The aggregate goes last, so the individually shown siblings keep their places.
        stackEntries.push({ kind: 'aggregate', parent: entry, folded: split.folded, summary: summarize(split.folded) });
        stackParents.push(index);
        children = split.shown;
      }
    }
    for (let i = children.length - 1; i >= 0; i--) {
      stackEntries.push(children[i]!);
      stackParents.push(index);
    }
  }

  const indexByKey = new Map<string, number>();
  for (let i = 0; i < keys.length; i++) indexByKey.set(keys[i]!, i);
  return { entries, keys, indexByKey, parent: Int32Array.from(parents), dimmed: Uint8Array.from(dimmedList), changesAt };
}
