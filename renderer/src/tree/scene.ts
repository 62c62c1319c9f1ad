/**
 * What the tree view shows, flattened: the model's nodes after focus, hiding, filter and aggregation, in
 * preorder with siblings in start order. Built on the main thread a few times a second (a walk of
 * ~20k nodes costs a few ms); its parent array is all the layout worker needs. By group, the roots
 * are one synthetic header per service, container or pod (model/byGroup.ts), in name order.
 */
import type { ProcessInfo, ProcKey } from '../../../electron/common/process';
import { groupHeaders, isGroupHeader, sameGroupAs } from '../model/byGroup';
import type { FilterResult } from '../model/filter';
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

export const SceneFlag = {
  aggregate: 1,
  kernelThread: 2,
  /** A process shown only as the ancestor of a filter match. */
  dimmed: 4,
  /** A group's header (by group): no process, the root of the group's processes. */
  group: 8,
} as const;

export interface Scene {
  entries: SceneEntry[];
  /** ProcKey for processes, aggregateKey(parent) for aggregates. */
  keys: string[];
  indexByKey: Map<string, number>;
  /** Preorder parent indices, -1 for roots. */
  parent: Int32Array;
  /** Per index: SceneFlag bits. */
  flags: Uint8Array;
  /**
   * The model's animation times per index (performance.now(); NaN when unset), copied into typed
   * arrays because the draw loop reads them for every node every frame, and reading them from
   * RNode objects of many shapes was the single largest cost of a frame. Kept current by
   * refreshTimes() as the model reports changes.
   */
  addedAt: Float64Array;
  execAt: Float64Array;
  exitedAt: Float64Array;
  /** performance.now() time after which aggregation may differ without a model change. */
  changesAt: number;
}

export interface SceneOptions {
  /**
   * The filter's result as the App computed it (model/filter.ts applyFilter): its visible set
   * (matches and their ancestors) is drawn, ancestors that do not match themselves dimmed.
   */
  filter: Pick<FilterResult, 'matches' | 'visible'> | null;
  /** Processes not drawn, with their whole subtree (kernel threads when hidden); absent hides none. */
  hidden?: ((info: ProcessInfo) => boolean) | null;
  focusKey: ProcKey | null;
  /** Parents whose aggregate the user opened. */
  expanded: ReadonlySet<ProcKey>;
  aggregate: AggregateOptions;
  now: number;
  /** Under one header per group (service, container, pod), each group's processes in lineage. */
  byGroup?: boolean;
}

function byStart(a: RNode, b: RNode): number {
  return a.info.startTime - b.info.startTime || a.info.pid - b.info.pid;
}

function isSortedByStart(nodes: readonly RNode[]): boolean {
  for (let i = 1; i < nodes.length; i++) if (byStart(nodes[i - 1]!, nodes[i]!) > 0) return false;
  return true;
}

/** How many nodes the walk visits between looks at the clock. */
const NODES_PER_CLOCK_CHECK = 256;

/**
 * Builds a Scene in slices, so a 20k-node walk (~10 ms here) never costs one frame all of it.
 * Between slices the model may change: a node visited earlier keeps what it looked like then
 * (refreshTimes fixes its times), nodes removed meanwhile stay until the next scene — both are
 * at most one relayout stale, which is the point of relayout being periodic anyway.
 */
export class SceneBuilder {
  private readonly entries: SceneEntry[] = [];
  private readonly keys: string[] = [];
  private readonly indexByKey = new Map<string, number>();
  private readonly parents: number[] = [];
  private readonly flags: number[] = [];
  private readonly addedAt: number[] = [];
  private readonly execAt: number[] = [];
  private readonly exitedAt: number[] = [];
  private changesAt = Infinity;
  // Explicit stack (fork bombs make chains deeper than the JS call stack likes), as two parallel
  // arrays so the walk allocates no per-node objects.
  private readonly stackEntries: SceneEntry[] = [];
  private readonly stackParents: number[] = [];
  private readonly matches: ReadonlySet<RNode> | null;
  /** Whether a node is drawn at all (not hidden, and visible by the filter if there is one). */
  private readonly shown: ((node: RNode) => boolean) | null;

