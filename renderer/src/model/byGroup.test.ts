import { describe, expect, it } from 'vitest';
import { groupHeaders, groupIdOf, isGroupHeader, sameGroupAs } from './byGroup';
import type { RNode } from './TreeModel';
import { NGINX_UNIT, twoGroupModel, WEB_CONTAINER } from './testing';

/** header → its entry points' pids */
const entryPoints = (headers: RNode[]) => headers.map((header) => [header.info.comm, header.info.threads, header.children.map((child) => child.info.pid).sort((a, b) => a - b)]);

describe('groupHeaders', () => {
  it('makes one header per group, by name, no group last, each holding the processes whose parent is in another group', () => {
    const headers = groupHeaders(twoGroupModel().roots());
    expect(entryPoints(headers)).toEqual([
      ['nginx.service', 3, [10, 22]],
      ['web-frontend', 2, [20]],
      ['no group', 2, [1]],
    ]);
    expect(headers.every((header) => isGroupHeader(header.info.key) && header.parent === null)).toBe(true);
    expect(headers[0]!.info.key).toBe(`group:${NGINX_UNIT.id}`);
  });

  it('keys a header by its group id, so a rebuilt header is the same node to the views', () => {
    const m = twoGroupModel();
    expect(groupHeaders(m.roots()).map((h) => h.info.key)).toEqual(groupHeaders(m.roots()).map((h) => h.info.key));
    expect(groupIdOf(m.liveByPid(21)!.info)).toBe(WEB_CONTAINER.id);
    expect(groupIdOf(m.liveByPid(15)!.info)).toBe('');
  });

  it('starts a subtree under its own group where a child leaves its parent’s group', () => {
    const m = twoGroupModel();
    const worker = m.liveByPid(21)!;
    const helper = m.liveByPid(22)!;
    expect(sameGroupAs(worker, helper)).toBe(false);
    expect(sameGroupAs(m.liveByPid(20)!, worker)).toBe(true);
    expect(sameGroupAs(groupHeaders(m.roots())[0]!, helper)).toBe(true);
  });

  it('groups only what is under the given roots (a focused subtree)', () => {
    const m = twoGroupModel();
    expect(entryPoints(groupHeaders([m.liveByPid(20)!]))).toEqual([
      ['nginx.service', 1, [22]],
      ['web-frontend', 2, [20]],
    ]);
    expect(groupHeaders([])).toEqual([]);
  });
});
