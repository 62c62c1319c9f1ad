/**
 * The snapshot bench: with ~10k extra sleeping processes staged, how long does forkscope take to
 * read the whole process table (native scanProcesses() in-process, and `forkscope snapshot
 * --json` end to end) compared with `ps -e -o pid,ppid,user,args`? Median of several runs.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ProcessGroup } from '../electron/common/process';
import { scanGroupReader } from '../electron/core/procfs/groupFromCgroup';
import type { ScannedProcess } from '../native/ScannedProcess';
import { FORKSCOPE_CLI, REPO_ROOT } from './paths';
import { oneLineReason } from './readers/running';
import { forkscopeNotBuilt } from './readers/specs';
import { holdProcesses } from './storm';

export interface SnapshotConfig {
  processes: number;
  runs: number;
}

export interface SnapshotMeasurement {
  id: string;
  label: string;
  notRun?: string;
  /** Each run's wall time, ms. */
  runsMs?: number[];
  medianMs?: number;
  /** How many of the held processes the output named, in the last run (must be all of them). */
  heldSeen?: number;
  /** median / ps median. */
  vsPs?: number | null;
}

export interface SnapshotResult {
  heldProcesses: number;
  failedStarts: number;
  measurements: SnapshotMeasurement[];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Pids that appear as a number after `"pid":` (JSON) or at the start of a line (ps). */
export function countHeldPids(output: string, held: ReadonlySet<number>, format: 'json' | 'ps'): number {
  const pattern = format === 'json' ? /"pid"\s*:\s*(\d+)/g : /^\s*(\d+)\s/gm;
  const seen = new Set<number>();
  for (const match of output.matchAll(pattern)) {
    const pid = Number(match[1]);
    if (held.has(pid)) seen.add(pid);
  }
  return seen.size;
}

function runCommand(command: string, args: string[]): Promise<{ ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const start = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const ms = performance.now() - start;
      if (code === 0) resolve({ ms, stdout: Buffer.concat(chunks).toString('utf8') });
      else reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.trim().slice(0, 300)}`));
    });
  });
}

async function measure(
  id: string,
  label: string,
  runs: number,
  once: () => Promise<{ ms: number; heldSeen: number }>,
): Promise<SnapshotMeasurement> {
  const runsMs: number[] = [];
  let heldSeen = 0;
  try {
    for (let i = 0; i < runs; i += 1) {
      const result = await once();
      runsMs.push(result.ms);
      heldSeen = result.heldSeen;
    }
  } catch (error) {
    return { id, label, notRun: oneLineReason((error as Error).message) };
  }
  return { id, label, runsMs, medianMs: median(runsMs), heldSeen };
}

/** The part of native/index.ts this bench uses (loaded at run time, see loadNativeScanner). */
interface NativeScanner {
  scanProcesses(groupOf: (cgroupText: string) => ProcessGroup | undefined): Promise<ScannedProcess[]>;
}

function loadNativeScanner(): NativeScanner | string {
  const entry = join(REPO_ROOT, 'dist', 'native', 'index.js');
  if (!existsSync(entry)) return `${entry} missing: run npm run build`;
  try {
    // Loaded at run time, not imported: the bench must still build and report while native/ is absent.
    const loaded = createRequire(__filename)(entry) as Partial<NativeScanner>;
    if (typeof loaded.scanProcesses !== 'function') return 'native/index.ts exports no scanProcesses()';
    return loaded as NativeScanner;
  } catch (error) {
    return `native addon failed to load: ${(error as Error).message}`;
  }
}

export async function runSnapshotBench(config: SnapshotConfig): Promise<SnapshotResult> {
  const held = await holdProcesses(config.processes);
  const heldPids = new Set(held.manifest.children.map((c) => c.pid));
  const measurements: SnapshotMeasurement[] = [];
  try {
    measurements.push(
      await measure('ps', 'ps -e -o pid,ppid,user,args', config.runs, async () => {
        const { ms, stdout } = await runCommand('ps', ['-e', '-o', 'pid,ppid,user,args']);
        return { ms, heldSeen: countHeldPids(stdout, heldPids, 'ps') };
      }),
    );
    const scanner = loadNativeScanner();
    measurements.push(
      typeof scanner === 'string'
        ? { id: 'scanProcesses', label: 'native scanProcesses() in-process', notRun: scanner }
        : await measure('scanProcesses', 'native scanProcesses() in-process', config.runs, async () => {
            const start = performance.now();
            const processes = await scanner.scanProcesses(scanGroupReader());
            const ms = performance.now() - start;
            return { ms, heldSeen: processes.filter((p) => heldPids.has(p.pid)).length };
          }),
    );
    const cliMissing = forkscopeNotBuilt();
    measurements.push(
      cliMissing !== null
        ? { id: 'forkscope-snapshot', label: 'forkscope snapshot --json', notRun: cliMissing }
        : await measure('forkscope-snapshot', 'forkscope snapshot --json (end to end)', config.runs, async () => {
            const { ms, stdout } = await runCommand(process.execPath, [FORKSCOPE_CLI, 'snapshot', '--json']);
            return { ms, heldSeen: countHeldPids(stdout, heldPids, 'json') };
          }),
    );
  } finally {
    await held.release();
  }
  const psMedian = measurements.find((m) => m.id === 'ps')?.medianMs;
  for (const m of measurements) {
    if (m.medianMs !== undefined) m.vsPs = psMedian ? m.medianMs / psMedian : null;
  }
  return { heldProcesses: heldPids.size, failedStarts: held.manifest.failedStarts, measurements };
}
