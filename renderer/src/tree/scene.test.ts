import { describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../../../electron/common/process';
import { procKey } from '../../../electron/common/process';
import { emptyCounters } from '../../../electron/common/source';
import { applyFilter } from '../model/filter';
import { hiddenPredicate } from '../model/kernelThreads';
import { TreeModel } from '../model/TreeModel';
import { aggregateLabel, DEFAULT_AGGREGATE_OPTIONS, summarize } from './aggregates';
import { aggregateKey, buildScene, isAggregate, refreshTimes, SceneBuilder, SceneFlag, type Scene, type SceneOptions } from './scene';

const EPOCH = 1_750_000_000_000;

/** Every parent here started at the tick of its pid: its key is `${ppid}@${ppid}`. */
function proc(pid: number, ppid: number, comm: string, startTime = pid): ProcessInfo {
  const parent = ppid === 0 ? {} : { parentKey: procKey(ppid, ppid) };
  return { key: procKey(pid, startTime), pid, ppid, ...parent, startTime, startedAt: EPOCH + startTime, uid: 1000, user: 'dev', comm, argv: [comm], state: 'S', threads: 1 };
}

/** A model with a hand-driven clock: init → bash → make, plus an idle sshd. */
function makeModel() {
  let now = 1000;
  const model = new TreeModel({ now: () => now, fromEpoch: (ms) => ms - EPOCH });
  model.applySnapshot({ seq: 0, ts: EPOCH, processes: [proc(1, 0, 'systemd'), proc(50, 1, 'sshd'), proc(100, 1, 'bash'), proc(200, 100, 'make')], source: { kind: 'replay', reason: 'test', lostEvents: 0, resyncs: 0 } });
  let seq = 0;
  const delta = (parts: { added?: ProcessInfo[]; exited?: Array<{ key: string; at: number; code?: number; signal?: string }> }) => {
    const result = model.applyDelta({ seq: ++seq, ts: EPOCH, added: parts.added ?? [], changed: [], exited: parts.exited ?? [], removed: [], counters: emptyCounters(), topSpawners: [] });
    expect(result).toBe('ok');
  };
  return { model, delta, advance: (ms: number) => (now += ms), now: () => now };
}

function options(now: number, extra: Partial<SceneOptions> = {}): SceneOptions {
  return { filter: null, focusKey: null, expanded: new Set(), aggregate: DEFAULT_AGGREGATE_OPTIONS, now, ...extra };
}

/** make forks `count` compilers (pids 1000…), which live 2–4 ms; every 10th fails. */
function compileStorm(t: ReturnType<typeof makeModel>, count: number) {
  const children = Array.from({ length: count }, (_, i) => proc(1000 + i, 200, 'cc1', 300 + i));
  t.delta({ added: children });
  t.delta({ exited: children.map((c, i) => ({ key: c.key, at: c.startedAt + 2 + (i % 3), ...(i % 10 === 0 ? { code: 1 } : { code: 0 }) })) });
  return children;
}

describe('buildScene', () => {
  it('flattens the model in preorder, siblings by start time', () => {
    const t = makeModel();
    const scene = buildScene(t.model, options(t.now()));
    expect(scene.keys).toEqual(['1@1', '50@50', '100@100', '200@200']);
    expect(Array.from(scene.parent)).toEqual([-1, 0, 0, 2]);
  });

  it('folds a busy parent’s short-lived children into one aggregate with real statistics', () => {
    const t = makeModel();
    compileStorm(t, 120);
    const scene = buildScene(t.model, options(t.now()));
    const index = scene.indexByKey.get(aggregateKey('200@200'))!;
    const entry = scene.entries[index]!;
    expect(isAggregate(entry)).toBe(true);
    if (!isAggregate(entry)) return;
    expect(scene.parent[index]).toBe(scene.indexByKey.get('200@200'));
    expect(entry.summary).toEqual({ count: 120, exited: 120, failed: 12, p50LifetimeMs: 3 });
    expect(aggregateLabel('make', entry.summary)).toBe('make ▸ 120 short-lived children, p50 3ms, 12 failed');
    expect(scene.keys).toHaveLength(5);
  });

  it('does not fold at or below the threshold, nor children of an expanded parent', () => {
    const t = makeModel();
    compileStorm(t, 50);
    expect(buildScene(t.model, options(t.now())).keys).toHaveLength(54);
    const t2 = makeModel();
    compileStorm(t2, 80);
    const scene = buildScene(t2.model, options(t2.now(), { expanded: new Set(['200@200']) }));
    expect(scene.keys).toHaveLength(84);
    expect(scene.entries.some(isAggregate)).toBe(false);
  });

  it('counts young live children as short-lived until they age, and says when that happens', () => {
    const t = makeModel();
    const kids = Array.from({ length: 60 }, (_, i) => proc(5000 + i, 100, 'sleep', 400 + i));
    t.delta({ added: kids });
    const young = buildScene(t.model, options(t.now()));
    expect(young.entries.filter(isAggregate)).toHaveLength(1);
    expect(young.changesAt).toBe(t.now() + DEFAULT_AGGREGATE_OPTIONS.youngMs);
    t.advance(DEFAULT_AGGREGATE_OPTIONS.youngMs);
    const settled = buildScene(t.model, options(t.now()));
    expect(settled.entries.some(isAggregate)).toBe(false);
    expect(settled.keys).toHaveLength(64);
  });

  it('filters to matches plus their ancestors, dimming the ancestors', () => {
    const t = makeModel();
    const scene = buildScene(t.model, options(t.now(), { filter: applyFilter(t.model, (info) => info.comm === 'make') }));
    expect(scene.keys).toEqual(['1@1', '100@100', '200@200']);
    expect(Array.from(scene.flags, (f) => f & SceneFlag.dimmed)).toEqual([SceneFlag.dimmed, SceneFlag.dimmed, 0]);
  });

  it('draws a match within a focused subtree only, and nothing when the focus holds none', () => {
    const t = makeModel();
    const filter = applyFilter(t.model, (info) => info.comm === 'make' || info.comm === 'sshd');
    expect(buildScene(t.model, options(t.now(), { filter, focusKey: '100@100' })).keys).toEqual(['100@100', '200@200']);
    const bash = applyFilter(t.model, (info) => info.comm === 'bash');
    expect(buildScene(t.model, options(t.now(), { filter: bash, focusKey: '50@50' })).keys).toEqual([]);
  });

  it('does not draw a match below a hidden process, though the filter keeps its ancestors', () => {
    // kthreadd(2) forks a usermode helper (modprobe) that is no kernel thread and matches.
    const t = makeModel();
    t.delta({ added: [{ ...proc(2, 0, 'kthreadd'), kernelThread: true }, proc(300, 2, 'modprobe')] });
    const hidden = hiddenPredicate(false);
    const filter = applyFilter(t.model, (info) => info.comm === 'modprobe' || info.comm === 'make', hidden);
    expect(filter.visible.has(t.model.get('2@2')!)).toBe(true);
    expect(buildScene(t.model, options(t.now(), { filter, hidden })).keys).toEqual(['1@1', '100@100', '200@200']);
    expect(buildScene(t.model, options(t.now(), { filter: applyFilter(t.model, (info) => info.comm === 'modprobe') })).keys).toEqual(['2@2', '300@300']);
  });

  it('mirrors animation times into typed arrays and refreshes them on change', () => {
    const t = makeModel();
    t.delta({ added: [proc(300, 200, 'cc1')] });
    const scene = buildScene(t.model, options(t.now()));
    const i = scene.indexByKey.get('300@300')!;
    expect(scene.addedAt[i]).toBe(t.now());
    expect(scene.exitedAt[i]).toBeNaN();
    expect(scene.addedAt[0]).toBe(-Infinity); // from the first snapshot: never animates
    t.advance(5);
    t.delta({ exited: [{ key: '300@300', at: EPOCH + 305, code: 0 }] });
    refreshTimes(scene, i, t.model.get('300@300')!);
    expect(scene.exitedAt[i]).toBe(t.now());
  });

  it('builds in slices with the same result as at once', () => {
    // 1500 long-running processes, three children each: nothing folds, every node is walked.
    const model = new TreeModel({ now: () => 0, fromEpoch: (ms) => ms - EPOCH });
    const processes = Array.from({ length: 1500 }, (_, i) => proc(i + 1, i === 0 ? 0 : Math.ceil(i / 3), 'w'));
    model.applySnapshot({ seq: 0, ts: EPOCH, processes, source: { kind: 'replay', reason: 'test', lostEvents: 0, resyncs: 0 } });
    const whole = buildScene(model, options(0));
    expect(whole.keys).toHaveLength(1500);
    const builder = new SceneBuilder(model, options(0));
    let clock = 0;
    let slices = 0;
    let scene: Scene | null;
    // Each look at the clock says a millisecond passed; a 1 ms budget forces several slices.
    while (!(scene = builder.step(clock + 1, () => ++clock))) slices++;
    expect(slices).toBeGreaterThan(2);
    expect(scene.keys).toEqual(whole.keys);
    expect(Array.from(scene.parent)).toEqual(Array.from(whole.parent));
  });

  it('focuses on a subtree, including descendants born later', () => {
    const t = makeModel();
    t.delta({ added: [proc(300, 200, 'cc1')] });
    const scene = buildScene(t.model, options(t.now(), { focusKey: '100@100' }));
    expect(scene.keys).toEqual(['100@100', '200@200', '300@300']);
    expect(Array.from(scene.parent)).toEqual([-1, 0, 1]);
  });
});

describe('summarize', () => {
  it('takes the median of exited lifetimes and counts signals as failures', () => {
    const t = makeModel();
    const kids = [proc(700, 100, 'a', 700), proc(701, 100, 'b', 701), proc(702, 100, 'c', 702)];
    t.delta({ added: kids });
    t.delta({ exited: [{ key: kids[0]!.key, at: kids[0]!.startedAt + 10, signal: 'SIGKILL' }, { key: kids[1]!.key, at: kids[1]!.startedAt + 30, code: 0 }] });
    const nodes = kids.map((k) => t.model.get(k.key)!);
    expect(summarize(nodes)).toEqual({ count: 3, exited: 2, failed: 1, p50LifetimeMs: 10 });
    expect(summarize([nodes[2]!])).toEqual({ count: 1, exited: 0, failed: 0, p50LifetimeMs: null });
    expect(aggregateLabel('sh', summarize([nodes[2]!]))).toBe('sh ▸ 1 short-lived child');
  });
});
