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
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Snapshot } from '../../common/delta';
import type { DownloadableFile, TimelineDensity, TimelineDiff, TimelineState } from '../../common/timeline';
import type { ServerFrame } from '../../common/wire';
import { createEngine, type Engine } from '../../core/engine';
import type { PerfettoTrace } from '../../core/recording/exportPerfetto';
import { openRecording } from '../../core/recording/Recording';
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
  // The view is still the recording uploaded before.
  expect((await call<TimelineState>('timelineState')).mode).toBe('file');
});
