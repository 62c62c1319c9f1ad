/**
 * Fetching the Electron binary with the electron package's own installer (its install.js, which
 * `require('electron')` would run): it knows the version, the platform, ELECTRON_MIRROR and the
 * other mirror variables, the download cache (electron_config_cache) and the SHASUMS256 check,
 * and it writes path.txt, so the next `forkscope start` finds the binary at once.
 *
 * The installer shows nothing for its first 30 s (and never when stderr is not a terminal), and
 * it prints only "fetch failed" (or "terminated") when the connection fails (or is cut), the
 * real reason (refused, DNS, TLS, closed) being in the error's `cause`. So it runs in a child
 * Node under a small probe (INSTALLER_PROBE) that wraps `fetch` to report each download's size
 * and bytes on fd 3 and to put that cause in the message; we print the progress, and give up
 * when no byte arrives for a while.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** About what the installer fetches for linux-x64: said before it starts, as it takes a while. */
const DOWNLOAD_SIZE_HINT = 'about 100 MB';
/** No byte for this long: the download has stalled, the installer is stopped. */
export const DOWNLOAD_STALL_MS = 30_000;
/** Kept of the installer's output: its error is its first line, then a stack. */
const OUTPUT_KEPT_CHARS = 16_384;

export interface InstallOptions {
  stallMs?: number;
  /** Least time between two progress lines (default: 250 ms on a terminal, else 5 s). */
  progressIntervalMs?: number;
  /** Where progress and notes go (default process.stderr). */
  out?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Where our own SIGINT and SIGTERM arrive: `process`, or a test's stand-in. */
  signals?: NodeJS.EventEmitter;
}

/** `interrupted`: the user stopped it (Ctrl-C, SIGTERM): the command should stop too. */
export type InstallResult = { ok: true } | { ok: false; reason: string; interrupted?: NodeJS.Signals };

/** What the probe reports: one download's url, its size when announced, the bytes so far. */
interface DownloadProgress {
  url: string;
  total: number | null;
  transferred: number;
  /** The body ended: what follows (checksum, extraction) is the installer's own work. */
  done?: true;
}

/**
 * Run in the installer's Node (node -e PROBE install.js) before the installer. Plain CommonJS in
 * a string: it runs outside this build. Errors of the report channel are ignored: the download
 * matters more than its progress.
 */
const INSTALLER_PROBE = `'use strict';
const { writeSync } = require('node:fs');
const report = (progress) => { try { writeSync(3, JSON.stringify(progress) + '\\n'); } catch {} };
const explained = (error, url) => {
  const cause = error && error.cause;
  if (cause) error.stack = error.name + ': ' + error.message + ': ' + (cause.message || cause.code || String(cause)) + ' (' + url + ')';
  return error;
};
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = String(input instanceof Request ? input.url : input);
  let response;
  try {
    response = await realFetch(input, init);
  } catch (error) {
    throw explained(error, url);
  }
  if (!response.ok || !response.body) return response;
  const total = Number(response.headers.get('content-length')) || null;
  let transferred = 0;
  report({ url, total, transferred });
  const reader = response.body.getReader();
  const counted = new ReadableStream({
    async pull(controller) {
      let chunk;
      try {
        chunk = await reader.read();
      } catch (error) {
        controller.error(explained(error, url));
        return;
      }
      if (chunk.done) {
        report({ url, total, transferred, done: true });
        controller.close();
        return;
      }
      transferred += chunk.value.byteLength;
      report({ url, total, transferred });
      controller.enqueue(chunk.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
};
require(process.argv[1]);
`;

function sizeText(bytes: number): string {
  if (bytes < 1e3) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function progressText(progress: DownloadProgress): string {
  const file = progress.url.slice(progress.url.lastIndexOf('/') + 1);
  const done = progress.total === null
    ? sizeText(progress.transferred)
    : `${sizeText(progress.transferred)} of ${sizeText(progress.total)} (${Math.floor((100 * progress.transferred) / progress.total)}%)`;
  return `forkscope: downloading ${file}: ${done}`;
}

/**
 * The installer's own reason: the first line of its error (it prints the error's stack and exits
 * 1; Node prints an uncaught one after the source line it came from), else the first line it
 * printed that is not a Node warning, else how it ended. A Node that cannot require() the ES
 * modules of @electron/get fails on its first line: that gets the versions that can.
 */
function installerReason(output: string, code: number | null, signal: NodeJS.Signals | null): string {
  const lines = output.split('\n').map((text) => text.trim()).filter((text) => text !== '' && !text.startsWith('(node:') && !text.startsWith('(Use `node'));
  const line = lines.find((text) => /^[A-Za-z]*Error\b/.test(text)) ?? lines[0];
  if (line === undefined) return signal ? `the installer was killed by ${signal}` : `the installer exited with code ${code}`;
  if (line.includes('ERR_REQUIRE_ESM')) return `${line} (the installer needs Node.js ^20.19 or ≥ 22.12, where require() loads ES modules; this is ${process.version})`;
  return line;
}

/** The version the package will fetch, or '' when its package.json cannot be read. */
function packageVersion(packageDir: string): string {
  try {
    return String((JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version?: unknown }).version ?? '');
  } catch {
    return '';
  }
}

