import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManifestError, mergeManifests, parseManifest } from '../storm/manifest';
import { parseForkstat } from '../readers/forkstat';
import { parseNdjsonEvents } from '../readers/ndjson';
import { parseNetlinkTable, parseStatTimes } from '../procstat';

const fixture = (name: string): string => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

describe('parseManifest', () => {
  it('reads an exec storm manifest written by storm.c', () => {
    const m = parseManifest(fixture('manifest-exec.tsv'));
    expect(m).toMatchObject({ mode: 'exec', runId: 'fixture', stormPid: 15647, generated: 3, failedStarts: 0 });
    expect(m.children).toEqual([
      { pid: 15648, ppid: 15647, depth: 1, expectedCode: 2, marker: 'forkscope-storm-fixture-0' },
      { pid: 15649, ppid: 15647, depth: 1, expectedCode: 9, marker: 'forkscope-storm-fixture-1' },
      { pid: 15650, ppid: 15647, depth: 1, expectedCode: 16, marker: 'forkscope-storm-fixture-2' },
    ]);
    expect(m.elapsedMs).toBeCloseTo(3.293361, 6);
  });

  it('reads thread records', () => {
    const m = parseManifest(fixture('manifest-threads.tsv'));
    expect(m.mode).toBe('threads');
    expect(m.threads).toEqual([
      { tgid: 15651, tid: 15652 },
      { tgid: 15651, tid: 15653 },
    ]);
    expect(m.children).toEqual([]);
  });

  it('merges storms run at once into one manifest', () => {
    const exec = parseManifest(fixture('manifest-exec.tsv'));
    const threads = parseManifest(fixture('manifest-threads.tsv'));
    const m = mergeManifests([exec, threads]);
    expect(m).toMatchObject({ mode: 'exec', stormPid: 15647, generated: exec.generated + threads.generated });
    expect(m.children).toEqual(exec.children);
    expect(m.threads).toEqual(threads.threads);
    expect(m.elapsedMs).toBe(Math.max(exec.elapsedMs, threads.elapsedMs));
    expect(() => mergeManifests([])).toThrow(RangeError);
  });

  it('refuses a manifest whose storm did not finish, or that it does not understand', () => {
    const unfinished = fixture('manifest-exec.tsv').replace(/^E.*\n/m, '');
    expect(() => parseManifest(unfinished)).toThrow(/no E \(end\) record/);
    expect(() => parseManifest('S\texec\tx\t1\nX\tjunk\nE\t0\t0\t0\n')).toThrow(ManifestError);
    expect(() => parseManifest('S\texec\tx\t1\nC\tabc\t1\t1\t2\t-\nE\t0\t0\t0\n')).toThrow(/pid is not/);
  });
});

describe('parseForkstat (real forkstat 0.03 output)', () => {
  const parsed = parseForkstat(fixture('forkstat-0.03.txt'));
  const forPid = (pid: number) => parsed.events.filter((e) => e.pid === pid || e.tid === pid);

  it('turns parent+child lines into one fork with its parent', () => {
    expect(forPid(15648)[0]).toEqual({ kind: 'fork', pid: 15648, ppid: 15647 });
  });

  it('keeps what exec printed, which for a child gone too soon is only its comm', () => {
    expect(forPid(15648)[1]).toEqual({ kind: 'exec', pid: 15648, argvText: 'sh' });
    expect(parsed.events.find((e) => e.kind === 'exec' && e.argvText?.includes('-i fixture'))).toBeDefined();
  });

  it('decodes raw wait statuses: 512 → code 2, 9 → SIGKILL, 11 → SIGSEGV', () => {
    expect(forPid(15648)[2]).toEqual({ kind: 'exit', pid: 15648, code: 2 });
    expect(forPid(15649)[2]).toEqual({ kind: 'exit', pid: 15649, code: 9 });
    expect(forPid(15654).find((e) => e.kind === 'exit')).toEqual({ kind: 'exit', pid: 15654, signal: 'SIGKILL' });
    expect(forPid(15655).find((e) => e.kind === 'exit')).toEqual({ kind: 'exit', pid: 15655, signal: 'SIGSEGV' });
  });

  it('reports clone/thread lines as thread starts, and a thread it misread as a fork as a fork', () => {
    expect(forPid(15653)[0]).toEqual({ kind: 'thread-start', pid: 15651, tid: 15653 });
    // forkstat lost the race for /proc/15652 and printed "fork 0 parent [swapper]" + "<unknown>".
    expect(forPid(15652)[0]).toEqual({ kind: 'fork', pid: 15652, ppid: 0 });
  });

  it('skips the repeated headers and understands every other line', () => {
    expect(parsed.malformedLines).toBe(0);
    expect(parsed.events.length).toBeGreaterThan(50);
  });
});

describe('parseNdjsonEvents', () => {
  it('keeps scored kinds, counts other kinds and malformed lines', () => {
    const text = [
      '{"kind":"fork","ts":1,"pid":10,"ppid":1}',
      '{"kind":"exec","ts":2,"pid":10,"argv":["sh","-c","exit 3","m-1"]}',
      '{"kind":"exec","ts":2,"pid":11}',
      '{"kind":"exit","ts":3,"pid":10,"code":3}',
      '{"kind":"exit","ts":3,"pid":12,"signal":"SIGKILL","signo":9}',
      '{"kind":"thread-start","ts":3,"pid":12,"tid":13}',
      '{"kind":"comm","ts":4,"pid":10,"comm":"x"}',
      '{"kind":"lost","ts":5,"pid":0,"count":7}',
      '{"kind":"bogus","pid":1}',
      'not json',
      '',
    ].join('\n');
    const parsed = parseNdjsonEvents(text);
    expect(parsed.events).toEqual([
      { kind: 'fork', pid: 10, ppid: 1 },
      { kind: 'exec', pid: 10, argvText: 'sh -c exit 3 m-1' },
      { kind: 'exec', pid: 11, argvText: null },
      { kind: 'exit', pid: 10, code: 3 },
      { kind: 'exit', pid: 12, signal: 'SIGKILL' },
      { kind: 'thread-start', pid: 12, tid: 13 },
      { kind: 'lost', pid: 0, count: 7 },
    ]);
    expect(parsed.otherEvents).toBe(1);
    expect(parsed.malformedLines).toBe(2);
  });
});

describe('/proc parsers', () => {
  it('parses stat times past a comm holding spaces and parentheses', () => {
    expect(parseStatTimes(fixture('stat-odd-comm.txt'))).toEqual({
      pid: 4242,
      ppid: 1,
      ownTicks: 281,
      reapedChildrenTicks: 12,
    });
  });

  it('finds the proc connector socket, its queue and drops in /proc/net/netlink', () => {
    const rows = parseNetlinkTable(fixture('proc-net-netlink.txt'));
    const connector = rows.filter((r) => r.protocol === 11 && (r.groups & 1) !== 0);
    expect(connector).toEqual([{ protocol: 11, groups: 1, rmemBytes: 832, drops: 0, inode: 106719 }]);
    expect(rows.length).toBeGreaterThan(5);
  });
});
