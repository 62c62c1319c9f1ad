/** The model's groups (service, container, pod) and NSpid: from scans, by inheritance, by reads. */
import { describe, expect, it } from 'vitest';
import { procKey, type ProcessGroup } from '../../common/process';
import { ProcessTable } from './ProcessTable';
import { exec, fork, scanned, TEST_CLOCK } from './test/fixtures';

const SERVICE: ProcessGroup = { kind: 'unit', id: '/system.slice/build.service', name: 'build.service' };
const CONTAINER: ProcessGroup = { kind: 'container', id: 'c'.repeat(64), name: 'web', runtime: 'docker' };

function loaded(): ProcessTable {
  const table = new ProcessTable({ clock: TEST_CLOCK });
  table.load([
    scanned(1, 0, 1, { comm: 'init' }),
    scanned(100, 1, 50, { group: SERVICE }),
    scanned(200, 1, 60, { group: CONTAINER, nsPid: [200, 1] }),
  ]);
  table.drainChanges();
  return table;
}

describe('ProcessTable: groups and NSpid', () => {
  it('takes them from the scan; the root cgroup and the host namespace have none', () => {
    const table = loaded();
    expect(table.live(100)?.group).toEqual(SERVICE);
    expect(table.live(200)).toMatchObject({ group: CONTAINER, nsPid: [200, 1] });
    expect(table.live(1)?.group).toBeUndefined();
    expect(table.live(100)?.nsPid).toBeUndefined();
  });

  it("gives a forked child its parent's group at once, and asks for a read only when it must", () => {
    const table = loaded();
    table.apply([fork(300, 100, 80), fork(400, 200, 90)]);
    expect(table.live(300)?.group).toEqual(SERVICE);
    expect(table.live(400)?.group).toEqual(CONTAINER);
    expect(table.drainChanges().added.find((p) => p.pid === 300)?.group).toEqual(SERVICE);
    // Only the child inside the PID namespace needs its inner pid read; an exec may move anyone.
    expect(table.takeUnplaced()).toEqual([{ pid: 400, startTime: 90 }]);
    table.apply([exec(300, 80, ['/bin/true'])]);
    expect(table.takeUnplaced()).toEqual([{ pid: 300, startTime: 80 }]);
    expect(table.takeUnplaced()).toEqual([]);
  });

  it('applies a read as a change, once, and only to the process it was read for', () => {
    const table = loaded();
    table.apply([fork(400, 200, 90)]);
    table.drainChanges();
    table.setPlacement({ pid: 400, startTime: 90 }, { group: CONTAINER, nsPid: [400, 7] });
    table.setPlacement({ pid: 400, startTime: 91 }, { group: SERVICE }); // another process's identity
    expect(table.drainChanges().changed).toEqual([{ key: procKey(400, 90), nsPid: [400, 7] }]);
    table.setPlacement({ pid: 400, startTime: 90 }, { group: { ...CONTAINER }, nsPid: [400, 7] });
    expect(table.drainChanges().changed).toEqual([]);
    // A read that found nothing (gone, unreadable) removes nothing.
    table.setPlacement({ pid: 400, startTime: 90 }, {});
    expect(table.live(400)).toMatchObject({ group: CONTAINER, nsPid: [400, 7] });
  });

  it('follows a move to another cgroup found by a resync scan', () => {
    const table = loaded();
    const moved: ProcessGroup = { kind: 'scope', id: '/user.slice/run-u7.scope', name: 'run-u7.scope' };
    const report = table.reconcile(
      [scanned(1, 0, 1, { comm: 'init' }), scanned(100, 1, 50, { group: moved }), scanned(200, 1, 60, { group: CONTAINER, nsPid: [200, 1] })],
      table.generation,
    );
    expect(report.fixed).toBe(1);
    expect(table.drainChanges().changed).toEqual([{ key: procKey(100, 50), group: moved }]);
  });

  it('keeps them when an estimated start time is corrected', () => {
    const table = loaded();
    table.apply([fork(300, 200, 80, { startTime: undefined })]);
    table.setPlacement(table.live(300)!, { nsPid: [300, 2] });
    table.apply([exec(300, 85, ['/bin/sh'])]);
    expect(table.live(300)).toMatchObject({ key: procKey(300, 85), group: CONTAINER, nsPid: [300, 2] });
  });
});
