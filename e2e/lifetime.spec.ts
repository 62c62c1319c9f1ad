/**
 * A person's path through the lifetime view (issue 12 §3), against a real build-like storm: a
 * few hundred real `cc` jobs under `make -j2`. The jobs show under make (folded into one row with
 * a count, as a storm's children are), the longest job is found by eye (longest first) and
 * hovered (duration, argv, exit), and a click on it opens its detail pane.
 *
 * The canvas is an image; the view also lists the rows on screen as text, each with where its
 * bar is drawn — what the spec reads to know where a person would point.
 */
import type { Locator, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { filterFor, openPane, SCREENSHOT_DIR } from './helpers';
import { uniqueMarker } from './processes';

const JOBS = 200;

interface ShownRow {
  kind: string;
  key: string;
  depth: number;
  lifeMs: number;
  x: number;
  y: number;
  text: string;
}

function lifetimePane(page: Page): Locator {
  return page.getByRole('region', { name: 'Process lifetimes' });
}

async function shownRows(page: Page): Promise<ShownRow[]> {
  return page.getByTestId('lifetime-rows').locator('li').evaluateAll((items) =>
    items.map((item) => {
      const data = (item as unknown as { dataset: Record<string, string | undefined> }).dataset;
      return {
        kind: data.kind ?? '',
        key: data.key ?? '',
        depth: Number(data.depth),
        lifeMs: Number(data.lifeMs),
        x: Number(data.x),
        y: Number(data.y),
        text: item.textContent ?? '',
      };
    }),
  );
}

/** Where a row's bar is on the page, from the canvas's box and the row's canvas coordinates. */
async function pointAt(page: Page, row: ShownRow): Promise<{ x: number; y: number }> {
  const box = await page.getByTestId('lifetime-canvas').boundingBox();
  if (!box) throw new Error('lifetime canvas not laid out');
  return { x: box.x + row.x, y: box.y + row.y };
}

test('a build storm under make: found in the lifetime view, the longest job hovered and opened', async ({ ui: { page }, procs }, testInfo) => {
  test.setTimeout(240_000);
  const marker = uniqueMarker();
  // A view that fails to draw reports it on the console (the frame loop catches and logs).
  const consoleErrors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
  await page.getByRole('combobox', { name: 'View' }).selectOption('lifetime-list');
  await expect(lifetimePane(page)).toBeVisible();

  // Select make in the list while it builds (the filter finds it by its argv): the lifetime view,
  // sharing the selection, scrolls to it. Once the build is done, Fit shows make's whole life, and
  // longest first puts the longest job on top.
  await filterFor(page, marker);
  const make = procs.build(marker, JOBS);
  await openPane(page, make.pid);
  expect(await make.exited).toEqual({ code: 0, signal: null });
  // The lifetimes alone, as tall as the window allows (the selection stays shown).
  await page.getByRole('combobox', { name: 'View' }).selectOption('lifetime');
  await lifetimePane(page).getByRole('button', { name: 'Fit' }).click();
  await page.getByTestId('lifetime-order').selectOption('duration');

  // make's row, and beneath it its jobs: folded into one row "N × cc" (plus any job that lived
  // long enough to keep its own row). Every job is accounted for: JOBS in all.
  let makeRow: ShownRow | undefined;
  await expect(async () => {
    expect(consoleErrors).toEqual([]);
    const rows = await shownRows(page);
    makeRow = rows.find((row) => row.kind === 'process' && row.text.startsWith(`${make.pid} make -j2 TAG=${marker}`));
    expect(makeRow).toBeDefined();
    const under = rows.filter((row) => row.depth === makeRow!.depth + 1 && rows.indexOf(row) > rows.indexOf(makeRow!));
    const fold = under.find((row) => row.kind === 'fold' && / × cc/.test(row.text));
    const own = under.filter((row) => row.kind === 'process' && / cc -c job\d+\.c/.test(row.text));
    expect(fold).toBeDefined();
    const folded = Number(/^(\d+) × cc/.exec(fold!.text)?.[1]);
    expect(folded + own.length, `${folded} folded + ${own.length} own rows: ${JSON.stringify(under.map((row) => row.text))}`).toBe(JOBS);
  }).toPass({ timeout: 30_000 });

  // Open the fold with a click on it, as a person does.
  const fold = (await shownRows(page)).find((row) => row.kind === 'fold' && row.depth === makeRow!.depth + 1)!;
  const foldAt = await pointAt(page, fold);
  await page.mouse.click(foldAt.x, foldAt.y);

  // The longest job is the first cc row in the open fold: its life is the fold's longest.
  let longest: ShownRow | undefined;
  await expect(async () => {
    const rows = await shownRows(page);
    const opened = rows.find((row) => row.key === fold.key);
    expect(opened?.text).toContain('(open)');
    longest = rows.find((row, i) => i > rows.indexOf(opened!) && row.kind === 'process' && / cc -c job\d+\.c/.test(row.text));
    expect(longest?.depth).toBe(fold.depth + 1);
    expect(longest!.lifeMs).toBe(opened!.lifeMs);
  }).toPass({ timeout: 15_000 });
  const pid = Number(longest!.text.split(' ')[0]);
  const file = /cc -c (job\d+\.c)/.exec(longest!.text)![1]!;

  // Hover: the tooltip says how long it lived, its argv, and how it ended.
  const at = await pointAt(page, longest!);
  await page.mouse.move(at.x, at.y);
  const tooltip = page.getByTestId('lifetime-tooltip');
  await expect(tooltip).toBeVisible();
  await expect(tooltip).toContainText(`${pid} cc`);
  await expect(tooltip).toContainText(`cc -c ${file} -o ${file.replace(/\.c$/, '.o')}`);
  await expect(tooltip).toContainText(/lived \d/);
  await expect(tooltip).toContainText('exit 0');

  if (testInfo.project.name === 'web') {
    await lifetimePane(page).screenshot({ path: join(SCREENSHOT_DIR, 'lifetime.png') });
    // Export PNG saves the view as drawn (web mode: a download; Electron asks where instead).
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('lifetime-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^forkscope-lifetimes-.*\.png$/);
    const png = readFileSync(await download.path());
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.length).toBeGreaterThan(10_000);
  }

  // A click selects it, which opens its detail pane. Aim again: the rows may have moved since.
  const pane = page.getByRole('region', { name: `Process ${pid}` });
  await expect(async () => {
    const row = (await shownRows(page)).find((shown) => shown.key === longest!.key);
    expect(row).toBeDefined();
    const again = await pointAt(page, row!);
    await page.mouse.click(again.x, again.y);
    await expect(pane).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 30_000 });
  expect(consoleErrors).toEqual([]);
});
