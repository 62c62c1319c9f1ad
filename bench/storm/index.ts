/**
 * Run the C storm generator (bench/storm/storm.c) from TypeScript, for the bench harness and its
 * tests. The binary is compiled on first use and cached in bench/out/.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileC } from '../compile';
import { parseManifest, type StormManifest, type StormMode } from './manifest';

export { mergeManifests, parseManifest, type StormManifest, type StormMode, type StormChild, type StormThread } from './manifest';

export interface StormOptions {
  mode: StormMode;
  /** Children (threads in `threads` mode) to create. Give count, durationSec or both. */
  count?: number;
  /** In flight at once (default 8). */
  concurrency?: number;
  /** At most this many starts per second. */
  ratePerSec?: number;
  /** Stop starting new children after this long. */
  durationSec?: number;
  /** nested: levels below each top child (default 3) and children per node (default 3). */
  depth?: number;
  fanout?: number;
  /** Marker prefix in exec'd argv; default: a fresh unique id. */
  runId?: string;
}

export function stormBinary(): Promise<string> {
  return compileC({ source: 'bench/storm/storm.c', name: 'storm', extraFlags: ['-pthread'] });
}

let runCounter = 0;
/** Unique per process and call, blank-free: it goes into argv markers and file names. */
export function freshRunId(): string {
  runCounter += 1;
  return `${process.pid}x${Date.now().toString(36)}x${runCounter}`;
}

export function stormArgs(options: StormOptions, manifestPath: string, runId: string): string[] {
  const args: string[] = [options.mode, '-o', manifestPath, '-i', runId];
  const numeric: Array<[string, number | undefined]> = [
    ['-n', options.count],
    ['-c', options.concurrency],
    ['-r', options.ratePerSec],
    ['-d', options.durationSec],
    ['-D', options.depth],
    ['-F', options.fanout],
  ];
  for (const [flag, value] of numeric) {
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`storm ${flag} must be a positive number, got ${value}`);
    args.push(flag, String(value));
  }
  if (options.count === undefined && options.durationSec === undefined) {
    throw new RangeError('storm needs a count or a duration');
  }
  return args;
}

function waitForExit(child: ReturnType<typeof spawn>, stderr: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`storm exited with ${signal ?? `code ${code}`}: ${stderr().trim()}`));
    });
  });
}

/** Run a storm to completion and return what it generated. */
export async function runStorm(options: StormOptions): Promise<StormManifest> {
  if (options.mode === 'hold') throw new RangeError('hold storms are started with holdProcesses()');
  const binary = await stormBinary();
  const dir = mkdtempSync(join(tmpdir(), 'forkscope-storm-'));
  try {
    const manifestPath = join(dir, 'manifest.tsv');
    const child = spawn(binary, stormArgs(options, manifestPath, options.runId ?? freshRunId()), {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await waitForExit(child, () => stderr);
    return parseManifest(readFileSync(manifestPath, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface HeldProcesses {
  manifest: StormManifest;
  /** Kill and reap every held child; resolves when the storm has exited. */
  release(): Promise<void>;
}

/** Start `count` children that sleep in pause() until release() (for snapshot benches). */
export async function holdProcesses(count: number): Promise<HeldProcesses> {
  const binary = await stormBinary();
  const dir = mkdtempSync(join(tmpdir(), 'forkscope-hold-'));
  const manifestPath = join(dir, 'manifest.tsv');
  const child = spawn(binary, stormArgs({ mode: 'hold', count }, manifestPath, freshRunId()), {
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = waitForExit(child, () => stderr);
  exited.catch(() => undefined);
  try {
    await new Promise<void>((resolve, reject) => {
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('ready\n')) resolve();
      });
      exited.then(() => reject(new Error(`hold storm exited before it was ready: ${stderr.trim()}`)), reject);
    });
    const manifest = parseManifest(readFileSync(manifestPath, 'utf8'));
    return {
      manifest,
      release: async () => {
        child.stdin?.end();
        await exited;
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
