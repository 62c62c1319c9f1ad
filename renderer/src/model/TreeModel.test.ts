import { describe, expect, it, vi } from 'vitest';
import { TreeModel, type ModelChanges, type RNode } from './TreeModel';
import { delta, ManualClock, proc, snapshot } from './testing';

function childPids(node: RNode | undefined): number[] {
  if (!node) throw new Error('node missing');
  return node.children.map((child) => child.info.pid);
}

/** init(1) → bash(100) → make(200) → cc(300), plus kthreadd(2) as a second root. */
function baseModel(clock = new ManualClock()): TreeModel {
  const model = new TreeModel(clock);
  model.applySnapshot(
    snapshot(10, [proc(1, 0, 1), proc(2, 0, 1), proc(100, 1, 50), proc(200, 100, 60), proc(300, 200, 70)]),
  );
  return model;
}

describe('TreeModel snapshots', () => {
  it('links processes by ppid and lists roots', () => {
    const model = baseModel();
    expect(model.roots().map((r) => r.info.pid).sort()).toEqual([1, 2]);
    expect(childPids(model.get('1@1'))).toEqual([100]);
    expect(childPids(model.get('100@50'))).toEqual([200]);
    expect(model.get('300@70')?.parent?.info.pid).toBe(200);
    expect(model.liveByPid(200)?.info.key).toBe('200@60');
    expect(model.seq).toBe(10);
    expect(model.version).toBe(1);
  });

  it('does not animate processes from the first snapshot, but does animate new ones in a resync', () => {
    const clock = new ManualClock(5000);
    const model = baseModel(clock);
    expect(model.get('100@50')?.addedAt).toBe(-Infinity);
    const kept = model.get('100@50');
    model.applySnapshot(snapshot(20, [proc(1, 0, 1), proc(100, 1, 50), proc(400, 100, 90)]));
    expect(model.get('100@50')).toBe(kept); // identity survives a resync
    expect(model.get('400@90')?.addedAt).toBe(5000);
    expect(model.get('200@60')).toBeUndefined();
    expect(childPids(model.get('100@50'))).toEqual([400]);
  });

  it('reports the diff of a resync and ignores the same snapshot delivered twice', () => {
    const model = baseModel();
    const seen: ModelChanges[] = [];
    model.onChange((_v, changes) => seen.push(changes));
    const next = snapshot(20, [proc(1, 0, 1), proc(100, 1, 50), proc(400, 100, 90)]);
    model.applySnapshot(next);
    model.applySnapshot(next);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.snapshot).toBe(true);
    expect(seen[0]?.added).toEqual(['400@90']);
    expect(seen[0]?.removed.sort()).toEqual(['200@60', '2@1', '300@70']);
  });

  it('links a child by its parent key, not to whichever process holds the parent pid now', () => {
    const model = new TreeModel(new ManualClock());
    // pid 50 exited (tombstone, started at 10); a new pid 50 started at 900; child started at 20.
    const old = proc(50, '1@1', 10, { exit: { key: '50@10', at: 1_700_000_000_500, code: 0 } });
    model.applySnapshot(snapshot(1, [proc(1, 0, 1), old, proc(50, '1@1', 900), proc(60, '50@10', 20)]));
    expect(model.get('60@20')?.parent?.info.key).toBe('50@10');
    expect(model.liveByPid(50)?.info.key).toBe('50@900');
    expect(model.get('50@10')?.exitedAt).toBe(500);
    // A child of the new holder, with the same ppid, goes under the new one.
    model.applyDelta(delta(2, { added: [proc(61, '50@900', 950)] }));
    expect(model.get('61@950')?.parent?.info.key).toBe('50@900');
  });
});

