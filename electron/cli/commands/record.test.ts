import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { ProcEvent } from '../../common/events';
import { decodeChunkSummary } from '../../core/recording/codec';
import { encodeRecord, RECORD_HEADER_BYTES, RecordType, scanRecords } from '../../core/recording/format';
import { openRecording } from '../../core/recording/Recording';
import { loopEvents, recordSynthetic } from '../../core/recording/test/synthetic';
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
      // for a 1 ms child on a loaded machine, see architecture.md §4).
      const children = collectChildren([...recording.events()], shellPid);
      expect(children.map((child) => child.execSeen)).toEqual(Array(20).fill(true));
      children.forEach((child, k) => {
        if (child.argv) expect(child.argv[3]).toBe(`${STORM_MARK}-cli-${k}`);
      });
      const storm = [...recording.events()].filter((e) => e.kind === 'exec' && e.argv?.[3]?.startsWith(`${STORM_MARK}-cli-`));

      const ndjson = join(dir, 'out.ndjson');
      expect(await runExportCommand([file, '--format', 'ndjson', '-o', ndjson])).toBe(0);
      const lines = readFileSync(ndjson, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as ProcEvent & { group?: unknown });
      // The events, fork and exec lines with their process's group as `events --json` prints them.
      expect(lines.map(({ group: _group, ...event }) => event)).toEqual([...recording.events()]);
      expect(lines.filter((line) => line.group !== undefined).every((line) => line.kind === 'fork' || line.kind === 'exec')).toBe(true);

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

  it('exports a file with a damaged chunk, its events as lost, and says so', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const events = loopEvents(100);
    const file = recordSynthetic(events, { chunkEvents: 50, keyframeEvents: 1000 });
    // One chunk's body replaced by a list of numbers, its summary and CRC kept valid.
    const victim = scanRecords(file).records.filter((record) => record.type === RecordType.events)[2];
    if (!victim) throw new Error('too few chunks');
    const summary = decodeChunkSummary(victim.payload, victim.offset);
    const hollow = encodeRecord(RecordType.events, Buffer.concat([victim.payload.subarray(0, 32), deflateRawSync(`{"events":[${Array(summary.eventCount).fill(7).join(',')}]}`)]));
    const damaged = join(dir, 'damaged.fsrec');
    writeFileSync(damaged, Buffer.concat([file.subarray(0, victim.offset), hollow, file.subarray(victim.offset + RECORD_HEADER_BYTES + victim.payload.length)]));
    const ndjson = join(dir, 'damaged.ndjson');
    try {
      expect(await runExportCommand([damaged, '--format', 'ndjson', '-o', ndjson])).toBe(0);
      const lines = readFileSync(ndjson, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as ProcEvent);
      expect(lines).toHaveLength(events.length);
      expect(lines.filter((event) => event.kind === 'lost')).toHaveLength(summary.eventCount);
      const said = stderr.mock.calls.map((call) => String(call[0])).join('');
      expect(said).toContain(`corrupt record at byte ${victim.offset}: event 0 must be an object — its ${summary.eventCount} events are replayed as lost`);
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
