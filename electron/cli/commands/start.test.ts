/**
 * `forkscope start` passes each signal to Electron once. The child here is a small node script
 * standing in for Electron: like Chromium it takes its first SIGINT as "quit gracefully" and puts
 * SIGINT's default action back, so a second SIGINT during its shutdown kills it (exit 130). The
 * CLI's own signals arrive through a stand-in emitter, so the test process is never signalled.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runElectron } from './start';

const GRACE_MS = 200;
/** The stand-in's graceful shutdown outlasts the grace, as a busy Electron's may. */
const SHUTDOWN_MS = 800;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'forkscope-start-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface FakeElectron {
  binary: string;
  log: string;
}

/**
 * An executable node script. `armAfterMs`: until then SIGINT has its default action (Electron
 * before its shutdown handlers are installed); from then on, one graceful SIGINT.
 */
function fakeElectron(armAfterMs = 0): FakeElectron {
  const log = join(dir, 'signals.log');
  const binary = join(dir, 'fake-electron');
  writeFileSync(
    binary,
    `#!${process.execPath}
'use strict';
const { appendFileSync } = require('node:fs');
const log = (line) => appendFileSync(${JSON.stringify(log)}, line + '\\n');
// Node catches SIGINT from the start; adding and removing a listener puts the default back.
const none = () => {};
process.on('SIGINT', none);
process.off('SIGINT', none);
process.on('SIGTERM', () => {
  log('SIGTERM');
  process.exit(0);
});
setTimeout(() => {
  // One shot: once this listener is gone, SIGINT's default action (death) is back.
  process.once('SIGINT', () => {
    log('SIGINT');
    setTimeout(() => process.exit(0), ${SHUTDOWN_MS});
  });
  log('armed');
}, ${armAfterMs});
log('started ' + process.pid);
setInterval(() => {}, 1 << 30);
`,
  );
  chmodSync(binary, 0o755);
  return { binary, log };
}

function logLines(fake: FakeElectron): string[] {
  try {
    return readFileSync(fake.log, 'utf8').split('\n').filter((line) => line.length > 0);
  } catch {
    return [];
  }
}

async function until(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Start the fake through runElectron; resolves once it logged `ready` ('armed' or 'started'). */
async function start(fake: FakeElectron, ready: 'armed' | 'started') {
  const signals = new EventEmitter();
  const exited = runElectron(fake.binary, undefined, { signals, sigintGraceMs: GRACE_MS });
  await until(`the fake to log '${ready}'`, () => logLines(fake).some((line) => line.startsWith(ready)));
  const pid = Number(/^started (\d+)$/m.exec(logLines(fake).join('\n'))?.[1]);
  // A test that fails must not leave the fake running (it would run forever).
  const guard = setTimeout(() => process.kill(pid, 'SIGKILL'), 8_000);
  const code = exited.finally(() => clearTimeout(guard));
  return { signals, pid, code };
}

const count = (fake: FakeElectron, signal: string): number => logLines(fake).filter((line) => line === signal).length;

/** The fake got `signal` exactly once and finished its graceful shutdown (a second one kills it). */
async function expectOneAndAGracefulExit(fake: FakeElectron, code: Promise<number>, signal = 'SIGINT'): Promise<void> {
  expect(await code).toBe(0);
  expect(count(fake, signal)).toBe(1);
}

describe('runElectron signal forwarding', () => {
  it('Ctrl-C (SIGINT to the whole process group): Electron gets it once and shuts down undisturbed', async () => {
    const fake = fakeElectron();
    const { signals, pid, code } = await start(fake, 'armed');
    process.kill(pid, 'SIGINT');
    signals.emit('SIGINT');
    await expectOneAndAGracefulExit(fake, code);
  });

  it('Ctrl-C that reaches us after Electron already began its shutdown is not sent again', async () => {
    const fake = fakeElectron();
    const { signals, pid, code } = await start(fake, 'armed');
    process.kill(pid, 'SIGINT');
    await until('the fake to take its SIGINT', () => count(fake, 'SIGINT') === 1);
    signals.emit('SIGINT');
    await expectOneAndAGracefulExit(fake, code);
  });

  it('SIGINT to the CLI alone (kill -INT <pid>) is forwarded once, after the grace', async () => {
    const fake = fakeElectron();
    const { signals, code } = await start(fake, 'armed');
    const sentAt = Date.now();
    signals.emit('SIGINT');
    await until('the forwarded SIGINT', () => count(fake, 'SIGINT') === 1);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(GRACE_MS - 20);
    await expectOneAndAGracefulExit(fake, code);
  });

  it('SIGINT to the CLI while Electron starts waits until Electron can take it gracefully', async () => {
    const fake = fakeElectron(GRACE_MS + 400);
    const { signals, code } = await start(fake, 'started');
    signals.emit('SIGINT');
    await expectOneAndAGracefulExit(fake, code);
  });

  it('forwards SIGTERM at once, once', async () => {
    const fake = fakeElectron();
    const { signals, code } = await start(fake, 'armed');
    signals.emit('SIGTERM');
    await expectOneAndAGracefulExit(fake, code, 'SIGTERM');
    expect(count(fake, 'SIGINT')).toBe(0);
  });
});
