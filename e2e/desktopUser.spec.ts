/**
 * Forkscope as a desktop user runs it (not root), in web mode: where the kernel refuses that
 * user the proc connector, the header says it polls, never claims that nothing was lost, and
 * offers the one command that enables full capture; with the capture helper installed (by
 * `forkscope setup-helper`, into a temporary directory) and the user in its group, the same
 * user gets the live connector through it, a real-time reader, and a 1 ms child's exit code.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { probeDirectListen } from '../native/test/helpers';
import { startBackend, REPO_ROOT, type Backend } from './backend';
import { expect, test } from './fixtures';
import { filterFor, rowOf } from './helpers';
import { uniqueMarker } from './processes';

const NOBODY = ['--reuid=65534', '--regid=65534'];
const GROUP = `fse2e${process.pid % 100000}`;

test.beforeEach(({ hostKind }) => {
  test.skip(hostKind !== 'web', 'web host only: it starts its own backend as another user');
  test.skip(process.getuid?.() !== 0, 'switching to nobody and installing the helper need root');
});

let backend: Backend | undefined;
test.afterEach(async () => {
  await backend?.stop();
  backend = undefined;
});

test('a user the kernel refuses sees polling named as such, and the command for full capture', async ({ page }) => {
  // Where the kernel lets nobody listen there is no polling to show (cli.test covers that mode).
  test.skip(probeDirectListen() === 'ok', 'this kernel lets nobody listen directly: there is no polling to show');
  backend = await startBackend({ FORKSCOPE_HELPER: '/nonexistent/forkscope-helper' }, [...NOBODY, '--clear-groups']);
  await page.goto(backend.url);
  const indicator = page.getByTestId('source-indicator');
  await expect(indicator).toContainText('polling /proc');
  await expect(indicator).toContainText('short-lived processes are not seen');
  await expect(indicator).not.toContainText('no events lost');
  await page.getByTestId('full-capture-button').click();
  const fix = page.getByTestId('full-capture-fix');
  await expect(fix).toBeVisible();
  await expect(fix.locator('code')).toHaveText(/^sudo .*forkscope\.js setup-helper$/);
});

test.describe('with the capture helper installed', () => {
  let dir: string;
  test.beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forkscope-e2e-helper-'));
    fs.chmodSync(dir, 0o755);
    const install = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'forkscope.js'), 'setup-helper', '--dir', dir, '--group', GROUP], { encoding: 'utf8' });
    expect(install.status, install.stderr).toBe(0);
  });
  test.afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    spawnSync('groupdel', [GROUP]);
  });

  test('the same user, in its group, gets the connector through it and sees a 1 ms child exit', async ({ page, procs }) => {
    const gid = spawnSync('getent', ['group', GROUP], { encoding: 'utf8' }).stdout.split(':')[2];
    backend = await startBackend({ FORKSCOPE_HELPER: path.join(dir, 'forkscope-helper') }, [...NOBODY, `--groups=${gid}`]);
    await page.goto(backend.url);
    const indicator = page.getByTestId('source-indicator');
    await expect(indicator).toContainText('via the capture helper');
    await expect(indicator).toContainText('reader SCHED_FIFO 10 (capture helper)');
    await expect(indicator).toContainText('no events lost');
    await expect(page.getByTestId('full-capture-button')).toHaveCount(0);

    const marker = uniqueMarker();
    await filterFor(page, marker);
    const child = procs.shortLived(marker, 7);
    await child.exited;
    // Polling would never see it; the connector shows it with its exit code.
    await expect(rowOf(page, child.pid)).toContainText('exit 7');
  });
});
