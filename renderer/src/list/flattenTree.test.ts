import { describe, expect, it } from 'vitest';
import { applyFilter, parseFilter } from '../model/filter';
import { TreeModel } from '../model/TreeModel';
import { delta, ManualClock, proc, snapshot } from '../model/testing';
import { anchoredScrollTop, anchorKey, FlattenBuilder, flattenTree, rowIndexOf, type FlatList, type SortSpec } from './flattenTree';
import { navigate } from './keyboardNavigation';

const BY_PID: SortSpec = { column: 'pid', descending: false };

/** 1 → {30 (cpu 5), 20 (cpu 50) → {22, 21}}, 2 */
function model(): TreeModel {
  const m = new TreeModel(new ManualClock());
  m.applySnapshot(
    snapshot(1, [
      proc(1, 0, 1),
      proc(2, 0, 1, { user: 'root' }),
      proc(30, 1, 10, { cpuPct: 5, rssKb: 900 }),
      proc(20, 1, 11, { cpuPct: 50, rssKb: 100 }),
      proc(22, 20, 12),
      proc(21, 20, 13),
    ]),
  );
  return m;
}

const pids = (list: FlatList) => list.rows.map((r) => r.node.info.pid);

describe('flattenTree', () => {
  it('lists depth-first with levels and sorts siblings by pid', () => {
    const { rows } = flattenTree(model().roots(), { collapsed: new Set(), sort: BY_PID, visible: null });
    expect(rows.map((r) => r.node.info.pid)).toEqual([1, 20, 21, 22, 30, 2]);
    expect(rows.map((r) => r.depth)).toEqual([1, 2, 3, 3, 2, 1]);
    expect(rows.map((r) => r.hasChildren)).toEqual([true, true, false, false, false, false]);
    expect(rows[0]?.expanded).toBe(true);
  });

  it('sorts within siblings only, by any column, both ways', () => {
    const m = model();
    const byCpuDesc = flattenTree(m.roots(), { collapsed: new Set(), sort: { column: 'cpu', descending: true }, visible: null });
    expect(pids(byCpuDesc)).toEqual([1, 20, 21, 22, 30, 2]);
    const byRssDesc = flattenTree(m.roots(), { collapsed: new Set(), sort: { column: 'rss', descending: true }, visible: null });
    expect(pids(byRssDesc)).toEqual([1, 30, 20, 21, 22, 2]);
    const byAgeDesc = flattenTree(m.roots(), { collapsed: new Set(), sort: { column: 'age', descending: true }, visible: null });
    expect(pids(byAgeDesc)).toEqual([1, 20, 21, 22, 30, 2]); // 20 started after 30; ties on pid
  });

  it('sorts by text columns both ways, ties on pid in either direction', () => {
    const m = model(); // argv /usr/bin/p<pid>; user alice except 2 (root)
    const by = (column: 'command' | 'user', descending: boolean) => pids(flattenTree(m.roots(), { collapsed: new Set(), sort: { column, descending }, visible: null }));
    expect(by('command', false)).toEqual([1, 20, 21, 22, 30, 2]);
    expect(by('command', true)).toEqual([2, 1, 30, 20, 22, 21]);
    expect(by('user', false)).toEqual([1, 20, 21, 22, 30, 2]);
    expect(by('user', true)).toEqual([2, 1, 20, 21, 22, 30]);
  });

  it('skips collapsed subtrees but still marks them as having children', () => {
    const list = flattenTree(model().roots(), { collapsed: new Set(['20@11']), sort: BY_PID, visible: null });
    expect(pids(list)).toEqual([1, 20, 30, 2]);
    expect(list.rows[1]).toMatchObject({ hasChildren: true, expanded: false });
  });

  it('shows only a filter result: matches with their ancestors', () => {
    const m = model();
    const parsed = parseFilter('21', false);
    if (parsed.kind !== 'match') throw new Error('matcher expected');
    const list = flattenTree(m.roots(), { collapsed: new Set(), sort: BY_PID, visible: applyFilter(m, parsed.test).visible });
    expect(pids(list)).toEqual([1, 20, 21]);
    const rows = list.rows;
    expect(rows.find((r) => r.node.info.pid === 20)?.hasChildren).toBe(true);
    expect(rows.find((r) => r.node.info.pid === 21)?.hasChildren).toBe(false);
  });

  it('flattens a focused subtree, including descendants that arrive later', () => {
    const m = model();
    const focus = m.get('20@11');
    if (!focus) throw new Error('fixture broken');
    expect(pids(flattenTree([focus], { collapsed: new Set(), sort: BY_PID, visible: null }))).toEqual([20, 21, 22]);
    m.applyDelta(delta(2, { added: [proc(23, '22@12', 20)] }));
    expect(pids(flattenTree([focus], { collapsed: new Set(), sort: BY_PID, visible: null }))).toEqual([20, 21, 22, 23]);
  });

  it('handles a fork chain thousands deep without recursion', () => {
    const m = new TreeModel(new ManualClock());
    const chain = [proc(1, 0, 1)];
    for (let pid = 2; pid <= 20_000; pid++) chain.push(proc(pid, pid - 1, pid));
    m.applySnapshot(snapshot(1, chain));
    const { rows } = flattenTree(m.roots(), { collapsed: new Set(), sort: BY_PID, visible: null });
    expect(rows).toHaveLength(20_000);
    expect(rows[19_999]?.depth).toBe(20_000);
  });
});