  constructor(
    model: TreeModel,
    private readonly options: SceneOptions,
  ) {
    const focus = options.focusKey === null ? undefined : model.get(options.focusKey);
    // A focus that no longer exists (its tombstone expired) shows the whole tree, not nothing.
    const processRoots = (focus ? [focus] : model.roots().slice()).sort(byStart);
    const hidden = options.hidden ?? null;
    const visible = options.filter?.visible ?? null;
    this.matches = options.filter?.matches ?? null;
    // Hidden prunes whole subtrees, and a visible node can sit below a hidden one (a usermode
    // helper forked by a kernel worker matches; its kthreadd ancestor is in the visible set), so
    // the walk asks both.
    const notHidden = hidden === null ? null : (node: RNode) => !hidden(node.info);
    if (visible === null) this.shown = notHidden;
    else this.shown = notHidden === null ? (node) => visible.has(node) : (node) => visible.has(node) && notHidden(node);
    // Headers come from one walk of the whole forest (a few ms for 20k, like the list's), and are
    // drawn while any of their entry points is.
    const shown = this.shown;
    const roots = options.byGroup ? groupHeaders(processRoots).filter((header) => !shown || header.children.some(shown)) : shown ? processRoots.filter(shown) : processRoots;
    for (let i = roots.length - 1; i >= 0; i--) {
      this.stackEntries.push(roots[i]!);
      this.stackParents.push(-1);
    }
  }

  /**
   * Walk until done or until `clock()` passes `deadline`. Returns the Scene when done, else null
   * (call again, e.g. next frame).
   */
  step(deadline: number, clock: () => number): Scene | null {
    const { stackEntries, stackParents, matches, shown, options } = this;
    let budget = NODES_PER_CLOCK_CHECK;
    while (stackEntries.length > 0) {
      if (--budget === 0) {
        if (clock() >= deadline) return null;
        budget = NODES_PER_CLOCK_CHECK;
      }
      const entry = stackEntries.pop()!;
      const index = this.entries.length;
      this.entries.push(entry);
      this.parents.push(stackParents.pop()!);
      if (isAggregate(entry)) {
        this.record(aggregateKey(entry.parent.info.key), SceneFlag.aggregate, Number.NaN, Number.NaN, Number.NaN);
        continue;
      }
      const header = options.byGroup === true && isGroupHeader(entry.info.key);
      const flags = header
        ? SceneFlag.group
        : (entry.info.kernelThread ? SceneFlag.kernelThread : 0) | (matches && !matches.has(entry) ? SceneFlag.dimmed : 0);
      this.record(entry.info.key, flags, entry.addedAt, entry.execAt ?? Number.NaN, entry.exitedAt ?? Number.NaN);
      if (entry.children.length === 0) continue;

      // By group, a child in another group starts a subtree under its own group's header.
      const inGroup = options.byGroup && !header ? entry.children.filter((child) => sameGroupAs(entry, child)) : entry.children;
      const ordered = shown ? inGroup.filter(shown) : inGroup.slice();
      // The model keeps children in arrival order, which is nearly always start order already.
      if (!isSortedByStart(ordered)) ordered.sort(byStart);
      let children: readonly RNode[] = ordered;
      if (!options.expanded.has(entry.info.key)) {
        const split = splitChildren(children, options.now, options.aggregate);
        if (split.folded) {
          this.changesAt = Math.min(this.changesAt, split.changesAt);
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
    return {
      entries: this.entries,
      keys: this.keys,
      indexByKey: this.indexByKey,
      parent: Int32Array.from(this.parents),
      flags: Uint8Array.from(this.flags),
      addedAt: Float64Array.from(this.addedAt),
      execAt: Float64Array.from(this.execAt),
      exitedAt: Float64Array.from(this.exitedAt),
      changesAt: this.changesAt,
    };
  }

  private record(key: string, flags: number, addedAt: number, execAt: number, exitedAt: number): void {
    this.indexByKey.set(key, this.keys.length);
    this.keys.push(key);
    this.flags.push(flags);
    this.addedAt.push(addedAt);
    this.execAt.push(execAt);
    this.exitedAt.push(exitedAt);
  }
}

/** Build a whole Scene at once (tests, small trees). */
export function buildScene(model: TreeModel, options: SceneOptions): Scene {
  return new SceneBuilder(model, options).step(Infinity, () => 0)!;
}

/** Copy a process's animation times into the scene (after an exec or exit changed them). */
export function refreshTimes(scene: Scene, index: number, node: RNode): void {
  scene.addedAt[index] = node.addedAt;
  scene.execAt[index] = node.execAt ?? Number.NaN;
  scene.exitedAt[index] = node.exitedAt ?? Number.NaN;
}
