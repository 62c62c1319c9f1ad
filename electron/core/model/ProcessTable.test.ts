import { describe, expect, it } from 'vitest';
import { procKey } from '../../common/process';
import { MAX_THREAD_NAMES, ProcessTable } from './ProcessTable';
import { baseScan, exec, exit, fork, scanned, TEST_CLOCK } from './test/fixtures';

function tableWithBase(options: { now?: () => number; tombstoneTtlMs?: number; maxTombstones?: number } = {}): ProcessTable {
  const table = new ProcessTable({ clock: TEST_CLOCK, ...options });
  table.load(baseScan());
  table.drainChanges();
  return table;
}

describe('ProcessTable: events', () => {
  it('loads a scan with parent links and skips zombies', () => {
    const table = new ProcessTable({ clock: TEST_CLOCK });
    table.load([...baseScan(), scanned(300, 200, 70, { state: 'Z' })]);
    expect(table.liveCount).toBe(3);
    expect(table.children(procKey(100, 50))).toEqual([procKey(200, 60)]);
    expect(table.get(procKey(100, 50))?.startedAt).toBe(1_000_000 + 500);
    expect(table.live(300)).toBeUndefined();
  });

  it('fork inherits the parent program, exec replaces argv and counts execs', () => {
    const table = tableWithBase();
    table.apply([fork(300, 200, 80)]);
    const child = table.live(300);
    expect(child?.argv).toEqual(['/bin/p200']);
    expect(child?.comm).toBe('p200');
    expect(table.children(procKey(200, 60))).toContain(procKey(300, 80));

    table.apply([exec(300, 80, ['/bin/sh', '-c', 'exit 3'])]);
    expect(table.live(300)).toMatchObject({ argv: ['/bin/sh', '-c', 'exit 3'], comm: 'sh', execs: 1 });
    table.apply([exec(300, 80, ['/bin/true'])]);
    expect(table.live(300)?.execs).toBe(2);

    const changes = table.drainChanges();
    expect(changes.added.map((p) => p.key)).toEqual([procKey(300, 80)]);
    expect(changes.added[0]?.argv).toEqual(['/bin/true']); // the latest values, not a stale copy
    expect(changes.changed).toEqual([]);
  });

  it('exit tombstones the process with its code, signal and core', () => {
    const table = tableWithBase();
    table.apply([fork(300, 200, 80), fork(301, 200, 81)]);
    table.drainChanges();
    table.apply([exit(300, { code: 3 }), exit(301, { signal: 'SIGSEGV', signo: 11, core: true })]);
    expect(table.live(300)).toBeUndefined();
    expect(table.get(procKey(300, 80))?.exit).toMatchObject({ code: 3 });
    expect(table.get(procKey(301, 81))?.exit).toMatchObject({ signal: 'SIGSEGV', core: true });
    const changes = table.drainChanges();
    expect(changes.exited.map((e) => e.key).sort()).toEqual([procKey(300, 80), procKey(301, 81)]);
  });

  it('PID reuse makes a second node, never merges with the old one', () => {
    const table = tableWithBase();
    table.apply([fork(300, 200, 80), exit(300, { code: 0 }), fork(300, 100, 90)]);
    expect(table.get(procKey(300, 80))?.exit?.code).toBe(0);
    expect(table.live(300)?.key).toBe(procKey(300, 90));
    expect(table.live(300)?.ppid).toBe(100);
  });

  it('a fork for a pid whose stale holder is still live retires the holder as inferred-exited', () => {
    const table = tableWithBase();
    table.apply([fork(300, 200, 80)]);
    table.apply([fork(300, 100, 95)]); // the exit of 300@80 was lost
    const old = table.get(procKey(300, 80));
    expect(old?.exit).toBeDefined();
    expect(old?.exit?.code).toBeUndefined();
    expect(old?.inferred).toBe(true);
    expect(table.live(300)?.key).toBe(procKey(300, 95));
  });

  it('counts threads and survives pthread_exit of the main thread', () => {
    const table = tableWithBase();
    table.apply([fork(300, 200, 80)]);
    table.apply([
      { kind: 'thread-start', ts: 1, pid: 300, tid: 301 },
      { kind: 'thread-start', ts: 1, pid: 300, tid: 302 },
    ]);
    expect(table.live(300)?.threads).toBe(3);
    table.apply([{ kind: 'thread-exit', ts: 2, pid: 300, tid: 301 }]);
    expect(table.live(300)?.threads).toBe(2);
    // The leader leaves with pthread_exit: the process runs on in thread 302.
    table.apply([exit(300, { code: 0 })]);
    expect(table.live(300)?.threads).toBe(1);
    expect(table.live(300)?.exit).toBeUndefined();
    // Its last thread ends the process.
    table.apply([{ kind: 'thread-exit', ts: 3, pid: 300, tid: 302, code: 7 }]);
    expect(table.live(300)).toBeUndefined();
    expect(table.get(procKey(300, 80))?.exit?.code).toBe(7);
  });

  it('exec resets the thread count (execve kills the other threads)', () => {
    const table = tableWithBase();
    table.apply([fork(300, 200, 80), { kind: 'thread-start', ts: 1, pid: 300, tid: 301 }, exec(300, 80, ['/bin/x'])]);
    expect(table.live(300)?.threads).toBe(1);
  });

  it('lists live children of an exited parent as orphans and applies their real parent', () => {
    const table = tableWithBase();
    table.apply([fork(300, 200, 80), fork(301, 200, 81), exit(301, { code: 0 })]);
    table.takeOrphans();
    table.apply([exit(200, { code: 0 })]);
    const orphans = table.takeOrphans();
    expect(orphans).toEqual([{ pid: 300, startTime: 80 }]); // the dead child is no orphan
    table.drainChanges();
    table.setParent({ pid: 300, startTime: 80 }, 1);
    expect(table.live(300)?.ppid).toBe(1);
    expect(table.children(procKey(1, 1))).toContain(procKey(300, 80));
    expect(table.children(procKey(200, 60))).not.toContain(procKey(300, 80));
    expect(table.drainChanges().changed).toEqual([{ key: procKey(300, 80), ppid: 1, parentKey: procKey(1, 1) }]);
    // A stale answer for a process that is gone is ignored.
    table.setParent({ pid: 300, startTime: 12345 }, 100);
    expect(table.live(300)?.ppid).toBe(1);
  });

  it('handles events for pids it never saw without crashing, marking inferred nodes', () => {
    const table = tableWithBase();
    table.apply([
      exit(9999, { code: 1 }),
      { kind: 'thread-start', ts: 1, pid: 9998, tid: 9997 },
      { kind: 'comm', ts: 1, pid: 9996, comm: 'x' },
    ]);
    expect(table.stats.unmatchedEvents).toBe(3);
    table.apply([exec(5000, 400, ['/bin/late'], { ppid: 100 })]);
    expect(table.live(5000)).toMatchObject({ inferred: true, argv: ['/bin/late'], ppid: 100 });
    table.apply([fork(6000, 7777, 410)]); // parent unknown: a root of its own
    expect(table.live(6000)?.ppid).toBe(7777);
    expect(table.live(6000)?.inferred).toBeUndefined();
  });

  it('estimates a missing start time from the fork timestamp and corrects it on exec', () => {
    const table = tableWithBase();
    table.apply([{ kind: 'fork', ts: TEST_CLOCK.bootEpochMs + 800, pid: 300, ppid: 200 }]);
    expect(table.live(300)?.startTime).toBe(80);
    table.drainChanges();
    table.apply([exec(300, 81, ['/bin/real'])]);
    expect(table.live(300)?.key).toBe(procKey(300, 81));
    expect(table.get(procKey(300, 80))).toBeUndefined();
    const changes = table.drainChanges();
    expect(changes.removed).toEqual([procKey(300, 80)]);
    expect(changes.added.map((p) => p.key)).toEqual([procKey(300, 81)]);
  });

  it('names an exec reported without comm (its process was gone) after argv[0], cut like the kernel', () => {
    const table = tableWithBase();
    table.apply([fork(300, 200, 80), exec(300, 80, ['/usr/bin/sh', '-c', 'exit 3'], { comm: undefined })]);
    expect(table.live(300)?.comm).toBe('sh');
    table.apply([exec(300, 80, ['/opt/a-very-long-program-name-indeed'], { comm: undefined })]);
    expect(table.live(300)?.comm).toBe('a-very-long-pro');
    table.apply([exec(300, 80, ['/opt/ääääääää'], { comm: undefined })]); // 16 bytes: cut mid-character
    expect(table.live(300)?.comm).toBe('äääääää');
    table.apply([exec(300, 80, ['/bin/true'], { comm: 'kernel-said' })]);
    expect(table.live(300)?.comm).toBe('kernel-said');
  });

  it('keeps no history when its length is 0 (the CLI log has no detail pane)', () => {
    const table = new ProcessTable({ clock: TEST_CLOCK, historyLength: 0 });
    table.load(baseScan());
    table.apply([fork(300, 200, 80), exec(300, 80, ['/bin/x'])]);
    expect(table.live(300)?.argv).toEqual(['/bin/x']);
    expect(table.history(procKey(300, 80))).toEqual([]);
  });

  it('keeps a bounded history per process', () => {
    const table = new ProcessTable({ clock: TEST_CLOCK, historyLength: 4 });
    table.load(baseScan());
    const comms = Array.from({ length: 10 }, (_, i) => ({ kind: 'comm' as const, ts: i, pid: 200, comm: `c${i}` }));
    table.apply(comms);
    expect(table.history(procKey(200, 60)).map((e) => e.comm)).toEqual(['c6', 'c7', 'c8', 'c9']);
  });
});

