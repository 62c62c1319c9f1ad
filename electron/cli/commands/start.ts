/**
 * `forkscope` / `forkscope start`: open the desktop app. The electron package (≥ 45) fetches its
 * binary lazily, so on the first start it is usually missing: it is then fetched with the
 * package's own installer (electronInstall), with progress. Only when that fails, or there is no
 * electron package, is the same renderer served in web mode instead, and the user is told why
 * in one line.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { resolve } from 'node:path';
import { OPEN_RECORDING_SWITCH } from '../../common/launchArgs';
import { forkscopePackage } from '../../web/repoRoot';
import { parseArgs, UsageError } from '../args';
import { electronPackageDir, findElectronBinary } from './electronBinary';
import { installElectron, type InstallOptions } from './electronInstall';
import { runWebCommand } from './web';

/** How long a SIGINT to us waits before it is forwarded to Electron (see runElectron). */
export const SIGINT_GRACE_MS = 500;
/** After the grace, how often we look again at a child that cannot take a SIGINT gracefully yet. */
const SIGINT_RECHECK_MS = 100;

export interface RunElectronOptions {
  /** Where our own signals arrive: `process`, or a test's stand-in. */
  signals?: NodeJS.EventEmitter;
  sigintGraceMs?: number;
}

/**
 * Whether `pid` has a handler installed for `signal` (SigCgt in /proc/PID/status), or undefined
 * when that cannot be read (the child is gone).
 */
function catchesSignal(pid: number, signal: NodeJS.Signals): boolean | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const mask = /^SigCgt:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  if (mask === undefined) return undefined;
  return ((BigInt(`0x${mask}`) >> BigInt(constants.signals[signal] - 1)) & 1n) === 1n;
}

/**
 * Run `binary` (Electron) on the app directory (package.json "main" is
 * dist/electron/main/main.js) and resolve with its exit code. As root Chromium refuses to start
 * with its sandbox, so --no-sandbox is passed (main.ts also appends it, for `electron .`
 * launches, and the window says so).
 *
 * Each of our signals must reach Electron once. Electron, like Chromium, takes the first SIGINT,
 * SIGTERM or SIGHUP as "quit gracefully" and resets that signal to its default action, so a
 * second one kills it in the middle of its shutdown. A SIGTERM is sent to us alone: it is
 * forwarded at once. A SIGINT is usually Ctrl-C in the terminal, which the kernel sends to the
 * whole foreground process group, Electron included; so a SIGINT is forwarded only when, after a
 * grace period, Electron still runs and still has its SIGINT handler armed (it was sent to us
 * alone: `kill -INT <pid>`). A live Electron whose handler is not armed has either used it (it
 * is shutting down) or not installed it yet (starting): we wait until it exits or arms it.
 * (SIGHUP is left at its default: a closing terminal sends it to Electron itself.)
 */
export function runElectron(binary: string, recording: string | undefined, options: RunElectronOptions = {}): Promise<number> {
  const signals = options.signals ?? process;
  const graceMs = options.sigintGraceMs ?? SIGINT_GRACE_MS;
  const args = [
    forkscopePackage().root,
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ...(recording === undefined ? [] : [`${OPEN_RECORDING_SWITCH}${resolve(recording)}`]),
  ];
  const child = spawn(binary, args, { stdio: 'inherit' });
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  let sigintTimer: NodeJS.Timeout | undefined;
  const forwardSigintWhenArmed = (): void => {
    sigintTimer = undefined;
    if (!running() || child.pid === undefined) return;
    // Unreadable /proc: forward, as a plain parent would.
    if (catchesSignal(child.pid, 'SIGINT') === false) sigintTimer = setTimeout(forwardSigintWhenArmed, SIGINT_RECHECK_MS);
    else child.kill('SIGINT');
  };
  const onSigint = (): void => {
    // A second Ctrl-C while one is pending reached Electron by itself, as the user meant.
    if (sigintTimer === undefined) sigintTimer = setTimeout(forwardSigintWhenArmed, graceMs);
  };
  const onSigterm = (): void => void child.kill('SIGTERM');
  signals.on('SIGINT', onSigint);
  signals.on('SIGTERM', onSigterm);
  return new Promise((resolve) => {
    const done = (code: number): void => {
      clearTimeout(sigintTimer);
      signals.off('SIGINT', onSigint);
      signals.off('SIGTERM', onSigterm);
      resolve(code);
    };
    child.once('error', (error) => {
      process.stderr.write(`forkscope: cannot run Electron (${binary}): ${error.message}\n`);
      done(1);
    });
    // Shell convention: death by signal N exits 128 + N.
    child.once('exit', (code, signal) => done(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
}

/** What `forkscope start` works with; tests replace parts of it. */
export interface StartContext {
  env?: NodeJS.ProcessEnv;
  /** The electron package's directory (null: not installed). */
  packageDir?: string | null;
  /** Where the download's progress and the fallback line go (default process.stderr). */
  out?: NodeJS.WritableStream;
  install?: Omit<InstallOptions, 'out'>;
  runWeb?: (argv: string[], warnings: string[]) => Promise<number>;
}

/** `forkscope [start] [FILE]`: the app, live or (with FILE) replaying a recording. */
export async function runStartCommand(argv: string[], context: StartContext = {}): Promise<number> {
  const { positionals } = parseArgs(argv, {});
  if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
  const recording = positionals[0];
  const env = context.env ?? process.env;
  const out = context.out ?? process.stderr;
  const packageDir = context.packageDir === undefined ? electronPackageDir() : context.packageDir;
  let electron = findElectronBinary(env, packageDir);
  let reason = electron.found ? '' : electron.reasons.join('; ');
  if (!electron.found && electron.packageDir !== undefined) {
    const installed = await installElectron(electron.packageDir, env, { ...context.install, out });
    // Shell convention, as for Electron's own exit: death by signal N exits 128 + N.
    if (!installed.ok && installed.interrupted) {
      out.write(`forkscope: ${installed.reason}\n`);
      return 128 + constants.signals[installed.interrupted];
    }
    electron = findElectronBinary(env, packageDir);
    if (!installed.ok) reason = `the download failed: ${installed.reason}`;
    else if (!electron.found) reason = `the installer ran, yet ${electron.reasons.join('; ')}`;
  }
  if (electron.found) return runElectron(electron.path, recording);
  out.write(`forkscope: Electron is not available (${reason}): starting web mode instead — open the URL below\n`);
  return (context.runWeb ?? runWebCommand)(recording === undefined ? [] : [recording], [`Electron is not available (${reason}): this is web mode.`]);
}
