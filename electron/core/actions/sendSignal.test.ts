import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GuardError } from '../../common/guards';
import type { SignalRequest } from '../../common/signals';
import { ProcessTable } from '../model/ProcessTable';
import { TEST_CLOCK } from '../model/test/fixtures';
import { parseStat } from '../procfs/parseStat';
import { scanProcessesFallback } from '../procfs/scanProcessesFallback';
import { sendSignal } from './sendSignal';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function stat(pid: number) {
  return parseStat(readFileSync(`/proc/${pid}/stat`, 'latin1')).fields;
}

async function tableFromProc(): Promise<ProcessTable> {
  const table = new ProcessTable({ clock: TEST_CLOCK });
  table.load(await scanProcessesFallback());
  return table;
}

describe('sendSignal: refusals', () => {
  const table = new ProcessTable({ clock: TEST_CLOCK });
  const request = (overrides: Partial<SignalRequest>): SignalRequest => ({ pid: 4242, startTime: 1, signal: 'SIGTERM', subtree: false, ...overrides });

  it('refuses pid 1, our own process, and malformed requests with a clear error', () => {
    expect(() => sendSignal(table, request({ pid: 1 }))).toThrow(/pid 1/);
    expect(() => sendSignal(table, request({ pid: process.pid }))).toThrow(/Forkscope itself/);
    expect(() => sendSignal(table, request({ signal: 'SIGHUP' as never }))).toThrow(GuardError);
    expect(() => sendSignal(table, request({ pid: -3 }))).toThrow(/pid must be/);
    expect(() => sendSignal(table, request({ subtree: 'yes' as never }))).toThrow(/subtree/);
  });

  it('never hits a process whose start time does not match (recycled pid)', () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const pid = child.pid as number;
      const result = sendSignal(table, request({ pid, startTime: stat(pid).startTime + 7, signal: 'SIGKILL' }));
      expect(result.outcomes).toHaveLength(1);
      expect(result.outcomes[0]).toMatchObject({ pid, ok: false, error: 'recycled' });
      expect(stat(pid).state).not.toBe('Z');
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('sendSignal: subtrees (real processes)', () => {
  it('stops a tree parent first, resumes it children first, and kills it all', async () => {
    const root = spawn('sh', ['-c', 'sleep 30 & sleep 30 & wait'], { stdio: 'ignore' });
    const rootPid = root.pid as number;
    try {
      await sleep(200);
      const table = await tableFromProc();
      const rootInfo = table.live(rootPid);
      expect(rootInfo).toBeDefined();
      if (!rootInfo) return;
      const kids = table.liveDescendants(rootInfo.key).map((p) => p.pid);
      expect(kids).toHaveLength(2);
      const base = { pid: rootPid, startTime: rootInfo.startTime, subtree: true };

      const stopped = sendSignal(table, { ...base, signal: 'SIGSTOP' });
      expect(stopped.outcomes.map((o) => o.pid)).toEqual([rootPid, ...kids]);
      expect(stopped.outcomes.every((o) => o.ok)).toBe(true);
      await sleep(100);
      for (const pid of [rootPid, ...kids]) expect(stat(pid).state).toBe('T');

      const resumed = sendSignal(table, { ...base, signal: 'SIGCONT' });
      expect(resumed.outcomes.map((o) => o.pid)).toEqual([...kids].reverse().concat(rootPid));
      await sleep(100);
      for (const pid of [rootPid, ...kids]) expect(stat(pid).state).toBe('S');

      const killed = sendSignal(table, { ...base, signal: 'SIGKILL' });
      expect(killed.outcomes.every((o) => o.ok)).toBe(true);
      await new Promise((resolve) => root.once('exit', resolve));
      await sleep(100);
      for (const pid of kids) {
        let state = 'gone';
        try {
          state = stat(pid).state;
        } catch {
          // gone is what we want
        }
        expect(['gone', 'Z']).toContain(state);
      }
    } finally {
      root.kill('SIGKILL');
    }
  });
});
