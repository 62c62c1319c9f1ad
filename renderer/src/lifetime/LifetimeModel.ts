/**
 * What the lifetime view draws: every process's life from fork to exit, cut into segments at
 * each exec, with how it ended — kept after the TreeModel lets the process go (a tombstone
 * expires within seconds, a lifetime is worth looking at for longer), up to a bound.
 *
 * It follows the TreeModel (model.onChange) rather than the delta stream, so a snapshot, a resync
 * and pause/resume reach it exactly as they reach the other views. Times are epoch milliseconds
 * on the processes' own clock (startedAt, exit.at): the live machine's, or the recording's in a
 * replay, where `now` is the playhead (LifetimeClock).
 *
 * Lineage: a process sits under the process that forked it (`forkerKey`), else its parent by key
 * (`parentKey`), else the TreeModel's parent when it was first seen — which is its forker unless
 * it was already reparented by then — and it stays there when it is reparented later.
 */
import { sameArgv, type ExitRecord, type ProcessInfo, type ProcKey } from '../../../electron/common/process';
import type { ModelChanges, RNode, TreeModel } from '../model/TreeModel';

/**
 * The lineage keys another engineer is adding to ProcessInfo (architecture.md §3); optional, so this
 * reads them when a host sends them and falls back to the TreeModel's parent when it does not.
 */

export interface Segment {
  /** When this command started: the fork for the first segment, an exec for the others. */
  at: number;
  /** Raw command name (argv[0]'s base name, else comm): untrusted, escape before display. */
  command: string;
}

export interface LifetimeEntry {
  key: ProcKey;
  /** The latest info seen (kept after the TreeModel drops the process). */
  info: ProcessInfo;
  lineageKey: ProcKey | null;
  start: number;
  /** When it ended; null while it lives. */
  end: number | null;
  /** How it ended; null while it lives, or when it vanished unseen (lost events, resync). */
  exit: ExitRecord | null;
  /** At least one; the latest exec last. Bounded: the oldest execs after the first fold away. */
  segments: Segment[];
}

export interface LifetimeOptions {
  /** Entries kept; past it the earliest-ended go first (the living are never dropped). */
  maxEntries?: number;
  /** Segments kept per process (a process that execs in a loop keeps its first and latest). */
  maxSegments?: number;
}

export const DEFAULT_MAX_ENTRIES = 50_000;
export const DEFAULT_MAX_SEGMENTS = 16;
/** A clock step back by more than this is a seek backwards in a recording, not jitter. */
const REWIND_MS = 1000;

