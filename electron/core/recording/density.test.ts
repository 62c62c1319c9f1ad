/**
 * The timeline's density, as the live ring is asked for it every few seconds: read from chunk
 * summaries (totals exact, each chunk spread over the buckets its time span covers), loss markers
 * exact, and the ring read through records indexed once as they were written.
 */
import { describe, expect, it } from 'vitest';
import type { ProcEvent } from '../../common/events';
import type { SourceStatus } from '../../common/source';
import { decodeChunkSummary, encodeChunk, encodeFileHead } from './codec';
import { encodeRecord, RECORD_HEADER_BYTES, RecordType, scanRecords } from './format';
import { openRecording, type Recording } from './Recording';
import type { RecordSink } from './RecordingWriter';
import { RingSink } from './RingSink';
import { CLOCK, loopEvents, recordSynthetic, syntheticInfo, T0, writeSynthetic } from './test/synthetic';

const sum = (counts: number[]): number => counts.reduce((a, b) => a + b, 0);

/** `count` forks, one every `everyMs` from `at`, of new children of pid 1000. */
function forks(count: number, at: number, everyMs = 1, firstPid = 5000): ProcEvent[] {
  return Array.from({ length: count }, (_, k) => {
    const ts = at + k * everyMs;
    return { kind: 'fork', ts, pid: firstPid + k, ppid: 1000, startTime: Math.floor(((ts - CLOCK.bootEpochMs) * CLOCK.clkTck) / 1000), comm: 'sh' };
  });
}

function expectWholeCounts(counts: number[]): void {
  for (const count of counts) expect(Number.isInteger(count) && count >= 0, `count ${count}`).toBe(true);
}

describe('eventDensity', () => {
  it('counts every event from chunk summaries alone: a chunk whose body cannot be read is counted all the same', () => {
    const events = loopEvents(400);
    const file = recordSynthetic(events, { chunkEvents: 50, keyframeEvents: 300 });
    // Replace one chunk mid-recording by one with the same summary and no events in its body.
    const victim = scanRecords(file).records.filter((record) => record.type === RecordType.events)[10];
    if (!victim) throw new Error('too few chunks');
    const summary = decodeChunkSummary(victim.payload, victim.offset);
    const hollow = encodeRecord(RecordType.events, encodeChunk(summary, { events: [], patches: [] }));
    const damaged = Buffer.concat([file.subarray(0, victim.offset), hollow, file.subarray(victim.offset + RECORD_HEADER_BYTES + victim.payload.length)]);
    const recording = openRecording(damaged);
    // Its events are replayed as lost, in their places: the others keep their numbers.
    const replayed = [...recording.events()];
    expect(replayed).toHaveLength(events.length);
    expect(replayed.slice(0, summary.firstIndex)).toEqual(events.slice(0, summary.firstIndex));
    expect(replayed.slice(summary.firstIndex + summary.eventCount)).toEqual(events.slice(summary.firstIndex + summary.eventCount));
    expect(replayed.slice(summary.firstIndex, summary.firstIndex + summary.eventCount).every((event) => event.kind === 'lost')).toBe(true);
    expect(recording.notes).toEqual([`corrupt record at byte ${victim.offset}: events chunk does not hold the ${summary.eventCount} events its summary announces — its ${summary.eventCount} events are replayed as lost`]);
    expect(recording.lossMarkers()).toEqual([{ ts: summary.minTs, count: summary.eventCount, reason: `damaged record at byte ${victim.offset}` }]);
    for (const buckets of [1, 40, 2048, 4096]) {
      const density = recording.eventDensity(buckets);
      expect(density.counts).toHaveLength(buckets);
      expect(sum(density.counts), `${buckets} buckets`).toBe(events.length);
      expectWholeCounts(density.counts);
    }
  });

  it("spreads a chunk's events evenly over the buckets its time span covers", () => {
    // One chunk of 100 events, one every ms over [T0, T0 + 99].
    const recording = openRecording(recordSynthetic(forks(100, T0), { chunkEvents: 1000, chunkMs: 1e9 }, 100));
    expect(recording.timeRange).toEqual({ start: T0, end: T0 + 99 });
    expect(recording.eventDensity(10).counts).toEqual(new Array(10).fill(10));
    expect(recording.eventDensity(1).counts).toEqual([100]);
    const seven = recording.eventDensity(7).counts;
    expect(sum(seven)).toBe(100);
    for (const count of seven) expect([14, 15]).toContain(count);
  });

  it('leaves empty the buckets no chunk spans, and gives each burst exactly its events', () => {
    // Five bursts of 30 events over 29 ms, 800 ms apart: one chunk each.
    const bursts = [0, 1, 2, 3, 4].map((b) => forks(30, T0 + 800 * b, 1, 5000 + 100 * b));
    const recording = openRecording(recordSynthetic(bursts.flat(), { chunkEvents: 30 }, 30));
    for (const buckets of [50, 108, 400, 4096]) {
      const { start, bucketMs, counts } = recording.eventDensity(buckets);
      const bucketOf = (ts: number): number => Math.min(buckets - 1, Math.floor((ts - start) / bucketMs));
      const spanned = new Set<number>();
      for (const burst of bursts) {
        const first = bucketOf((burst[0] as ProcEvent).ts);
        const last = bucketOf((burst[burst.length - 1] as ProcEvent).ts);
        expect(sum(counts.slice(first, last + 1)), `${buckets} buckets, burst at ${first}`).toBe(30);
        for (let b = first; b <= last; b++) spanned.add(b);
      }
      counts.forEach((count, b) => {
        if (!spanned.has(b)) expect(count, `bucket ${b} of ${buckets}`).toBe(0);
      });
    }
  });

  it('marks every loss exactly, whether a lost event or a source report, and counts lost events as events', () => {
    const events = loopEvents(200);
    events.splice(150, 0, { kind: 'lost', ts: T0 + 505, pid: 0, count: 12, reason: 'ENOBUFS' });
    events.splice(451, 0, { kind: 'lost', ts: T0 + 1507, pid: 0, reason: 'sequence gap' });
    const records: Buffer[] = [encodeFileHead(syntheticInfo())];
    const ring = new RingSink(syntheticInfo(), { minutes: 60, maxBytes: 1 << 30 });
    const tee: RecordSink = {
      append: (record, type, ts) => {
        records.push(record);
        ring.append(record, type, ts);
      },
    };
    const { writer, clock } = writeSynthetic(tee, events, { chunkEvents: 50 });
    const status: SourceStatus = { kind: 'netlink', reason: 'test', lostEvents: 12, resyncs: 0 };
    writer.addStatus(status, clock - 400, false);
    writer.addStatus({ ...status, lostEvents: 52 }, clock, false);
    const expected = [
      { ts: T0 + 505, count: 12, reason: 'ENOBUFS' },
      { ts: T0 + 1507, count: 0, reason: 'sequence gap' },
      { ts: clock, count: 40, reason: 'source reported loss (netlink)' },
    ];
    const file = openRecording(Buffer.concat(records));
    for (const recording of [file, ring.toRecording(), ring.toRecording()]) {
      const density = recording.eventDensity(64);
      expect(density.losses).toEqual(expected);
      expect(sum(density.counts)).toBe(events.length);
      // A lost event is counted where it happened: the bucket of its marker is not empty.
      for (const loss of density.losses.slice(0, 2)) expect(density.counts[Math.floor((loss.ts - density.start) / density.bucketMs)]).toBeGreaterThan(0);
    }
  });
});

