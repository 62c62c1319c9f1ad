import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStat } from '../procfs/parseStat';
import { readProcessParent } from './readProcessParent';

describe('readProcessParent (real /proc)', () => {
  it('reads the parent of a live process, and refuses a recycled or vanished identity', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const pid = child.pid as number;
      const startTime = parseStat(readFileSync(`/proc/${pid}/stat`, 'latin1')).fields.startTime;
      expect(await readProcessParent({ pid, startTime })).toBe(process.pid);
      expect(await readProcessParent({ pid, startTime: startTime + 1 })).toBeNull();
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((resolve) => child.once('exit', resolve));
    expect(await readProcessParent({ pid: child.pid as number, startTime: 0 })).toBeNull();
  });
});
