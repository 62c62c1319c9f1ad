import { describe, expect, it } from 'vitest';
import type { ProcessGroup } from '../../../electron/common/process';
import { groupHeaders, groupIdOf, isGroupHeader, sameGroupAs } from './byGroup';
import { TreeModel, type RNode } from './TreeModel';
import { ManualClock, proc, snapshot } from './testing';

const NGINX: ProcessGroup = { kind: 'unit', id: '/system.slice/nginx.service', name: 'nginx.service' };
const WEB: ProcessGroup = { kind: 'container', id: '3f4e8a2b9c1d', name: 'web-frontend', runtime: 'docker' };

/** init → containerd-shim (no group) → web's entry point (20) → its worker (21) → a helper back in nginx (22); nginx (10) → worker (11). */
function model(): TreeModel {
  const m = new TreeModel(new ManualClock());
  m.applySnapshot(
    snapshot(1, [
      proc(1, 0, 1, { comm: 'init' }),
      proc(10, 1, 2, { group: NGINX }),
      proc(11, 10, 3, { group: NGINX }),
      proc(15, 1, 4, { comm: 'containerd-shim' }),
      proc(20, 15, 5, { group: WEB }),
      proc(21, 20, 6, { group: WEB }),
      proc(22, 21, 7, { group: NGINX }),
    ]),
  );
  return m;
}

/** header → its entry points' pids */
const entryPoints = (headers: RNode[]) => headers.map((header) => [header.info.comm, header.info.threads, header.children.map((child) => child.info.pid).sort((a, b) => a - b)]);

describe('groupHeaders', () => {
  it('makes one header per group, by name, no group last, each holding the processes whose parent is in another group', () => {
    const headers = groupHeaders(model().roots());
    expect(entryPoints(headers)).toEqual([
      ['nginx.service', 3, [10, 22]],
      ['web-frontend', 2, [20]],
      ['no group', 2, [1]],
    ]);
    expect(headers.every((header) => isGroupHeader(header.info.key) && header.parent === null)).toBe(true);
    expect(headers[0]!.info.key).toBe(`group:${NGINX.id}`);
  });

  it('keys a header by its group id, so a rebuilt header is the same node to the views', () => {
    const m = model();
    expect(groupHeaders(m.roots()).map((h) => h.info.key)).toEqual(groupHeaders(m.roots()).map((h) => h.info.key));
    expect(groupIdOf(m.liveByPid(21)!.info)).toBe(WEB.id);
    expect(groupIdOf(m.liveByPid(15)!.info)).toBe('');
  });

  it('starts a subtree under its own group where a child leaves its parent’s group', () => {
    const m = model();
    const worker = m.liveByPid(21)!;
    const helper = m.liveByPid(22)!;
    expect(sameGroupAs(worker, helper)).toBe(false);
    expect(sameGroupAs(m.liveByPid(20)!, worker)).toBe(true);
    expect(sameGroupAs(groupHeaders(m.roots())[0]!, helper)).toBe(true);
  });

  it('groups only what is under the given roots (a focused subtree)', () => {
    const m = model();
    expect(entryPoints(groupHeaders([m.liveByPid(20)!]))).toEqual([
      ['nginx.service', 1, [22]],
      ['web-frontend', 2, [20]],
    ]);
    expect(groupHeaders([])).toEqual([]);
  });
});
