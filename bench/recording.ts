/**
 * The recording bench: bytes per million events and seek time on a synthetic 1M-event recording
 * written by the real RecordingWriter (default tuning) and read by the real Recording.
 *
 * The storm is a build-like mix: 8 "make" parents each running a loop of compiler jobs that fork,
 * exec with a unique argv, sometimes run a thread, and exit with varied codes; ~5000 events/s of
 * recording time, so keyframes come from both the time and the event-count rule.
 *
 * Hook: `runRecordingBench({ events, seeks })` from bench/run.ts, `renderRecording(result)` to
 * print it. Standalone: `node dist/bench/recording.js [events] [seeks]`.
 */
import { performance } from 'node:perf_hooks';
import type { ProcEvent } from '../electron/common/events';
import type { ProcessInfo } from '../electron/common/process';
import { DEFAULT_TOMBSTONE_TTL_MS, ProcessTable } from '../electron/core/model/ProcessTable';
import { encodeInfo } from '../electron/core/recording/codec';
import { encodePreamble, encodeRecord, RecordType } from '../electron/core/recording/format';
import { openRecording } from '../electron/core/recording/Recording';
import { RecordingWriter } from '../electron/core/recording/RecordingWriter';
import { percentile } from './percentile';
import { table } from './report';

export interface RecordingBenchOptions {
  events: number;
  seeks: number;
}

export interface RecordingBenchResult {
  events: number;
  bytes: number;
  bytesPerMillionEvents: number;
  bytesPerEvent: number;
  keyframes: number;
  writeMs: number;
  openMs: number;
  seeks: number;
  seekMedianMs: number;
  seekP99Ms: number;
  seekMaxMs: number;
  /** The timeline strip's request: eventDensity(2048), median of 5 calls. */
  densityMs: number;
}

const CLOCK = { clkTck: 100, bootEpochMs: 1_700_000_000_000 };
const START = CLOCK.bootEpochMs + 3_600_000;
const PARENTS = 8;
const EVENTS_PER_MS = 5;

