/**
 * The lifetime view's rows, in fork lineage: a process, then its children beneath it (by start
 * time), depth first. Pure: entries in, rows out.
 *
 * Folding: a storm's children (a `make -j`'s compiler jobs, a fork loop) are many siblings with
 * the same command that each live briefly. More than FOLD_MIN of them under one parent become one
 * row with a count and a density strip; opening it (by its id) lists them, each with its own
 * descendants. Long-lived siblings never fold: each is worth its own row.
 *
 * Built a slice per frame (RowBuilder): at 50k lifetimes a whole build costs several frames.
 */
import type { ProcessInfo, ProcKey } from '../../../electron/common/process';
import type { LifetimeEntry } from './LifetimeModel';

/** Siblings with one command fold when there are more than this many short-lived ones. */
export const FOLD_MIN = 8;
/** A process that lived (or has lived so far) less than this is short-lived. */
export const SHORT_LIVED_MS = 3000;

export interface ProcessRow {
  kind: 'process';
  entry: LifetimeEntry;
  depth: number;
}

export interface FoldRow {
  kind: 'fold';
  /** Stable across rebuilds: the parent's key and the command. */
  id: string;
  depth: number;
  /** Raw command name the members share (escape before display). */
  command: string;
  /** In the rows' order. */
  members: LifetimeEntry[];
  start: number;
  /** The last member's end; null while any member lives. */
  end: number | null;
  open: boolean;
}

export type LifetimeRow = ProcessRow | FoldRow;

export interface RowOptions {
  /** Processes not shown, with their descendants (kernel threads when hidden); null hides none. */
  hidden: ((info: ProcessInfo) => boolean) | null;
  /** Ids of the folds the person opened. */
  open: ReadonlySet<string>;
  /** Now, on the entries' clock: how long a living process has lived so far. */
  now: number;
  /** Siblings (and a fold's members) by start time, or longest-lived first. */
  order: RowOrder;
}

export type RowOrder = 'start' | 'duration';

export function foldId(parentKey: ProcKey | null, command: string): string {
  return `${parentKey ?? ''}\u0000${command}`;
}

export function latestCommand(entry: LifetimeEntry): string {
  return entry.segments[entry.segments.length - 1]!.command;
}

export interface BuiltRows {
  rows: LifetimeRow[];
  /** Row index per process key and fold id; a member of a closed fold maps to its fold's row. */
  index: Map<string, number>;
}

/** All rows at once (tests, small sets). */
export function buildRows(byKey: ReadonlyMap<ProcKey, LifetimeEntry>, options: RowOptions): LifetimeRow[] {
  return new RowBuilder(byKey, options).step(Infinity, () => 0)!.rows;
}

/** How many items between two looks at the clock. */
const CHECK_EVERY = 256;

/**
 * Builds the rows a slice at a time, so that 50k lifetimes never cost one long frame: step()
 * works until the deadline and returns the rows once done (null until then). Entries keep
 * changing in place between slices (an exit, an exec); the rows show them as they are when
 * drawn, and the next build places them anew.
 */
export class RowBuilder {
  private phase: 'bucket' | 'sort' | 'walk' | 'index' = 'bucket';
  private readonly list: LifetimeEntry[];
  private at = 0;
  private readonly children = new Map<ProcKey | null, LifetimeEntry[]>();
  private sortQueue: LifetimeEntry[][] = [];
  private readonly compare: (a: LifetimeEntry, b: LifetimeEntry) => number;
  // Explicit stack (a fork chain can be deeper than the call stack); pushed in reverse so
  // siblings come out in order. A seen set guards against a lineage loop in bad data.
  private readonly stack: Array<{ entry: LifetimeEntry; depth: number } | FoldRow> = [];
  private readonly seen = new Set<ProcKey>();
  private readonly rows: LifetimeRow[] = [];
  private readonly index = new Map<string, number>();

  constructor(
    private readonly byKey: ReadonlyMap<ProcKey, LifetimeEntry>,
    private readonly options: RowOptions,
  ) {
    this.list = Array.from(byKey.values());
    this.compare = options.order === 'duration' ? byDuration(options.now) : byStart;
  }

