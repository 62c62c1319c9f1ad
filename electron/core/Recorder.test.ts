/**
 * Recording the real engine on the real kernel: a storm of children with known argv and exit
 * codes, recorded to a file and to a ring, then every moment we saw live is sought and compared.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { clockInfo } from '../../native/index';
import type { ProcEvent } from '../common/events';
import type { ProcessGroup } from '../common/process';
import { createEngine, type Engine } from './engine';
import { groupFromCgroup } from './procfs/groupFromCgroup';
import { collectChildren, runStorm, STORM_MARK, stormDelivered } from './test/storm';
import { exportNdjson } from './recording/exportNdjson';
import { exportPerfetto } from './recording/exportPerfetto';
import { startRecording } from './recording/Recorder';
import { openRecording } from './recording/Recording';

const dir = mkdtempSync(join(tmpdir(), 'forkscope-rec-'));
let engine: Engine | undefined;

afterEach(async () => {
  await engine?.close();
  engine = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Capture {
  /** Events delivered so far, and the time of the last one. */
  count: number;
  lastTs: number;
  live: Map<string, number>;
}

describe('Recorder on the real engine', () => {
  it('records a storm; every moment seen live is replayed exactly; exports hold every child', async () => {
    // The diff across the storm needs its first child's tombstone still there at its end, however
    // long a loaded machine takes to run it (the default TTL is 5 s): as long as the test may run.
    // No longer: keyframes hold every tombstone, and the machine's other processes end too.
    const tombstoneTtlMs = 60_000;
    engine = await createEngine({ source: 'netlink', sampleIntervalMs: 0, tombstoneTtlMs });
    const path = join(dir, 'storm.fsrec');
    // Small keyframe interval so the seeks below go through several keyframes.
    const recorder = startRecording(engine, { path }, { clock: clockInfo(), tombstoneTtlMs, tuning: { keyframeEvents: 150 } });
    const events: ProcEvent[] = [];
    const captures: Capture[] = [];
    let batches = 0;
    engine.onEvents((batch) => {
      events.push(...batch);
      if (batches++ % 5 !== 0) return;
      const live = new Map(engine?.table.liveProcesses().map((p) => [p.key, p.ppid]));
      captures.push({ count: events.length, lastTs: (batch[batch.length - 1] as ProcEvent).ts, live });
    });
    const count = 200;
    const shellPid = await runStorm(count, 'rec');
    await stormDelivered(events, shellPid, count);
    const stats = recorder.close();
    expect(stats.events).toBe(events.length);
    expect(stats.keyframes).toBeGreaterThanOrEqual(3);
    expect(stats.totalBytes).toBe(readFileSync(path).length);

    const recording = openRecording(path);
    expect(recording.notes).toEqual([]);
    expect([...recording.events()]).toEqual(events);
    const children = collectChildren(events, shellPid);
    expect(children).toHaveLength(count);

    // A capture is a moment only if no later event carries an earlier time (CPUs interleave).
    const moments = captures.filter((c) => recording.positionAt(c.lastTs) === c.count);
    expect(moments.length).toBeGreaterThanOrEqual(3);
    for (const moment of moments) {
      const replayed = new Map(recording.stateAt(moment.lastTs).filter((p) => !p.exit).map((p) => [p.key, p.ppid]));
      expect(replayed, `at event ${moment.count}`).toEqual(moment.live);
    }

    // Diff across the storm: every child started, and each ended with its code.
    const range = recording.timeRange;
    const diff = recording.diff(range.start, range.end);
    const started = diff.started.filter((p) => p.argv?.[3]?.startsWith(`${STORM_MARK}-rec-`));
    for (const p of started) expect(p.exit?.code).toBe(Number(p.argv?.[3]?.split('-').pop()) % 256);
    expect(started.length).toBe(children.filter((c) => c.argv).length);

    const trace = exportPerfetto(recording);
    const slices = trace.traceEvents.filter((e) => e.ph === 'X');
    const forked = new Set(events.filter((e) => e.kind === 'fork').map((e) => e.pid));
    for (const child of children) {
      const mine = slices.filter((s) => s.pid === child.pid);
      expect(mine.length, `slices of ${child.pid}`).toBeGreaterThanOrEqual(1);
      if (child.argv) expect(mine.some((s) => JSON.stringify(s.args?.argv) === JSON.stringify(child.argv))).toBe(true);
    }
    expect(slices.length).toBe(recording.stateAt(range.start).length + events.filter((e) => e.kind === 'fork').length);
    expect(forked.size).toBeGreaterThanOrEqual(count);
    // The export is the log `events --json` printed: the events, fork and exec lines with their
    // group (the storm's is this test's own cgroup's, if any; never a re-read: nothing moved).
    const exported = [...exportNdjson(recording)].map((line) => JSON.parse(line) as ProcEvent & { group?: ProcessGroup });
    expect(exported.map(({ group: _group, ...event }) => event)).toEqual(events);
    const ownGroup = groupFromCgroup(readFileSync('/proc/self/cgroup', 'utf8'));
    const stormLines = exported.filter((line) => (line.kind === 'fork' || line.kind === 'exec') && children.some((child) => child.pid === line.pid));
    expect(stormLines.length).toBeGreaterThanOrEqual(count);
    for (const line of stormLines) expect(line.group).toEqual(ownGroup);
  });

  it('keeps a bounded ring that always starts at a keyframe', async () => {
    engine = await createEngine({ source: 'netlink', sampleIntervalMs: 0 });
    const ring = startRecording(engine, { ring: { minutes: 5, maxBytes: 40_000 } }, { clock: clockInfo(), tuning: { keyframeEvents: 100 } });
    const seen: ProcEvent[] = [];
    engine.onEvents((batch) => seen.push(...batch));
    const count = 300;
    await stormDelivered(seen, await runStorm(count, 'ring'), count);
    const recording = ring.toRecording();
    ring.close();
    expect(ring.stats().totalBytes).toBeLessThanOrEqual(40_000 + 64 * 1024);
    expect(recording.firstIndex).toBeGreaterThan(0); // the oldest segments were dropped
    expect([...recording.events()]).toEqual(seen.slice(recording.firstIndex, recording.endIndex));
    const last = seen[recording.endIndex - 1] as ProcEvent;
    expect(recording.stateAt(last.ts).filter((p) => !p.exit).length).toBeGreaterThan(0);
  });
});
