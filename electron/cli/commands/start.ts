/**
 * `forkscope` / `forkscope start`: open the desktop app. The Electron binary is looked up without
 * downloading anything; when it is absent (an offline install), the same renderer is served in
 * web mode instead, and the user is told so in one line.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { resolve } from 'node:path';
import { OPEN_RECORDING_SWITCH } from '../../common/launchArgs';
import { forkscopePackage } from '../../web/repoRoot';
import { parseArgs, UsageError } from '../args';
import { findElectronBinary } from './electronBinary';
import { runWebCommand } from './web';

export const ELECTRON_MISSING_MESSAGE =
  'Electron binary not available (offline install): starting web mode instead — open the URL below';

/**
 * Run Electron on the app directory (package.json "main" is dist/electron/main/main.js) and exit
 * with its code. As root Chromium refuses to start with its sandbox, so --no-sandbox is passed
 * (main.ts also appends it, for `electron .` launches, and the window says so).
 */
function runElectron(binary: string, recording: string | undefined): Promise<number> {
  const args = [
    forkscopePackage().root,
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ...(recording === undefined ? [] : [`${OPEN_RECORDING_SWITCH}${resolve(recording)}`]),
  ];
  const child = spawn(binary, args, { stdio: 'inherit' });
  // Ctrl-C reaches the child through the terminal's process group; a SIGTERM sent to us alone
  // is forwarded so that the window closes with us.
  const forward = (signal: NodeJS.Signals): void => void child.kill(signal);
  process.on('SIGTERM', forward);
  process.on('SIGINT', forward);
  return new Promise((resolve) => {
    const done = (code: number): void => {
      process.off('SIGTERM', forward);
      process.off('SIGINT', forward);
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

/** `forkscope [start] [FILE]`: the app, live or (with FILE) replaying a recording. */
export async function runStartCommand(argv: string[]): Promise<number> {
  const { positionals } = parseArgs(argv, {});
  if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
  const recording = positionals[0];
  const electron = findElectronBinary();
  if (electron.found) return runElectron(electron.path, recording);
  process.stderr.write(`${ELECTRON_MISSING_MESSAGE}\n`);
  return runWebCommand(recording === undefined ? [] : [recording], [
    `Electron is not installed (${electron.reasons.join('; ')}): this is web mode.`,
  ]);
}
