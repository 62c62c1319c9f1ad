/** scanProcesses, pidfdSignal and clockInfo against the real /proc. */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ProcessGroup } from '../../electron/common/process';
import { clockInfo, pidfdSignal, scanProcesses } from '../index';
import { exited, readStat, spawnChild } from './helpers';

/** Names each cgroup file by its text, so a test sees what the scanner handed its group reader. */
const textAsGroup = (text: string): ProcessGroup => ({ kind: 'other', id: text, name: text });

describe('scanProcesses', () => {
  it('finds this process with its ppid, start time, uid, argv and cgroup', async () => {
    const processes = await scanProcesses(textAsGroup);
    const self = processes.find((p) => p.pid === process.pid);
    const stat = readStat('self');
    const cmdline = fs.readFileSync('/proc/self/cmdline', 'utf8').replace(/\0$/, '').split('\0');
    expect(self).toMatchObject({ ppid: process.ppid, startTime: stat.startTime, uid: process.getuid!(), argv: cmdline, kernelThread: false });
    expect(self!.threads).toBeGreaterThan(1);
    expect(self!.rssKb).toBeGreaterThan(1000);
    expect(self!.state).toMatch(/^[RS]$/);
    expect(self!.group?.id).toBe(fs.readFileSync('/proc/self/cgroup', 'utf8'));
    expect(processes.find((p) => p.pid === 1)).toBeDefined();
  });

  it('scans in parallel slices without losing, doubling or misordering a process (1200 extra)', async () => {
    // Enough processes for several slices (512 pids at least each), every one with its own argv
    // (sleep sums its arguments: "0.N" is a valid, distinct one).
    const holder = spawn('sh', ['-c', 'for i in $(seq 1200); do sleep 30 "0.$i" & done; echo ready; wait'], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
    try {
      await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
      const sleepers = () => fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).length;
      expect(sleepers()).toBeGreaterThan(1200);
      const scanned = await scanProcesses(textAsGroup);
      const pids = scanned.map((p) => p.pid);
      expect(new Set(pids).size).toBe(pids.length); // no process twice
      const mine = scanned.filter((p) => p.ppid === holder.pid);
      expect(mine).toHaveLength(1200);
      // Each slice's strings were rebased correctly: every argv and comm is its own process's.
      for (const p of mine) {
        expect(p.comm).toBe('sleep');
        expect(p.argv).toEqual(['sleep', '30', expect.stringMatching(/^0\.\d+$/)]);
        expect(p.startTime).toBe(readStat(p.pid).startTime);
      }
      expect(new Set(mine.map((p) => p.argv![2])).size).toBe(1200);
    } finally {
      process.kill(-holder.pid!, 'SIGKILL');
    }
  }, 30_000);

  it('flags kernel threads and gives them no argv', async () => {
    const kernelThreads = (await scanProcesses(textAsGroup)).filter((p) => p.kernelThread);
    expect(kernelThreads.length).toBeGreaterThan(0);
    for (const k of kernelThreads) expect(k.argv).toBeNull();
    const sample = kernelThreads[0]!;
    expect(readStat(sample.pid).flags & 0x00200000).not.toBe(0);
  });
});

describe('pidfdSignal', () => {
  it('refuses a wrong start time, signals the right one, and reports ESRCH once reaped', async () => {
    const child = spawnChild('sleep', ['30']);
    const pid = child.pid!;
    const { startTime } = readStat(pid);
    expect(pidfdSignal(pid, startTime + 1, 9)).toMatchObject({ ok: false, error: 'recycled' });
    expect(pidfdSignal(pid, startTime, 9)).toEqual({ ok: true });
    expect((await exited(child)).signal).toBe('SIGKILL');
    expect(pidfdSignal(pid, startTime, 9)).toMatchObject({ ok: false, error: 'ESRCH' });
  });

  it('rejects arguments that are not integers in range', () => {
    expect(() => pidfdSignal(0, 1, 9)).toThrow(RangeError);
    expect(() => pidfdSignal(1.5, 1, 9)).toThrow(RangeError);
    expect(() => pidfdSignal(1, 1, 65)).toThrow(RangeError);
    expect(() => pidfdSignal('1' as unknown as number, 1, 9)).toThrow(TypeError);
  });
});

describe('clockInfo', () => {
  it('converts start times to wall-clock times', () => {
    const { clkTck, bootEpochMs } = clockInfo();
    expect(clkTck).toBeGreaterThan(0);
    const startedAt = bootEpochMs + (readStat('self').startTime * 1000) / clkTck;
    // This process started recently, and not in the future.
    expect(startedAt).toBeLessThanOrEqual(Date.now());
    expect(Date.now() - startedAt).toBeLessThan(10 * 60_000);
  });
});
