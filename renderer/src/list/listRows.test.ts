import { describe, expect, it } from 'vitest';
import { applyFilter, parseFilter } from '../model/filter';
import { TreeModel } from '../model/TreeModel';
import { delta, ManualClock, proc, snapshot } from '../model/testing';
import { flattenTree, type FlatList } from './flattenTree';
import { LIST_REFRESH_MS, ThrottledRows, type ListQuery } from './listRows';

const pids = (list: FlatList) => list.rows.map((r) => r.node.info.pid);

/** 1 → {10 → 11, 20}; each fork adds a child of 1 (pids 101, 102, …). */
function setup() {
  const model = new TreeModel(new ManualClock());
  model.applySnapshot(snapshot(1, [proc(1, 0, 1), proc(10, 1, 2), proc(11, 10, 3), proc(20, 1, 4)]));
  let seq = 1;
  let pid = 100;
  const fork = (count = 1) => {
    const added = Array.from({ length: count }, () => ++pid).map((p) => proc(p, '1@1', p));
    expect(model.applyDelta(delta(++seq, { added }))).toBe('ok');
    return model.version;
  };
  const query: ListQuery = {
    model,
    focusKey: null,
    collapsed: new Set(),
    sort: { column: 'pid', descending: false },
    filter: null,
    hidden: null,
    selectedKey: null,
  };
  return { model, fork, query, throttle: new ThrottledRows() };
}

function matcher(text: string) {
  const parsed = parseFilter(text, false);
  if (parsed.kind !== 'match') throw new Error('matcher expected');
  return parsed.test;
}

/** Run advance() to completion at `now` with all the time in the world. */
function finish(throttle: ThrottledRows, now: number): boolean {
  return throttle.advance(now, Infinity, () => now);
}

describe('ThrottledRows', () => {
  it('holds new model versions back until the interval has passed, then flattens the newest', () => {
    const { fork, query, throttle } = setup();
    const first = throttle.rows(query, 1, 1000);
    expect(pids(first.list)).toEqual([1, 10, 11, 20]);
    expect(first.dueAt).toBeNull();
    expect(throttle.rows(query, 1, 1001).list).toBe(first.list); // same version: nothing to do

    const v2 = fork();
    const held = throttle.rows(query, v2, 1016);
    expect(held.list).toBe(first.list);
    expect(held.dueAt).toBe(1000 + LIST_REFRESH_MS);
    expect(throttle.pending).toBe(true);
    expect(finish(throttle, 1050)).toBe(false); // not due yet
    const v3 = fork();
    expect(throttle.rows(query, v3, 1060).dueAt).toBe(1000 + LIST_REFRESH_MS); // still then, not later

    expect(finish(throttle, 1000 + LIST_REFRESH_MS)).toBe(true);
    const due = throttle.rows(query, v3, 1000 + LIST_REFRESH_MS);
    expect(due.list).not.toBe(first.list);
    expect(pids(due.list)).toEqual([1, 10, 11, 20, 101, 102]);
    expect(due.dueAt).toBeNull();
    expect(throttle.pending).toBe(false);
    expect(finish(throttle, 5000)).toBe(false);
  });

  it('flattens a held-back version in slices, showing the old rows until it is whole', () => {
    const { fork, query, throttle } = setup();
    const first = throttle.rows(query, 1, 0).list;
    const version = fork(2000);
    throttle.rows(query, version, 10);
    let clock = 200;
    let slices = 0;
    // Each look at the clock says a millisecond passed; a 1 ms budget per frame forces slices.
    while (!throttle.advance(clock, clock + 1, () => ++clock)) {
      slices++;
      expect(throttle.rows(query, version, clock).list).toBe(first);
    }
    expect(slices).toBeGreaterThan(2);
    const sliced = throttle.rows(query, version, clock).list;
    const whole = flattenTree(query.model.roots(), { collapsed: query.collapsed, sort: query.sort, visible: null });
    expect(pids(sliced)).toEqual(pids(whole));
    expect(sliced.indexByKey).toEqual(whole.indexByKey);
    // The next held-back version waits for the interval after this flatten finished.
    expect(throttle.rows(query, fork(), clock).dueAt).toBe(clock + LIST_REFRESH_MS);
  });

  it('flattens at once when the person sorts, collapses, focuses, hides or selects', () => {
    const { model, fork, query, throttle } = setup();
    let list = throttle.rows(query, model.version, 1000).list;
    let now = 1000;
    const fresh = (next: ListQuery) => {
      const version = fork(); // the model moved too, and the interval has not passed
      const result = throttle.rows(next, version, ++now);
      expect(result.list).not.toBe(list);
      expect(result.dueAt).toBeNull();
      expect(throttle.rows(next, version, ++now).list).toBe(result.list); // and is current now
      list = result.list;
      return result.list;
    };
    const sorted = { ...query, sort: { column: 'pid' as const, descending: true } };
    expect(pids(fresh(sorted))[1]).toBe(101);
    const collapsed = { ...sorted, collapsed: new Set(['10@2']) };
    expect(pids(fresh(collapsed))).not.toContain(11);
    const focused = { ...collapsed, focusKey: '10@2' };
    expect(pids(fresh(focused))).toEqual([10]);
    const hidden = { ...focused, focusKey: null, hidden: (info: { pid: number }) => info.pid === 20 };
    expect(pids(fresh(hidden))).not.toContain(20);
    fresh({ ...hidden, selectedKey: '1@1' });
  });

  it('drops a half-built list when the person changes the view', () => {
    const { fork, query, throttle } = setup();
    throttle.rows(query, 1, 0);
    const version = fork(2000);
    throttle.rows(query, version, 10);
    let clock = 200;
    expect(throttle.advance(clock, clock + 1, () => ++clock)).toBe(false); // building
    const sorted = { ...query, sort: { column: 'pid' as const, descending: true } };
    const now = throttle.rows(sorted, version, clock);
    expect(now.dueAt).toBeNull();
    expect(pids(now.list).slice(0, 2)).toEqual([1, 2100]);
    expect(finish(throttle, clock + 1000)).toBe(false); // nothing left to build
  });

  it('holds a recomputed filter result back like the model, but a new query is flattened at once', () => {
    const { model, fork, query, throttle } = setup();
    const test = matcher('11');
    const filtered = { ...query, filter: applyFilter(model, test) };
    const typed = throttle.rows(filtered, model.version, 1000);
    expect(pids(typed.list)).toEqual([1, 10, 11]);

    // The next version recomputes the result with the same matcher: the model moving on.
    const version = fork();
    const recomputed = throttle.rows({ ...filtered, filter: applyFilter(model, test) }, version, 1010);
    expect(recomputed.list).toBe(typed.list);
    expect(recomputed.dueAt).toBe(1000 + LIST_REFRESH_MS);

    // The person typed another query: flattened now, with it.
    const retyped = throttle.rows({ ...filtered, filter: applyFilter(model, matcher('20')) }, version, 1020);
    expect(pids(retyped.list)).toEqual([1, 20]);
    expect(retyped.dueAt).toBeNull();
    // Clearing the filter is a new query too.
    expect(pids(throttle.rows(query, version, 1030).list)).toEqual([1, 10, 11, 20, 101]);
  });

  it('does not flatten for a selection when the rows are current', () => {
    const { model, query, throttle } = setup();
    const list = throttle.rows(query, model.version, 1000).list;
    expect(throttle.rows({ ...query, selectedKey: '20@4' }, model.version, 1001)).toEqual({ list, dueAt: null });
  });
});
