/**
 * The specs' fixtures: `ui` is the Forkscope window, either a page of the web host (a real
 * `forkscope web` backend, opened in Debian's Chromium) or the Electron app's first window, and
 * `procs` spawns real processes that are all killed after the test.
 */
import { _electron, expect, test as base, type Page } from '@playwright/test';
import { findElectronBinary } from '../electron/cli/commands/electronBinary';
import { REPO_ROOT, startBackend, type Backend } from './backend';
import { ProcessPool } from './processes';

export interface HostOptions {
  hostKind: 'web' | 'electron';
  /** Environment for the backend (e.g. the watcher's debug knobs for the loss spec). */
  backendEnv: Record<string, string>;
}

export interface Ui {
  page: Page;
  /** Every JavaScript dialog the page tried to open (there must never be one). */
  dialogs: string[];
  /** Web mode only: the backend behind the page, and more windows on it. */
  web?: WebSession;
}

export interface WebSession {
  backend: Backend;
  /** Another tab of the same browser on the same page URL, as a person opens a second window. */
  openAnotherPage(): Promise<Page>;
}

export const ELECTRON_MISSING = 'Electron binary not present on this machine (offline install)';

export const test = base.extend<HostOptions & { ui: Ui; procs: ProcessPool }>({
  hostKind: ['web', { option: true }],
  backendEnv: [{}, { option: true }],

  ui: async ({ hostKind, backendEnv, playwright, launchOptions }, use, testInfo) => {
    const dialogs: string[] = [];
    const watchDialogs = (page: Page): void => {
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
    };

    if (hostKind === 'electron') {
      const electron = findElectronBinary();
      testInfo.skip(!electron.found, ELECTRON_MISSING);
      if (!electron.found) return;
      const app = await _electron.launch({
        executablePath: electron.path,
        args: [REPO_ROOT, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
        env: { ...process.env, ...backendEnv } as Record<string, string>,
      });
      const page = await app.firstWindow();
      watchDialogs(page);
      await use({ page, dialogs });
      await app.close();
      return;
    }

    const backend = await startBackend(backendEnv);
    const browser = await playwright.chromium.launch(launchOptions);
    const context = await browser.newContext({ viewport: testInfo.project.use.viewport ?? { width: 1400, height: 900 } });
    const openPage = async (): Promise<Page> => {
      const page = await context.newPage();
      watchDialogs(page);
      await page.goto(backend.url);
      return page;
    };
    const page = await openPage();
    await use({ page, dialogs, web: { backend, openAnotherPage: openPage } });
    await browser.close();
    await backend.stop();
  },

  // Playwright reads a fixture's dependencies from its first parameter's pattern: none here.
  // eslint-disable-next-line no-empty-pattern
  procs: async ({}, use) => {
    const pool = new ProcessPool();
    await use(pool);
    await pool.dispose();
  },
});

export { expect };