export class LifetimeModel {
  readonly entries = new Map<ProcKey, LifetimeEntry>();
  /** Bumped whenever an entry is added, changed, ended or dropped. */
  version = 0;
  /** When the first snapshot arrived (on the processes' clock): what started before was not watched. */
  watchingSince: number | null = null;
  private readonly maxEntries: number;
  private readonly maxSegments: number;
  /** Ended entries in the order they ended, for eviction: [key, end] (stale pairs are skipped). */
  private endedQueue: Array<[ProcKey, number]> = [];
  private endedHead = 0;
  private lastNow = -Infinity;
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly model: TreeModel,
    private readonly clock: () => number,
    options: LifetimeOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.maxSegments = Math.max(2, options.maxSegments ?? DEFAULT_MAX_SEGMENTS);
    this.unsubscribe = model.onChange((_version, changes) => this.apply(changes));
    if (model.nodes.size > 0) this.apply({ added: [...model.nodes.keys()], changed: [], exited: [], removed: [], snapshot: true });
  }

  dispose(): void {
    this.unsubscribe();
    this.listeners.clear();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  get(key: ProcKey): LifetimeEntry | undefined {
    return this.entries.get(key);
  }

  private apply(changes: ModelChanges): void {
    const now = this.clock();
    const rewound = now < this.lastNow - REWIND_MS;
    this.lastNow = now;
    if (this.watchingSince === null || rewound) this.watchingSince = now;
    if (changes.snapshot && rewound) {
      // A seek back in a recording: what we hold happened after the moment now shown.
      this.entries.clear();
      this.endedQueue = [];
      this.endedHead = 0;
      for (const node of this.model.nodes.values()) this.upsert(node, now);
    } else {
      for (const key of changes.added) this.touch(key, now);
      for (const key of changes.changed) this.touch(key, now);
      for (const key of changes.exited) this.touch(key, now);
      // A snapshot that no longer holds a process we thought alive: it ended while events were
      // lost. A delta's `removed` is only a tombstone expiring: the lifetime stays.
      if (changes.snapshot) for (const key of changes.removed) this.endUnseen(key, now);
    }
    this.evict();
    this.version += 1;
    for (const listener of Array.from(this.listeners)) listener();
  }

  private touch(key: ProcKey, now: number): void {
    const node = this.model.get(key);
    if (node) this.upsert(node, now);
  }

  private upsert(node: RNode, now: number): void {
    const info = node.info;
    const entry = this.entries.get(info.key);
    if (!entry) {
      const created: LifetimeEntry = {
        key: info.key,
        info,
        lineageKey: lineageOf(node),
        start: info.startedAt,
        end: null,
        exit: null,
        segments: [{ at: info.startedAt, command: commandName(info) }],
      };
      this.entries.set(info.key, created);
      this.settleExit(created, info);
      return;
    }
    const before = entry.info;
    entry.info = info;
    entry.lineageKey ??= lineageOf(node);
    if ((info.execs ?? 0) !== (before.execs ?? 0) || !sameArgv(info.argv, before.argv)) this.exec(entry, info, now);
    this.settleExit(entry, info);
  }

  private exec(entry: LifetimeEntry, info: ProcessInfo, now: number): void {
    const at = Math.max(entry.start, Math.min(now, info.exit?.at ?? now));
    const segments = entry.segments;
    segments.push({ at, command: commandName(info) });
    // Keep the first (how it began) and the latest; the middle of an exec loop folds away.
    if (segments.length > this.maxSegments) segments.splice(1, 1);
  }

  /** Exit from the info, or alive again (a resync found it alive after all). */
  private settleExit(entry: LifetimeEntry, info: ProcessInfo): void {
    if (info.exit) {
      if (entry.exit) return;
      entry.exit = info.exit;
      entry.end = Math.max(entry.start, info.exit.at);
      this.endedQueue.push([entry.key, entry.end]);
    } else if (entry.end !== null) {
      entry.end = null;
      entry.exit = null;
    }
  }

  private endUnseen(key: ProcKey, now: number): void {
    const entry = this.entries.get(key);
    if (!entry || entry.end !== null) return;
    entry.end = Math.max(entry.start, now);
    this.endedQueue.push([key, entry.end]);
  }

  private evict(): void {
    while (this.entries.size > this.maxEntries && this.endedHead < this.endedQueue.length) {
      const [key, end] = this.endedQueue[this.endedHead++]!;
      if (this.entries.get(key)?.end === end) this.entries.delete(key);
    }
    // Compact the queue once its consumed head outweighs what is left.
    if (this.endedHead > 1024 && this.endedHead * 2 > this.endedQueue.length) {
      this.endedQueue = this.endedQueue.slice(this.endedHead);
      this.endedHead = 0;
    }
  }
}

function lineageOf(node: RNode): ProcKey | null {
  const info = node.info;
  return info.forkerKey ?? info.parentKey ?? node.parent?.info.key ?? null;
}

/** The name a person knows a command by: argv[0]'s base name, else comm. */
export function commandName(info: ProcessInfo): string {
  const first = info.argv?.[0];
  if (first) {
    const base = first.slice(first.lastIndexOf('/') + 1);
    if (base) return base;
  }
  return info.comm;
}
