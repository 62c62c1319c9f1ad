/**
 * fsync runs where it protects something: a kept recording is fsynced (in the background, and on
 * close), while the record button's temporary file — read back and deleted at once — never is, so
 * stopping a recording does not block a live host's JS thread on the disk.
 */
import { fsync, fsyncSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProcEvent } from '../../common/events';
import type { SourceStatus } from '../../common/source';
import { FileSink } from './FileSink';
import { startRecording } from './Recorder';
import { openRecording } from './Recording';
import { writeSynthetic, CLOCK, INITIAL, loopEvents, syntheticInfo } from './test/synthetic';
import { TimeMachine, type LiveEngine } from './TimeMachine';

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return { ...fs, fsync: vi.fn(fs.fsync), fsyncSync: vi.fn(fs.fsyncSync) };
});

const dir = mkdtempSync(join(tmpdir(), 'forkscope-sink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  vi.mocked(fsync).mockClear();
  vi.mocked(fsyncSync).mockClear();
});

const status: SourceStatus = { kind: 'netlink', reason: 'test', lostEvents: 0, resyncs: 0 };

/** A live engine that has seen nothing yet: the recorder keyframes its model and waits. */
const quietEngine: LiveEngine = {
  onEvents: () => () => undefined,
  onParentChange: () => () => undefined,
  onPlacementChange: () => () => undefined,
  subscribe: () => ({ ack: () => undefined, requestSnapshot: () => ({ seq: 0, processes: [], source: status }) as never, close: () => undefined }),
  status: () => status,
  table: { all: () => INITIAL },
  getDetail: () => Promise.reject(new Error('not used')),
  signal: () => ({ outcomes: [] }),
};

describe('FileSink', () => {
  it('fsyncs a kept recording in the background and on close', async () => {
    const path = join(dir, 'kept.fsrec');
    const sink = new FileSink(path, syntheticInfo(), { fsyncMs: 0 });
    writeSynthetic(sink, loopEvents(50), { chunkEvents: 20 });
    expect(vi.mocked(fsync)).toHaveBeenCalled();
    sink.close();
    expect(vi.mocked(fsyncSync)).toHaveBeenCalledTimes(1);
    expect(openRecording(path).eventCount).toBe(150);
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the background fsync close the fd
  });

  it('never fsyncs a file written with sync: false, and writes it whole all the same', () => {
    const path = join(dir, 'temp.fsrec');
    const sink = new FileSink(path, syntheticInfo(), { sync: false, fsyncMs: 0 });
    const events: ProcEvent[] = loopEvents(50);
    writeSynthetic(sink, events, { chunkEvents: 20 });
    sink.close();
    expect(vi.mocked(fsync)).not.toHaveBeenCalled();
    expect(vi.mocked(fsyncSync)).not.toHaveBeenCalled();
    expect(readFileSync(path).length).toBe(sink.bytes);
    expect([...openRecording(path).events()]).toEqual(events);
  });
});

describe('recording to a file', () => {
  it('a recording made with the CLI (a kept file) is fsynced on close', () => {
    const recorder = startRecording(quietEngine, { path: join(dir, 'cli.fsrec') }, { clock: CLOCK });
    recorder.close();
    expect(vi.mocked(fsyncSync)).toHaveBeenCalledTimes(1);
  });

  it("the record button's temporary file is never fsynced, and hands back a recording that opens", async () => {
    const machine = new TimeMachine({ live: { engine: quietEngine, clock: CLOCK, ring: false }, tempDir: dir });
    await machine.startRecording();
    const file = await machine.stopRecording();
    machine.close();
    expect(vi.mocked(fsync)).not.toHaveBeenCalled();
    expect(vi.mocked(fsyncSync)).not.toHaveBeenCalled();
    const recording = openRecording(Buffer.from(file.data, 'base64'));
    expect(recording.stateAt(recording.timeRange.end).map((p) => p.key)).toEqual(INITIAL.map((p) => p.key));
  });
});
