import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { ProcEvent } from '../../common/events';
import { openRecording } from '../../core/recording/Recording';
import { collectChildren, runStorm, STORM_MARK } from '../../core/test/storm';
import { UsageError } from '../args';
import { parseExportArgs, runExportCommand } from './export';
import { runRecordCommand } from './record';

const dir = mkdtempSync(join(tmpdir(), 'forkscope-cli-rec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('forkscope record and export', () => {
  it('records a storm for --duration, then exports it as NDJSON and as a Perfetto trace', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const file = join(dir, 'cli.fsrec');
    try {
      const recorded = runRecordCommand(['-o', file, '--duration', '1.5']);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const shellPid = await runStorm(20, 'cli');
      expect(await recorded).toBe(0);
      const summary = stderr.mock.calls.map((call) => String(call[0])).join('');
      expect(summary).toMatch(/forkscope record: \d+ events, \d+ bytes .* \d+ keyframes/);

      const recording = openRecording(file);
      // Every child's exec is in the file; argv wherever the reader caught it (a race it may lose
      // for a 1 ms child on a loaded machine, see DESIGN.md §4).
      const children = collectChildren([...recording.events()], shellPid);
      expect(children.map((child) => child.execSeen)).toEqual(Array(20).fill(true));
      children.forEach((child, k) => {
        if (child.argv) expect(child.argv[3]).toBe(`${STORM_MARK}-cli-${k}`);
      });
      const storm = [...recording.events()].filter((e) => e.kind === 'exec' && e.argv?.[3]?.startsWith(`${STORM_MARK}-cli-`));

      const ndjson = join(dir, 'out.ndjson');
      expect(await runExportCommand([file, '--format', 'ndjson', '-o', ndjson])).toBe(0);
      const lines = readFileSync(ndjson, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as ProcEvent);
      expect(lines).toEqual([...recording.events()]);

      const trace = join(dir, 'out.json');
      expect(await runExportCommand([file, '--format', 'perfetto', '-o', trace])).toBe(0);
      const parsed = JSON.parse(readFileSync(trace, 'utf8')) as { traceEvents: Array<{ ph: string; args?: { argv?: string[] } }> };
      const slices = parsed.traceEvents.filter((e) => e.ph === 'X' && e.args?.argv?.[3]?.startsWith(`${STORM_MARK}-cli-`));
      expect(slices.length).toBe(storm.filter((e) => e.argv).length);
    } finally {
      stderr.mockRestore();
    }
  });

  it('refuses a foreign file with a clear message and exit code 1', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const foreign = join(dir, 'foreign.txt');
    writeFileSync(foreign, 'hello\n');
    try {
      expect(await runExportCommand([foreign, '--format', 'ndjson', '-o', join(dir, 'x')])).toBe(1);
      expect(String(stderr.mock.calls[0]?.[0])).toContain('not a Forkscope recording');
    } finally {
      stderr.mockRestore();
    }
  });

  it.each([
    [[], /needs a recording/],
    [['a.fsrec', '-o', 'x'], /--format must be perfetto or ndjson/],
    [['a.fsrec', '--format', 'ndjson'], /needs an output file/],
    [['a.fsrec', '--format', 'ndjson', '-o', 'x', '--from', '5', '--to', '1'], /--from must not be after --to/],
  ])('export refuses %j', (argv, message) => {
    expect(() => parseExportArgs(argv)).toThrow(UsageError);
    expect(() => parseExportArgs(argv)).toThrow(message);
  });

  it('record refuses to run without -o', async () => {
    await expect(runRecordCommand([])).rejects.toThrow(/needs an output file/);
  });
});
