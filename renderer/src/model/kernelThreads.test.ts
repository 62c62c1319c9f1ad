import { describe, expect, it } from 'vitest';
import { flattenTree } from '../list/flattenTree';
import { DEFAULT_AGGREGATE_OPTIONS } from '../tree/aggregates';
import { buildScene, isAggregate } from '../tree/scene';
import { applyFilter, parseFilter } from './filter';
import { hiddenPredicate, isKernelThread } from './kernelThreads';
import { TreeModel } from './TreeModel';
import { ManualClock, proc, snapshot } from './testing';

/**
 * Shaped like /proc on a desktop: init(1) → sshd(10) → bash(20); kthreadd(2) → kworker/0:1(3),
 * rcu_sched(4) → (a kernel thread's kernel-thread child, 5). kthreadd is flagged by the core
 * except in the last model, where only its place (pid 2, ppid 0) identifies it.
 */
function desktop(flagKthreadd = true): TreeModel {
  const kernel = { argv: null, user: 'root', uid: 0, kernelThread: true } as const;
  const model = new TreeModel(new ManualClock());
  model.applySnapshot(
    snapshot(1, [
      proc(1, 0, 1, { comm: 'systemd', argv: ['/sbin/init'], user: 'root', uid: 0 }),
      proc(2, 0, 1, { comm: 'kthreadd', argv: null, user: 'root', uid: 0, ...(flagKthreadd ? { kernelThread: true } : {}) }),
      proc(3, 2, 2, { ...kernel, comm: 'kworker/0:1' }),
      proc(4, 2, 2, { ...kernel, comm: 'rcu_sched' }),
      proc(5, 4, 3, { ...kernel, comm: 'kworker/u8:2' }),
      proc(10, 1, 5, { comm: 'sshd', argv: ['sshd: alice'], user: 'root', uid: 0 }),
      proc(20, 10, 6, { comm: 'bash', argv: ['-bash'] }),
    ]),
  );
  return model;
}

const pidsOf = (nodes: Iterable<{ info: { pid: number } }>) => Array.from(nodes, (n) => n.info.pid).sort((a, b) => a - b);
const LIST = { collapsed: new Set<string>(), sort: { column: 'pid', descending: false } as const, visible: null };

describe('kernel thread visibility', () => {
  it('recognises flagged kernel threads, and kthreadd by its place even unflagged', () => {
    const model = desktop(false);
    const kernel = pidsOf(Array.from(model.nodes.values()).filter((n) => isKernelThread(n.info)));
    expect(kernel).toEqual([2, 3, 4, 5]);
    // A pid 2 with a parent is an ordinary process (a PID namespace's second process).
    expect(isKernelThread({ ...model.liveByPid(20)!.info, pid: 2, ppid: 1 })).toBe(false);
  });

  it('hides nothing when shown, and is one stable predicate when hidden', () => {
    expect(hiddenPredicate(true)).toBeNull();
    expect(hiddenPredicate(false)).toBe(hiddenPredicate(false));
  });

  it('drops kthreadd and its whole subtree from the list, and shows them when asked', () => {
    const model = desktop();
    const hiddenRows = flattenTree(model.roots(), { ...LIST, hidden: hiddenPredicate(false) }).rows;
    expect(hiddenRows.map((r) => r.node.info.pid)).toEqual([1, 10, 20]);
    const shownRows = flattenTree(model.roots(), { ...LIST, hidden: hiddenPredicate(true) }).rows;
    expect(shownRows.map((r) => r.node.info.pid)).toEqual([1, 10, 20, 2, 3, 4, 5]);
  });

  it('drops them from the tree scene too', () => {
    const model = desktop();
    const options = { filter: null, focusKey: null, expanded: new Set<string>(), aggregate: DEFAULT_AGGREGATE_OPTIONS, now: 1000 };
    const hidden = buildScene(model, { ...options, hidden: hiddenPredicate(false) });
    expect(pidsOf(hidden.entries.filter((e) => !isAggregate(e)) as Array<{ info: { pid: number } }>)).toEqual([1, 10, 20]);
    const shown = buildScene(model, options);
    expect(shown.entries).toHaveLength(7);
  });

  it('counts only the matches a person can see: hidden kernel threads never match the filter', () => {
    const model = desktop();
    const parsed = parseFilter('k', false); // kthreadd, kworker/*, and nothing else
    if (parsed.kind !== 'match') throw new Error('expected a matcher');
    const withKernel = applyFilter(model, parsed.test, hiddenPredicate(true));
    expect(pidsOf(withKernel.matches)).toEqual([2, 3, 5]);
    const withoutKernel = applyFilter(model, parsed.test, hiddenPredicate(false));
    expect(withoutKernel.matches.size).toBe(0);

    const bash = parseFilter('bash', false);
    if (bash.kind !== 'match') throw new Error('expected a matcher');
    const result = applyFilter(model, bash.test, hiddenPredicate(false));
    expect(pidsOf(result.matches)).toEqual([20]);
    expect(pidsOf(result.visible)).toEqual([1, 10, 20]);
  });
});
