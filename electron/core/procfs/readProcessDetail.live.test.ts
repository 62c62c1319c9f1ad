import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Field } from '../../common/detail';
import { readProcessDetail } from './readProcessDetail';
import { killStarted, startProcess, waitForStat } from './test/liveProcesses';
import { parseStat } from './parseStat';
import { readFile } from 'node:fs/promises';

let workDir: string;
beforeAll(async () => {
  workDir = await realpath(await mkdtemp(join(tmpdir(), 'forkscope-detail-')));
});
afterEach(() => killStarted());
afterAll(() => rm(workDir, { recursive: true, force: true }));

function value<T>(field: Field<T>): T {
  if (!field.ok) throw new Error(`expected a readable field, got ${field.reason}: ${field.message}`);
  return field.value;
}

describe('readProcessDetail against the real /proc', () => {
  it('reads argv, cwd, environment and parent of a child we started', async () => {
    const child = startProcess('/usr/bin/perl', ['-e', 'sleep 1000', 'two words', 'café'], { cwd: workDir, env: { FORKSCOPE_LIVE: 'detail test', PATH: '/usr/bin:/bin' } });
    const stat = await waitForStat(child.pid!, (comm) => comm === 'perl');
    const detail = await readProcessDetail(child.pid!, stat.fields.startTime);
    expect(detail.alive).toBe(true);
    expect(value(detail.cmdline)).toEqual(['/usr/bin/perl', '-e', 'sleep 1000', 'two words', 'café']);
    expect(detail.cmdlineNotes).toEqual({ lossy: false, truncated: false });
    expect(value(detail.cwd)).toBe(workDir);
    expect(value(detail.environ)).toEqual([
      { name: 'FORKSCOPE_LIVE', value: 'detail test' },
      { name: 'PATH', value: '/usr/bin:/bin' },
    ]);
    expect(value(detail.exe)).toBe(await realpath('/usr/bin/perl'));
    expect(value(detail.status).ppid).toBe(process.pid);
    expect(value(detail.fds).count).toBeGreaterThanOrEqual(3);
    expect(value(detail.namespaces).map((ns) => ns.type)).toContain('pid');
    expect(value(detail.io).syscr).toBeGreaterThan(0);
  });

  it('shows only "recycled" when the start time does not match', async () => {
    const child = startProcess('/bin/sleep', ['1000']);
    const stat = await waitForStat(child.pid!, (comm) => comm === 'sleep');
    const detail = await readProcessDetail(child.pid!, stat.fields.startTime + 1);
    expect(detail.alive).toBe(false);
    expect([detail.stat, detail.cmdline, detail.environ, detail.cwd, detail.fds].map((field) => (field.ok ? 'ok' : field.reason))).toEqual(
      Array(5).fill('recycled'),
    );
  });

  it('says "zombie" for the empty cmdline of an unreaped child', async () => {
    const parent = startProcess('/usr/bin/perl', ['-e', 'if (fork() == 0) { exit 3 } sleep 1000']);
    await waitForStat(parent.pid!, (comm) => comm === 'perl');
    let zombiePid = 0;
    for (let attempt = 0; attempt < 200 && zombiePid === 0; attempt++) {
      const children = (await readFile(`/proc/${parent.pid}/task/${parent.pid}/children`, 'utf8')).trim();
      if (children !== '') zombiePid = Number(children.split(' ')[0]);
    }
    const stat = await waitForStat(zombiePid, (_comm, state) => state === 'Z');
    const detail = await readProcessDetail(zombiePid, stat.fields.startTime);
    expect(detail.alive).toBe(false);
    expect(detail.cmdline).toMatchObject({ ok: false, reason: 'zombie' });
    expect(detail.exe).toMatchObject({ ok: false, reason: 'zombie' });
    expect(value(detail.stat).state).toBe('Z');
  });

  it('says "kernel-thread" for kthreadd\'s cmdline and exe', async () => {
    const stat = parseStat(await readFile('/proc/2/stat', 'utf8'));
    const detail = await readProcessDetail(2, stat.fields.startTime);
    expect(value(detail.comm)).toBe('kthreadd');
    expect(detail.cmdline).toMatchObject({ ok: false, reason: 'kernel-thread' });
    expect(detail.exe).toMatchObject({ ok: false, reason: 'kernel-thread' });
    expect(detail.environ).toMatchObject({ ok: false, reason: 'kernel-thread' });
  });

  it('caps a huge argv and says it was truncated', async () => {
    const big = 'x'.repeat(100_000);
    // perl ignores extra arguments (sleep would reject them and exit at once).
    const child = startProcess('/usr/bin/perl', ['-e', 'sleep 1000', big, big, big]);
    const stat = await waitForStat(child.pid!, (comm) => comm === 'perl');
    // exec sets comm before it lays out the new argv: wait until the new cmdline is readable.
    while (!(await readFile(`/proc/${child.pid}/cmdline`, 'latin1')).startsWith('/usr/bin/perl')) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const detail = await readProcessDetail(child.pid!, stat.fields.startTime);
    expect(detail.cmdlineNotes).toEqual({ lossy: false, truncated: true });
    const argv = value(detail.cmdline);
    expect(argv.slice(0, 4)).toEqual(['/usr/bin/perl', '-e', 'sleep 1000', big]);
    expect(argv.join('\0').length).toBe(256 * 1024);
  });

  it('reports a process that has exited and been reaped as gone', async () => {
    const child = startProcess('/bin/sleep', ['1000']);
    const stat = await waitForStat(child.pid!, (comm) => comm === 'sleep');
    child.kill('SIGKILL');
    await once(child, 'exit');
    const detail = await readProcessDetail(child.pid!, stat.fields.startTime);
    expect(detail.alive).toBe(false);
    // Either gone (ESRCH) or, if the pid was already reused, recycled: never the newcomer's data.
    expect(['ESRCH', 'recycled']).toContain(detail.cmdline.ok ? 'ok' : detail.cmdline.reason);
  });
});
