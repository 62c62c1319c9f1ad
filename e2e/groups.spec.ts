/**
 * Services and containers, as a person meets them: a process in a (test-made) systemd-like
 * cgroup shows its group in the list, is found by filtering for the group, and its pane names the
 * group and filters by it; the tree by group puts each process under its group's header; a
 * process in a PID namespace shows its own pid, and its pane answers "which process is pid 1 in
 * here".
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { hierarchy, makeCgroup, removeCgroups } from '../electron/core/test/cgroups';
import { expect, test } from './fixtures';
import { filterField, filterFor, openPane, rowOf, treeImage } from './helpers';
import { uniqueMarker } from './processes';

const started: ChildProcess[] = [];
/**
 * Children of `started` processes, killed first: while their parent lives (a `sleep` that never
 * waits), an exited one stays a zombie, so its pid cannot have been reused.
 */
const grandchildren: number[] = [];

test.afterEach(async () => {
  for (const pid of grandchildren.splice(0)) process.kill(pid, 'SIGKILL');
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

/** A tooltip of the tree and where it was first met, scanning the canvas top to bottom, left to right. */
interface TreeTip {
  title: string;
  x: number;
  y: number;
}

/**
 * What the tree says where the pointer rests, for every spot of the canvas (an 8 × 3 px grid: a
 * node's hit box is a label wide and a row tall, never under 10 px, where labels are drawn): the
 * first line of each tooltip (a node's label), in the order met. The pointer moves are dispatched
 * in the page, as thousands of real mouse moves would take a minute.
 */
async function treeTooltips(page: Page): Promise<TreeTip[]> {
  return treeImage(page).evaluate((canvas) => {
    // The specs compile without the DOM library; the page has PointerEvent.
    const PointerEvent = (globalThis as unknown as { PointerEvent: new (type: string, init?: object) => Event }).PointerEvent;
    const box = canvas.getBoundingClientRect();
    const tips = new Map<string, TreeTip>();
    for (let y = 0; y < box.height; y += 3) {
      for (let x = 0; x < box.width; x += 8) {
        canvas.dispatchEvent(new PointerEvent('pointermove', { clientX: box.left + x, clientY: box.top + y, bubbles: true }));
        const title = canvas.getAttribute('title')?.split('\n')[0] ?? '';
        if (title !== '' && !tips.has(title)) tips.set(title, { title, x, y });
      }
    }
    canvas.dispatchEvent(new PointerEvent('pointerleave'));
    return [...tips.values()];
  });
}

test('the tree by group: each process under its own group’s header, a child that left its parent’s group too', async ({ ui: { page } }) => {
  test.skip(!hierarchy('unified'), 'needs root and a mounted cgroup2 hierarchy');
  const marker = uniqueMarker();
  const api = await makeCgroup(hierarchy('unified')!, `/${marker}.slice/${marker}-api.service`);
  const jobs = await makeCgroup(hierarchy('unified')!, `/${marker}.slice/${marker}-jobs.service`);
  // The service's main process starts a job that moves itself to another unit (as systemd-run does).
  const main = start(['/bin/sh', '-c', `echo $$ > ${api}/cgroup.procs && /bin/sh -c 'echo $$ > ${jobs}/cgroup.procs && exec sleep 600' & exec sleep 600`]);
  let job = 0;
  await expect
    .poll(() => (job = Number(readFileSync(`/proc/${main.pid}/task/${main.pid}/children`, 'utf8').trim().split(' ')[0] || 0)))
    .toBeGreaterThan(0);
  grandchildren.push(job);

  // Both processes found by their slice, each showing its own unit.
  await filterFor(page, `group:${marker}`);
  await expect(rowOf(page, main.pid!).getByRole('gridcell').nth(2)).toHaveText(`${marker}-api.service`, { timeout: 15_000 });
  await expect(rowOf(page, job).getByRole('gridcell').nth(2)).toHaveText(`${marker}-jobs.service`, { timeout: 15_000 });

  // The main process's subtree, by group: two headers, each with its process beside it (the
  // header is the root of its group's rows), the job under its own unit though its parent is not.
  const pane = await openPane(page, main.pid!);
  await pane.getByRole('button', { name: 'Focus subtree' }).click();
  await page.getByTestId('by-group-toggle').check();
  await expect(treeImage(page)).toHaveAttribute('aria-label', new RegExp(`by group, showing the subtree of ${main.pid}$`));
  const expected = [`${marker}-api.service · 1 process`, `${main.pid} sleep`, `${marker}-jobs.service · 1 process`, `${job} sleep`];
  let tips: TreeTip[] = [];
  // Tooltips answer once the layout has settled.
  await expect.poll(async () => (tips = await treeTooltips(page)).map((tip) => tip.title), { timeout: 30_000 }).toEqual(expected);
  const [apiHeader, mainNode, jobsHeader, jobNode] = tips as [TreeTip, TreeTip, TreeTip, TreeTip];
  // Met in reading order: each header, then its process in the next column on the same row.
  for (const [header, node] of [[apiHeader, mainNode], [jobsHeader, jobNode]] as const) {
    expect(node.x).toBeGreaterThan(header.x);
    expect(Math.abs(node.y - header.y)).toBeLessThanOrEqual(3);
  }
  expect(jobsHeader.y).toBeGreaterThan(apiHeader.y);
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
