import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseStat } from './parseStat';
import { readStatSample } from './readStatSample';
import { FIXTURE_PROC, manifest } from './test/fixtureTree';

describe('readStatSample', () => {
  it('samples our own process: running, its start time, RSS in KiB', async () => {
    const startTime = parseStat(await readFile('/proc/self/stat', 'utf8')).fields.startTime;
    const sample = await readStatSample(process.pid);
    expect(sample.state).toBe('R');
    expect(sample.startTime).toBe(startTime);
    expect(sample.threads).toBeGreaterThanOrEqual(1);
    expect(sample.rssKb).toBeGreaterThan(1000);
  });

  it('counts CPU ticks that grow while we burn CPU', async () => {
    const before = await readStatSample(process.pid);
    const until = before.cpuTicks + 3;
    let after = before;
    // Spin until the kernel has charged a few ticks (never timed: bounded by the test timeout).
    while (after.cpuTicks < until) {
      for (let i = 0; i < 1e6; i++) Math.sqrt(i);
      after = await readStatSample(process.pid);
    }
    expect(after.cpuTicks).toBeGreaterThanOrEqual(until);
  });

  it('converts pages to KiB from a captured stat', async () => {
    expect(await readStatSample(manifest.deletedExe, FIXTURE_PROC)).toEqual({ cpuTicks: 0, rssKb: 423 * 4, state: 'S', threads: 1, startTime: 64174 });
  });

  it('rejects with ENOENT for a pid that does not exist', async () => {
    await expect(readStatSample(4_000_000)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
