/**
 * Synthetic recordings for format and replay tests (and the bench): a deterministic shell loop
 * — a parent forking children that exec and exit with known codes — written through the real
 * RecordingWriter into memory (or any sink), with the live model built alongside by a real
 * ProcessTable.
 */
import type { ProcEvent } from '../../../common/events';
import type { ProcessInfo } from '../../../common/process';
import { ProcessTable } from '../../model/ProcessTable';
import { encodeFileHead, type RecordingInfo } from '../codec';
import { RecordingWriter, type RecordSink, type WriterTuning } from '../RecordingWriter';

export const CLOCK = { clkTck: 100, bootEpochMs: 1_700_000_000_000 };
export const T0 = CLOCK.bootEpochMs + 1_000_000;

export function syntheticInfo(): RecordingInfo {
  return { machine: 'test', kernel: '6.0.0-test', clkTck: CLOCK.clkTck, bootEpochMs: CLOCK.bootEpochMs, startedAt: T0, tombstoneTtlMs: 5000, writer: 'test' };
}

/** Child k of the loop: forked at T0 + 10k ms by pid 1000, exits code k % 256 at +5 ms. */
export function loopEvents(children: number, firstPid = 2000): ProcEvent[] {
  const events: ProcEvent[] = [];
  for (let k = 0; k < children; k++) {
    const pid = firstPid + k;
    const ts = T0 + 10 * k + 1;
    const startTime = Math.floor(((ts - CLOCK.bootEpochMs) * CLOCK.clkTck) / 1000);
    events.push({ kind: 'fork', ts, pid, ppid: 1000, startTime, comm: 'sh' });
    events.push({ kind: 'exec', ts: ts + 1, pid, ppid: 1000, startTime, argv: ['sh', '-c', `exit ${k % 256}`, `child-${k}`], comm: 'sh' });
    events.push({ kind: 'exit', ts: ts + 5, pid, ppid: 1000, startTime, code: k % 256 });
  }
  return events;
}

export const INITIAL: ProcessInfo[] = [
  { key: '1@0', pid: 1, ppid: 0, startTime: 0, startedAt: CLOCK.bootEpochMs, uid: 0, user: 'root', comm: 'init', argv: ['/sbin/init'], state: 'S', threads: 1 },
  { key: '1000@50', pid: 1000, ppid: 1, startTime: 50, startedAt: CLOCK.bootEpochMs + 500, uid: 1000, user: 'alice', comm: 'bash', argv: ['bash'], state: 'S', threads: 1 },
];

/**
 * Record `events` through the real RecordingWriter into `sink`, in batches of `batch`, each at the
 * time of its last event, with the open chunk flushed at the end. Returns the writer (for status
 * records after the events) and the fake wall time it ended at.
 */
export function writeSynthetic(sink: RecordSink, events: ProcEvent[], tuning: WriterTuning = {}, batch = 7): { writer: RecordingWriter; clock: number } {
  let clock = T0;
  const table = new ProcessTable({ clock: CLOCK, now: () => clock, userName: (uid) => (uid === 0 ? 'root' : 'alice') });
  table.load(INITIAL.map((p) => ({ ...p, rssKb: 0, cpuTicks: 0, kernelThread: false })));
  const writer = new RecordingWriter(sink, () => table.all(), clock, tuning);
  for (let i = 0; i < events.length; i += batch) {
    const slice = events.slice(i, i + batch);
    clock = (slice[slice.length - 1] as ProcEvent).ts;
    table.apply(slice);
    writer.addEvents(slice, clock);
  }
  writer.flushChunk(clock);
  return { writer, clock };
}

/** Record `events` in batches of `batch` into a file image (see writeSynthetic). */
export function recordSynthetic(events: ProcEvent[], tuning: WriterTuning = {}, batch = 7): Buffer {
  const records: Buffer[] = [encodeFileHead(syntheticInfo())];
  writeSynthetic({ append: (record) => records.push(record) }, events, tuning, batch);
  return Buffer.concat(records);
}
