import { describe, expect, it } from 'vitest';
import type { ProcessGroup } from '../../../electron/common/process';
import { applyFilter, parseFilter } from '../model/filter';
import { TreeModel } from '../model/TreeModel';
import { ManualClock, proc, snapshot } from '../model/testing';
import { flattenTree, type SortSpec } from './flattenTree';
import { isGroupHeader } from '../model/byGroup';

const BY_PID: SortSpec = { column: 'pid', descending: false };
const NGINX: ProcessGroup = { kind: 'unit', id: '/system.slice/nginx.service', name: 'nginx.service' };
const SHELL: ProcessGroup = { kind: 'scope', id: '/user.slice/session-3.scope', name: 'session-3.scope' };

/** init → nginx (10) → worker (11); init → sshd session: bash (20) → vim (21), and a service it started, nginx (30). */
function model(): TreeModel {
  const m = new TreeModel(new ManualClock());
  m.applySnapshot(
    snapshot(1, [
      proc(1, 0, 1, { comm: 'init' }),
      proc(10, 1, 2, { group: NGINX }),
      proc(11, 10, 3, { group: NGINX }),
      proc(20, 1, 4, { group: SHELL }),
      proc(21, 20, 5, { group: SHELL }),
      proc(30, 20, 6, { group: NGINX }),
    ]),
  );
  return m;
}

const labels = (rows: ReturnType<typeof flattenTree>['rows']) =>
  rows.map((row) => (isGroupHeader(row.node.info.key) ? `[${row.node.info.comm} ${row.node.info.threads}]` : `${'  '.repeat(row.depth - 2)}${row.node.info.pid}`));

describe('the list by group', () => {
  it('lists each process once, under its group, in tree order; no group last', () => {
    const { rows } = flattenTree(model().roots(), { collapsed: new Set(), sort: BY_PID, visible: null, byGroup: true });
    expect(labels(rows)).toEqual(['[nginx.service 3]', '10', '  11', '30', '[session-3.scope 2]', '20', '  21', '[no group 1]', '1']);
  });

  it('shows a group while any of its processes matches the filter, and folds a header', () => {
    const m = model();
    const parsed = parseFilter('group:session', false);
    if (parsed.kind !== 'match') throw new Error('expected a matcher');
    const visible = applyFilter(m, parsed.test).visible;
    const filtered = flattenTree(m.roots(), { collapsed: new Set(), sort: BY_PID, visible, byGroup: true });
    // init stays as the matches' ancestor, as in the tree view.
    expect(labels(filtered.rows)).toEqual(['[session-3.scope 2]', '20', '  21', '[no group 1]', '1']);
    const folded = flattenTree(m.roots(), { collapsed: new Set([`group:${NGINX.id}`]), sort: BY_PID, visible: null, byGroup: true });
    expect(labels(folded.rows).slice(0, 2)).toEqual(['[nginx.service 3]', '[session-3.scope 2]']);
  });
});