describe('ProcessTable: threads are not the process', () => {
  it("keeps a thread's comm as that thread's name, not the process's", () => {
    const table = tableWithBase();
    const key = procKey(200, 60);
    table.drainChanges();
    table.apply([
      { kind: 'thread-start', ts: 1, pid: 200, tid: 201 },
      { kind: 'comm', ts: 2, pid: 200, tid: 201, comm: 'ThreadPoolForeg' },
    ]);
    expect(table.get(key)?.comm).toBe('p200');
    expect(table.threadNames(key)).toEqual([{ tid: 201, name: 'ThreadPoolForeg' }]);
    expect(table.drainChanges().changed).toEqual([{ key, threads: 2 }]); // no comm change
    // The main thread's comm event (tid absent, or equal to the pid) names the process.
    table.apply([{ kind: 'comm', ts: 3, pid: 200, comm: 'forkscope-read' }]);
    table.apply([{ kind: 'comm', ts: 4, pid: 200, tid: 200, comm: 'forkscope' }]);
    expect(table.get(key)?.comm).toBe('forkscope');
    // The thread leaves: its name goes with it.
    table.apply([{ kind: 'thread-exit', ts: 5, pid: 200, tid: 201 }]);
    expect(table.threadNames(key)).toEqual([]);
  });

  it('keeps a bounded number of thread names, newest renames last, and drops them at exec', () => {
    const table = tableWithBase();
    const key = procKey(200, 60);
    const renames = Array.from({ length: MAX_THREAD_NAMES + 10 }, (_, i) => ({ kind: 'comm' as const, ts: i, pid: 200, tid: 1000 + i, comm: `t${i}` }));
    table.apply([...renames, { kind: 'comm', ts: 99, pid: 200, tid: 1010, comm: 'renamed' }]);
    const names = table.threadNames(key);
    expect(names).toHaveLength(MAX_THREAD_NAMES);
    expect(names[0]).toEqual({ tid: 1011, name: 't11' });
    expect(names[names.length - 1]).toEqual({ tid: 1010, name: 'renamed' });
    table.apply([exec(200, 60, ['/bin/new'])]);
    expect(table.threadNames(key)).toEqual([]);
  });

  it("takes the process's uid from its main thread only (the kernel reports credentials per task)", () => {
    const table = new ProcessTable({ clock: TEST_CLOCK, userName: (uid) => `user${uid}` });
    table.load(baseScan());
    table.apply([{ kind: 'uid', ts: 1, pid: 200, tid: 201, ruid: 0, euid: 0 }]);
    expect(table.live(200)).toMatchObject({ uid: 1000, user: 'user1000' });
    expect(table.history(procKey(200, 60)).map((e) => e.tid)).toEqual([201]); // still in its history
    table.apply([{ kind: 'uid', ts: 2, pid: 200, ruid: 0, euid: 0 }]);
    expect(table.live(200)).toMatchObject({ uid: 0, user: 'user0' });
  });
});

