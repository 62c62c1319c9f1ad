import { describe, expect, it } from 'vitest';
import { costRatio, cpuPerEvent, rate, scoreReader } from '../match';
import type { StormManifest } from '../storm/manifest';
import type { ParsedOutput } from '../readers/observed';

const manifest: StormManifest = {
  mode: 'exec',
  runId: 'r',
  stormPid: 100,
  children: [
    { pid: 101, ppid: 100, depth: 1, expectedCode: 2, marker: 'm-0' },
    { pid: 102, ppid: 100, depth: 1, expectedCode: 9, marker: 'm-1' },
    // pid 101 again: the storm wrapped pid_max and the kernel reused it.
    { pid: 101, ppid: 100, depth: 1, expectedCode: 16, marker: 'm-2' },
  ],
  threads: [{ tgid: 100, tid: 200 }],
  generated: 3,
  elapsedMs: 1,
  failedStarts: 0,
};

const output: ParsedOutput = {
  events: [
    { kind: 'fork', pid: 101, ppid: 100 },
    { kind: 'exec', pid: 101, argvText: 'sh -c exit 2 m-0' },
    { kind: 'exit', pid: 101, code: 2 },
    { kind: 'fork', pid: 102, ppid: 100 },
    { kind: 'exec', pid: 102, argvText: 'sh' }, // argv lost: only comm
    { kind: 'exit', pid: 102, code: 3 }, // wrong code
    { kind: 'fork', pid: 999, ppid: 1 }, // not ours
    { kind: 'thread-start', pid: 100, tid: 200 },
    { kind: 'lost', pid: 0 },
    { kind: 'lost', pid: 0, count: 5 },
  ],
  otherEvents: 4,
  malformedLines: 0,
};

describe('scoreReader', () => {
  const score = scoreReader(manifest, output);

  it('matches by pid as a multiset: a reused pid seen once counts once', () => {
    expect(score.forks).toEqual({ seen: 2, expected: 3 });
    expect(score.execs).toEqual({ seen: 2, expected: 3 });
    expect(score.exits).toEqual({ seen: 2, expected: 3 });
  });

  it('counts argv only when it carries the child’s own marker', () => {
    expect(score.argvCaptured).toEqual({ seen: 1, expected: 3 });
  });

  it('counts exit codes only when they are the code the child exited with', () => {
    expect(score.exitCodesRight).toEqual({ seen: 1, expected: 3 });
  });

  it('tallies threads by tid, loss reports and every emitted event', () => {
    expect(score.threads).toEqual({ seen: 1, expected: 1 });
    expect(score.lostReported).toBe(6);
    expect(score.eventsEmitted).toBe(14);
  });

  it('scores nothing seen as 0%, not as missing', () => {
    const empty = scoreReader(manifest, { events: [], otherEvents: 0, malformedLines: 0 });
    expect(rate(empty.forks)).toBe(0);
    expect(rate(empty.argvCaptured)).toBe(0);
  });
});

describe('rates and costs', () => {
  it('has no rate for an empty expectation and no cost without events', () => {
    expect(rate({ seen: 0, expected: 0 })).toBeNull();
    expect(rate({ seen: 3, expected: 4 })).toBe(0.75);
    expect(cpuPerEvent(1.5, 0)).toBeNull();
    expect(cpuPerEvent(1.5, 3)).toBe(0.5);
    expect(costRatio(3, 2)).toBe(1.5);
    expect(costRatio(3, null)).toBeNull();
    expect(costRatio(3, 0)).toBeNull();
  });
});
