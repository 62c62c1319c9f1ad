/**
 * A person's path through Forkscope, against real processes: a storm appears and fades, search
 * finds a process by its argv, its pane shows its real argv/cwd/user, it can be killed from the
 * UI, hostile names stay text, and the loss indicator appears when the kernel drops events.
 */
import { readlinkSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { filterFor, fitTree, lossShown, openPane, processList, rowOf, SCREENSHOT_DIR, treeImage } from './helpers';
import { uniqueMarker } from './processes';

test('a storm of short-lived processes appears in the list, then fades away', async ({ ui: { page }, procs }, testInfo) => {
  const marker = uniqueMarker();
  await expect(processList(page)).toBeVisible();
  await filterFor(page, marker);
  const storm = await procs.storm(marker, 24, 4);
  const rows = processList(page).getByRole('row').filter({ hasText: marker });
  await expect(rows.first()).toBeVisible();
  await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(8);
  const anyPid = storm[0]!.pid;
  await expect(rowOf(page, anyPid)).toContainText(`${marker}-storm`);
  if (testInfo.project.name === 'web') {
    // The storm in the tree: the filter keeps the matches and their ancestors; fit them in view.
    await fitTree(page);
    await treeImage(page).screenshot({ path: join(SCREENSHOT_DIR, 'tree.png') });
  }
  await Promise.all(storm.map((child) => child.exited));
  // Exited rows stay as fading tombstones for a while, then go.
  await expect(rows).toHaveCount(0, { timeout: 60_000 });
});

test('search finds a process by its argv; its pane shows its real argv, cwd and user', async ({ ui: { page }, procs }, testInfo) => {
  const marker = uniqueMarker();
  const cwd = procs.tempDir(marker);
  const long = procs.longLived(marker, cwd);
  await filterFor(page, `${marker}-long`);
  const row = rowOf(page, long.pid);
  await expect(row).toBeVisible();
  await expect(row).toContainText(`${marker}-long`);
  await expect(processList(page).getByRole('row').filter({ hasText: marker })).toHaveCount(1);

  const pane = await openPane(page, long.pid);
  await expect(pane).toContainText(`${marker}-long`);
  await expect(pane).toContainText('setInterval(() => {}, 1000)');
  await expect(pane).toContainText(readlinkSync(`/proc/${long.pid}/cwd`));
  await expect(pane).toContainText(userInfo().username);

  if (testInfo.project.name === 'web') {
    // The window as the person sees it now: the tree framed, readable, on the selected match.
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'window.png') });
    await pane.screenshot({ path: join(SCREENSHOT_DIR, 'detail.png') });
    // The list unfiltered: the selected row keeps its place among everything else.
    await filterFor(page, '');
    await expect(processList(page).getByRole('row').nth(1)).toBeVisible();
    // Clearing the filter keeps the selected process in view (it does not jump away).
    await expect(rowOf(page, long.pid)).toBeInViewport();
    await page.getByRole('region', { name: 'Process list' }).screenshot({ path: join(SCREENSHOT_DIR, 'list.png') });
  }
});

test('an orphan is listed under its real parent, and says which process forked it', async ({ ui: { page }, procs }) => {
  const marker = uniqueMarker();
  const forker = procs.orphaning(marker);
  expect(await forker.exited).toEqual({ code: 0, signal: null });
  await filterFor(page, `${marker}-orphan`);
  const row = processList(page).getByRole('row').filter({ hasText: `${marker}-orphan` });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(`forked by ${forker.pid}`);
  const pid = Number(await row.getAttribute('data-pid'));
  const pane = await openPane(page, pid);
  await expect(pane).toContainText(new RegExp(`Forked by\\s*${forker.pid} `));
});

test('a process killed from the UI with SIGTERM exits by SIGTERM, and its pane says so', async ({ ui: { page }, procs }) => {
  const marker = uniqueMarker();
  const long = procs.longLived(marker, procs.tempDir(marker));
  await filterFor(page, `${marker}-long`);
  const pane = await openPane(page, long.pid);

  await pane.getByRole('button', { name: 'Signal…' }).click();
  const dialog = page.getByRole('dialog', { name: `Signal process ${long.pid}` });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('radio', { name: /^SIGTERM/ }).check();
  await dialog.getByRole('button', { name: 'Send SIGTERM' }).click();
  await expect(dialog.getByRole('status')).toContainText('SIGTERM delivered to 1 of 1 process');

  expect(await long.exited).toEqual({ code: null, signal: 'SIGTERM' });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(pane).toContainText('How it ended');
  await expect(pane).toContainText('SIGTERM');

  // The host forgets the tombstone after its TTL and the list drops the row; the pane a person
  // keeps open still says how its process ended.
  await expect(rowOf(page, long.pid)).toHaveCount(0, { timeout: 30_000 });
  await expect(pane).toContainText('How it ended');
  await expect(pane).toContainText('Outcome');
  await expect(pane).toContainText('SIGTERM');
});

test('markup and control characters in a process name render as text', async ({ ui: { page, dialogs }, procs }) => {
  const marker = uniqueMarker();
  const hostile = procs.hostile(marker);
  await filterFor(page, marker);
  const row = rowOf(page, hostile.pid);
  await expect(row).toBeVisible();
  // comm is the first 15 bytes of the link's name (HOSTILE_NAME): "<i>\n<img src=x ".
  await expect(row).toContainText('<i>');
  const pane = await openPane(page, hostile.pid);
  await expect(pane).toContainText('<img src=x onerror=alert(1)>');
  // Nothing was parsed as markup: no <img> from the name, no <i> in its row or pane, no alert.
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await expect(row.locator('i')).toHaveCount(0);
  await expect(pane.locator('i')).toHaveCount(0);
  expect(dialogs).toEqual([]);
});

test.describe('when the kernel drops events', () => {
  // A 4 KiB socket buffer (a handful of events) and a reader that sleeps after every batch.
  test.use({ backendEnv: { FORKSCOPE_RCVBUF: '4096', FORKSCOPE_DEBUG_STALL_US: '20000' } });

  test('the loss indicator appears and the list resyncs', async ({ ui: { page }, procs }) => {
    const marker = uniqueMarker();
    // On a busy machine the tiny buffer may already have overflowed before the burst: what the
    // burst must cause is *more* loss, reported to the person, and more resyncs.
    await expect(page.getByTestId('source-indicator')).toBeVisible();
    const before = await lossShown(page);
    const burst = procs.burst(marker, 3000);
    await expect(page.getByTestId('loss-indicator')).toBeVisible({ timeout: 30_000 });
    await expect.poll(async () => (await lossShown(page)).lost, { timeout: 30_000 }).toBeGreaterThan(before.lost);
    await expect.poll(async () => (await lossShown(page)).resyncs, { timeout: 30_000 }).toBeGreaterThan(before.resyncs);
    expect(await burst.exited).toEqual({ code: 0, signal: null });
    // After the resync a process that is alive now is in the list again.
    const survivor = procs.longLived(marker, procs.tempDir(marker));
    await filterFor(page, `${marker}-long`);
    await expect(rowOf(page, survivor.pid)).toBeVisible();
  });
});