describe('ProcessTable: lineage', () => {
  it('links by key: a fork carries its current parent and its forker', () => {
    const table = tableWithBase();
    table.apply([fork(300, 200, 80)]);
    expect(table.live(300)).toMatchObject({ parentKey: procKey(200, 60), forkerKey: procKey(200, 60) });
    // Processes from the startup scan have a current parent, but no known forker.
    expect(table.live(200)?.parentKey).toBe(procKey(100, 50));
    expect(table.live(200)?.forkerKey).toBeUndefined();
    expect(table.live(1)?.parentKey).toBeUndefined();
    // A fork inferred by polling names the parent /proc showed later, not necessarily its forker.
    table.apply([fork(301, 1, 81, { origin: 'poll' })]);
    expect(table.live(301)?.parentKey).toBe(procKey(1, 1));
    expect(table.live(301)?.forkerKey).toBeUndefined();
  });

  it('keeps the forker of an orphan reparented to init, and of its tombstone', () => {
    const table = tableWithBase();
    table.apply([fork(300, 200, 80)]);
    table.apply([exit(200, { code: 0 })]);
    table.takeOrphans();
    table.drainChanges();
    expect(table.setParent({ pid: 300, startTime: 80 }, 1)).toBe(true);
    expect(table.live(300)).toMatchObject({ ppid: 1, parentKey: procKey(1, 1), forkerKey: procKey(200, 60) });
    expect(table.drainChanges().changed).toEqual([{ key: procKey(300, 80), ppid: 1, parentKey: procKey(1, 1) }]);
    expect(table.setParent({ pid: 300, startTime: 80 }, 1)).toBe(false); // nothing changed
    table.apply([exit(300, { code: 0 })]);
    expect(table.get(procKey(300, 80))).toMatchObject({ parentKey: procKey(1, 1), forkerKey: procKey(200, 60) });
  });

  it('after PID reuse, links to the process that holds the pid, never to an older holder', () => {
    const table = tableWithBase();
    table.apply([fork(300, 200, 80), exit(300), fork(300, 100, 90), fork(400, 300, 95)]);
    expect(table.live(400)).toMatchObject({ parentKey: procKey(300, 90), forkerKey: procKey(300, 90) });
    expect(table.get(procKey(300, 80))?.parentKey).toBe(procKey(200, 60));
  });

  it("a child's links follow its parent when the parent's estimated start time is corrected", () => {
    const table = tableWithBase();
    table.apply([{ kind: 'fork', ts: TEST_CLOCK.bootEpochMs + 800, pid: 300, ppid: 200 }]);
    table.apply([fork(301, 300, 85), fork(302, 300, 86), exit(302)]);
    expect(table.live(301)?.forkerKey).toBe(procKey(300, 80));
    table.drainChanges();
    table.apply([exec(300, 81, ['/bin/real'])]);
    expect(table.live(301)).toMatchObject({ parentKey: procKey(300, 81), forkerKey: procKey(300, 81) });
    expect(table.get(procKey(302, 86))).toMatchObject({ parentKey: procKey(300, 81), forkerKey: procKey(300, 81) });
    expect(table.children(procKey(300, 81)).sort()).toEqual([procKey(301, 85), procKey(302, 86)]);
    const changed = table.drainChanges().changed;
    expect(changed.find((c) => c.key === procKey(301, 85))).toMatchObject({ parentKey: procKey(300, 81), forkerKey: procKey(300, 81) });
  });

  it("a tombstone keeps naming its forker after the forker's tombstone expires", () => {
    let now = 10_000;
    const table = tableWithBase({ now: () => now, tombstoneTtlMs: 1000 });
    table.apply([fork(300, 200, 80), fork(400, 300, 90), exit(300)]);
    now += 500;
    table.apply([exit(400)]);
    table.drainChanges();
    now += 600;
    expect(table.expireTombstones()).toBe(1);
    expect(table.get(procKey(300, 80))).toBeUndefined();
    expect(table.get(procKey(400, 90))).toMatchObject({ parentKey: procKey(300, 80), forkerKey: procKey(300, 80) });
    expect(table.drainChanges()).toEqual({ added: [], changed: [], exited: [], removed: [procKey(300, 80)] });
  });

  it('reconcile moves a process under the parent /proc names, by key, and says so once', () => {
    const table = tableWithBase();
    table.apply([fork(300, 200, 80)]);
    table.drainChanges();
    table.reconcile([...baseScan(), scanned(300, 1, 80, { comm: 'p200', argv: ['/bin/p200'] })], table.generation);
    expect(table.live(300)).toMatchObject({ ppid: 1, parentKey: procKey(1, 1), forkerKey: procKey(200, 60) });
    expect(table.drainChanges().changed).toEqual([{ key: procKey(300, 80), ppid: 1, parentKey: procKey(1, 1) }]);
  });

  it('restores the links a keyframe remembers (replay)', () => {
    const table = new ProcessTable({ clock: TEST_CLOCK });
    table.load([...baseScan(), scanned(300, 1, 80)]);
    expect(table.live(300)).toMatchObject({ parentKey: procKey(1, 1) });
    table.restoreLinks(procKey(300, 80), { parentKey: procKey(100, 50), forkerKey: procKey(9, 9) });
    expect(table.live(300)).toMatchObject({ parentKey: procKey(100, 50), forkerKey: procKey(9, 9) });
    expect(table.children(procKey(100, 50))).toContain(procKey(300, 80));
    expect(table.children(procKey(1, 1))).not.toContain(procKey(300, 80));
  });
});