/** A deterministic pseudo-random sequence (the bench must be reproducible). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function* buildStorm(total: number): Generator<ProcEvent[]> {
  const random = lcg(42);
  let nextPid = 10_000;
  let produced = 0;
  let ts = START;
  while (produced < total) {
    const batch: ProcEvent[] = [];
    for (let job = 0; job < 16 && produced + batch.length < total; job++) {
      const ppid = 1000 + Math.floor(random() * PARENTS);
      const pid = nextPid++;
      if (nextPid > 4_000_000) nextPid = 10_000;
      const startTime = Math.floor(((ts - CLOCK.bootEpochMs) * CLOCK.clkTck) / 1000);
      const unit = `src/module${Math.floor(random() * 400)}/file${Math.floor(random() * 50)}.c`;
      batch.push({ kind: 'fork', ts, pid, ppid, startTime, comm: 'make', cpu: job & 1 });
      ts += 1 / EVENTS_PER_MS;
      batch.push({ kind: 'exec', ts, pid, ppid, startTime, argv: ['cc', '-O2', '-c', unit, '-o', unit.replace(/\.c$/, '.o')], exe: '/usr/bin/cc', comm: 'cc', cpu: job & 1 });
      ts += 1 / EVENTS_PER_MS;
      // The kernel reports every thread's exit before its group leader's: a thread-start with no
      // thread-exit would leave the job alive forever (a pthread_exit'ed leader) and grow the model.
      const thread = random() < 0.3 ? nextPid++ : undefined;
      if (thread !== undefined) {
        batch.push({ kind: 'thread-start', ts, pid, tid: thread, ppid, cpu: job & 1 });
        ts += 1 / EVENTS_PER_MS;
        batch.push({ kind: 'thread-exit', ts, pid, tid: thread, cpu: job & 1 });
        ts += 1 / EVENTS_PER_MS;
      }
      const code = random() < 0.9 ? 0 : 1 + Math.floor(random() * 3);
      batch.push({ kind: 'exit', ts, pid, ppid, startTime, code, exitSignal: 17, cpu: job & 1 });
      ts += 1 / EVENTS_PER_MS;
    }
    produced += batch.length;
    yield batch;
  }
}

const PARENT_INFO: ProcessInfo[] = Array.from({ length: PARENTS }, (_, i) => ({
  key: `${1000 + i}@10`,
  pid: 1000 + i,
  ppid: 1,
  startTime: 10,
  startedAt: CLOCK.bootEpochMs + 100,
  uid: 1000,
  user: 'builder',
  comm: 'make',
  argv: ['make', `-j${i}`],
  state: 'S',
  threads: 1,
}));

export function runRecordingBench(options: RecordingBenchOptions): RecordingBenchResult {
  const records: Buffer[] = [
    encodePreamble(),
    encodeRecord(RecordType.info, encodeInfo({ machine: 'bench', kernel: 'synthetic', ...CLOCK, startedAt: START, tombstoneTtlMs: DEFAULT_TOMBSTONE_TTL_MS, writer: 'bench' })),
  ];
  let clock = START;
  const model = new ProcessTable({ clock: CLOCK, now: () => clock });
  model.load(PARENT_INFO.map((p) => ({ ...p, rssKb: 0, cpuTicks: 0, kernelThread: false })));
  const writeStarted = performance.now();
  const writer = new RecordingWriter({ append: (record) => records.push(record) }, () => model.all(), clock);
  for (const batch of buildStorm(options.events)) {
    clock = (batch[batch.length - 1] as ProcEvent).ts;
    model.apply(batch);
    model.expireTombstones(); // as the engine's housekeeping does
    model.drainChanges();
    writer.addEvents(batch, clock);
  }
  writer.flushChunk(clock);
  const writeMs = performance.now() - writeStarted;
  const file = Buffer.concat(records);

  const openStarted = performance.now();
  const recording = openRecording(file);
  const openMs = performance.now() - openStarted;
  const { start, end } = recording.timeRange;
  const random = lcg(7);
  const times: number[] = [];
  for (let i = 0; i < options.seeks; i++) {
    const ts = start + random() * (end - start);
    const t0 = performance.now();
    const state = recording.stateAt(ts);
    times.push(performance.now() - t0);
    if (state.length < PARENTS) throw new Error(`seek to ${ts} lost the parents: ${state.length} processes`);
  }
  const densityTimes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const density = recording.eventDensity(2048);
    densityTimes.push(performance.now() - t0);
    const total = density.counts.reduce((sum, count) => sum + count, 0);
    if (total !== recording.eventCount) throw new Error(`density counts ${total} events of ${recording.eventCount}`);
  }
  return {
    events: recording.eventCount,
    bytes: file.length,
    bytesPerMillionEvents: Math.round((file.length / recording.eventCount) * 1e6),
    bytesPerEvent: file.length / recording.eventCount,
    keyframes: recording.keyframeCount,
    writeMs,
    openMs,
    seeks: options.seeks,
    seekMedianMs: percentile(times, 50),
    seekP99Ms: percentile(times, 99),
    seekMaxMs: percentile(times, 100),
    densityMs: percentile(densityTimes, 50),
  };
}

export function renderRecording(result: RecordingBenchResult): string {
  return (
    `recording — synthetic build storm, ${result.events} events, ${result.keyframes} keyframes\n` +
    table(
      ['bytes', 'bytes / 1M events', 'bytes / event', 'write', 'open', `seek median (${result.seeks})`, 'seek p99', 'seek max', 'density (2048)'],
      [
        [
          String(result.bytes),
          String(result.bytesPerMillionEvents),
          result.bytesPerEvent.toFixed(2),
          `${result.writeMs.toFixed(0)} ms`,
          `${result.openMs.toFixed(0)} ms`,
          `${result.seekMedianMs.toFixed(1)} ms`,
          `${result.seekP99Ms.toFixed(1)} ms`,
          `${result.seekMaxMs.toFixed(1)} ms`,
          `${result.densityMs.toFixed(1)} ms`,
        ],
      ],
    )
  );
}

if (process.argv[1]?.endsWith('recording.js')) {
  const events = Number(process.argv[2] ?? 1_000_000);
  const seeks = Number(process.argv[3] ?? 200);
  process.stdout.write(`${renderRecording(runRecordingBench({ events, seeks }))}\n`);
}
