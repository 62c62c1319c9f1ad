import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Field } from '../../common/detail';
import { readProcessDetail } from './readProcessDetail';
import { FIXTURE_PASSWD, manifest, materializeFixtureTree } from './test/fixtureTree';
import { createUserNames } from './userNames';

let root: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ root, cleanup } = await materializeFixtureTree());
});
afterAll(() => cleanup());

function value<T>(field: Field<T>): T {
  if (!field.ok) throw new Error(`expected a readable field, got ${field.reason}: ${field.message}`);
  return field.value;
}

function reason(field: { ok: boolean; reason?: string }): string {
  return field.ok ? 'ok' : (field.reason ?? 'missing reason');
}

describe('readProcessDetail on the captured fixture tree', () => {
  it('reads every field of a live process, its odd comm and lossy argv and env', async () => {
    const detail = await readProcessDetail(manifest.weirdComm, 64174, { root, users: createUserNames(FIXTURE_PASSWD) });
    expect(detail.key).toBe(`${manifest.weirdComm}@64174`);
    expect(detail.alive).toBe(true);
    expect(detail.history).toEqual([]);
    expect(value(detail.comm)).toBe('a) (b c\nd)');
    expect(value(detail.cmdline).at(-1)).toBe('\uFFFD\uFFFD');
    expect(detail.cmdlineNotes).toEqual({ lossy: true, truncated: false });
    expect(value(detail.environ)).toContainEqual({ name: 'FORKSCOPE_FIXTURE', value: '1' });
    expect(detail.environNotes).toEqual({ lossy: true, truncated: false });
    expect(value(detail.exe)).toBe('/usr/bin/dash');
    expect(value(detail.cwd)).toBe('/tmp/forkscope-capture.i2fIDQ');
    expect(value(detail.root)).toBe('/');
    expect(value(detail.wchan)).toBe('do_wait');
    expect(value(detail.status).ppid).toBe(18979);
    expect(value(detail.limits)).toHaveLength(16);
    expect(value(detail.namespaces).find((ns) => ns.type === 'pid')).toEqual({ type: 'pid', target: 'pid:[4026531836]', inode: 4026531836 });
    expect(detail.user).toBe('root');
  });

  it('keeps the "(deleted)" suffix of an unlinked executable and lists fds by number', async () => {
    const detail = await readProcessDetail(manifest.deletedExe, 64174, { root });
    expect(value(detail.exe)).toBe('/tmp/forkscope-capture.i2fIDQ/fsleep (deleted)');
    expect(value(detail.fds)).toEqual({
      count: 7,
      truncated: false,
      entries: [
        { fd: 0, target: '/dev/null' },
        { fd: 1, target: '/dev/null' },
        { fd: 2, target: '/dev/null' },
        { fd: 3, target: '/etc/hostname' },
        { fd: 4, target: '/dev/null' },
        { fd: 10, target: '/dev/null' },
        { fd: 251, target: 'pipe:[28500]' },
      ],
    });
    expect(value(detail.smapsRollup).Rss).toBe(1800);
    expect(value(detail.oomScore)).toBe(666);
  });

  it('counts every fd but lists only the first maxFdEntries', async () => {
    const fds = value((await readProcessDetail(manifest.deletedExe, 64174, { root, maxFdEntries: 2 })).fds);
    expect(fds.count).toBe(7);
    expect(fds.truncated).toBe(true);
    expect(fds.entries.map((entry) => entry.fd)).toEqual([0, 1]);
  });

  it('names the zombie as the reason for what a zombie no longer has', async () => {
    const detail = await readProcessDetail(manifest.zombie, 64174, { root });
    expect(detail.alive).toBe(false);
    for (const field of [detail.cmdline, detail.environ, detail.exe, detail.cwd, detail.root, detail.smapsRollup, detail.fds]) {
      expect(reason(field)).toBe('zombie');
    }
    if (!detail.cmdline.ok) expect(detail.cmdline.message).toMatch(/zombie/);
    expect(value(detail.stat).state).toBe('Z');
    expect(value(detail.io).rchar).toBe(0);
    // A zombie has released every namespace but pid and user.
    expect(value(detail.namespaces).map((ns) => ns.type)).toEqual(['pid', 'user']);
  });

  it('names the kernel thread as the reason for cmdline, exe, environ and memory', async () => {
    const detail = await readProcessDetail(manifest.kernelThread, 10, { root });
    expect(detail.alive).toBe(true);
    for (const field of [detail.cmdline, detail.environ, detail.exe, detail.smapsRollup]) expect(reason(field)).toBe('kernel-thread');
    expect(value(detail.comm)).toBe('kthreadd');
    expect(value(detail.cwd)).toBe('/');
  });

  it('shows nothing but "recycled" when the start time is another process\'s', async () => {
    const detail = await readProcessDetail(manifest.weirdComm, 64173, { root });
    expect(detail.alive).toBe(false);
    for (const [name, field] of Object.entries(detail)) {
      if (typeof field === 'object' && field !== null && 'ok' in field) expect({ name, reason: reason(field as { ok: boolean; reason?: string }) }).toEqual({ name, reason: 'recycled' });
    }
    if (!detail.stat.ok) expect(detail.stat.message).toMatch(/started at tick 64174, not 64173/);
  });

  it('marks every field ESRCH for a pid that does not exist', async () => {
    const detail = await readProcessDetail(4_000_000, 1, { root });
    expect(detail.alive).toBe(false);
    expect(reason(detail.status)).toBe('ESRCH');
    expect(reason(detail.cmdline)).toBe('ESRCH');
  });

  it('names the owner by user name', async () => {
    const detail = await readProcessDetail(manifest.otherUser, 64174, { root, users: createUserNames(FIXTURE_PASSWD) });
    expect(detail.user).toBe('nobody');
    expect(value(detail.status).uids[0]).toBe(65534);
  });
});