describe('ProcessTable: change recording', () => {
  it('while not recording, only notes that something changed; drains nothing per process', () => {
    const table = tableWithBase();
    table.drainChanges();
    table.recordChanges(false);
    expect(table.hasChanges).toBe(false);
    table.apply([fork(300, 200, 80), exit(300, { code: 1 })]);
    expect(table.hasChanges).toBe(true);
    expect(table.drainChanges()).toEqual({ added: [], changed: [], exited: [], removed: [] });
    expect(table.hasChanges).toBe(false);
    table.recordChanges(true);
    table.apply([fork(301, 200, 81)]);
    expect(table.drainChanges().added.map((p) => p.pid)).toEqual([301]);
  });

  it('turning recording off keeps the fact that changes were pending', () => {
    const table = new ProcessTable({ clock: TEST_CLOCK });
    table.load(baseScan());
    expect(table.hasChanges).toBe(true); // the load, not yet drained
    table.recordChanges(false);
    expect(table.hasChanges).toBe(true);
  });
});

describe('ProcessTable: tombstones', () => {
  it('expire after the TTL', () => {
    let now = 10_000;
    const table = tableWithBase({ now: () => now, tombstoneTtlMs: 5000 });
    table.apply([fork(300, 200, 80), exit(300, { code: 0 })]);
    table.drainChanges();
    now += 4000;
    expect(table.expireTombstones()).toBe(0);
    now += 1001;
    expect(table.expireTombstones()).toBe(1);
    expect(table.get(procKey(300, 80))).toBeUndefined();
    expect(table.drainChanges().removed).toEqual([procKey(300, 80)]);
  });

  it('are bounded in number, oldest dropped first, so memory stays bounded under a storm', () => {
    const table = tableWithBase({ maxTombstones: 100 });
    const events = [];
    for (let i = 0; i < 100_000; i++) {
      const pid = 1000 + (i % 30_000); // pids recycle, as in a real storm
      events.push(fork(pid, 200, 100 + i), exec(pid, 100 + i, ['/bin/sh', '-c', `exit ${i % 256}`]), exit(pid, { code: i % 256 }));
    }
    table.apply(events);
    expect(table.tombstoneCount).toBe(100);
    expect(table.liveCount).toBe(3);
    const newest = table.get(procKey(1000 + (99_999 % 30_000), 100 + 99_999));
    expect(newest?.exit?.code).toBe(99_999 % 256);
    expect(table.get(procKey(1000, 100))).toBeUndefined();
    expect(table.all()).toHaveLength(103);
  });

  it('a born-and-expired process within one window is never reported', () => {
    const table = tableWithBase({ maxTombstones: 1 });
    table.apply([fork(300, 200, 80), exit(300), fork(301, 200, 81), exit(301)]);
    const changes = table.drainChanges();
    expect(changes.added.map((p) => p.key)).toEqual([procKey(301, 81)]);
    expect(changes.removed).toEqual([]);
  });
});

