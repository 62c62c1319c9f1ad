/**
 * Time travel through the web host, on the real engine and real processes: the live ring
 * rewinds to a moment and the tab's snapshot is the machine as it was then; two moments diff;
 * the ring exports to Perfetto; the record button hands back a recording that opens; an
 * uploaded recording replaces the view, and a foreign file is refused with a clear reason.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Snapshot } from '../../common/delta';
import type { DownloadableFile, TimelineDensity, TimelineDiff, TimelineState } from '../../common/timeline';
import type { ServerFrame } from '../../common/wire';
import { createEngine, type Engine } from '../../core/engine';
import type { PerfettoTrace } from '../../core/recording/exportPerfetto';
import type { ProcessInfo } from '../../common/process';
import { encodeFileHead, encodeKeyframe } from '../../core/recording/codec';
import { encodeRecord, RECORD_HEADER_BYTES, RecordType, scanRecords } from '../../core/recording/format';
import { openRecording } from '../../core/recording/Recording';
import { INITIAL, loopEvents, recordSynthetic, syntheticInfo, T0 } from '../../core/recording/test/synthetic';
import { startWebHost, type WebHost } from '../webHost';
import { connect, pushed, type TestClient } from './wsClient';

let staticDir: string;
let engine: Engine;
let host: WebHost;
let client: TestClient;
let origin: string;
let nextId = 1;
const marker = `fstt${process.pid}x${Date.now().toString(36)}`;

beforeAll(async () => {
  staticDir = mkdtempSync(join(tmpdir(), 'forkscope-tt-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Forkscope</title>');
  engine = await createEngine({ sampleIntervalMs: 0 });
  host = await startWebHost({ engine, staticDir });
  origin = new URL(host.url).origin;
  client = await connect(`${origin.replace('http:', 'ws:')}/ws?${new URL(host.url).searchParams}`, { Origin: origin });
});

afterAll(async () => {
  await client.close();
  await host.close();
  await engine.close();
  rmSync(staticDir, { recursive: true, force: true });
});

async function call<T>(method: string, ...args: unknown[]): Promise<T> {
  const id = nextId++;
  client.sendRaw(JSON.stringify({ type: 'call', id, method, args }));
  const frame = await client.next((f) => 'id' in f && f.id === id);
  if (frame.type === 'error') throw new Error(frame.error);
  return (frame as Extract<ServerFrame, { type: 'result' }>).result as T;
}

/** The first snapshot the tab received from frame number `after` on (a seek pushes one). */
async function snapshotAfter(after: number): Promise<Snapshot> {
  const frame = await client.next((f) => client.frames.indexOf(f) >= after && pushed(f, 'message')?.type === 'snapshot');
  const message = pushed(frame, 'message');
  if (message?.type !== 'snapshot') throw new Error(`not a snapshot: ${JSON.stringify(frame)}`);
  return message.snapshot;
}

