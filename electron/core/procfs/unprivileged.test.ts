/**
 * EACCES as a desktop user meets it: the reader runs as uid 65534 (setpriv) against a process of
 * root. Root reads everything, so this cannot be seen from the test process itself.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProcessDetail } from '../../common/detail';
import { killStarted, startProcess, waitForStat } from './test/liveProcesses';

const run = promisify(execFile);
let bundleDir: string;
let script: string;

beforeAll(async () => {
  bundleDir = await mkdtemp(join(tmpdir(), 'forkscope-unprivileged-'));
  await chmod(bundleDir, 0o755);
  script = join(bundleDir, 'readDetail.cjs');
  await build({
    stdin: {
      contents: `import { readProcessDetail } from './readProcessDetail';
        import { createUserNames } from './userNames';
        readProcessDetail(Number(process.argv[2]), Number(process.argv[3]), { users: createUserNames() })
          .then((detail) => process.stdout.write(JSON.stringify(detail)));`,
      resolveDir: __dirname,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: script,
    logLevel: 'silent',
  });
  await chmod(script, 0o644);
});
afterEach(() => killStarted());
afterAll(() => rm(bundleDir, { recursive: true, force: true }));

describe('readProcessDetail as an unprivileged user', () => {
  it('marks root-only fields EACCES with the owner, and still shows the public ones', async () => {
    const child = startProcess('/bin/sleep', ['1000'], { env: { SECRET_OF_ROOT: 'x' } });
    const stat = await waitForStat(child.pid!, (comm) => comm === 'sleep');
    const { stdout } = await run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, script, String(child.pid), String(stat.fields.startTime)]);
    const detail = JSON.parse(stdout) as ProcessDetail;
    expect(detail.environ).toEqual({ ok: false, reason: 'EACCES', message: `permission denied: /proc/${child.pid}/environ belongs to root` });
    for (const field of [detail.exe, detail.cwd, detail.fds, detail.io]) expect(field).toMatchObject({ ok: false, reason: 'EACCES' });
    expect(detail.cmdline).toEqual({ ok: true, value: ['/bin/sleep', '1000'] });
    expect(detail.status.ok && detail.status.value.uids[0]).toBe(0);
    expect(detail.user).toBe('root');
    expect(detail.alive).toBe(true);
  });
});
