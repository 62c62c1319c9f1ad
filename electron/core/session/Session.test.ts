import { describe, expect, it, vi } from 'vitest';
import type { DeltaBatch, ServerMessage } from '../../common/delta';
import { procKey } from '../../common/process';
import type { SourceStatus } from '../../common/source';
import { ProcessTable } from '../model/ProcessTable';
import { baseScan, exec, exit, fork, TEST_CLOCK } from '../model/test/fixtures';
import { Session } from './Session';

const STATUS: SourceStatus = { kind: 'netlink', reason: 'test', lostEvents: 0, resyncs: 0 };

function setup(options: { maxUnacked?: number; maxEventsPerBatch?: number } = {}) {
  const table = new ProcessTable({ clock: TEST_CLOCK });
  table.load(baseScan());
  // A huge frame: batches are built only when the test calls flush().
  const session = new Session(table, { frameMs: 1e9, sourceStatus: () => STATUS, ...options });
  const apply = (events: Parameters<ProcessTable['apply']>[0]) => {
    table.apply(events);
    session.noteEvents(events);
  };
  return { table, session, apply };
}

function collect(session: Session) {
  const messages: ServerMessage[] = [];
  const subscription = session.subscribe((m) => messages.push(m));
  const deltas = () => messages.filter((m): m is { type: 'delta'; batch: DeltaBatch } => m.type === 'delta').map((m) => m.batch);
  return { messages, subscription, deltas };
}

