import { describe, expect, it } from 'vitest';
import { TreeModel } from '../model/TreeModel';
import { delta, ManualClock, proc, snapshot } from '../model/testing';
import { commandName, LifetimeModel } from './LifetimeModel';

const T0 = 1_700_000_000_000;

function setup(options = {}) {
  const model = new TreeModel(new ManualClock());
  let now = T0 + 5000;
  const lifetime = new LifetimeModel(model, () => now, options);
  model.applySnapshot(snapshot(1, [proc(1, 0, 1), proc(200, 1, 60, { argv: ['make', '-j2'] })]));
  return { model, lifetime, setNow: (t: number) => (now = t) };
}

describe('LifetimeModel', () => {
  it('records fork, exec segments and exit, and keeps the lifetime after the tombstone expires', () => {
    const { model, lifetime, setNow } = setup();
    const child = proc(300, proc(200, 1, 60).key, 400, { argv: ['make', '-j2'], startedAt: T0 + 6000 });
    model.applyDelta(delta(2, { added: [child] }));
    setNow(T0 + 6050);
    model.applyDelta(delta(3, { changed: [{ key: child.key, argv: ['/usr/bin/cc', '-c', 'a.c'], comm: 'cc', execs: 1 }] }));
    model.applyDelta(delta(4, { exited: [{ key: child.key, at: T0 + 6400, code: 1 }] }));
    model.applyDelta(delta(5, { removed: [child.key] }));

    const entry = lifetime.get(child.key);
    expect(model.get(child.key)).toBeUndefined();
    expect(entry?.lineageKey).toBe(proc(200, 1, 60).key);
    expect(entry?.segments).toEqual([
      { at: T0 + 6000, command: 'make' },
      { at: T0 + 6050, command: 'cc' },
    ]);
    expect(entry?.start).toBe(T0 + 6000);
    expect(entry?.end).toBe(T0 + 6400);
    expect(entry?.exit?.code).toBe(1);
  });

  it('prefers the forker key over the current parent, and keeps lineage after reparenting', () => {
    const { model, lifetime } = setup();
    const forker = proc(200, 1, 60).key;
    const orphan = { ...proc(301, 1, 410), forkerKey: forker, parentKey: proc(1, 0, 1).key };
    const child = proc(302, forker, 420);
    model.applyDelta(delta(2, { added: [orphan, child] }));
    model.applyDelta(delta(3, { changed: [{ key: child.key, ppid: 1, parentKey: proc(1, 0, 1).key }] }));
    expect(lifetime.get(orphan.key)?.lineageKey).toBe(forker);
    expect(lifetime.get(child.key)?.lineageKey).toBe(forker);
  });

  it('ends a process a snapshot no longer holds at now, with no exit record', () => {
    const { model, lifetime, setNow } = setup();
    setNow(T0 + 9000);
    model.applySnapshot(snapshot(7, [proc(1, 0, 1)]));
    const make = lifetime.get(proc(200, 1, 60).key);
    expect(make?.end).toBe(T0 + 9000);
    expect(make?.exit).toBeNull();
  });

  it('starts over when the clock steps back (a seek back in a recording)', () => {
    const { model, lifetime, setNow } = setup();
    model.applyDelta(delta(2, { added: [proc(300, proc(200, 1, 60).key, 400)] }));
    setNow(T0 + 1000);
    model.applySnapshot(snapshot(9, [proc(1, 0, 1)]));
    expect([...lifetime.entries.keys()]).toEqual([proc(1, 0, 1).key]);
  });

  it('drops the earliest-ended entries past its bound, never the living', () => {
    const { model, lifetime } = setup({ maxEntries: 4 });
    const kids = [10, 11, 12, 13].map((pid) => proc(pid, proc(200, 1, 60).key, 100 + pid));
    model.applyDelta(delta(2, { added: kids }));
    model.applyDelta(delta(3, { exited: kids.map((k, i) => ({ key: k.key, at: T0 + 7000 + i, code: 0 })) }));
    expect(lifetime.entries.size).toBe(4);
    expect(lifetime.get(kids[0]!.key)).toBeUndefined();
    expect(lifetime.get(kids[1]!.key)).toBeUndefined();
    expect(lifetime.get(kids[3]!.key)?.end).toBe(T0 + 7003);
    expect(lifetime.get(proc(200, 1, 60).key)?.end).toBeNull();
  });

  it('keeps the first and latest segments of a process that execs in a loop', () => {
    const { model, lifetime, setNow } = setup({ maxSegments: 3 });
    const key = proc(200, 1, 60).key;
    for (let i = 1; i <= 5; i++) {
      setNow(T0 + 6000 + i);
      model.applyDelta(delta(1 + i, { changed: [{ key, argv: [`step${i}`], execs: i }] }));
    }
    expect(lifetime.get(key)?.segments.map((s) => s.command)).toEqual(['make', 'step4', 'step5']);
  });

  it('names a command by argv[0] base name, else comm', () => {
    expect(commandName(proc(5, 1, 5, { argv: ['/usr/lib/gcc/cc1', 'x'] }))).toBe('cc1');
    expect(commandName(proc(5, 1, 5, { argv: null, comm: 'kworker/0' }))).toBe('kworker/0');
    expect(commandName(proc(5, 1, 5, { argv: ['dir/'], comm: 'x' }))).toBe('x');
  });
});