/**
 * Run `packageDir`/install.js (with `env`: the mirror and cache variables are the user's),
 * showing progress on `out`; resolves when it ended, with its reason when it failed.
 */
export function installElectron(packageDir: string, env: NodeJS.ProcessEnv, options: InstallOptions = {}): Promise<InstallResult> {
  const out = options.out ?? process.stderr;
  const terminal = out.isTTY === true;
  const stallMs = options.stallMs ?? DOWNLOAD_STALL_MS;
  const intervalMs = options.progressIntervalMs ?? (terminal ? 250 : 5_000);
  const version = packageVersion(packageDir);
  out.write(`forkscope: Electron${version ? ` ${version}` : ''} is not downloaded yet: fetching it once (${DOWNLOAD_SIZE_HINT}) with its installer\n`);

  // The installer downloads into a directory of its own under TMPDIR, left behind when it is
  // stopped: giving it a TMPDIR of ours lets us remove a partial 100 MB download.
  const scratch = mkdtempSync(join(tmpdir(), 'forkscope-electron-'));
  const child = spawn(process.execPath, ['-e', INSTALLER_PROBE, join(packageDir, 'install.js')], {
    env: { ...env, TMPDIR: scratch },
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    if (output.length < OUTPUT_KEPT_CHARS) output += chunk.toString('utf8');
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  let latest: DownloadProgress | undefined;
  let shownAt = -Infinity;
  let lineOpen = false;
  const show = (force: boolean): void => {
    if (latest === undefined || (!force && Date.now() - shownAt < intervalMs)) return;
    shownAt = Date.now();
    // On a terminal one line is rewritten in place; elsewhere (a log) each report is a line.
    if (terminal) out.write(`\r${progressText(latest)}\x1b[K`);
    else out.write(`${progressText(latest)}\n`);
    lineOpen = terminal;
  };

  // Armed while a download is awaited or under way, not while the installer checks and extracts.
  let stalled: string | undefined;
  let stallTimer: NodeJS.Timeout | undefined;
  const armStallTimer = (): void => {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(() => {
      const from = latest === undefined ? 'before any data arrived' : `after ${sizeText(latest.transferred)} of ${latest.url}`;
      stalled = `the download stalled: nothing received for ${Math.round(stallMs / 1000)} s, ${from}`;
      child.kill('SIGKILL');
    }, stallMs);
  };
  armStallTimer();

  // Ctrl-C reaches the installer too (it is in our process group), but its partial download is
  // ours to remove, and a SIGTERM is sent to us alone: stop it, and say so.
  let interrupted: NodeJS.Signals | undefined;
  const signals = options.signals ?? process;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupted = signal;
    child.kill('SIGKILL');
  };
  signals.on('SIGINT', onSignal);
  signals.on('SIGTERM', onSignal);

  const reports = child.stdio[3];
  if (reports && 'on' in reports) {
    createInterface({ input: reports as NodeJS.ReadableStream }).on('line', (line) => {
      let progress: DownloadProgress;
      try {
        progress = JSON.parse(line) as DownloadProgress;
      } catch {
        return;
      }
      const started = progress.url !== latest?.url;
      latest = progress;
      if (progress.done) clearTimeout(stallTimer);
      else armStallTimer();
      show(started || progress.done === true);
    });
  }

  return new Promise((resolve) => {
    let finished = false;
    const finish = (result: InstallResult): void => {
      if (finished) return;
      finished = true;
      clearTimeout(stallTimer);
      signals.off('SIGINT', onSignal);
      signals.off('SIGTERM', onSignal);
      rmSync(scratch, { recursive: true, force: true });
      if (lineOpen) out.write('\n');
      resolve(result);
    };
    child.once('error', (error) => finish({ ok: false, reason: `cannot run the installer: ${error.message}` }));
    child.once('close', (code, signal) => {
      if (code === 0) {
        finish({ ok: true });
        out.write(`forkscope: Electron${version ? ` ${version}` : ''} is installed\n`);
      } else if (interrupted) finish({ ok: false, reason: `the download was stopped by ${interrupted}`, interrupted });
      else finish({ ok: false, reason: stalled ?? installerReason(output, code, signal) });
    });
  });
}