describe('FlattenBuilder', () => {
  it('lists a node once when the model moves it under a parent not walked yet between slices', () => {
    const m = new TreeModel(new ManualClock());
    // 1 → {10 → {11, 1000…1299}, 20}; 20 started before 11, so it may become 11's parent.
    const crowd = Array.from({ length: 300 }, (_, i) => proc(1000 + i, 10, 100 + i));
    m.applySnapshot(snapshot(1, [proc(1, 0, 1), proc(10, 1, 2), proc(20, 1, 2), proc(11, 10, 3), ...crowd]));
    const builder = new FlattenBuilder(m.roots(), { collapsed: new Set(), sort: BY_PID, visible: null });
    let clock = 0;
    expect(builder.step(0, () => ++clock)).toBeNull(); // stopped after a first slice, 11 listed
    m.applyDelta(delta(2, { changed: [{ key: '11@3', ppid: 20, parentKey: '20@2' }] }));
    expect(m.get('11@3')?.parent?.info.pid).toBe(20);
    const list = builder.step(Infinity, () => clock) as FlatList;
    expect(list.rows.filter((r) => r.node.info.pid === 11)).toHaveLength(1);
    expect(list.rows).toHaveLength(304);
    list.rows.forEach((row, index) => expect(rowIndexOf(list, row.node.info.key)).toBe(index));
  });
});

describe('row index', () => {
  it('knows every row by key from the same walk, and nothing it did not list', () => {
    const list = flattenTree(model().roots(), { collapsed: new Set(['20@11']), sort: { column: 'rss', descending: true }, visible: null });
    expect(pids(list)).toEqual([1, 30, 20, 2]);
    list.rows.forEach((row, index) => expect(rowIndexOf(list, row.node.info.key)).toBe(index));
    expect(list.indexByKey.size).toBe(list.rows.length);
    expect(rowIndexOf(list, '21@13')).toBe(-1); // under the collapsed 20
    expect(rowIndexOf(list, '999@1')).toBe(-1);
    expect(rowIndexOf(list, null)).toBe(-1);
  });

  it('marks a collapsed row as having children only when one of them is shown', () => {
    const m = model();
    const parsed = parseFilter('20', false);
    if (parsed.kind !== 'match') throw new Error('matcher expected');
    const visible = applyFilter(m, parsed.test).visible; // 1, 20: neither child of 20 matches
    const open = flattenTree(m.roots(), { collapsed: new Set(), sort: BY_PID, visible });
    const closed = flattenTree(m.roots(), { collapsed: new Set(['20@11', '1@1']), sort: BY_PID, visible });
    expect(pids(open)).toEqual([1, 20]);
    expect(open.rows.map((r) => [r.hasChildren, r.expanded])).toEqual([[true, true], [false, false]]);
    expect(pids(closed)).toEqual([1]);
    expect(closed.rows[0]).toMatchObject({ hasChildren: true, expanded: false });
  });
});

