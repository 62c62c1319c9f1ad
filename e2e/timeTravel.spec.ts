/**
 * Time travel as a person uses it: record a storm with `forkscope record`, reopen the file,
 * drag the playhead to a moment, and the list shows exactly the processes alive then; export
 * the recording to Perfetto and the trace holds one slice per recorded process.
 *
 * The recording is served by the web host's programmatic API (`startWebHost({ recording })`),
 * which is what `forkscope web FILE` runs.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Page } from '@playwright/test';
import { openRecording, type Recording } from '../electron/core/recording/Recording';
import type { PerfettoTrace } from '../electron/core/recording/exportPerfetto';
import { startWebHost, type WebHost } from '../electron/web/webHost';
import { REPO_ROOT } from './backend';
import { expect, test } from './fixtures';
import { filterFor } from './helpers';
import { uniqueMarker, type Spawned } from './processes';

test.beforeEach(({ hostKind }) => {
  // This spec drives the web host's API (startWebHost with a recording) whatever the project: run
  // under Electron it would repeat the web run, not test the app's own replay path.
  test.skip(hostKind !== 'web', 'drives the web host directly; the Electron replay path (forkscope FILE, File → Open) is not covered here');
});

/** `forkscope record -o FILE --duration S`, resolved once it is recording, with its end. */
async function startRecorder(path: string, seconds: number): Promise<{ done: Promise<number> }> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'forkscope.js'), 'record', '-o', path, '--duration', String(seconds)], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const done = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stderr! });
    lines.on('line', (line) => {
      if (line.includes('recording to')) resolve();
    });
    void done.then((code) => reject(new Error(`forkscope record exited (${code}) before recording`)));
  });
  return { done };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Pids of the list's rows for live (not exited) processes whose command line holds `tag`. */
async function liveRowPids(page: Page, tag: string): Promise<number[]> {
  const rows = page.locator('[data-testid="process-row"]:not(.exited)').filter({ hasText: tag });
  const pids = await Promise.all((await rows.all()).map(async (row) => Number(await row.getAttribute('data-pid'))));
  return pids.sort((a, b) => a - b);
}

function aliveInRecording(recording: Recording, ts: number, tag: string): number[] {
  return recording
    .stateAt(ts)
    .filter((p) => !p.exit && p.argv?.includes(tag))
    .map((p) => p.pid)
    .sort((a, b) => a - b);
}

test('a recorded storm reopens, scrubs to a moment with exactly its processes, and exports to Perfetto', async ({ browser, procs }) => {
  test.setTimeout(120_000);
  const marker = uniqueMarker();
  const tag = `${marker}-storm`;
  const file = join(procs.tempDir(marker), 'storm.fsrec');

  // Record: a first wave that lives 2 s, then a second wave that outlives the recording.
  const recorder = await startRecorder(file, 7);
  await sleep(500);
  const early = await procs.storm(marker, 6, 2, 3);
  await sleep(800);
  const whileEarlyLived = Date.now();
  await sleep(2500);
  const late: Spawned[] = await procs.storm(marker, 4, 30, 4);
  expect(await recorder.done).toBe(0);

  const recording = openRecording(file);
  const expectedThen = aliveInRecording(recording, whileEarlyLived, tag);
  expect(expectedThen).toEqual(early.map((s) => s.pid).sort((a, b) => a - b));

  // Reopen it in the app.
  let host: WebHost | undefined;
  const context = await browser.newContext({ acceptDownloads: true });
  try {
    host = await startWebHost({ recording: { recording, label: 'storm.fsrec' } });
    const page = await context.newPage();
    await page.goto(host.url);
    await expect(page.getByTestId('timeline-label')).toHaveText('Replay: storm.fsrec');
    await filterFor(page, tag);

    // Drag the playhead to the moment the first wave was alive.
    const strip = page.getByRole('slider', { name: 'Time' });
    const start = Number(await strip.getAttribute('aria-valuemin'));
    const end = Number(await strip.getAttribute('aria-valuemax'));
    const box = (await strip.boundingBox())!;
    const x = box.x + ((whileEarlyLived - start) / (end - start)) * box.width;
    await page.mouse.move(box.x + 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(x, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    // The moment shown is whatever the host sought to: at most a pixel away from the target.
    const pixelMs = (end - start) / box.width;
    await expect
      .poll(async () => Math.abs(Number(await strip.getAttribute('aria-valuenow')) - whileEarlyLived), { message: 'playhead at the moment' })
      .toBeLessThanOrEqual(pixelMs * 2);
    const shownAt = Number(await strip.getAttribute('aria-valuenow'));
    const alive = aliveInRecording(recording, shownAt, tag);
    expect(alive.length).toBeGreaterThan(0);
    await expect.poll(() => liveRowPids(page, tag)).toEqual(alive);

    // Later, the first wave is gone and the second alive: the list follows the playhead.
    await strip.focus();
    await page.keyboard.press('End');
    await expect.poll(async () => Number(await strip.getAttribute('aria-valuenow'))).toBe(end);
    await expect.poll(() => liveRowPids(page, tag)).toEqual(aliveInRecording(recording, end, tag));
    expect(aliveInRecording(recording, end, tag)).toEqual(late.map((s) => s.pid).sort((a, b) => a - b));

    // Export the whole recording to Perfetto: one slice per recorded process.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export Perfetto' }).click();
    const saved = await (await download).path();
    const trace = JSON.parse(readFileSync(saved, 'utf8')) as PerfettoTrace;
    const ours = new Set([...early, ...late].map((s) => s.pid));
    const slices = trace.traceEvents.filter((e) => e.ph === 'X' && ours.has(e.pid));
    expect(slices.map((e) => e.pid).sort((a, b) => a - b)).toEqual([...ours].sort((a, b) => a - b));
    for (const slice of slices) expect(JSON.stringify(slice.args)).toContain(tag);
  } finally {
    await context.close();
    await host?.close();
    rmSync(file, { force: true });
  }
});