describe('RingSink', () => {
  const events = loopEvents(400);
  const tuning = { chunkEvents: 50, keyframeEvents: 300 };

  it('reads as the file of the same records: events, keyframes, density and every moment', () => {
    const records: Buffer[] = [encodeFileHead(syntheticInfo())];
    const ring = new RingSink(syntheticInfo(), { minutes: 60, maxBytes: 1 << 30 });
    writeSynthetic(
      {
        append: (record, type, ts) => {
          records.push(record);
          ring.append(record, type, ts);
        },
      },
      events,
      tuning,
    );
    const image = Buffer.concat(records);
    const file = openRecording(image);
    const fromRing = ring.toRecording();
    expect(ring.bytes).toBe(image.length);
    expect(fromRing.notes).toEqual([]);
    expect([...fromRing.events()]).toEqual(events);
    expect(fromRing.keyframeCount).toBe(file.keyframeCount);
    expect(fromRing.timeRange).toEqual(file.timeRange);
    expect(fromRing.eventDensity(2048)).toEqual(file.eventDensity(2048));
    for (const ts of [T0, T0 + 777, T0 + 2003, T0 + 3999.5]) expect(fromRing.stateAt(ts)).toEqual(file.stateAt(ts));
  });

  it('hands out snapshots: later appends and evictions leave a recording taken earlier as it was', () => {
    const ring = new RingSink(syntheticInfo(), { minutes: 60, maxBytes: 12_000 });
    const snapshots: Recording[] = [];
    let appended = 0;
    writeSynthetic(
      {
        append: (record, type, ts) => {
          ring.append(record, type, ts);
          if (++appended % 10 === 0) snapshots.push(ring.toRecording());
        },
      },
      events,
      tuning,
    );
    const last = ring.toRecording();
    expect(last.firstIndex).toBeGreaterThan(0); // the oldest segments were dropped
    expect([...last.events()]).toEqual(events.slice(last.firstIndex));
    const evictedSince = snapshots.filter((snapshot) => snapshot.firstIndex < last.firstIndex);
    expect(evictedSince.length).toBeGreaterThan(0);
    for (const snapshot of snapshots) {
      expect([...snapshot.events()]).toEqual(events.slice(snapshot.firstIndex, snapshot.endIndex));
      expect(sum(snapshot.eventDensity(100).counts)).toBe(snapshot.eventCount);
    }
  });
});
