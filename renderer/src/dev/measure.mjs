// Measures the app's default view, the canvas tree above the process list (bench.tsx), or with
// --view lifetime the lifetime view alone, under a seeded storm in headless Debian Chromium:
//   node renderer/src/dev/measure.mjs [--nodes 5000,20000] [--eps 20000] [--seconds 10] [--warmup 3] [--view both|lifetime]
// Builds bench.html with vite.bench.config.ts, serves it with `vite preview`, and prints frame
// interval p50/p95/p99, dropped frames and long animation frames per tree size.
import { build, preview } from 'vite';
import { chromium } from '@playwright/test';

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
}

const sizes = option('nodes', '5000,20000').split(',').map(Number);
const eps = Number(option('eps', '20000'));
const seconds = Number(option('seconds', '10'));
const warmup = Number(option('warmup', '3'));
const view = option('view', 'both') === 'lifetime' ? 'lifetime' : 'both';
const configFile = new URL('./vite.bench.config.ts', import.meta.url).pathname;

await build({ configFile, logLevel: 'warn' });
const server = await preview({ configFile, preview: { port: 0, host: '127.0.0.1', strictPort: false } });
const url = server.resolvedUrls?.local[0];
if (!url) throw new Error('vite preview did not report a URL');

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const results = [];
try {
  for (const nodes of sizes) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await page.goto(`${url}bench.html?nodes=${nodes}&eps=${eps}&seed=1&view=${view}`);
    await page.waitForFunction(() => globalThis.__forkscopeBench?.ready === true);
    // Refuse to measure a page that shows nothing: the list's rows, or the lifetime view's.
    await page.waitForSelector(view === 'lifetime' ? '[data-testid="lifetime-rows"] li' : '[data-testid="process-row"]', { state: 'attached', timeout: 10_000 });
    await page.waitForTimeout(warmup * 1000);
    await page.evaluate(() => globalThis.__forkscopeBench.startRecording());
    const batchesBefore = await page.evaluate(() => globalThis.__forkscopeBench.batchesApplied());
    await page.waitForTimeout(seconds * 1000);
    const stats = await page.evaluate(() => globalThis.__forkscopeBench.stopRecording());
    const batches = (await page.evaluate(() => globalThis.__forkscopeBench.batchesApplied())) - batchesBefore;
    const modelSize = await page.evaluate(() => globalThis.__forkscopeBench.modelSize());
    if (errors.length > 0) throw new Error(`page errors at ${nodes} nodes:\n${errors.join('\n')}`);
    results.push({ nodes, eps, modelSize, batchesPerSecond: batches / seconds, ...stats });
    await page.close();
  }
} finally {
  await browser.close();
  await new Promise((resolve) => server.httpServer.close(resolve));
}

const round = (v) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v);
console.table(results.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round(v)]))));
console.log(JSON.stringify(results));
