import { describe, expect, it } from 'vitest';
import type { ServerMessage, Snapshot } from '../../../electron/common/delta';
import { delta, ManualClock, proc, snapshot } from '../model/testing';
import { TreeModel } from '../model/TreeModel';
import { ModelFeed, PAUSE_BUFFER_LIMIT, type FeedBridge } from './ModelFeed';

/**
 * An in-memory host: the test pushes messages and decides when snapshot requests are answered,
 * and sees every ack — the Session's side of the bridge contract.
 */
class ScriptedHost implements FeedBridge {
  acks: number[] = [];
  snapshotRequests = 0;
  current: Snapshot = snapshot(10, [proc(1, 0, 1), proc(100, 1, 50)]);
  private listeners = new Set<(message: ServerMessage) => void>();
  private waiting: Array<(snapshot: Snapshot) => void> = [];

  subscribe(listener: (message: ServerMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  requestSnapshot(): Promise<Snapshot> {
    this.snapshotRequests += 1;
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  ack(seq: number): void {
    this.acks.push(seq);
  }
  push(message: ServerMessage): void {
    for (const listener of this.listeners) listener(message);
  }
  async answerSnapshots(): Promise<void> {
    for (const resolve of this.waiting.splice(0)) resolve(this.current);
    await Promise.resolve();
    await Promise.resolve();
  }
}

function setup() {
  const host = new ScriptedHost();
  const model = new TreeModel(new ManualClock());
  const feed = new ModelFeed(host, model);
  feed.start();
  return { host, model, feed };
}

describe('ModelFeed', () => {
  it('asks for a snapshot on start, applies deltas in order and acks each', async () => {
    const { host, model } = setup();
    expect(host.snapshotRequests).toBe(1);
    await host.answerSnapshots();
    expect(model.seq).toBe(10);
    host.push({ type: 'delta', batch: delta(11, { added: [proc(200, 100, 60)] }) });
    host.push({ type: 'delta', batch: delta(12, { exited: [{ key: '200@60', at: 1, code: 0 }] }) });
    expect(model.get('200@60')?.info.exit?.code).toBe(0);
    expect(host.acks).toEqual([11, 12]);
  });

  it('on a gap holds what follows, resyncs once, and replays what the snapshot does not cover', async () => {
    const { host, model } = setup();
    await host.answerSnapshots();
    host.push({ type: 'delta', batch: delta(13, { added: [proc(300, 100, 70)] }) }); // 11, 12 missing
    host.push({ type: 'delta', batch: delta(14, { added: [proc(301, 100, 71)] }) });
    host.push({ type: 'delta', batch: delta(15, { added: [proc(302, 100, 72)] }) });
    expect(host.snapshotRequests).toBe(2); // one request, however many batches follow the gap
    expect(model.get('300@70')).toBeUndefined();
    // The Session folded everything up to 14 into the snapshot.
    host.current = snapshot(14, [proc(1, 0, 1), proc(100, 1, 50), proc(300, 100, 70), proc(301, 100, 71)]);
    await host.answerSnapshots();
    expect(model.seq).toBe(15);
    expect(model.get('302@72')).toBeDefined();
    // 13 and 14 were inside the snapshot (stale: acked so the Session moves on); 15 applied.
    expect(host.acks).toEqual([13, 14, 15]);
  });

  it('freezes the model while paused, keeps recording, and catches up on resume', async () => {
    const { host, model, feed } = setup();
    await host.answerSnapshots();
    feed.setPaused(true);
    const version = model.version;
    host.push({ type: 'delta', batch: delta(11, { added: [proc(200, 100, 60)] }) });
    host.push({ type: 'delta', batch: delta(12, { changed: [{ key: '200@60', argv: ['make'] }] }) });
    expect(model.version).toBe(version);
    expect(model.get('200@60')).toBeUndefined();
    expect(host.acks).toEqual([11, 12]); // the Session keeps streaming
    feed.setPaused(false);
    expect(model.get('200@60')?.info.argv).toEqual(['make']);
    expect(model.seq).toBe(12);
  });

  it('drops an overflowing pause buffer and resyncs from a snapshot on resume', async () => {
    const { host, model, feed } = setup();
    await host.answerSnapshots();
    feed.setPaused(true);
    const huge = Array.from({ length: PAUSE_BUFFER_LIMIT + 1 }, (_, i) => ({ key: '100@50', cpuPct: i }));
    host.push({ type: 'delta', batch: delta(11, { changed: huge }) });
    host.push({ type: 'delta', batch: delta(12, { added: [proc(200, 100, 60)] }) });
    const requests = host.snapshotRequests;
    feed.setPaused(false);
    expect(host.snapshotRequests).toBe(requests + 1);
    host.current = snapshot(12, [proc(1, 0, 1), proc(100, 1, 50), proc(200, 100, 60)]);
    await host.answerSnapshots();
    expect(model.seq).toBe(12);
    expect(model.get('200@60')).toBeDefined();
  });

  it('holds a snapshot pushed while paused until resume, then the deltas that followed it', async () => {
    const { host, model, feed } = setup();
    await host.answerSnapshots();
    feed.setPaused(true);
    host.push({ type: 'delta', batch: delta(11, { added: [proc(200, 100, 60)] }) });
    host.push({ type: 'snapshot', snapshot: snapshot(20, [proc(1, 0, 1), proc(300, 1, 70)]) });
    host.push({ type: 'delta', batch: delta(21, { added: [proc(301, 300, 71)] }) });
    expect(model.seq).toBe(10); // still the frozen view
    expect(model.get('100@50')).toBeDefined();
    expect(model.get('300@70')).toBeUndefined();
    feed.setPaused(false);
    expect(model.seq).toBe(21);
    expect(model.get('300@70')).toBeDefined();
    expect(model.get('301@71')).toBeDefined();
    expect(model.get('200@60')).toBeUndefined(); // superseded by the snapshot
  });

  it('applies a pushed snapshot (e.g. after the host resynced) and reports its source', async () => {
    const host = new ScriptedHost();
    const model = new TreeModel(new ManualClock());
    const sources: number[] = [];
    new ModelFeed(host, model, { onSource: (s) => sources.push(s.lostEvents) }).start();
    await host.answerSnapshots();
    const resynced = snapshot(40, [proc(1, 0, 1)]);
    resynced.source = { ...resynced.source, lostEvents: 1234, resyncs: 1 };
    host.push({ type: 'snapshot', snapshot: resynced });
    expect(model.seq).toBe(40);
    expect(model.get('100@50')).toBeUndefined();
    expect(sources).toEqual([0, 1234]);
  });

  it('with onPending, changes the model only in applyPending, in arrival order, acking as it applies', async () => {
    const host = new ScriptedHost();
    const model = new TreeModel(new ManualClock());
    let wakes = 0;
    const feed = new ModelFeed(host, model, { onPending: () => (wakes += 1) });
    feed.start();
    await host.answerSnapshots();
    host.push({ type: 'delta', batch: delta(11, { added: [proc(200, 100, 60)] }) });
    feed.setPaused(true);
    host.push({ type: 'delta', batch: delta(12, { added: [proc(201, 100, 61)] }) });
    // Nothing applied yet: not the snapshot's reply, not the deltas; nothing acked.
    expect(wakes).toBe(4);
    expect(model.seq).toBeNull();
    expect(model.nodes.size).toBe(0);
    expect(host.acks).toEqual([]);
    feed.applyPending();
    // The snapshot, 11 (before the pause), then the pause: 12 is held, acked, not applied.
    expect(model.seq).toBe(11);
    expect(model.get('200@60')).toBeDefined();
    expect(model.get('201@61')).toBeUndefined();
    expect(host.acks).toEqual([11, 12]);
    feed.setPaused(false);
    expect(model.get('201@61')).toBeUndefined();
    feed.applyPending();
    expect(model.get('201@61')).toBeDefined();
    expect(model.seq).toBe(12);
  });
});