describe('anchored scrolling', () => {
  it('keeps the anchor row in place when rows are inserted above it', () => {
    const m = model();
    const before = flattenTree(m.roots(), { collapsed: new Set(), sort: BY_PID, visible: null });
    m.applyDelta(delta(2, { added: [proc(3, '1@1', 20), proc(4, '1@1', 21), proc(5, '1@1', 22)] }));
    const after = flattenTree(m.roots(), { collapsed: new Set(), sort: BY_PID, visible: null });
    const anchor = '30@10';
    const previousIndex = rowIndexOf(before, anchor);
    const nextIndex = rowIndexOf(after, anchor);
    expect(nextIndex - previousIndex).toBe(3);
    const top = anchoredScrollTop({ previousIndex, nextIndex, scrollTop: 44, rowHeight: 22, rowCount: 100, viewportHeight: 220 });
    expect(top).toBe(44 + 3 * 22);
    // Row on screen = index * rowHeight - scrollTop: unchanged.
    expect(nextIndex * 22 - top).toBe(previousIndex * 22 - 44);
  });

  it('moves up when rows above the anchor go away, and clamps to the content', () => {
    expect(anchoredScrollTop({ previousIndex: 10, nextIndex: 7, scrollTop: 200, rowHeight: 20, rowCount: 50, viewportHeight: 100 })).toBe(140);
    expect(anchoredScrollTop({ previousIndex: 40, nextIndex: 40, scrollTop: 900, rowHeight: 20, rowCount: 30, viewportHeight: 100 })).toBe(500);
  });

  it('anchors on the hovered row, else the selected row on screen, else the top row', () => {
    const m = model();
    const before = flattenTree(m.roots(), { collapsed: new Set(), sort: BY_PID, visible: null }); // 1,20,21,22,30,2
    m.applyDelta(delta(2, { added: [proc(3, '1@1', 20)] }));
    const after = flattenTree(m.roots(), { collapsed: new Set(), sort: BY_PID, visible: null }); // 1,3,20,…
    const view = { before, after, scrollTop: 44, viewportHeight: 44, rowHeight: 22, queryChanged: false }; // rows 2 and 3 on screen
    expect(anchorKey({ ...view, selectedKey: '22@12', hoveredKey: '30@10' })).toBe('30@10');
    expect(anchorKey({ ...view, selectedKey: '22@12', hoveredKey: null })).toBe('22@12');
    expect(anchorKey({ ...view, selectedKey: '2@1', hoveredKey: null })).toBe('21@13'); // selection off screen: top row
    expect(anchorKey({ ...view, selectedKey: null, hoveredKey: null })).toBe('21@13');
  });

  it('anchors on the selected row when holding the hovered row still would carry it out of view', () => {
    // The filter just cleared: the pointer rests where the click on the selection left it, and a
    // layout shift put the next row under it. Rows then arrive between the two.
    const m = model();
    const before = flattenTree(m.roots(), { collapsed: new Set(), sort: BY_PID, visible: null }); // 1,20,21,22,30,2
    m.applyDelta(delta(2, { added: [proc(40, '21@13', 20), proc(41, '21@13', 21), proc(42, '21@13', 22)] }));
    const after = flattenTree(m.roots(), { collapsed: new Set(), sort: BY_PID, visible: null }); // 1,20,21,40,41,42,22,30,2
    const view = { before, after, scrollTop: 44, viewportHeight: 44, rowHeight: 22, queryChanged: false }; // 21 and 22 on screen
    const anchor = anchorKey({ ...view, selectedKey: '21@13', hoveredKey: '22@12' });
    expect(anchor).toBe('21@13');
    const top = anchoredScrollTop({
      previousIndex: rowIndexOf(before, anchor),
      nextIndex: rowIndexOf(after, anchor),
      scrollTop: 44,
      rowHeight: 22,
      rowCount: after.rows.length,
      viewportHeight: 44,
    });
    expect(rowIndexOf(after, '21@13') * 22 - top).toBe(0); // where it was: the top row on screen
    // The hovered row holds when the selection is off screen, or gone (and when it stays in view: above).
    expect(anchorKey({ ...view, selectedKey: '1@1', hoveredKey: '22@12' })).toBe('22@12');
    expect(anchorKey({ ...view, selectedKey: '21@13', hoveredKey: '22@12', after: before })).toBe('22@12');
  });

  it('anchors on the selection when the person changed the filter query, if both lists hold it', () => {
    const m = model();
    const all = flattenTree(m.roots(), { collapsed: new Set(), sort: BY_PID, visible: null });
    const parsed = parseFilter('2', false);
    if (parsed.kind !== 'match') throw new Error('matcher expected');
    const filtered = flattenTree(m.roots(), { collapsed: new Set(), sort: BY_PID, visible: applyFilter(m, parsed.test).visible });
    const view = { before: all, after: filtered, scrollTop: 0, viewportHeight: 44, rowHeight: 22, hoveredKey: '20@11' };
    expect(anchorKey({ ...view, selectedKey: '2@1', queryChanged: true })).toBe('2@1');
    expect(anchorKey({ ...view, selectedKey: '2@1', queryChanged: false })).toBe('20@11');
    expect(anchorKey({ ...view, selectedKey: '30@10', queryChanged: true })).toBe('20@11'); // 30 filtered out
  });

  it('keeps the scroll position when the anchor disappeared', () => {
    expect(anchoredScrollTop({ previousIndex: 5, nextIndex: -1, scrollTop: 60, rowHeight: 20, rowCount: 50, viewportHeight: 100 })).toBe(60);
  });
});

