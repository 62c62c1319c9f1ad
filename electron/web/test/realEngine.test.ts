/**
 * The web host over the real engine and the real /proc: a tab gets a snapshot that holds this
 * very process, and the detail of this process carries its real argv.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Snapshot } from '../../common/delta';
import type { ProcessDetail } from '../../common/detail';
import type { ServerFrame } from '../../common/wire';
import { createEngine, type Engine } from '../../core/engine';
import { startWebHost, type WebHost } from '../webHost';
import { connect } from './wsClient';

let staticDir: string;
let engine: Engine;
let host: WebHost;

beforeAll(async () => {
  staticDir = mkdtempSync(join(tmpdir(), 'forkscope-real-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Forkscope</title>');
  engine = await createEngine({ source: 'poll', sampleIntervalMs: 0 });
  host = await startWebHost({ engine, staticDir });
});

afterAll(async () => {
  await host.close();
  await engine.close();
  rmSync(staticDir, { recursive: true, force: true });
});

function resultOf(frame: ServerFrame): unknown {
  if (frame.type !== 'result') throw new Error(`expected a result, got ${JSON.stringify(frame)}`);
  return frame.result;
}

it('serves a snapshot with this process and its real detail', async () => {
  const origin = new URL(host.url).origin;
  const client = await connect(`${origin.replace('http:', 'ws:')}/ws?${new URL(host.url).searchParams}`, { Origin: origin });
  client.sendRaw(JSON.stringify({ type: 'call', id: 1, method: 'requestSnapshot' }));
  const snapshot = resultOf(await client.next((f) => 'id' in f && f.id === 1)) as Snapshot;
  const self = snapshot.processes.find((p) => p.pid === process.pid);
  const realArgv = readFileSync('/proc/self/cmdline', 'utf8').split('\0').slice(0, -1);
  expect(self?.argv).toEqual(realArgv);

  client.sendRaw(JSON.stringify({ type: 'call', id: 2, method: 'getDetail', args: [{ pid: process.pid, startTime: self!.startTime }] }));
  const detail = resultOf(await client.next((f) => 'id' in f && f.id === 2)) as ProcessDetail;
  expect(detail.pid).toBe(process.pid);
  expect(detail.cwd).toEqual({ ok: true, value: process.cwd() });
  expect(detail.cmdline).toEqual({ ok: true, value: realArgv });
  await client.close();
});