describe('TreeModel deltas', () => {
  it('adds forks under their parent, records exec and exit, then removes the tombstone', () => {
    const clock = new ManualClock(1000);
    const model = baseModel(clock);
    const seen: ModelChanges[] = [];
    model.onChange((_v, changes) => seen.push(changes));

    expect(model.applyDelta(delta(11, { added: [proc(301, '200@60', 80, { argv: null, comm: 'make' })] }))).toBe('ok');
    expect(childPids(model.get('200@60'))).toEqual([300, 301]);
    expect(model.get('301@80')?.addedAt).toBe(1000);

    clock.t = 1010;
    model.applyDelta(delta(12, { changed: [{ key: '301@80', argv: ['sh', '-c', 'exit 3'], comm: 'sh', execs: 1 }] }));
    const child = model.get('301@80');
    expect(child?.info.argv).toEqual(['sh', '-c', 'exit 3']);
    expect(child?.info.comm).toBe('sh');
    expect(child?.execAt).toBe(1010);

    clock.t = 1020;
    model.applyDelta(delta(13, { exited: [{ key: '301@80', at: 1_700_000_000_900, code: 3 }] }));
    expect(child?.exitedAt).toBe(1020);
    expect(child?.info.exit?.code).toBe(3);
    expect(model.liveByPid(301)).toBeUndefined();
    expect(childPids(model.get('200@60'))).toEqual([300, 301]); // tombstone stays visible

    model.applyDelta(delta(14, { removed: ['301@80'] }));
    expect(model.get('301@80')).toBeUndefined();
    expect(childPids(model.get('200@60'))).toEqual([300]);

    expect(seen.map((c) => [c.added, c.changed, c.exited, c.removed])).toEqual([
      [['301@80'], [], [], []],
      [[], ['301@80'], [], []],
      [[], [], ['301@80'], []],
      [[], [], [], ['301@80']],
    ]);
    expect(model.version).toBe(5);
  });

  it('replaces info objects instead of mutating them, so views can compare references', () => {
    const model = baseModel();
    const node = model.get('300@70');
    const before = node?.info;
    model.applyDelta(delta(11, { changed: [{ key: '300@70', cpuPct: 55, rssKb: 2048 }] }));
    expect(node?.info).not.toBe(before);
    expect(before?.cpuPct).toBeUndefined();
    expect(node?.info.cpuPct).toBe(55);
  });

  it('reports a gap without applying, and ignores batches already folded into the snapshot', () => {
    const model = baseModel();
    expect(model.applyDelta(delta(12, { added: [proc(500, 1, 99)] }))).toBe('gap');
    expect(model.get('500@99')).toBeUndefined();
    expect(model.applyDelta(delta(10, { added: [proc(501, 1, 99)] }))).toBe('stale');
    expect(model.get('501@99')).toBeUndefined();
    expect(model.version).toBe(1);
    expect(model.seq).toBe(10);
    expect(model.applyDelta(delta(11))).toBe('ok');
  });

  it('reports a gap for any delta before the first snapshot', () => {
    const model = new TreeModel(new ManualClock());
    expect(model.applyDelta(delta(1, { added: [proc(1, 0, 1)] }))).toBe('gap');
    expect(model.nodes.size).toBe(0);
  });

  it('reparents orphans when the parent exits and the kernel hands them to init', () => {
    const model = baseModel();
    model.applyDelta(delta(11, { exited: [{ key: '200@60', at: 1_700_000_001_000, signal: 'SIGKILL' }] }));
    expect(model.get('300@70')?.parent?.info.key).toBe('200@60');
    model.applyDelta(delta(12, { changed: [{ key: '300@70', ppid: 1, parentKey: '1@1' }] }));
    expect(model.get('300@70')?.parent?.info.pid).toBe(1);
    expect(childPids(model.get('1@1'))).toEqual([100, 300]);
    expect(childPids(model.get('200@60'))).toEqual([]);
  });

  it('moves children of an expired tombstone to their live parent or the roots', () => {
    const model = baseModel();
    model.applyDelta(delta(11, { exited: [{ key: '200@60', at: 1_700_000_001_000, code: 0 }] }));
    model.applyDelta(delta(12, { removed: ['200@60'] }));
    const orphan = model.get('300@70');
    expect(orphan?.parent).toBeNull();
    expect(model.roots()).toContain(orphan);
  });

  it('adopts an orphan when its parent arrives later, and keeps pid reuse apart', () => {
    const model = baseModel();
    // The child is reported before its parent (e.g. the parent was read late after loss).
    model.applyDelta(delta(11, { added: [proc(701, '700@110', 120)] }));
    expect(model.roots().map((r) => r.info.pid)).toContain(701);
    model.applyDelta(delta(12, { added: [proc(700, '100@50', 110)] }));
    expect(model.get('701@120')?.parent?.info.key).toBe('700@110');
    expect(model.roots().map((r) => r.info.pid)).not.toContain(701);

    // Another process with the parent's pid is not its parent: only the key links.
    model.applyDelta(delta(13, { added: [proc(801, '800@125', 130)] }));
    model.applyDelta(delta(14, { added: [proc(800, '1@1', 140)] }));
    expect(model.get('801@130')?.parent).toBeNull();
  });

  it('keeps the new holder of a reused pid live when the old one exits late', () => {
    const model = baseModel();
    model.applyDelta(delta(11, { added: [proc(300, 100, 200)] })); // pid 300 reused
    model.applyDelta(delta(12, { exited: [{ key: '300@70', at: 1_700_000_002_000, code: 0 }] }));
    expect(model.liveByPid(300)?.info.key).toBe('300@200');
  });

  it('refuses a reparent that would make a cycle', () => {
    const model = baseModel();
    // 100 claims its grandchild 300 as parent; equal start ticks make it plausible by time.
    model.applySnapshot(snapshot(20, [proc(1, 0, 1), proc(100, 300, 50), proc(200, 100, 50), proc(300, 200, 50)]));
    const seenAncestors = new Set<RNode>();
    for (let at = model.get('300@50') ?? null; at; at = at.parent) {
      expect(seenAncestors.has(at)).toBe(false);
      seenAncestors.add(at);
    }
    expect(model.roots().map((r) => r.info.pid)).toContain(1);
    expect(model.roots().some((r) => [100, 200, 300].includes(r.info.pid))).toBe(true);
  });

  it('replaces the info of an "added" process it holds, and revives one the resync found alive', () => {
    const clock = new ManualClock(1000);
    const model = baseModel(clock);
    const node = model.get('300@70');
    model.applyDelta(delta(11, { changed: [{ key: '300@70', rssKb: 2048 }] }));
    model.applyDelta(delta(12, { exited: [{ key: '300@70', at: 1_700_000_002_000, signal: 'SIGKILL' }] }));
    expect(node?.exitedAt).toBe(1000);
    // Forked while its parent was marked exited (the exit was wrong): it hangs under it.
    model.applyDelta(delta(13, { added: [proc(301, '300@70', 80)] }));
    expect(model.get('301@80')?.parent).toBe(node);

    const seen: ModelChanges[] = [];
    model.onChange((_v, changes) => seen.push(changes));
    clock.t = 1100;
    model.applyDelta(delta(14, { added: [proc(300, 200, 70, { cpuPct: 7 })] }));
    expect(model.get('300@70')).toBe(node); // identity kept
    expect(node?.info.exit).toBeUndefined();
    expect(node?.exitedAt).toBeUndefined();
    expect(node?.info.rssKb).toBeUndefined(); // replaced, not merged
    expect(node?.info.cpuPct).toBe(7);
    expect(node?.execAt).toBeUndefined(); // same argv, same execs: no exec to show
    expect(model.liveByPid(300)).toBe(node);
    expect(model.get('301@80')?.parent).toBe(node);
    expect(seen.map((c) => [c.added, c.changed, c.exited])).toEqual([[[], ['300@70'], []]]);
  });

  it('revives in a snapshot a process it had marked exited', () => {
    const model = baseModel();
    model.applyDelta(delta(11, { exited: [{ key: '200@60', at: 1_700_000_002_000, code: 0 }] }));
    expect(model.get('200@60')?.exitedAt).toBeDefined();
    model.applySnapshot(snapshot(20, [proc(1, 0, 1), proc(100, 1, 50), proc(200, 100, 60), proc(300, 200, 70)]));
    expect(model.get('200@60')?.exitedAt).toBeUndefined();
    expect(model.get('200@60')?.info.exit).toBeUndefined();
    expect(model.liveByPid(200)?.info.key).toBe('200@60');
  });

  it('keeps updating other listeners when one throws, and reports the failure', () => {
    const model = baseModel();
    const versions: number[] = [];
    const report = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    model.onChange(() => {
      throw new Error('broken view');
    });
    const off = model.onChange((version) => versions.push(version));
    model.applyDelta(delta(11));
    off();
    model.applyDelta(delta(12));
    expect(versions).toEqual([2]);
    expect(report).toHaveBeenCalledTimes(2);
    report.mockRestore();
  });
});

