/**
 * When the list flattens the tree again. Flattening 20k processes (filter and sort every sibling
 * group, index every row) costs tens of ms here, and during a storm the model moves every frame:
 * flattening per version spent whole frames on rows nobody can read that fast. So anything the
 * person does (filter query, sort, expand/collapse, focus, kernel threads, selection) is flattened
 * at once, while a new model version waits until LIST_REFRESH_MS after the last flatten and is then
 * flattened in slices of a few ms per frame (advance()), the old rows shown meanwhile.
 * Pure and DOM-free so it is tested in node; <ListView> keeps one per list.
 */
import type { ProcessInfo, ProcKey } from '../../../electron/common/process';
import { sameQuery, type FilterResult } from '../model/filter';
import type { RNode, TreeModel } from '../model/TreeModel';
import { FlattenBuilder, flattenTree, type FlatList, type FlattenOptions, type SortSpec } from './flattenTree';

export const LIST_REFRESH_MS = 100;

/** What the list shows, as the list's props give it. */
export interface ListQuery {
  model: TreeModel;
  focusKey: ProcKey | null;
  collapsed: ReadonlySet<ProcKey>;
  sort: SortSpec;
  /** Recomputed for every model version; only a new query (sameQuery) counts as the person's. */
  filter: FilterResult | null;
  hidden: ((info: ProcessInfo) => boolean) | null;
  selectedKey: ProcKey | null;
  /** Grouped by service, container or pod (model/byGroup.ts). */
  byGroup?: boolean;
}

export interface ListRowsResult {
  list: FlatList;
  /**
   * performance.now() time from which advance() works on a model version not flattened yet (it
   * may be past: work has begun); null when the list is current. Stable until the list changes.
   */
  dueAt: number | null;
}

export class ThrottledRows {
  private list: FlatList | null = null;
  private query: ListQuery | null = null;
  /** The model version `list` was flattened at, and the newest one seen. */
  private version = Number.NaN;
  private latest = Number.NaN;
  /** When the last flatten finished: the next held-back one starts LIST_REFRESH_MS later. */
  private flattenedAt = -Infinity;
  private building: { builder: FlattenBuilder; version: number } | null = null;

  constructor(private readonly intervalMs = LIST_REFRESH_MS) {}

  /** The rows to show for `query` at model `version`; flattened at once when the person changed the view. */
  rows(query: ListQuery, version: number, now: number): ListRowsResult {
    const previous = this.query;
    this.query = query;
    this.latest = version;
    const modelMoved = version !== this.version;
    if (
      this.list === null ||
      previous === null ||
      viewChanged(previous, query) ||
      (modelMoved && previous.selectedKey !== query.selectedKey)
    ) {
      // A half-built list of what was shown before is worth nothing now.
      this.building = null;
      this.list = flattenTree(...flattenArgs(query));
      this.version = version;
      this.flattenedAt = now;
    }
    return { list: this.list, dueAt: this.dueAt() };
  }

  /** Whether a model version is waiting to be flattened. */
  get pending(): boolean {
    return this.list !== null && this.latest !== this.version;
  }

  /**
   * Work on the waiting model version until `clock()` passes `deadline`, if it is due at `now`.
   * True when a new list is ready (the caller renders it).
   */
  advance(now: number, deadline: number, clock: () => number): boolean {
    const query = this.query;
    if (!this.pending || query === null) return false;
    if (this.building === null) {
      if (now < this.flattenedAt + this.intervalMs) return false;
      this.building = { builder: new FlattenBuilder(...flattenArgs(query)), version: this.latest };
    }
    const list = this.building.builder.step(deadline, clock);
    if (list === null) return false;
    this.list = list;
    this.version = this.building.version;
    this.building = null;
    this.flattenedAt = clock();
    return true;
  }

  private dueAt(): number | null {
    return this.pending ? this.flattenedAt + this.intervalMs : null;
  }
}

function flattenArgs(query: ListQuery): [roots: readonly RNode[], options: FlattenOptions] {
  const focus = query.focusKey === null ? undefined : query.model.get(query.focusKey);
  return [
    focus ? [focus] : query.model.roots(),
    { collapsed: query.collapsed, sort: query.sort, visible: query.filter?.visible ?? null, hidden: query.hidden, byGroup: query.byGroup ?? false },
  ];
}

/** Whether what the list shows changed other than by the model moving on. */
function viewChanged(a: ListQuery, b: ListQuery): boolean {
  return (
    a.model !== b.model ||
    a.focusKey !== b.focusKey ||
    a.collapsed !== b.collapsed ||
    a.sort !== b.sort ||
    a.hidden !== b.hidden ||
    (a.byGroup ?? false) !== (b.byGroup ?? false) ||
    !sameQuery(a.filter, b.filter)
  );
}
