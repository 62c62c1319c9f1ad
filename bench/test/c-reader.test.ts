// Integration: the C reference reader against a real exec storm on the real kernel.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scoreReader } from '../match';
import { parseNdjsonEvents } from '../readers/ndjson';
import { RunningReader } from '../readers/running';
import { readerBinary } from '../readers/specs';
import { runStorm } from '../storm';

const dir = mkdtempSync(join(tmpdir(), 'forkscope-c-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('C reader', () => {
  it('sees every child of a 50-child exec storm: fork, exec with its marker, exit with its code', async () => {
    // SCHED_FIFO (as root) so that reading argv wins the race against 1 ms children.
    const spec = { id: 'c-reader-rt', label: 'C reader -r', format: 'ndjson' as const, unprivileged: false };
    const reader = new RunningReader(spec, await readerBinary(), ['-r'], dir);
    let manifest;
    try {
      await reader.waitUntilListening(10_000);
      await sleep(200);
      manifest = await runStorm({ mode: 'exec', count: 50, concurrency: 2 });
      await sleep(500);
    } finally {
      await reader.stop();
    }
    const output = parseNdjsonEvents(readFileSync(reader.outputPath, 'utf8'));
    expect(output.malformedLines).toBe(0);
    const score = scoreReader(manifest, output);
    expect(score.forks).toEqual({ seen: 50, expected: 50 });
    expect(score.execs).toEqual({ seen: 50, expected: 50 });
    // argv is read in a race with a 1 ms life (architecture.md §4): the rate is the bench's to measure.
    expect(score.argvCaptured.seen).toBeGreaterThanOrEqual(25);
    expect(score.exitCodesRight).toEqual({ seen: 50, expected: 50 });
    expect(score.lostReported).toBe(0);
    expect(reader.stderrText()).toMatch(/^listening rcvbuf=\d+/);
    expect(reader.stderrText()).toMatch(/"summary":\{"events":\d+,"lost":0/);
  });
});
