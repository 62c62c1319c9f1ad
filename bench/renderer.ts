/**
 * The renderer bench: runs the renderer's own measurement (renderer/src/dev/measure.mjs:
 * Playwright drives the canvas tree in headless Debian Chromium under a seeded stream) and
 * collects its figures per tree size. It prints one JSON array as its last stdout line. The
 * lifetime bench is the same measurement of the lifetime view alone (`view: 'lifetime'`).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './paths';
import { lastLines } from './readers/running';

export interface RendererConfig {
  nodes: number[];
  eventsPerSecond: number;
  seconds: number;
  /** What the page shows: the app's default tree + list, or the lifetime view alone. */
  view?: 'both' | 'lifetime';
}

/** One tree size, as measure.mjs reports it (FrameStats plus the run's parameters). */
export interface RendererMeasurement {
  nodes: number;
  eps: number;
  modelSize: number;
  batchesPerSecond: number;
  frames: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  dropped: number;
  droppedPct: number;
  longFrames: number | null;
  longestLongFrameMs: number | null;
}

export type RendererResult = { notRun: string } | { measurements: RendererMeasurement[] };

const MEASURE_SCRIPT = join(REPO_ROOT, 'renderer', 'src', 'dev', 'measure.mjs');
const CHROMIUM = '/usr/bin/chromium';

function isMeasurement(value: unknown): value is RendererMeasurement {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return ['nodes', 'p50Ms', 'p95Ms', 'droppedPct', 'frames'].every((key) => typeof record[key] === 'number');
}

/** The JSON array on measure.mjs's last non-empty stdout line. */
export function parseMeasureOutput(stdout: string): RendererMeasurement[] {
  const last = stdout.trim().split('\n').pop() ?? '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(last);
  } catch {
    throw new Error(`measure.mjs did not end with a JSON line: ${JSON.stringify(last.slice(0, 120))}`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every(isMeasurement)) {
    throw new Error(`measure.mjs reported no usable measurement: ${last.slice(0, 120)}`);
  }
  return parsed;
}

export async function runRendererBench(config: RendererConfig): Promise<RendererResult> {
  if (!existsSync(MEASURE_SCRIPT)) return { notRun: `${MEASURE_SCRIPT} missing` };
  if (!existsSync(CHROMIUM)) return { notRun: `${CHROMIUM} not installed (apt-get install chromium)` };
  const args = [
    MEASURE_SCRIPT,
    '--nodes',
    config.nodes.join(','),
    '--eps',
    String(config.eventsPerSecond),
    '--seconds',
    String(config.seconds),
    '--view',
    config.view ?? 'both',
  ];
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('close', (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
  });
  if (code !== 0) return { notRun: `measure.mjs exited with code ${code}: ${lastLines(stderr, 3)}` };
  try {
    return { measurements: parseMeasureOutput(stdout) };
  } catch (error) {
    return { notRun: (error as Error).message };
  }
}