describe('ProcessTable: reconcile with /proc', () => {
  it('adds what /proc has, exits what it lacks, fixes parents, argv and comm', () => {
    const table = tableWithBase();
    table.apply([fork(300, 200, 80), fork(301, 200, 81)]);
    const generation = table.generation;
    const scan = [
      ...baseScan(),
      scanned(300, 1, 80, { argv: ['/bin/after-exec'], comm: 'after-exec' }), // reparented + exec'd
      scanned(400, 100, 90), // born while events were lost
      scanned(401, 100, 91, { state: 'Z' }), // zombie: counts as exited
    ];
    table.drainChanges();
    const report = table.reconcile(scan, generation);
    expect(report).toEqual({ added: 1, exited: 1, fixed: 2 });
    expect(table.live(300)).toMatchObject({ ppid: 1, argv: ['/bin/after-exec'], comm: 'after-exec' });
    expect(table.live(400)).toMatchObject({ inferred: true, ppid: 100 });
    expect(table.live(401)).toBeUndefined();
    expect(table.get(procKey(301, 81))).toMatchObject({ inferred: true, exit: { key: procKey(301, 81) } });
    expect(table.children(procKey(1, 1))).toContain(procKey(300, 80));
    // After reconciling, the live model is /proc: same keys, same parents.
    const live = table.liveProcesses().map((p) => [p.key, p.ppid]).sort();
    const expected = scan.filter((p) => p.state !== 'Z').map((p) => [procKey(p.pid, p.startTime), p.ppid]).sort();
    expect(live).toEqual(expected);
  });

  it('does not undo what events taught it after the scan began', () => {
    const table = tableWithBase();
    const generation = table.generation;
    const scan = baseScan(); // taken before 300 was born and before 200 exec'd
    table.apply([fork(300, 200, 80), exec(200, 60, ['/bin/new'])]);
    const report = table.reconcile(scan, generation);
    expect(report.exited).toBe(0);
    expect(table.live(300)).toBeDefined();
    expect(table.live(200)?.argv).toEqual(['/bin/new']);
  });

  it('revives a process a resync wrongly tombstoned, with its /proc state and no stale exit', () => {
    const table = tableWithBase();
    table.reconcile(baseScan().slice(0, 2), table.generation); // 200 missing from this scan
    expect(table.get(procKey(200, 60))?.exit).toBeDefined();
    const report = table.reconcile(baseScan(), table.generation); // it was there all along
    expect(report.fixed).toBe(1);
    expect(table.live(200)).toMatchObject({ key: procKey(200, 60), state: 'S' });
    expect(table.live(200)?.exit).toBeUndefined();
    const changes = table.drainChanges();
    expect(changes.exited).toEqual([]);
    expect(changes.added.map((p) => [p.key, p.state, p.exit])).toEqual([[procKey(200, 60), 'S', undefined]]);
  });

  it('replaces a pid holder whose exit was lost with the new process /proc shows', () => {
    const table = tableWithBase();
    const report = table.reconcile([...baseScan().slice(0, 2), scanned(200, 1, 999)], table.generation);
    expect(report.added).toBe(1);
    expect(table.get(procKey(200, 60))?.exit).toBeDefined();
    expect(table.live(200)?.key).toBe(procKey(200, 999));
  });
});
