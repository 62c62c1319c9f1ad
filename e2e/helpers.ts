/** What a person does in the window, as locators and steps shared by the specs. */
import type { Locator, Page } from '@playwright/test';
import { join } from 'node:path';
import { expect } from './fixtures';
import { REPO_ROOT } from './backend';

export const SCREENSHOT_DIR = join(REPO_ROOT, 'docs', 'screenshots');

export function processList(page: Page): Locator {
  return page.getByRole('treegrid');
}

export function rowOf(page: Page, pid: number): Locator {
  return processList(page).getByRole('row').filter({ has: page.getByRole('gridcell', { name: String(pid), exact: true }) });
}

/** The "Filter" field: an <input type=search>, whose ARIA role is searchbox (not textbox). */
export function filterField(page: Page): Locator {
  return page.getByRole('searchbox', { name: 'Filter' });
}

/** Type into the "Filter" field, as a person narrows the list to what they are looking for. */
export async function filterFor(page: Page, text: string): Promise<void> {
  const field = filterField(page);
  await field.fill(text);
  await expect(field).toHaveValue(text);
}

/** Open a process's detail pane by clicking its row: selecting a process opens its pane. */
export async function openPane(page: Page, pid: number): Promise<Locator> {
  const row = rowOf(page, pid);
  const pane = page.getByRole('region', { name: `Process ${pid}` });
  // A live list can shift between Playwright measuring the row and its click landing (a storm
  // inserts rows above it); a person would click again, and so do we.
  await expect(async () => {
    await expect(row).toBeVisible();
    await row.click();
    await expect(pane).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 30_000 });
  return pane;
}

/** The tree view's canvas (an image to assistive technology, named "Process tree: N processes"). */
export function treeImage(page: Page): Locator {
  return page.getByRole('img', { name: /^Process tree/ });
}

/** Fit the whole (filtered) tree into its pane, as a person does with the "0" key. */
export async function fitTree(page: Page): Promise<void> {
  // The keys go to the canvas's focusable container.
  await treeImage(page).locator('..').focus();
  await page.keyboard.press('0');
}

export interface LossShown {
  lost: number;
  resyncs: number;
}

/**
 * The loss counters as the header shows them to a person: "no events lost" (with "· N resyncs"
 * when resyncs happened without loss) or "⚠ N events lost … resynced from /proc M times".
 */
export async function lossShown(page: Page): Promise<LossShown> {
  const indicator = page.getByTestId('source-indicator');
  const text = await indicator.innerText();
  const lost = /(\d+) events? lost/.exec(text);
  const resyncs = /resynced from \/proc (\d+) times?|(\d+) resyncs?/.exec(text);
  if (!lost && !/no events lost/.test(text)) throw new Error(`source indicator shows no loss count: ${JSON.stringify(text)}`);
  return { lost: lost ? Number(lost[1]) : 0, resyncs: resyncs ? Number(resyncs[1] ?? resyncs[2]) : 0 };
}
