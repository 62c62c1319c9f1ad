/** The machine a bench ran on, recorded with every result file. */
import { execFileSync } from 'node:child_process';
import { cpus, release, totalmem } from 'node:os';
import { readRmemMax } from './sysctl';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  kernel: string;
  memoryMiB: number;
  node: string;
  npm: string | null;
  forkstat: string | null;
  clkTck: number;
  rmemMaxBytes: number;
  uid: number | null;
}

function commandOutput(command: string, args: string[]): string | null {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 }).trim();
  } catch {
    return null;
  }
}

export function machineInfo(clkTck: number): MachineInfo {
  const forkstatHelp = commandOutput('/usr/bin/forkstat', ['-h']);
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    kernel: release(),
    memoryMiB: Math.round(totalmem() / 2 ** 20),
    node: process.version,
    npm: commandOutput('npm', ['--version']),
    forkstat: forkstatHelp ? (/version ([\w.]+)/.exec(forkstatHelp)?.[1] ?? 'unknown version') : null,
    clkTck,
    rmemMaxBytes: readRmemMax(),
    uid: process.getuid?.() ?? null,
  };
}