describe('treegrid keyboard', () => {
  const { rows } = flattenTree(model().roots(), { collapsed: new Set(), sort: BY_PID, visible: null }); // 1,20,21,22,30,2

  it('moves with arrows, Home/End and pages, clamped to the list', () => {
    expect(navigate('ArrowDown', rows, -1, 3)).toEqual({ kind: 'select', index: 0 });
    expect(navigate('ArrowDown', rows, 5, 3)).toEqual({ kind: 'select', index: 5 });
    expect(navigate('ArrowUp', rows, 0, 3)).toEqual({ kind: 'select', index: 0 });
    expect(navigate('End', rows, 0, 3)).toEqual({ kind: 'select', index: 5 });
    expect(navigate('Home', rows, 4, 3)).toEqual({ kind: 'select', index: 0 });
    expect(navigate('PageDown', rows, 1, 3)).toEqual({ kind: 'select', index: 4 });
    expect(navigate('PageUp', rows, 1, 3)).toEqual({ kind: 'select', index: 0 });
  });

  it('collapses, goes to the parent, expands and opens', () => {
    expect(navigate('ArrowLeft', rows, 1, 3)).toEqual({ kind: 'expand', index: 1, expanded: false });
    expect(navigate('ArrowLeft', rows, 3, 3)).toEqual({ kind: 'select', index: 1 }); // 22 → parent 20
    expect(navigate('ArrowRight', rows, 1, 3)).toEqual({ kind: 'select', index: 2 }); // expanded → first child
    const { rows: collapsed } = flattenTree(model().roots(), { collapsed: new Set(['20@11']), sort: BY_PID, visible: null });
    expect(navigate('ArrowRight', collapsed, 1, 3)).toEqual({ kind: 'expand', index: 1, expanded: true });
    expect(navigate('Enter', rows, 2, 3)).toEqual({ kind: 'open', index: 2 });
    expect(navigate('Enter', rows, -1, 3)).toEqual({ kind: 'none' });
    expect(navigate('x', rows, 2, 3)).toEqual({ kind: 'none' });
  });
});