function run(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', args, { stdio: 'ignore' });
    child.once('error', reject);
    child.once('spawn', () => resolve(child.pid as number));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const ours = (snapshot: Snapshot, tag: string) => snapshot.processes.filter((p) => p.argv?.includes(`${marker}-${tag}`));

let beforeStorm = 0;
let afterStorm = 0;
let longPid = 0;
let shortPid = 0;

it('rewinds the live view into the ring: the tab sees the machine as it was', async () => {
  expect((await call<TimelineState>('timelineState')).mode).toBe('live');
  await sleep(300);
  beforeStorm = Date.now();
  await sleep(300);
  longPid = await run(['-c', 'sleep 30', `${marker}-long`]);
  shortPid = await run(['-c', 'exit 3', `${marker}-short`]);
  await sleep(800);
  afterStorm = Date.now();
  await sleep(300);

  const density = await call<TimelineDensity>('timeline', 64);
  expect(density.counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  expect(density.end).toBeGreaterThanOrEqual(afterStorm - 1000);

  let mark = client.frames.length;
  await call('seek', afterStorm);
  const then = await snapshotAfter(mark);
  expect(then.source.kind).toBe('replay');
  const long = ours(then, 'long');
  expect(long.map((p) => [p.pid, p.exit])).toEqual([[longPid, undefined]]);
  // The short one had exited by then: a tombstone with its real exit code.
  expect(ours(then, 'short').map((p) => [p.pid, p.exit?.code])).toEqual([[shortPid, 3]]);
  const state = pushed(await client.next((f) => pushed(f, 'timeline')?.mode === 'ring'), 'timeline');
  expect(state?.liveAvailable).toBe(true);
  // The ring ends at its last record: a later moment is shown as that end.
  const playback = state?.playback;
  expect(playback?.time).toBe(Math.min(afterStorm, playback?.end ?? Number.NaN));
  expect(playback?.start).toBeLessThanOrEqual(beforeStorm);

  mark = client.frames.length;
  await call('seek', beforeStorm);
  const before = await snapshotAfter(mark);
  expect(ours(before, 'long')).toEqual([]);
  expect(ours(before, 'short')).toEqual([]);
});

it('diffs two moments and exports the ring to Perfetto', async () => {
  const diff = await call<TimelineDiff>('diff', beforeStorm, afterStorm);
  const started = diff.started.filter((p) => p.argv?.some((arg) => arg.startsWith(marker)));
  expect(started.map((p) => p.pid).sort()).toEqual([longPid, shortPid].sort());
  expect(diff.started.find((p) => p.pid === shortPid)?.exit?.code).toBe(3);
  expect(diff.eventCounts.exec ?? 0).toBeGreaterThanOrEqual(2);

  const file = await call<DownloadableFile>('exportRecording', { format: 'perfetto', from: beforeStorm, to: afterStorm });
  expect(file.fileName).toMatch(/\.perfetto\.json$/);
  const trace = JSON.parse(file.data) as PerfettoTrace;
  const slices = trace.traceEvents.filter((e) => e.ph === 'X' && (e.pid === longPid || e.pid === shortPid));
  expect(slices.map((e) => e.pid).sort()).toEqual([longPid, shortPid].sort());
});

it('returns to live, where the long process still runs', async () => {
  const mark = client.frames.length;
  await call('goLive');
  const now = await snapshotAfter(mark);
  expect(now.source.kind).not.toBe('replay');
  expect(ours(now, 'long').map((p) => p.pid)).toEqual([longPid]);
  expect((await call<TimelineState>('timelineState')).mode).toBe('live');
  await expect(call('play', 1)).rejects.toThrow(/already playing in real time/);
  await expect(call('play', 50)).rejects.toThrow(/invalid argument: speed/);
});

it('records with the record button, and the recording opens and holds what ran', async () => {
  await call('startRecording');
  await expect(call('startRecording')).rejects.toThrow(/already recording/);
  await sleep(200);
  const pid = await run(['-c', 'exit 7', `${marker}-recorded`]);
  await sleep(600);
  const file = await call<DownloadableFile>('stopRecording');
  expect(file.fileName).toMatch(/^forkscope-.*\.fsrec$/);
  expect(file.encoding).toBe('base64');
  const bytes = Buffer.from(file.data, 'base64');
  const recording = openRecording(bytes);
  const exits = [...recording.events()].filter((e) => e.kind === 'exit' && e.pid === pid);
  expect(exits.map((e) => e.code)).toEqual([7]);

  // Upload it as a dropped file: the tab now shows the recording.
  const mark = client.frames.length;
  const upload = await fetch(`${origin}/recording?token=${new URL(host.url).searchParams.get('token')}&name=${file.fileName}`, {
    method: 'POST',
    headers: { Origin: origin },
    body: bytes,
  });
  expect(upload.status).toBe(204);
  const shown = pushed(await client.next((f) => client.frames.indexOf(f) >= mark && pushed(f, 'timeline')?.mode === 'file'), 'timeline');
  expect(shown?.label).toBe(file.fileName);
  expect((await snapshotAfter(mark)).source.kind).toBe('replay');
});

it('refuses foreign uploads and uploads from elsewhere with a clear answer', async () => {
  const token = new URL(host.url).searchParams.get('token');
  const foreign = await fetch(`${origin}/recording?token=${token}&name=notes.txt`, { method: 'POST', headers: { Origin: origin }, body: 'hello, not a recording' });
  expect(foreign.status).toBe(422);
  expect(await foreign.text()).toMatch(/not a Forkscope recording/);
  const wrongToken = await fetch(`${origin}/recording?token=nope&name=x.fsrec`, { method: 'POST', headers: { Origin: origin }, body: 'x' });
  expect(wrongToken.status).toBe(403);
  const crossSite = await fetch(`${origin}/recording?token=${token}&name=x.fsrec`, { method: 'POST', headers: { Origin: 'http://evil.example' }, body: 'x' });
  expect(crossSite.status).toBe(403);
  // A crafted recording: its first model holds a process with a negative pid.
  const crafted = Buffer.concat([encodeFileHead(syntheticInfo()), encodeRecord(RecordType.keyframe, encodeKeyframe({ ts: T0, eventIndex: 0, processes: [{ ...INITIAL[0], pid: -1 } as ProcessInfo] }))]);
  const hostile = await fetch(`${origin}/recording?token=${token}&name=crafted.fsrec`, { method: 'POST', headers: { Origin: origin }, body: crafted });
  expect(hostile.status).toBe(422);
  expect(await hostile.text()).toMatch(/^corrupt record at byte \d+: keyframe process 0\.pid must be an integer in 1\.\.4194304\n?$/);
  // The view is still the recording uploaded before.
  expect((await call<TimelineState>('timelineState')).mode).toBe('file');
});

it('shows a recording with a damaged chunk, and says in the timeline which record and why', async () => {
  const file = recordSynthetic(loopEvents(100), { chunkEvents: 50, keyframeEvents: 1000 });
  const victim = scanRecords(file).records.filter((record) => record.type === RecordType.events)[2];
  if (!victim) throw new Error('too few chunks');
  // Its events hold a string where a pid belongs; its summary and CRC are valid.
  const body = (JSON.parse(inflateRawSync(victim.payload.subarray(32)).toString('utf8')) as { events: Array<Record<string, unknown>> }).events;
  body[3] = { ...body[3], pid: 'init' };
  const damagedChunk = encodeRecord(RecordType.events, Buffer.concat([victim.payload.subarray(0, 32), deflateRawSync(JSON.stringify({ events: body }))]));
  const damaged = Buffer.concat([file.subarray(0, victim.offset), damagedChunk, file.subarray(victim.offset + RECORD_HEADER_BYTES + victim.payload.length)]);
  const token = new URL(host.url).searchParams.get('token');
  const upload = await fetch(`${origin}/recording?token=${token}&name=damaged.fsrec`, { method: 'POST', headers: { Origin: origin }, body: damaged });
  expect(upload.status).toBe(204);
  const { playback } = await call<TimelineState>('timelineState');
  await call('seek', playback?.end);
  const state = await call<TimelineState>('timelineState');
  expect(state.label).toBe('damaged.fsrec');
  expect(state.notes).toEqual([`corrupt record at byte ${victim.offset}: event 3.pid must be an integer in 1..4194304 — its ${victim.payload.readUInt32LE(24)} events are replayed as lost`]);
});
