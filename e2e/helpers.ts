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

/** Type into the "Filter" field, as a person narrows the list to what they are looking for. */
export async function filterFor(page: Page, text: string): Promise<void> {
  const field = page.getByRole('textbox', { name: 'Filter' });
  await field.fill(text);
  await expect(field).toHaveValue(text);
}

/** Open a process's detail pane from its row, and return the pane. */
export async function openPane(page: Page, pid: number): Promise<Locator> {
  const row = rowOf(page, pid);
  await expect(row).toBeVisible();
  await row.click();
  const pane = page.getByRole('region', { name: `Process ${pid}` });
  if (!(await pane.isVisible())) await row.dblclick();
  await expect(pane).toBeVisible();
  return pane;
}
