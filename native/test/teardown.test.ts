/** Start/close cycles leak nothing and never hang; a process exiting with a watcher open exits cleanly. */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { locateAddon } from '../index';
import { collect } from './helpers';

function openFds(): number {
  return fs.readdirSync('/proc/self/fd').length;
}

function threadCount(): number {
  return Number(/^Threads:\s+(\d+)$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))![1]);
}

/** Runs a Node script that uses the raw addon; resolves with its exit code and stderr. */
function runNode(script: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['-e', script], { timeout: 15_000, env: { ...process.env, ADDON: locateAddon() } }, (error, _stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr }),
    );
    child.stdin?.end();
  });
}

describe('netlink watcher: teardown', () => {
  it('starts and closes repeatedly without leaking descriptors or threads', async () => {
    const warm = await collect();
    warm.watcher.close();
    const fds = openFds();
    const threads = threadCount();
    for (let i = 0; i < 20; i++) {
      const c = await collect({ flushIntervalMs: 1 });
      c.watcher.close();
      c.watcher.close(); // closing twice is harmless
    }
    expect(openFds()).toBe(fds);
    expect(threadCount()).toBe(threads);
  });

  it('lets a process exit while a watcher is open, and a worker be terminated with one', async () => {
    const exitScript = `
      const m = { exports: {} }; process.dlopen(m, process.env.ADDON);
      new m.exports.Watcher({}, (msg) => { if (msg.type === 'ready') process.exit(3); });`;
    expect(await runNode(exitScript)).toEqual({ code: 3, stderr: '' });

    const workerScript = `
      const { Worker } = require('node:worker_threads');
      const w = new Worker(\`
        const { parentPort } = require('node:worker_threads');
        const m = { exports: {} }; process.dlopen(m, process.env.ADDON);
        new m.exports.Watcher({}, (msg) => { if (msg.type === 'ready') parentPort.postMessage('ready'); });\`, { eval: true });
      w.on('message', () => w.terminate().then(() => process.exit(4)));`;
    expect(await runNode(workerScript)).toEqual({ code: 4, stderr: '' });
  });

  it('keeps the event loop alive while open and lets it go once closed', async () => {
    const script = `
      const m = { exports: {} }; process.dlopen(m, process.env.ADDON);
      const w = new m.exports.Watcher({}, (msg) => { if (msg.type === 'ready') setTimeout(() => w.close(), 200); });`;
    expect(await runNode(script)).toEqual({ code: 0, stderr: '' });
  });
});
