/**
 * The reader thread's NDJSON (WatcherOptions.ndjson) must be byte for byte what JSON.stringify
 * gives for the event decoded from the same row: `forkscope events --json` prints either one
 * depending on where an event came from, and a consumer must never see the difference. Fed with
 * the ugliest input a process can produce: bad UTF-8 of every kind, controls, quotes, a hostile
 * comm, signals with and without names, threads and comm changes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcEvent, RenderedLines } from '../../electron/common/events';
import { startWatcher, type NetlinkWatcher } from '../index';
import { exited, spawnChild, waitFor } from './helpers';

// printf escapes for one argument each: ill-formed UTF-8 of each kind, then the characters
// JSON.stringify escapes or deliberately does not.
const HOSTILE_ARGS = [
  '\\377', // never a UTF-8 byte
  '\\300\\200', // overlong lead
  'a\\340\\200\\200b', // E0 then a byte outside A0..BF
  '\\355\\240\\200', // a surrogate
  '\\364\\220\\200\\200', // beyond U+10FFFF
  'end\\360\\237\\230', // a 4-byte sequence cut short
  '\\303\\251\\360\\237\\230\\200', // é and an emoji, valid
  'q"b\\\\t\\tn\\nc\\001e\\033d\\177', // quote, backslash, tab, newline, controls, DEL
  '\\342\\200\\250\\342\\200\\251', // U+2028 U+2029 (not escaped by JSON.stringify)
];

interface Batch {
  events: ProcEvent[];
  lines: RenderedLines | undefined;
}

describe('netlink watcher: NDJSON rendered on the reader thread', () => {
  let watcher: NetlinkWatcher;
  const batches: Batch[] = [];
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forkscope-ndjson-'));
    watcher = await startWatcher(
      { ndjson: true },
      (events, lines) => batches.push({ events, lines }),
      () => {},
    );
  });
  afterAll(() => {
    watcher.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('renders every event exactly as JSON.stringify does', async () => {
    const hostileComm = 'x "y\\z) \u0001\n\u00e9';
    const link = path.join(dir, hostileComm);
    fs.symlinkSync('/bin/sh', link);
    const args = HOSTILE_ARGS.map((arg) => `"$(printf '${arg}')"`).join(' ');
    const script = `exec sh -c 'sleep 0.3' ${args}`; // a live exec: comm, exe and start time from /proc
    const children = [
      spawnChild('sh', ['-c', script]),
      spawnChild(link, ['-c', 'sleep 0.3; exit 3']),
      spawnChild('sh', ['-c', 'kill -9 $$']),
      spawnChild('sh', ['-c', 'kill -37 $$']), // SIGRTMIN+3: a name built, not looked up
      spawnChild('sh', ['-c', 'sleep 0.2 & sleep 0.2 & wait']),
    ];
    for (const child of children) await exited(child);
    const pids = new Set(children.map((child) => child.pid!));
    const seen = () => batches.flatMap((b) => b.events).filter((e) => pids.has(e.pid) && e.kind === 'exit').length;
    await waitFor(() => seen() === children.length);

    let rendered = 0;
    let lossyExecs = 0;
    const kinds = new Set<string>();
    for (const { events, lines } of batches) {
      expect(lines, 'every batch carries its lines').toBeDefined();
      expect(lines!.lineEnd).toHaveLength(events.length);
      const text = Buffer.from(lines!.bytes.buffer, lines!.bytes.byteOffset, lines!.bytes.byteLength);
      events.forEach((event, i) => {
        const start = i === 0 ? 0 : lines!.lineEnd[i - 1]!;
        const line = text.toString('utf8', start, lines!.lineEnd[i]!);
        if (event.kind === 'lost') {
          expect(line).toBe(''); // left to JS
          return;
        }
        expect(line).toBe(JSON.stringify(event) + '\n');
        rendered++;
        kinds.add(event.kind);
        if (event.kind === 'exec' && event.argvLossy) lossyExecs++;
      });
    }
    expect(rendered).toBeGreaterThan(20);
    expect(lossyExecs).toBeGreaterThanOrEqual(1);
    expect([...kinds]).toEqual(expect.arrayContaining(['fork', 'exec', 'exit']));
    const all = batches.flatMap((b) => b.events);
    const hostileExec = all.find((e) => e.kind === 'exec' && e.pid === children[0]!.pid && e.argv?.[0] === 'sh' && e.argv.length > 3);
    expect(hostileExec?.argv?.slice(3)).toEqual([
      '\uFFFD',
      '\uFFFD\uFFFD',
      'a\uFFFD\uFFFD\uFFFDb',
      '\uFFFD\uFFFD\uFFFD',
      '\uFFFD\uFFFD\uFFFD\uFFFD',
      'end\uFFFD',
      '\u00e9\u{1F600}',
      'q"b\\t\tn\nc\u0001e\u001bd\u007f',
      '\u2028\u2029',
    ]);
    expect(all.find((e) => e.kind === 'exec' && e.pid === children[1]!.pid)?.comm).toBe(hostileComm);
    expect(all.find((e) => e.kind === 'exit' && e.pid === children[2]!.pid)).toMatchObject({ signal: 'SIGKILL', signo: 9 });
    expect(all.find((e) => e.kind === 'exit' && e.pid === children[3]!.pid)).toMatchObject({ signal: 'SIGRTMIN+3', signo: 37 });
  });
});
