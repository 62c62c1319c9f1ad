/**
 * The renderer's process tree: one mutable, versioned structure shared by every view.
 *
 * Why mutable: a storm delivers thousands of changes per second to a tree of ~20k nodes; copying
 * the tree (or a Map of it) per batch is ruinous. Views read the model directly and re-render when
 * `version` moves; zustand holds only the version number. Node objects keep their identity for
 * the life of the process (including across snapshots), so views can key caches on them, while
 * `node.info` is replaced (never mutated) whenever the process changes, so a view may compare
 * `info` references to know whether a row must be redrawn.
 *
 * Parent links follow ppid, but a pid alone is ambiguous (pids are reused): a node's parent is
 * the process with pid == ppid that started no later than the child. A child whose parent is not
 * (yet) known is a root and an "orphan"; it is adopted as soon as its parent appears.
 */
import type { DeltaBatch, Snapshot } from '../../../electron/common/delta';
import type { ExitRecord, ProcessChange, ProcessInfo, ProcKey } from '../../../electron/common/process';
import { performanceClock, type ModelClock } from './clock';

export interface RNode {
  info: ProcessInfo;
  parent: RNode | null;
  /** In order of arrival. Views sort for display. */
  children: RNode[];
  /**
   * performance.now() when the process appeared. -Infinity for processes that were already
   * running when the first snapshot arrived: they did not "appear", so nothing animates them.
   */
  addedAt: number;
  /** performance.now() of the last exec seen. */
  execAt?: number;
  /** performance.now() when it exited (tombstone since then). */
  exitedAt?: number;
}

export interface ModelChanges {
  added: ProcKey[];
  changed: ProcKey[];
  exited: ProcKey[];
  removed: ProcKey[];
  /** True when the whole model was replaced by a snapshot (then `changed` lists every kept node). */
  snapshot: boolean;
}

/**
 * 'ok': applied. 'gap': a batch is missing (or no snapshot yet), nothing applied: the caller must
 * request a snapshot. 'stale': the batch is already folded into the current snapshot (it was in
 * flight when the snapshot was taken) and was ignored; no snapshot is needed.
 */
export type DeltaResult = 'ok' | 'gap' | 'stale';

export type ModelListener = (version: number, changes: ModelChanges) => void;

export class TreeModel {
  /** Bumped once per applied snapshot or delta. */
  version = 0;
  readonly nodes = new Map<ProcKey, RNode>();

  /** Live (not exited) process per pid. A tombstone is never in here. */
  private readonly live = new Map<number, RNode>();
  private readonly rootSet = new Set<RNode>();
  private rootCache: RNode[] | null = null;
  /** Roots that name a parent pid we do not know yet, by that pid. */
  private readonly orphansByPpid = new Map<number, Set<RNode>>();
  private readonly listeners = new Set<ModelListener>();
  private lastSeq: number | null = null;
  private lastSnapshotStamp: string | null = null;

  constructor(private readonly clock: ModelClock = performanceClock) {}

  /** The seq of the last applied snapshot or delta; null before the first snapshot. */
  get seq(): number | null {
    return this.lastSeq;
  }

  roots(): RNode[] {
    this.rootCache ??= Array.from(this.rootSet);
    return this.rootCache;
  }

  get(key: ProcKey): RNode | undefined {
    return this.nodes.get(key);
  }

  liveByPid(pid: number): RNode | undefined {
    return this.live.get(pid);
  }