describe('TreeModel lineage', () => {
  /** bash (100) forked a script (200) that forked a worker (300); the script exits first. */
  function orphanedWorker(clock = new ManualClock()): TreeModel {
    const model = new TreeModel(clock);
    model.applySnapshot(snapshot(1, [proc(1, 0, 1), proc(100, '1@1', 50)]));
    model.applyDelta(delta(2, { added: [proc(200, '100@50', 60, { forkerKey: '100@50' }), proc(300, '200@60', 70, { forkerKey: '200@60' })] }));
    model.applyDelta(delta(3, { exited: [{ key: '200@60', at: 1_700_000_001_000, code: 0 }] }));
    // The kernel handed the worker to init; the core re-read it.
    model.applyDelta(delta(4, { changed: [{ key: '300@70', ppid: 1, parentKey: '1@1' }] }));
    return model;
  }

  it('draws a live orphan under its real current parent', () => {
    const model = orphanedWorker();
    expect(model.get('300@70')?.parent?.info.key).toBe('1@1');
    expect(childPids(model.get('200@60'))).toEqual([]);
  });

  it('puts an exited orphan back under the process that forked it, while that is shown', () => {
    const model = orphanedWorker();
    model.applyDelta(delta(5, { exited: [{ key: '300@70', at: 1_700_000_001_500, code: 0 }] }));
    expect(model.get('300@70')?.parent?.info.key).toBe('200@60');
    expect(childPids(model.get('200@60'))).toEqual([300]);
    expect(childPids(model.get('1@1'))).toEqual([100]);
    // The forker's tombstone expires first: the worker's goes to its last parent.
    model.applyDelta(delta(6, { removed: ['200@60'] }));
    expect(model.get('300@70')?.parent?.info.key).toBe('1@1');
  });

  it('keeps the same links when the moment arrives as a snapshot', () => {
    const model = orphanedWorker();
    model.applyDelta(delta(5, { exited: [{ key: '300@70', at: 1_700_000_001_500, code: 0 }] }));
    const fresh = new TreeModel(new ManualClock());
    fresh.applySnapshot(snapshot(5, [...model.nodes.values()].map((n) => n.info)));
    expect(fresh.get('300@70')?.parent?.info.key).toBe('200@60');
    expect(fresh.get('200@60')?.parent?.info.key).toBe('100@50');
  });

  it('an exited process changed by a resync (added again) keeps its forker link', () => {
    const model = orphanedWorker();
    const exited = proc(300, '1@1', 70, { forkerKey: '200@60', exit: { key: '300@70', at: 1_700_000_001_500, code: 0 } });
    model.applyDelta(delta(5, { added: [exited] }));
    expect(model.get('300@70')?.parent?.info.key).toBe('200@60');
  });

  it('a parent that is no longer known (ppid without parentKey) makes the process a root', () => {
    const model = orphanedWorker();
    model.applyDelta(delta(5, { changed: [{ key: '300@70', ppid: 4242 }] }));
    expect(model.get('300@70')?.parent).toBeNull();
    expect(model.get('300@70')?.info.parentKey).toBeUndefined();
    expect(model.roots()).toContain(model.get('300@70'));
  });
});
