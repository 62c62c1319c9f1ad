/**
 * Lineage and per-thread events against the real kernel: a parent that forks a child and exits
 * first (the child keeps its forker while the model follows the kernel's reparenting), and a
 * thread that renames itself and changes its own credentials (neither is the process's).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { clockInfo } from '../../native/index';
import type { DeltaBatch } from '../common/delta';
import { procKey, type ProcessInfo, type ProcKey } from '../common/process';
import { createEngine, type Engine } from './engine';
import { parseStat } from './procfs/parseStat';
import { startRecording } from './recording/Recorder';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let engine: Engine | undefined;
const spawned: number[] = [];

afterEach(async () => {
  for (const pid of spawned.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await engine?.close();
  engine = undefined;
});

function statOf(pid: number): { ppid: number; startTime: number } {
  const stat = parseStat(readFileSync(`/proc/${pid}/stat`, 'latin1'));
  return { ppid: stat.fields.ppid, startTime: stat.fields.startTime };
}

/** Runs `command` and resolves with the lines it printed once it has exited, and its pid. */
function run(command: string, args: string[]): Promise<{ pid: number; lines: string[] }> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', () => resolve({ pid: child.pid as number, lines: out.trim().split('\n') }));
  });
}

/** Polls `check` until it returns a value (not undefined), or fails after `ms`. */
async function until<T>(what: string, check: () => T | undefined, ms = 5000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(25)) {
    const value = check();
    if (value !== undefined) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('lineage on the real kernel', () => {
  it('a child whose parent exits first keeps its forker; its current parent is the one /proc names', async () => {
    engine = await createEngine({ source: 'netlink', sampleIntervalMs: 0 });
    const batches: DeltaBatch[] = [];
    const subscription = engine.subscribe((message) => {
      if (message.type !== 'delta') return;
      batches.push(message.batch);
      subscription.ack(message.batch.seq);
    });
    const ring = startRecording(engine, { ring: { minutes: 1, maxBytes: 8 << 20 } }, { clock: clockInfo() });
    // sh forks a background sleep and exits at once: the kernel hands sleep to init or the
    // nearest subreaper.
    const { pid: shPid, lines } = await run('sh', ['-c', 'sleep 30 & echo $!']);
    const sleepPid = Number(lines[0]);
    expect(sleepPid).toBeGreaterThan(0);
    spawned.push(sleepPid);
    const real = statOf(sleepPid);
    expect(real.ppid).not.toBe(shPid);
    const table = engine.table;
    const sleepKey = procKey(sleepPid, real.startTime);
    const sh = await until('the shell to exit in the model', () => table.all().find((p) => p.pid === shPid && p.exit));
    // The model follows the kernel's reparenting (re-read from /proc asynchronously)...
    const child = await until('the orphan to be reparented', () => {
      const info = table.get(sleepKey);
      return info?.ppid === real.ppid ? info : undefined;
    });
    const newParent = table.live(real.ppid);
    expect(newParent).toBeDefined();
    expect(child.parentKey).toBe(newParent?.key);
    // ...and keeps where it came from.
    expect(child.forkerKey).toBe(sh.key);
    expect(sh.exit?.code).toBe(0);

    // The deltas said both (the fork and the move may fold into one batch's `added`).
    const delivered = await until('the move to be delivered', () => {
      const state: Partial<ProcessInfo> = {};
      for (const batch of batches) {
        for (const p of batch.added) if (p.key === sleepKey) Object.assign(state, p);
        for (const c of batch.changed) if (c.key === sleepKey) Object.assign(state, c);
      }
      return state.parentKey === newParent?.key ? state : undefined;
    });
    expect(delivered).toMatchObject({ ppid: real.ppid, forkerKey: sh.key });

    // A replay of that moment links it the same way (the re-read parent is recorded in order).
    const recording = ring.toRecording();
    ring.close();
    const replayed = recording.stateAt(recording.timeRange.end).find((p) => p.key === sleepKey);
    expect(replayed).toMatchObject({ ppid: real.ppid, parentKey: newParent?.key, forkerKey: sh.key });

    // Once it exits, its tombstone still names both.
    process.kill(sleepPid, 'SIGTERM');
    const tombstone = await until('the child to exit', () => {
      const info = table.get(sleepKey);
      return info?.exit ? info : undefined;
    });
    expect(tombstone).toMatchObject({ forkerKey: sh.key, parentKey: newParent?.key, exit: { signal: 'SIGTERM' } });
  });

  it("a thread's name and its own setuid are not its process's", async () => {
    engine = await createEngine({ source: 'netlink', sampleIntervalMs: 0 });
    // One thread names itself and changes only its own uid (a raw setuid syscall: glibc's
    // setuid() would change every thread), then both wait to be killed.
    const script = [
      'import ctypes, os, threading, time',
      'libc = ctypes.CDLL(None, use_errno=True)',
      'ready = threading.Event()',
      'def worker():',
      '    libc.prctl(15, b"fs-worker-name", 0, 0, 0)',
      '    libc.syscall(105, 65534)',
      '    print(threading.get_native_id(), flush=True)',
      '    ready.set()',
      '    time.sleep(30)',
      'threading.Thread(target=worker, daemon=True).start()',
      'ready.wait()',
      'time.sleep(30)',
    ].join('\n');
    const python = spawn('python3', ['-c', script], { stdio: ['ignore', 'pipe', 'ignore'] });
    const pid = python.pid as number;
    spawned.push(pid);
    const tid = await new Promise<number>((resolve, reject) => {
      python.once('error', reject);
      python.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString('utf8').trim())));
    });
    expect(tid).not.toBe(pid);
    expect(readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim()).toBe('fs-worker-name');
    const key: ProcKey = procKey(pid, statOf(pid).startTime);
    const table = engine.table;
    const names = await until('the thread name', () => {
      const list = table.threadNames(key);
      return list.length > 0 ? list : undefined;
    });
    expect(names).toEqual([{ tid, name: 'fs-worker-name' }]);
    const info = table.get(key);
    expect(info?.comm).toBe('python3');
    expect(info?.uid).toBe(0); // /proc/PID/status shows the main thread's uid
    expect(table.history(key).some((e) => e.kind === 'uid' && e.tid === tid && e.ruid === 65534)).toBe(true);
    const detail = await engine.getDetail(pid, statOf(pid).startTime);
    expect(detail.threadNames).toEqual([{ tid, name: 'fs-worker-name' }]);
    expect(detail.status.ok && detail.status.value.uids[0]).toBe(0);
  });
});
