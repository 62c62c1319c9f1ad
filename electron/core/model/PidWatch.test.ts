import { describe, expect, it } from 'vitest';
import { PidWatch } from './PidWatch';
import { exec, exit, fork } from './test/fixtures';

describe('PidWatch', () => {
  it('passes only events of the watched pid without --follow', () => {
    const watch = new PidWatch();
    watch.watch(100);
    const out = watch.filter([fork(300, 100, 1), exec(300, 1, ['/bin/x']), exec(100, 1, ['/bin/y']), exit(200)]);
    // The watched parent's fork is reported; the child's own exec is not followed.
    expect(out.map((e) => [e.kind, e.pid])).toEqual([
      ['fork', 300],
      ['exec', 100],
    ]);
    expect(watch.isWatching(300)).toBe(false);
  });

  it('follows descendants as they fork, and forgets them when they exit', () => {
    const watch = new PidWatch(['exec', 'exit']);
    watch.watch(100, { follow: true });
    const out = watch.filter([
      fork(300, 100, 1),
      fork(400, 300, 2), // grandchild
      fork(500, 999, 3), // unrelated
      exec(400, 2, ['/bin/grandchild']),
      exec(500, 3, ['/bin/unrelated']),
      exit(400, { code: 2 }),
    ]);
    expect(out.map((e) => [e.kind, e.pid])).toEqual([
      ['exec', 400],
      ['exit', 400],
    ]);
    expect(watch.pids().sort()).toEqual([100, 300]);
    // pid 400 is recycled by an unrelated process: not watched any more.
    expect(watch.filter([exec(400, 9, ['/bin/stranger'])])).toEqual([]);
  });

  it('unwatch stops reporting, and loss is always reported', () => {
    const watch = new PidWatch();
    watch.watch(100);
    watch.unwatch(100);
    expect(watch.filter([exec(100, 1, ['/bin/y'])])).toEqual([]);
    expect(watch.filter([{ kind: 'lost', ts: 1, pid: 0, count: 5 }])).toHaveLength(1);
  });
});
