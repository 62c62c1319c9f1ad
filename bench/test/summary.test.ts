import { describe, expect, it } from 'vitest';
import type { ReaderScore } from '../match';
import { parseMeasureOutput } from '../renderer';
import { summarize } from '../summary';
import type { PassResult, ReaderResult } from '../watcher';

const tally = (seen: number, expected: number) => ({ seen, expected });

function score(argvSeen: number): ReaderScore {
  return {
    forks: tally(100, 100),
    execs: tally(100, 100),
    argvCaptured: tally(argvSeen, 100),
    exits: tally(100, 100),
    exitCodesRight: tally(100, 100),
    threads: tally(0, 0),
    lostReported: 0,
    eventsEmitted: 300,
  };
}

function execPass(readers: ReaderResult[]): PassResult {
  return {
    storm: 'exec',
    pass: 'privileged',
    note: 'test',
    generated: { children: 100, execs: 100, threads: 0, failedStarts: 0, stormMs: 1000 },
    drainMs: 250,
    drained: true,
    readers,
  };
}

describe('summarize', () => {
  it('compares forkscope with the same run’s C reader and forkstat -r, and judges each goal', () => {
    const figures = summarize({
      watcher: {
        passes: [
          execPass([
            { id: 'forkscope', label: 'forkscope', user: 'root', score: score(100), cpuPerEventUs: 12 },
            { id: 'c-reader', label: 'C reader', user: 'root', score: score(95), cpuPerEventUs: 10 },
            { id: 'forkstat-rt', label: 'forkstat -r', user: 'root', score: score(99), cpuPerEventUs: 40 },
          ]),
        ],
      },
      latency: null,
      snapshot: null,
      memory: null,
      renderer: null,
    });
    const byWhat = new Map(figures.map((f) => [f.what, f]));
    expect(byWhat.get('forks seen')).toMatchObject({ value: 100, met: true });
    expect(byWhat.get('argv captured (SCHED_FIFO)')).toMatchObject({ value: 100, referenceValue: 99, met: true });
    expect(byWhat.get('CPU per event vs C reader')).toMatchObject({ value: 12, referenceValue: 10, ratio: 1.2, met: true });
    expect(byWhat.get('CPU per event vs forkstat -r')).toMatchObject({ ratio: 0.3, met: true });
  });

  it('judges a mixed storm on forks, threads and argv at once', () => {
    const mixed: PassResult = { ...execPass([]), generated: { children: 100, execs: 100, threads: 50, failedStarts: 0, stormMs: 1000 } };
    mixed.readers = [
      { id: 'forkscope', label: 'forkscope', user: 'root', score: { ...score(99), threads: tally(50, 50) }, cpuPerEventUs: 12 },
      { id: 'forkstat-rt', label: 'forkstat -r', user: 'root', score: score(100), cpuPerEventUs: 40 },
    ];
    const figures = summarize({ watcher: { passes: [mixed] }, latency: null, snapshot: null, memory: null, renderer: null });
    const mine = figures.filter((f) => f.stage === 'watcher mixed (privileged)');
    expect(mine.map((f) => f.what)).toEqual(['forks seen', 'threads seen', 'argv captured (SCHED_FIFO)', 'CPU per event vs C reader', 'CPU per event vs forkstat -r']);
    expect(mine[2]).toMatchObject({ value: 99, referenceValue: 100, met: false });
  });

  it('reports a reference that did not run as not measured, never as met', () => {
    const figures = summarize({
      watcher: {
        passes: [
          execPass([
            { id: 'forkscope', label: 'forkscope', user: 'root', score: score(90), cpuPerEventUs: 50 },
            { id: 'c-reader', label: 'C reader', user: 'root', notRun: 'cc missing' },
          ]),
        ],
      },
      latency: { priority: 'normal', passes: [{ storm: 'fork 10', samples: 10, notAdded: 0, p50Ms: 10, p99Ms: 70, maxMs: 80, events: 20, rssBeforeMb: 50, rssAfterMb: 51, lostEvents: 0 }] },
      snapshot: null,
      memory: null,
      renderer: { notRun: 'no chromium' },
    });
    const vsC = figures.find((f) => f.what === 'CPU per event vs C reader');
    expect(vsC).toMatchObject({ value: 50, referenceValue: null, ratio: null, met: null });
    expect(figures.find((f) => f.what === 'argv captured (SCHED_FIFO)')?.met).toBe(false);
    expect(figures.find((f) => f.what === 'fork → delta p99')).toMatchObject({ value: 70, met: false });
    expect(figures.some((f) => f.stage.startsWith('renderer'))).toBe(false);
  });
});

describe('parseMeasureOutput', () => {
  const line = JSON.stringify([
    { nodes: 20000, eps: 20000, modelSize: 20000, batchesPerSecond: 60, frames: 600, p50Ms: 16.7, p95Ms: 18, p99Ms: 30, maxMs: 40, dropped: 3, droppedPct: 0.5, longFrames: 0, longestLongFrameMs: null },
  ]);

  it('reads the JSON array on the last line, after console.table output', () => {
    const [m] = parseMeasureOutput(`┌─────┐\n│ table │\n└─────┘\n${line}\n`);
    expect(m).toMatchObject({ nodes: 20000, p95Ms: 18, droppedPct: 0.5, longFrames: 0 });
  });

  it('refuses output without measurements', () => {
    expect(() => parseMeasureOutput('vite built\n')).toThrow(/JSON line/);
    expect(() => parseMeasureOutput('[]')).toThrow(/no usable measurement/);
    expect(() => parseMeasureOutput('[{"nodes":5}]')).toThrow(/no usable measurement/);
  });

});

describe('summarize, unprivileged pass', () => {
  it('judges the unprivileged pass by forkscope through the helper, against the root floor where nobody may not listen', () => {
    const pass = {
      ...execPass([
        { id: 'forkscope-helper', label: 'via helper', user: 'nobody', score: score(100), cpuPerEventUs: 14, costVsCReader: 1.4 },
        { id: 'forkscope-nobody', label: 'direct', user: 'nobody', notRun: 'nobody may not listen directly here: netlink: EPERM' },
        { id: 'c-reader-nobody', label: 'C reader as nobody', user: 'nobody', notRun: 'nobody may not listen directly here' },
        { id: 'c-reader', label: 'C reader', user: 'root', score: score(60), cpuPerEventUs: 10 },
        { id: 'forkstat', label: 'forkstat', user: 'root', score: score(58), cpuPerEventUs: 30 },
      ]),
      pass: 'unprivileged' as const,
    };
    const figures = summarize({ watcher: { passes: [pass] }, latency: null, snapshot: null, memory: null, renderer: null });
    const byWhat = new Map(figures.map((f) => [f.what, f]));
    expect(byWhat.get('forks seen as nobody via the helper')).toMatchObject({ value: 100, met: true });
    expect(byWhat.get('argv captured as nobody via the helper (SCHED_FIFO)')).toMatchObject({ value: 100, met: true });
    expect(byWhat.get('CPU per event as nobody via the helper vs C reader')).toMatchObject({ value: 14, referenceValue: 10, ratio: 1.4, met: true });
    // The direct reader did not run: no figure claims anything for it.
    expect(byWhat.has('argv captured as nobody, direct')).toBe(false);
  });
});
