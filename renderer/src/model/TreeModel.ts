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
 * Links follow keys, never pids (pids are reused): a live process hangs under its current parent
 * (`parentKey`, after the kernel reparented it to init or a subreaper), and an exited one under
 * the process that forked it (`forkerKey`) while that is still shown, so a storm's structure
 * survives its parents exiting first. A process whose parent is not (yet) known is a root; it is
 * adopted as soon as that key arrives.
 */
import type { DeltaBatch, Snapshot } from '../../../electron/common/delta';
import { sameArgv, type ExitRecord, type ProcessChange, type ProcessInfo, type ProcKey } from '../../../electron/common/process';
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
  /** Roots whose parent key names a process we do not hold (yet), by that key. */
  private readonly waitingFor = new Map<ProcKey, Set<RNode>>();
  /** The key each waiting root waits for (the reverse of `waitingFor`). */
  private readonly waitingOn = new Map<RNode, ProcKey>();
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
    this.adoptWaitingFor(node);
    changes.added.push(info.key);
  }

  private change(change: ProcessChange, now: number, changes: ModelChanges): void {
    const node = this.nodes.get(change.key);
    if (!node) return; // a change to a process we never saw carries too little to build it
    const before = node.info;
    // The core sends ppid and parentKey together: a ppid alone (JSON drops undefined) means the
    // new parent is one the model does not hold.
    node.info = change.ppid !== undefined && change.parentKey === undefined ? { ...before, ...change, parentKey: undefined } : { ...before, ...change };
    if (change.argv !== undefined || (change.execs !== undefined && change.execs !== before.execs)) node.execAt = now;
    if (change.exit && !before.exit) this.markExited(node, now, changes);
    if (this.linkKeyOf(node) !== this.linkKeyOf(node, before)) this.relink(node);
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
    if (info.exit && !before.exit) this.markExited(node, now, changes);
    else if (!info.exit && node.exitedAt !== undefined) this.revive(node);
    if (this.linkKeyOf(node) !== this.linkKeyOf(node, before)) this.relink(node);
    changes.changed.push(info.key);
  }

  /** A process marked exited is alive after all: live again by its pid. */
  private revive(node: RNode): void {
    node.exitedAt = undefined;
    this.live.set(node.info.pid, node);
  }

  private exit(record: ExitRecord, now: number, changes: ModelChanges): void {
    const node = this.nodes.get(record.key);
    if (!node) return;
    const before = node.info;
    node.info = { ...before, exit: record };
    this.markExited(node, now, changes);
    // An orphan that exits goes back under the process that forked it.
    if (this.linkKeyOf(node) !== this.linkKeyOf(node, before)) this.relink(node);
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
    // Children still hanging under an expired tombstone go to their current parent (a tombstone
    // forked them, the kernel reparented them), or become roots.
    const orphans = node.children;
    node.children = [];
    for (const child of orphans) {
      child.parent = null;
      this.attach(child);
    }
    changes.removed.push(key);
  }

  /** Rebuild every link from the keys (after a snapshot). */
  private relinkAll(): void {
    this.live.clear();
    this.rootSet.clear();
    this.rootCache = null;
    this.waitingFor.clear();
    this.waitingOn.clear();
    for (const node of this.nodes.values()) {
      node.parent = null;
      node.children = [];
      if (!node.info.exit) this.live.set(node.info.pid, node);
    }
    for (const node of this.nodes.values()) {
      const parent = this.nodes.get(this.linkKeyOf(node) ?? '');
      if (parent && parent !== node) {
        node.parent = parent;
        parent.children.push(node);
      }
    }
    this.breakCycles();
    for (const node of this.nodes.values()) {
      if (node.parent) continue;
      const key = this.linkKeyOf(node);
      this.link(node, null, key !== undefined && !this.nodes.has(key) ? key : undefined);
    }
  }

  /**
   * The key of the process `node` hangs under, given its info (`info`, by default its current
   * one): an exited process stays under its forker while that is shown, the rest follow their
   * current parent.
   */
  private linkKeyOf(node: RNode, info: ProcessInfo = node.info): ProcKey | undefined {
    if (info.exit && info.forkerKey !== undefined && this.nodes.has(info.forkerKey)) return info.forkerKey;
    return info.parentKey;
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

  private relink(node: RNode): void {
    this.detach(node);
    this.attach(node);
  }

  private attach(node: RNode): void {
    const key = this.linkKeyOf(node);
    const candidate = key === undefined ? undefined : this.nodes.get(key);
    if (candidate) this.link(node, candidate !== node && !this.isAncestorOrSelf(node, candidate) ? candidate : null);
    else this.link(node, null, key);
  }

  /** Hang `node` under `parent`, or make it a root that waits for the process `waitFor` names. */
  private link(node: RNode, parent: RNode | null, waitFor?: ProcKey): void {
    if (parent) {
      node.parent = parent;
      parent.children.push(node);
      return;
    }
    node.parent = null;
    this.rootSet.add(node);
    this.rootCache = null;
    if (waitFor === undefined) return;
    const set = this.waitingFor.get(waitFor);
    if (set) set.add(node);
    else this.waitingFor.set(waitFor, new Set([node]));
    this.waitingOn.set(node, waitFor);
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
    const key = this.waitingOn.get(node);
    if (key === undefined) return;
    this.waitingOn.delete(node);
    const set = this.waitingFor.get(key);
    set?.delete(node);
    if (set?.size === 0) this.waitingFor.delete(key);
  }

  /** Roots that were waiting for `parent` to arrive hang under it now. */
  private adoptWaitingFor(parent: RNode): void {
    const waiting = this.waitingFor.get(parent.info.key);
    if (!waiting) return;
    for (const orphan of Array.from(waiting)) {
      this.detach(orphan);
      this.attach(orphan);
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

