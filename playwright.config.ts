/**
 * End-to-end: the same specs against web mode in Debian's Chromium (always) and against the
 * Electron app when its binary is present (skipped, with the reason in the report, otherwise).
 * Specs spawn real process storms, so they run one at a time.
 */
import { defineConfig } from '@playwright/test';
import type { HostOptions } from './e2e/fixtures';
import { findElectronBinary } from './electron/cli/commands/electronBinary';

// Say once, in the run's own output, why the electron project does not run (each skipped spec
// also carries the reason in the report).
if (process.env.TEST_WORKER_INDEX === undefined && !findElectronBinary().found) {
  process.stdout.write('electron project: not run — Electron binary not present on this machine (offline install)\n');
}

export default defineConfig<HostOptions>({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  retries: 0,
  // A focused spec left in by mistake must not turn CI's run into a one-test run.
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  outputDir: 'test-results',
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure', viewport: { width: 1400, height: 900 } },
  projects: [
    {
      name: 'web',
      use: {
        hostKind: 'web',
        browserName: 'chromium',
        launchOptions: {
          // Debian's Chromium: `npx playwright install` cannot download a browser here.
          executablePath: '/usr/bin/chromium',
          headless: true,
          args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
        },
      },
    },
    { name: 'electron', use: { hostKind: 'electron' } },
  ],
});
