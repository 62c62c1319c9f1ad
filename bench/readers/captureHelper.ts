/**
 * The unprivileged pass's setting: the capture helper installed as a user's machine has it
 * (setup-helper's own code: root:forkscope 0750, file capabilities) in a temporary directory,
 * and whether nobody may listen directly here (probed with `forkscope doctor`, never inferred).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HELPER_GROUP, locateBuiltHelper } from '../../native/captureHelper';
import { installHelper, groupId } from '../../electron/core/capture/installHelper';
import { FORKSCOPE_CLI } from '../paths';

export interface BenchHelper {
  path: string;
  gid: number;
  /** Removes the temporary install (the group stays, as setup-helper leaves it). */
  dispose(): void;
}

export function installBenchHelper(): BenchHelper | { notRun: string } {
  if (process.getuid?.() !== 0) return { notRun: 'installing the capture helper needs root' };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forkscope-bench-helper-'));
  try {
    fs.chmodSync(dir, 0o755);
    const installed = installHelper({ source: locateBuiltHelper(), dir, group: HELPER_GROUP, say: () => undefined });
    const gid = groupId(HELPER_GROUP);
    if (gid === undefined) throw new Error(`no group ${HELPER_GROUP} after installing`);
    return { path: installed, gid, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    return { notRun: `capture helper not installed: ${(error as Error).message}` };
  }
}

/** 'ok' when nobody may listen to the proc connector directly, else the measured refusal. */
export function nobodyDirectListen(): string {
  const run = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, FORKSCOPE_CLI, 'doctor', '--json'], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, FORKSCOPE_HELPER: '/nonexistent' },
  });
  try {
    const { facts } = JSON.parse(run.stdout) as { facts: Array<{ name: string; value: string; verdict: string }> };
    const direct = facts.find((fact) => fact.name === 'proc connector, direct');
    if (!direct) return 'doctor reported no direct-listen fact';
    return direct.verdict === 'ok' ? 'ok' : direct.value;
  } catch {
    return `probe failed: ${run.error?.message ?? run.stderr.trim().split('\n').pop()}`;
  }
}