  onChange(listener: ModelListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Replace the model with a snapshot. Nodes whose key survives keep their identity and animation
   * times (so a resync after loss does not re-animate the whole tree); links are rebuilt.
   * Applying the same snapshot twice (it may arrive both as a reply and as a pushed message) is a
   * no-op.
   */
  applySnapshot(snapshot: Snapshot): void {
    const stamp = `${snapshot.seq}/${snapshot.ts}`;
    if (stamp === this.lastSnapshotStamp && this.lastSeq === snapshot.seq) return;

    const now = this.clock.now();
    const firstFill = this.nodes.size === 0;
    const changes = emptyChanges(true);
    const incoming = new Set<ProcKey>();

    for (const info of snapshot.processes) {
      incoming.add(info.key);
      const existing = this.nodes.get(info.key);
      if (existing) {
        if (info.exit && existing.exitedAt === undefined) existing.exitedAt = this.clock.fromEpoch(info.exit.at);
        // Alive in the snapshot though we had it exited: the exit mark goes with the old info.
        // (Assigned, not deleted: a delete would turn the node into a slow dictionary object.)
        else if (!info.exit) existing.exitedAt = undefined;
        existing.info = info;
        changes.changed.push(info.key);
      } else {
        const node: RNode = { info, parent: null, children: [], addedAt: firstFill ? -Infinity : now };
        if (info.exit) node.exitedAt = this.clock.fromEpoch(info.exit.at);
        this.nodes.set(info.key, node);
        changes.added.push(info.key);
      }
    }
    for (const key of this.nodes.keys()) {
      if (!incoming.has(key)) {
        this.nodes.delete(key);
        changes.removed.push(key);
      }
    }
    this.relinkAll();

    this.lastSeq = snapshot.seq;
    this.lastSnapshotStamp = stamp;
    this.commit(changes);
  }

  /** Apply one delta batch in order: added, changed, exited, removed. */
  applyDelta(batch: DeltaBatch): DeltaResult {
    if (this.lastSeq === null) return 'gap';
    if (batch.seq <= this.lastSeq) return 'stale';
    if (batch.seq !== this.lastSeq + 1) return 'gap';

    const now = this.clock.now();
    const changes = emptyChanges(false);
    for (const info of batch.added) this.add(info, now, changes);
    for (const change of batch.changed) this.change(change, now, changes);
    for (const record of batch.exited) this.exit(record, now, changes);
    for (const key of batch.removed) this.remove(key, changes);

    this.lastSeq = batch.seq;
    this.commit(changes);
    return 'ok';
  }

  private add(info: ProcessInfo, now: number, changes: ModelChanges): void {
    const existing = this.nodes.get(info.key);
    if (existing) {
      this.replace(existing, info, now, changes);
      return;
    }
    const node: RNode = { info, parent: null, children: [], addedAt: now };
    this.nodes.set(info.key, node);
    if (info.exit) node.exitedAt = now;
    else this.live.set(info.pid, node);
    this.attach(node);
    this.adoptOrphansOf(node);
    changes.added.push(info.key);
  }

  private change(change: ProcessChange, now: number, changes: ModelChanges): void {
    const node = this.nodes.get(change.key);
    if (!node) return; // a change to a process we never saw carries too little to build it
    const before = node.info;
    node.info = { ...before, ...change };
    if (change.argv !== undefined || (change.execs !== undefined && change.execs !== before.execs)) node.execAt = now;
    if (change.ppid !== undefined && change.ppid !== before.ppid) {
      this.detach(node);
      this.attach(node);
    }
    if (change.exit && !before.exit) this.markExited(node, now, changes);
    changes.changed.push(change.key);
  }

  /**
   * An "added" process we already hold (a resync raced the delta, or found alive a process we had
   * marked exited): the new info is the whole truth, so it replaces the old one rather than being
   * merged into it — a merge would keep an exit mark the new info no longer has.
   */
  private replace(node: RNode, info: ProcessInfo, now: number, changes: ModelChanges): void {
    const before = node.info;
    node.info = info;
    if (info.execs !== before.execs || !sameArgv(info.argv, before.argv)) node.execAt = now;
    if (info.ppid !== before.ppid) {
      this.detach(node);
      this.attach(node);
    }
    if (info.exit && !before.exit) this.markExited(node, now, changes);
    else if (!info.exit && node.exitedAt !== undefined) this.revive(node);
    changes.changed.push(info.key);
  }

  /** A process marked exited is alive after all: live again by its pid, and parent of its orphans. */
  private revive(node: RNode): void {
    node.exitedAt = undefined;
    this.live.set(node.info.pid, node);
    this.adoptOrphansOf(node);
  }

  private exit(record: ExitRecord, now: number, changes: ModelChanges): void {
    const node = this.nodes.get(record.key);
    if (!node) return;
    node.info = { ...node.info, exit: record };
    this.markExited(node, now, changes);
  }

  private markExited(node: RNode, now: number, changes: ModelChanges): void {
    node.exitedAt ??= now;
    if (this.live.get(node.info.pid) === node) this.live.delete(node.info.pid);
    changes.exited.push(node.info.key);
  }

  private remove(key: ProcKey, changes: ModelChanges): void {
    const node = this.nodes.get(key);
    if (!node) return;
    this.nodes.delete(key);
    if (this.live.get(node.info.pid) === node) this.live.delete(node.info.pid);
    this.detach(node);
    // Children still hanging under an expired tombstone go to their live parent by ppid, if
    // the kernel has reparented them and told us, or become roots.
    const orphans = node.children;
    node.children = [];
    for (const child of orphans) {
      child.parent = null;
      this.attach(child);
    }
    changes.removed.push(key);
  }

  /** Rebuild every link from ppid and start times (after a snapshot). */
  private relinkAll(): void {
    this.live.clear();
    this.rootSet.clear();
    this.rootCache = null;
    this.orphansByPpid.clear();
    const byPid = new Map<number, RNode[]>();
    for (const node of this.nodes.values()) {
      node.parent = null;
      node.children = [];
      const list = byPid.get(node.info.pid);
      if (list) list.push(node);
      else byPid.set(node.info.pid, [node]);
      if (!node.info.exit) this.live.set(node.info.pid, node);
    }
    for (const node of this.nodes.values()) {
      const parent = latestStartedBy(byPid.get(node.info.ppid), node);
      if (parent) {
        node.parent = parent;
        parent.children.push(node);
      }
    }
    this.breakCycles();
    for (const node of this.nodes.values()) if (!node.parent) this.link(node, null);
  }

  /**
   * Bad data (equal start ticks and a ppid loop) could link processes in a circle, which would
   * hang every tree walk. One pass marks each node's way up; a walk that meets its own path has
   * found a cycle and cuts it there. Linear in the number of nodes, however deep the tree.
   */
  private breakCycles(): void {
    const state = new Map<RNode, 'walking' | 'done'>();
    for (const start of this.nodes.values()) {
      const path: RNode[] = [];
      let at: RNode | null = start;
      while (at && !state.has(at)) {
        state.set(at, 'walking');
        path.push(at);
        at = at.parent;
      }
      if (at && state.get(at) === 'walking') {
        const parent = at.parent as RNode;
        parent.children.splice(parent.children.indexOf(at), 1);
        at.parent = null;
      }
      for (const node of path) state.set(node, 'done');
    }
  }

  private attach(node: RNode): void {
    const candidate = this.live.get(node.info.ppid);
    const parent =
      candidate && isPlausibleParent(candidate, node) && !this.isAncestorOrSelf(node, candidate) ? candidate : null;
    this.link(node, parent);
  }

  private link(node: RNode, parent: RNode | null): void {
    if (parent) {
      node.parent = parent;
      parent.children.push(node);
      return;
    }
    node.parent = null;
    this.rootSet.add(node);
    this.rootCache = null;
    if (hasParentPid(node)) {
      const set = this.orphansByPpid.get(node.info.ppid);
      if (set) set.add(node);
      else this.orphansByPpid.set(node.info.ppid, new Set([node]));
    }
  }

  private detach(node: RNode): void {
    const parent = node.parent;
    if (parent) {
      const index = parent.children.indexOf(node);
      if (index >= 0) parent.children.splice(index, 1);
      node.parent = null;
      return;
    }
    if (this.rootSet.delete(node)) this.rootCache = null;
    const set = this.orphansByPpid.get(node.info.ppid);
    if (set) {
      set.delete(node);
      if (set.size === 0) this.orphansByPpid.delete(node.info.ppid);
    }
  }

  private adoptOrphansOf(parent: RNode): void {
    const waiting = this.orphansByPpid.get(parent.info.pid);
    if (!waiting) return;
    for (const orphan of Array.from(waiting)) {
      if (!isPlausibleParent(parent, orphan) || this.isAncestorOrSelf(orphan, parent)) continue;
      this.detach(orphan);
      this.link(orphan, parent);
    }
  }

  /** Whether `node` is `candidate` or one of its ancestors (linking would make a cycle). */
  private isAncestorOrSelf(node: RNode, candidate: RNode): boolean {
    // A node without children is nobody's ancestor: skip the walk up (the common case, a fork).
    if (node !== candidate && node.children.length === 0) return false;
    for (let at: RNode | null = candidate; at; at = at.parent) if (at === node) return true;
    return false;
  }

  private commit(changes: ModelChanges): void {
    this.version += 1;
    for (const listener of Array.from(this.listeners)) {
      try {
        listener(this.version, changes);
      } catch (error) {
        // One broken view must not stop the others (or the model) from updating; report it.
        console.error('TreeModel listener failed', error);
      }
    }
  }
}

function emptyChanges(snapshot: boolean): ModelChanges {
  return { added: [], changed: [], exited: [], removed: [], snapshot };
}

function hasParentPid(node: RNode): boolean {
  return node.info.ppid !== 0 && node.info.ppid !== node.info.pid;
}

export function sameArgv(a: string[] | null, b: string[] | null): boolean {
  if (a === b) return true;
  if (a === null || b === null || a.length !== b.length) return false;
  return a.every((arg, i) => arg === b[i]);
}

/** A parent cannot have started after its child (start times are clock ticks since boot). */
function isPlausibleParent(parent: RNode, child: RNode): boolean {
  return hasParentPid(child) && parent !== child && parent.info.startTime <= child.info.startTime;
}

/** Among processes that held the pid, the one that most recently started before `child`. */
function latestStartedBy(candidates: RNode[] | undefined, child: RNode): RNode | null {
  if (!candidates) return null;
  let best: RNode | null = null;
  for (const candidate of candidates) {
    if (!isPlausibleParent(candidate, child)) continue;
    if (!best || candidate.info.startTime > best.info.startTime) best = candidate;
  }
  return best;
}
