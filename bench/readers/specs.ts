/**
 * The readers the watcher bench races against each other, and how to start each. A reader that
 * cannot run here (not built, not installed, not root) says why instead of failing the bench.
 */
import { existsSync } from 'node:fs';
import { compileC } from '../compile';
import { FORKSCOPE_CLI, FORKSCOPE_CLI_ENTRY } from '../paths';

export type OutputFormat = 'ndjson' | 'forkstat';

export interface ReaderSpec {
  id: string;
  label: string;
  format: OutputFormat;
  /** Runs as nobody (uid 65534) through setpriv. */
  unprivileged: boolean;
  /** Runs as nobody in the helper's group, through the capture helper. */
  viaHelper?: boolean;
}

/** What the unprivileged pass found on this machine (see captureHelper.ts). */
export interface UnprivilegedSetting {
  helper: { path: string; gid: number } | { notRun: string };
  /** 'ok', or why nobody may not listen directly. */
  directListen: string;
}

export type ReaderCommand = { command: string; args: string[] } | { notRun: string };

const FORKSTAT = '/usr/bin/forkstat';
const SETPRIV = '/usr/bin/setpriv';
/** Everything the scored storms produce; clone reports thread creation. */
const FORKSTAT_EVENTS = ['-e', 'fork,exec,exit,clone'];

export const PRIVILEGED_READERS: readonly ReaderSpec[] = [
  { id: 'forkscope', label: 'forkscope events --json', format: 'ndjson', unprivileged: false },
  { id: 'c-reader', label: 'C reader', format: 'ndjson', unprivileged: false },
  { id: 'c-reader-rt', label: 'C reader -r (SCHED_FIFO)', format: 'ndjson', unprivileged: false },
  { id: 'forkstat-rt', label: 'forkstat -r', format: 'forkstat', unprivileged: false },
  { id: 'forkstat', label: 'forkstat', format: 'forkstat', unprivileged: false },
];

export const UNPRIVILEGED_READERS: readonly ReaderSpec[] = [
  { id: 'forkscope-helper', label: 'forkscope as nobody, via the capture helper', format: 'ndjson', unprivileged: true, viaHelper: true },
  { id: 'forkscope-nobody', label: 'forkscope as nobody, direct netlink', format: 'ndjson', unprivileged: true },
  { id: 'c-reader-nobody', label: 'C reader as nobody', format: 'ndjson', unprivileged: true },
  // The CPU floor where nobody may not listen: the same job, normal priority, as root.
  { id: 'c-reader', label: 'C reader (root, normal priority)', format: 'ndjson', unprivileged: false },
  { id: 'forkstat', label: 'forkstat (root, normal priority)', format: 'forkstat', unprivileged: false },
];

export function readerBinary(): Promise<string> {
  return compileC({ source: 'bench/c-reader/reader.c', name: 'reader' });
}

/** Why the forkscope CLI cannot run yet, or null when it is built. */
export function forkscopeNotBuilt(): string | null {
  return existsSync(FORKSCOPE_CLI_ENTRY) ? null : `forkscope CLI not built (${FORKSCOPE_CLI_ENTRY} missing): run npm run build`;
}

async function baseCommand(spec: ReaderSpec): Promise<ReaderCommand> {
  switch (spec.id) {
    case 'forkscope':
    case 'forkscope-helper':
    case 'forkscope-nobody': {
      const missing = forkscopeNotBuilt();
      if (missing) return { notRun: missing };
      return { command: process.execPath, args: [FORKSCOPE_CLI, 'events', '--json'] };
    }
    case 'c-reader':
    case 'c-reader-nobody':
      return { command: await readerBinary(), args: [] };
    case 'c-reader-rt':
      return { command: await readerBinary(), args: ['-r'] };
    case 'forkstat-rt':
    case 'forkstat':
      if (!existsSync(FORKSTAT)) return { notRun: `${FORKSTAT} not installed (apt-get install forkstat)` };
      return { command: FORKSTAT, args: [...(spec.id === 'forkstat-rt' ? ['-r'] : []), ...FORKSTAT_EVENTS] };
    default:
      return { notRun: `unknown reader ${spec.id}` };
  }
}

/**
 * The command line for a reader, wrapped in setpriv when it must run unprivileged: as nobody
 * (direct netlink, only where nobody may listen: otherwise forkscope would poll, which is a
 * different job), or as nobody in the helper's group with FORKSCOPE_HELPER pointing at it.
 */
export async function readerCommand(spec: ReaderSpec, setting?: UnprivilegedSetting): Promise<ReaderCommand> {
  let base: ReaderCommand;
  try {
    base = await baseCommand(spec);
  } catch (error) {
    return { notRun: (error as Error).message };
  }
  if ('notRun' in base || !spec.unprivileged) return base;
  if (process.getuid?.() !== 0) return { notRun: 'switching to nobody needs root' };
  if (!existsSync(SETPRIV)) return { notRun: `${SETPRIV} not installed` };
  const nobody = ['--reuid=65534', '--regid=65534'];
  if (spec.viaHelper) {
    const helper = setting?.helper ?? { notRun: 'no capture helper installed for this pass' };
    if ('notRun' in helper) return helper;
    return {
      command: SETPRIV,
      args: [...nobody, `--groups=${helper.gid}`, '/usr/bin/env', `FORKSCOPE_HELPER=${helper.path}`, base.command, ...base.args],
    };
  }
  if (setting && setting.directListen !== 'ok') return { notRun: `nobody may not listen directly here: ${setting.directListen}` };
  // No helper for the direct reader, even if one is installed on this machine.
  return { command: SETPRIV, args: [...nobody, '--clear-groups', '/usr/bin/env', 'FORKSCOPE_HELPER=/nonexistent', base.command, ...base.args] };
}
