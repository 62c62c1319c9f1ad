/**
 * Services and containers, as a person meets them: a process in a (test-made) systemd-like
 * cgroup shows its group in the list, is found by filtering for the group, and its pane names the
 * group and filters by it; a process in a PID namespace shows its own pid, and its pane answers
 * "which process is pid 1 in here".
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hierarchy, makeCgroup, removeCgroups } from '../electron/core/test/cgroups';
import { expect, test } from './fixtures';
import { filterField, filterFor, openPane, rowOf } from './helpers';
import { uniqueMarker } from './processes';

const started: ChildProcess[] = [];

test.afterEach(async () => {
  await Promise.all(
    started.splice(0).map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : (child.once('exit', resolve), child.kill('SIGKILL'))))),
  );
  await removeCgroups();
});

function start(args: string[]): ChildProcess {
  const child = spawn(args[0]!, args.slice(1), { stdio: 'ignore' });
  started.push(child);
  return child;
}

test('a process in a service cgroup: its group in the list, filter by group, the pane names it', async ({ ui: { page } }) => {
  test.skip(!hierarchy('unified'), 'needs root and a mounted cgroup2 hierarchy');
  const marker = uniqueMarker();
  const dir = await makeCgroup(hierarchy('unified')!, `/${marker}.slice/${marker}-web.service`);
  // It enters the cgroup and then execs, as a service manager's child does.
  const child = start(['/bin/sh', '-c', `echo $$ > ${dir}/cgroup.procs && exec sleep 600`]);

  await filterFor(page, `group:${marker}-web`);
  const row = rowOf(page, child.pid!);
  await expect(row).toBeVisible({ timeout: 15_000 });
  await expect(row.getByRole('gridcell').nth(2)).toHaveText(`${marker}-web.service`);

  await filterFor(page, String(child.pid));
  const pane = await openPane(page, child.pid!);
  await expect(pane).toContainText(`service ${marker}-web.service (/${marker}.slice/${marker}-web.service)`);
  await pane.getByRole('button', { name: 'show its processes' }).click();
  await expect(filterField(page)).toHaveValue(`group:/${marker}.slice/${marker}-web.service`);
  await expect(row).toBeVisible();

  // The list by group: the service's header, its process below it.
  await page.getByTestId('by-group-toggle').check();
  const header = page.getByTestId('group-row').filter({ hasText: `${marker}-web.service` });
  await expect(header).toContainText('1 process');
  await expect(row).toBeVisible();
  await header.click(); // folds it
  await expect(row).toHaveCount(0);
});

test('a process in a PID namespace: its own pid beside ours, and pid 1 of its namespace found', async ({ ui: { page } }) => {
  test.skip(process.getuid?.() !== 0, 'unshare --pid needs root');
  const unshare = start(['/usr/bin/unshare', '--pid', '--fork', '--kill-child', '--mount-proc', '/bin/sh', '-c', 'sleep 600 & wait']);
  let inner = 0;
  await expect
    .poll(() => {
      const shell = Number(readFileSync(`/proc/${unshare.pid}/task/${unshare.pid}/children`, 'utf8').trim().split(' ')[0] || 0);
      inner = shell ? Number(readFileSync(`/proc/${shell}/task/${shell}/children`, 'utf8').trim().split(' ')[0] || 0) : 0;
      return inner;
    })
    .toBeGreaterThan(0);
  const shell = Number(readFileSync(`/proc/${inner}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);

  await filterFor(page, String(inner));
  const row = rowOf(page, inner);
  await expect(row).toBeVisible({ timeout: 15_000 });
  await expect(row.getByRole('gridcell').first()).toHaveAttribute('title', `pid 2 in its PID namespace (NSpid ${inner} 2)`, { timeout: 15_000 });

  const pane = await openPane(page, inner);
  await expect(pane).toContainText(`pid 2 in its PID namespace (NSpid ${inner} 2)`);
  await pane.getByRole('textbox', { name: 'pid inside this namespace' }).fill('1');
  await pane.getByRole('button', { name: 'Find' }).click();
  await expect(pane.getByTestId('pid-translation')).toHaveText(`pid 1 in this namespace is pid ${shell} here.`);
});
