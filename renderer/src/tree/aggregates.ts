/**
 * Storm control: when a process has more than `threshold` children that are already dead or only
 * just born (make -j, a shell loop, a fork bomb), drawing each one tells the user nothing and costs
 * a frame. Those children fold into one aggregate node that says what happened in numbers:
 * "make ▸ 312 short-lived children, p50 4ms, 3 failed". Click opens it.
 */
import type { RNode } from '../model/TreeModel';
import { formatDuration } from '../text/format';

export interface AggregateOptions {
  /** Collapse when more than this many children are short-lived or exited. */
  threshold: number;
  /** A live child younger than this (ms, performance.now() clock) counts as short-lived. */
  youngMs: number;
}

export const DEFAULT_AGGREGATE_OPTIONS: AggregateOptions = { threshold: 50, youngMs: 1000 };

export interface AggregateSummary {
  /** Children folded into the aggregate. */
  count: number;
  /** Of those, how many have exited. */
  exited: number;
  /** Exited with a non-zero code or killed by a signal. */
  failed: number;
  /** Median lifetime of the exited ones in ms; null when none has exited yet. */
  p50LifetimeMs: number | null;
}

export interface ChildSplit {
  /** Children drawn individually, in the input order (the input array itself when none fold). */
  shown: readonly RNode[];
  /** Children folded into an aggregate, or null when the parent is not busy enough. */
  folded: RNode[] | null;
  /**
   * performance.now() time at which a folded child stops being "young", i.e. when the split may
   * change without any model change; Infinity when it cannot.
   */
  changesAt: number;
}

export function isShortLived(child: RNode, now: number, youngMs: number): boolean {
  return child.exitedAt !== undefined || now - child.addedAt < youngMs;
}

/** Split `children` into those shown and those folded, keeping the order of each. */
export function splitChildren(children: readonly RNode[], now: number, options: AggregateOptions): ChildSplit {
  let shortLived = 0;
  for (const child of children) if (isShortLived(child, now, options.youngMs)) shortLived++;
  if (shortLived <= options.threshold) return { shown: children, folded: null, changesAt: Infinity };

  const shown: RNode[] = [];
  const folded: RNode[] = [];
  let changesAt = Infinity;
  for (const child of children) {
    if (!isShortLived(child, now, options.youngMs)) {
      shown.push(child);
      continue;
    }
    folded.push(child);
    if (child.exitedAt === undefined) changesAt = Math.min(changesAt, child.addedAt + options.youngMs);
  }
  return { shown, folded, changesAt };
}

/** Lifetime from the process's own start and exit times (epoch ms on the wire), when known. */
function lifetimeMs(node: RNode): number | null {
  const exit = node.info.exit;
  if (!exit) return null;
  const life = exit.at - node.info.startedAt;
  return Number.isFinite(life) && life >= 0 ? life : null;
}

export function summarize(folded: readonly RNode[]): AggregateSummary {
  const lifetimes = new Float64Array(folded.length);
  let timed = 0;
  let exited = 0;
  let failed = 0;
  for (const node of folded) {
    const exit = node.info.exit;
    if (!exit) continue;
    exited++;
    if (exit.signal !== undefined || (exit.code !== undefined && exit.code !== 0)) failed++;
    const life = lifetimeMs(node);
    if (life !== null) lifetimes[timed++] = life;
  }
  // A typed-array sort is numeric and several times faster than Array#sort with a comparator;
  // busy parents fold thousands of children a few times a second.
  const sorted = lifetimes.subarray(0, timed).sort();
  const p50LifetimeMs = timed === 0 ? null : sorted[(timed - 1) >> 1]!;
  return { count: folded.length, exited, failed, p50LifetimeMs };
}

/** "make ▸ 312 short-lived children, p50 4ms, 3 failed" */
export function aggregateLabel(parentComm: string, summary: AggregateSummary): string {
  const parts = [`${summary.count} short-lived ${summary.count === 1 ? 'child' : 'children'}`];
  if (summary.p50LifetimeMs !== null) parts.push(`p50 ${formatDuration(summary.p50LifetimeMs)}`);
  if (summary.failed > 0) parts.push(`${summary.failed} failed`);
  return `${parentComm} ▸ ${parts.join(', ')}`;
}