  step(deadline: number, clock: () => number): BuiltRows | null {
    let work = 0;
    let check = CHECK_EVERY;
    const overdue = (): boolean => {
      if (++work < check) return false;
      check = work + CHECK_EVERY;
      return clock() >= deadline;
    };
    if (this.phase === 'bucket') {
      const { byKey } = this;
      while (this.at < this.list.length) {
        const entry = this.list[this.at++]!;
        const parent = entry.lineageKey !== null && entry.lineageKey !== entry.key && byKey.has(entry.lineageKey) ? entry.lineageKey : null;
        const siblings = this.children.get(parent);
        if (siblings) siblings.push(entry);
        else this.children.set(parent, [entry]);
        if (overdue()) return null;
      }
      this.sortQueue = Array.from(this.children.values());
      this.phase = 'sort';
    }
    if (this.phase === 'sort') {
      while (this.sortQueue.length > 0) {
        const siblings = this.sortQueue.pop()!;
        siblings.sort(this.compare);
        work += Math.ceil(siblings.length / 8);
        if (clock() >= deadline && this.sortQueue.length > 0) return null;
      }
      this.pushChildren(null, 0);
      this.phase = 'walk';
    }
    if (this.phase === 'walk') {
      const { stack, rows, seen } = this;
      while (stack.length > 0) {
        const item = stack.pop()!;
        if ('kind' in item) {
          rows.push(item);
          if (item.open) {
            for (let i = item.members.length - 1; i >= 0; i--) stack.push({ entry: item.members[i]!, depth: item.depth + 1 });
          }
        } else if (!seen.has(item.entry.key) && !this.options.hidden?.(item.entry.info)) {
          seen.add(item.entry.key);
          rows.push({ kind: 'process', entry: item.entry, depth: item.depth });
          this.pushChildren(item.entry.key, item.depth + 1);
        }
        if (overdue()) return null;
      }
      this.at = 0;
      this.phase = 'index';
    }
    const { rows, index } = this;
    while (this.at < rows.length) {
      const i = this.at++;
      const row = rows[i]!;
      if (row.kind === 'process') index.set(row.entry.key, i);
      else {
        index.set(row.id, i);
        if (!row.open) for (const member of row.members) index.set(member.key, i);
        work += row.members.length;
      }
      if (overdue()) return null;
    }
    return { rows, index };
  }

  private pushChildren(parentKey: ProcKey | null, depth: number): void {
    const items = groupSiblings(parentKey, this.children.get(parentKey), depth, this.options);
    for (let i = items.length - 1; i >= 0; i--) this.stack.push(items[i]!);
  }
}

function byStart(a: LifetimeEntry, b: LifetimeEntry): number {
  return a.start - b.start || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

function byDuration(now: number): (a: LifetimeEntry, b: LifetimeEntry) => number {
  return (a, b) => lifeMs(b, now) - lifeMs(a, now) || byStart(a, b);
}

/** How long it lived, or has lived so far. */
export function lifeMs(entry: LifetimeEntry, now: number): number {
  return (entry.end ?? now) - entry.start;
}

/** Siblings in start order, with each foldable command's members replaced by one fold. */
function groupSiblings(
  parentKey: ProcKey | null,
  siblings: LifetimeEntry[] | undefined,
  depth: number,
  options: RowOptions,
): Array<{ entry: LifetimeEntry; depth: number } | FoldRow> {
  if (!siblings) return [];
  const out: Array<{ entry: LifetimeEntry; depth: number } | FoldRow> = [];
  if (siblings.length <= FOLD_MIN) {
    for (const entry of siblings) out.push({ entry, depth });
    return out;
  }
  const shortByCommand = new Map<string, LifetimeEntry[]>();
  for (const entry of siblings) {
    if (!isShortLived(entry, options.now)) continue;
    const command = latestCommand(entry);
    const group = shortByCommand.get(command);
    if (group) group.push(entry);
    else shortByCommand.set(command, [entry]);
  }
  const folds = new Map<string, FoldRow>();
  for (const [command, members] of shortByCommand) {
    if (members.length <= FOLD_MIN) continue;
    const id = foldId(parentKey, command);
    let end: number | null = 0;
    for (const member of members) end = member.end === null || end === null ? null : Math.max(end, member.end);
    let start = Infinity;
    for (const member of members) start = Math.min(start, member.start);
    folds.set(command, { kind: 'fold', id, depth, command, members, start, end, open: options.open.has(id) });
  }
  const placed = new Set<FoldRow>();
  for (const entry of siblings) {
    const fold = isShortLived(entry, options.now) ? folds.get(latestCommand(entry)) : undefined;
    if (!fold) out.push({ entry, depth });
    else if (!placed.has(fold)) {
      placed.add(fold);
      out.push(fold);
    }
  }
  return out;
}

function isShortLived(entry: LifetimeEntry, now: number): boolean {
  return lifeMs(entry, now) < SHORT_LIVED_MS;
}