describe('Session', () => {
  it('starts a subscriber with a snapshot, then sends seq-numbered deltas', () => {
    const { session, apply } = setup();
    const client = collect(session);
    expect(client.messages[0]).toMatchObject({ type: 'snapshot', snapshot: { seq: 1 } }); // the load was flushed
    const snapshot = client.messages[0]?.type === 'snapshot' ? client.messages[0].snapshot : undefined;
    expect(snapshot?.processes.map((p) => p.pid).sort()).toEqual([1, 100, 200]);
    apply([fork(300, 200, 80)]);
    session.flush();
    client.subscription.ack(2);
    apply([exit(300, { code: 4 })]);
    session.flush();
    expect(client.deltas().map((b) => b.seq)).toEqual([2, 3]);
    expect(client.deltas()[1]?.exited).toEqual([{ key: procKey(300, 80), at: 2_000_002, code: 4 }]);
    expect(session.flush()).toBeNull(); // nothing happened: no empty batch
  });

  it("deltas carry each process's parent and forker by key, and the parent's key when it changes", () => {
    const { table, session, apply } = setup();
    const client = collect(session);
    apply([fork(300, 200, 80)]);
    expect(session.flush()?.added).toEqual([expect.objectContaining({ key: procKey(300, 80), parentKey: procKey(200, 60), forkerKey: procKey(200, 60) })]);
    apply([exit(200, { code: 0 })]);
    table.setParent({ pid: 300, startTime: 80 }, 1);
    const batch = session.flush();
    expect(batch?.changed.find((c) => c.key === procKey(300, 80))).toEqual({ key: procKey(300, 80), ppid: 1, parentKey: procKey(1, 1) });
    expect(client.deltas()).toHaveLength(2);
  });

  it('coalesces a storm into one batch with counters, top spawners and a bounded event sample', () => {
    const { session, apply } = setup({ maxEventsPerBatch: 10 });
    const client = collect(session);
    const events = [];
    for (let i = 0; i < 500; i++) events.push(
        fork(1000 + i, i % 5 === 0 ? 100 : 200, 100 + i, { ts: 2 * i }),
        exec(1000 + i, 100 + i, ['/bin/x', String(i)], { ts: 2 * i + 1 }),
      );
    apply(events);
    const batch = session.flush();
    expect(client.deltas()).toHaveLength(1);
    expect(batch?.added).toHaveLength(500);
    expect(batch?.changed).toEqual([]); // execs folded into the added entries
    expect(batch?.added.find((p) => p.pid === 1007)?.argv).toEqual(['/bin/x', '7']);
    expect(batch?.counters).toMatchObject({ fork: 500, exec: 500, exit: 0 });
    expect(batch?.topSpawners).toEqual([
      [200, 400],
      [100, 100],
    ]);
    expect(batch?.events).toHaveLength(10);
    const timestamps = batch?.events?.map((e) => e.ts) ?? [];
    expect(new Set(timestamps).size).toBe(10);
    expect([...timestamps].sort((a, b) => a - b)).toEqual(timestamps); // sample keeps stream order
  });

  it('stops sending to a subscriber with too many unacked batches, then resyncs it by snapshot', () => {
    const { session, apply } = setup({ maxUnacked: 2 });
    const slow = collect(session);
    const fast = collect(session);
    for (let i = 0; i < 6; i++) {
      apply([fork(300 + i, 200, 80 + i)]);
      const batch = session.flush();
      if (batch) fast.subscription.ack(batch.seq);
    }
    expect(fast.deltas()).toHaveLength(6);
    expect(slow.deltas().map((b) => b.seq)).toEqual([2, 3]); // then held back, not queued
    slow.subscription.ack(3);
    const last = slow.messages.at(-1);
    expect(last?.type).toBe('snapshot');
    if (last?.type !== 'snapshot') return;
    expect(last.snapshot.seq).toBe(7);
    expect(last.snapshot.processes.map((p) => p.pid)).toContain(305);
    apply([exit(305)]);
    session.flush();
    expect(slow.deltas().at(-1)?.seq).toBe(8); // continues right after the snapshot
  });

  it('requestSnapshot after a gap flushes pending changes so its seq is exact', () => {
    const { session, apply } = setup();
    const client = collect(session);
    apply([fork(300, 200, 80)]);
    const snapshot = client.subscription.requestSnapshot();
    expect(snapshot.seq).toBe(2);
    expect(snapshot.processes.map((p) => p.key)).toContain(procKey(300, 80));
    expect(session.flush()).toBeNull();
  });

  it('builds no batch while nobody subscribes, and a later subscriber still starts from the whole model', () => {
    const { table, session, apply } = setup();
    apply([fork(300, 200, 80), exec(300, 80, ['make', '-j8']), fork(301, 300, 81)]);
    expect(table.hasChanges).toBe(true);
    expect(session.flush()).toBeNull();
    expect(table.hasChanges).toBe(false); // dropped unread, so the tracker stays bounded
    expect(session.lastSeq).toBe(1); // numbered as if sent: seq does not depend on who listens

    const client = collect(session);
    const snapshot = client.messages[0]?.type === 'snapshot' ? client.messages[0].snapshot : undefined;
    expect(snapshot?.seq).toBe(1);
    const make = snapshot?.processes.find((p) => p.key === procKey(300, 80));
    expect(make?.argv).toEqual(['make', '-j8']);
    expect(snapshot?.processes.map((p) => p.key)).toContain(procKey(301, 81));

    apply([exit(301, { code: 0 })]);
    const batch = session.flush();
    expect(batch?.seq).toBe(2);
    expect(batch?.exited.map((e) => e.key)).toEqual([procKey(301, 81)]);
    expect(client.deltas()).toHaveLength(1);

    // The last subscriber gone, the table stops recording per process until the next one.
    client.subscription.close();
    apply([exit(300, { code: 0 })]);
    expect(table.hasChanges).toBe(true);
    expect(table.drainChanges().exited).toEqual([]);
    const next = collect(session);
    apply([fork(302, 200, 82)]);
    expect(session.flush()?.added.map((p) => p.key)).toEqual([procKey(302, 82)]);
    expect(next.deltas()).toHaveLength(1);
  });

  it('runs no frame timer for events nobody subscribes to, and still numbers the next snapshot exactly', () => {
    vi.useFakeTimers();
    try {
      const table = new ProcessTable({ clock: TEST_CLOCK });
      table.load(baseScan());
      const session = new Session(table, { frameMs: 16, sourceStatus: () => STATUS });
      session.flush(); // the load
      for (let i = 0; i < 50; i++) {
        const events = [fork(300 + i, 200, 80 + i)];
        table.apply(events);
        session.noteEvents(events);
      }
      expect(vi.getTimerCount()).toBe(0);
      const client = collect(session);
      const first = client.messages[0]?.type === 'snapshot' ? client.messages[0].snapshot : undefined;
      expect(first?.seq).toBe(2); // the unsent window was flushed and numbered before the snapshot
      expect(first?.processes.map((p) => p.pid)).toContain(349);
    } finally {
      vi.useRealTimers();
    }
  });

  it('carries the source status when it changed, and drops a subscriber whose listener throws', () => {
    const { session } = setup();
    collect(session);
    session.subscribe(() => {
      throw new Error('socket closed');
    });
    session.noteSourceChanged();
    const batch = session.flush();
    expect(batch?.source).toEqual(STATUS);
    expect(session.subscriberCount).toBe(1);
  });
});
