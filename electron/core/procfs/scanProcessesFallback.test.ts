import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { scanProcessesFallback } from './scanProcessesFallback';
import { manifest, materializeFixtureTree } from './test/fixtureTree';
import { killStarted, startProcess, waitForStat } from './test/liveProcesses';

let fixtureRoot: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ root: fixtureRoot, cleanup } = await materializeFixtureTree());
});
afterAll(() => cleanup());
afterEach(() => killStarted());

describe('scanProcessesFallback', () => {
  it('finds our own process with its parent, and a child with its argv', async () => {
    const child = startProcess('/bin/sleep', ['1000']);
    await waitForStat(child.pid!, (comm) => comm === 'sleep');
    const scanned = await scanProcessesFallback();
    const self = scanned.find((entry) => entry.pid === process.pid);
    expect(self).toMatchObject({ ppid: process.ppid, uid: 0, state: 'R', kernelThread: false });
    expect(self?.argv?.[0]).toMatch(/node/);
    expect(self?.rssKb).toBeGreaterThan(1000);
    const sleeper = scanned.find((entry) => entry.pid === child.pid);
    expect(sleeper).toMatchObject({ ppid: process.pid, comm: 'sleep', argv: ['/bin/sleep', '1000'], threads: 1 });
    expect(scanned.find((entry) => entry.pid === 2)).toMatchObject({ comm: 'kthreadd', argv: null, kernelThread: true, ppid: 0 });
  });

  it('reads exact values from the captured tree, zombie and kernel thread included', async () => {
    const scanned = await scanProcessesFallback(fixtureRoot);
    expect(scanned.map((entry) => entry.pid).sort((a, b) => a - b)).toEqual(Object.values(manifest).sort((a, b) => a - b));
    expect(scanned.find((entry) => entry.pid === manifest.weirdComm)).toEqual({
      pid: manifest.weirdComm,
      ppid: 18979,
      startTime: 64174,
      uid: 0,
      comm: 'a) (b c\nd)',
      argv: ['/tmp/forkscope-capture.i2fIDQ/a) (b c\nd)', '-c', 'sleep 1000; exit 0', 'argv0', 'café', '\uFFFD\uFFFD'],
      state: 'S',
      threads: 1,
      rssKb: 348 * 4,
      cpuTicks: 0,
      kernelThread: false,
      // Captured in a sandbox whose memory controller puts each session in its own v1 cgroup.
      group: { kind: 'other', id: '/process_api/03b28e0ed547fa84249b0c0d4a70d9d6', name: 'process_api/03b28e0ed547fa84249b0c0d4a70d9d6' },
    });
    expect(scanned.find((entry) => entry.pid === manifest.nestedPidNs)?.nsPid).toEqual([manifest.nestedPidNs, 1]);
    expect(scanned.find((entry) => entry.pid === manifest.zombie)).toMatchObject({ argv: null, state: 'Z', rssKb: 0 });
    expect(scanned.find((entry) => entry.pid === manifest.otherUser)).toMatchObject({ uid: 65534, comm: 'sleep' });
  });
});
