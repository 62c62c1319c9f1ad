import { describe, expect, it } from 'vitest';
import { baseScan, scanned } from '../model/test/fixtures';
import { diffScans, indexLiveScan } from './diffScans';

describe('diffScans', () => {
  it('turns births, execs and deaths between two scans into ordered poll events', () => {
    const before = indexLiveScan([...baseScan(), scanned(300, 200, 70)]);
    const after = indexLiveScan([
      ...baseScan().map((p) => (p.pid === 200 ? { ...p, argv: ['/bin/make', 'all'] } : p)),
      scanned(300, 200, 75, { argv: ['/bin/make', 'all'], comm: 'p200' }), // pid reused; a plain fork of 200
      scanned(301, 300, 76, { argv: ['/bin/cc', 'x.c'], comm: 'cc' }), // forked and exec'd
    ]);
    const events = diffScans(before, after, 5);
    expect(events.map((e) => [e.kind, e.pid, e.startTime])).toEqual([
      ['exit', 300, undefined],
      ['fork', 300, 75],
      ['fork', 301, 76],
      ['exec', 301, 76],
      ['exec', 200, 60],
    ]);
    expect(events.every((e) => e.origin === 'poll' && e.ts === 5)).toBe(true);
    expect(events[3]?.argv).toEqual(['/bin/cc', 'x.c']);
    expect(events[0]?.code).toBeUndefined(); // a poll cannot know how it died
  });

  it('treats a process that became a zombie as exited', () => {
    const before = indexLiveScan([...baseScan(), scanned(300, 200, 70)]);
    const after = indexLiveScan([...baseScan(), scanned(300, 200, 70, { state: 'Z', argv: null })]);
    expect(diffScans(before, after, 1).map((e) => [e.kind, e.pid])).toEqual([['exit', 300]]);
  });
});
