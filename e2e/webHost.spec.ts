/**
 * The web host as a person meets it: several tabs on one URL all live, a wrong token answered
 * with a page that says what is wrong, and a dead backend shown as "disconnected", not as a
 * silently frozen list.
 */
import { expect, test } from './fixtures';
import { filterFor, processList, rowOf } from './helpers';
import { uniqueMarker } from './processes';

test.beforeEach(({ hostKind }) => {
  test.skip(hostKind !== 'web', 'web host only: tabs on one URL, the token page and the WebSocket exist only in web mode');
});

test('two tabs on the same URL both show the live list', async ({ ui: { page, web }, procs }) => {
  const second = await web!.openAnotherPage();
  const marker = uniqueMarker();
  await filterFor(page, `${marker}-long`);
  await filterFor(second, `${marker}-long`);
  // Spawned after both tabs connected: each must learn of it from its own live feed.
  const long = procs.longLived(marker, procs.tempDir(marker));
  await expect(rowOf(page, long.pid)).toBeVisible();
  await expect(rowOf(second, long.pid)).toBeVisible();
  long.child.kill('SIGKILL');
  await long.exited;
  await expect(rowOf(page, long.pid)).toContainText('SIGKILL');
  await expect(rowOf(second, long.pid)).toContainText('SIGKILL');
});

test('a wrong token gets a page that says so, not a blank screen', async ({ ui: { page, web } }) => {
  const wrong = new URL(web!.backend.url);
  wrong.searchParams.set('token', '0'.repeat(32));
  const response = await page.goto(wrong.toString());
  expect(response?.status()).toBe(403);
  await expect(page.getByText('wrong token')).toBeVisible();
  await expect(page.getByText('forkscope web')).toBeVisible();
});

test('the page says "disconnected" when the backend dies', async ({ ui: { page, web } }) => {
  await expect(page.getByTestId('source-indicator')).toBeVisible();
  await expect(page.getByTestId('connection-state')).toHaveCount(0);
  await web!.backend.stop();
  const state = page.getByTestId('connection-state');
  await expect(state).toBeVisible();
  await expect(state).toContainText('Disconnected');
  // The last view stays on screen (frozen, and said to be), not a blank window.
  await expect(processList(page).getByRole('row').first()).toBeVisible();
});
