/**
 * `forkscope start` on a machine where the electron package has not fetched its binary yet: it
 * runs the package's real installer against a mirror this test serves on 127.0.0.1 (the
 * installer's environment names that mirror and nothing else, so nothing can reach the
 * internet), in a copy of the package so the shared node_modules is never written.
 */
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { forkscopePackage } from '../../web/repoRoot';
import {
  electronPackageCopy,
  electronVersion,
  electronZipName,
  installerEnv,
  type Mirror,
  type MirrorAnswer,
  sha256,
  startMirror,
  zipOf,
} from '../test/electronMirror';
import type { InstallOptions } from './electronInstall';
import { runStartCommand } from './start';

let dir: string;
let mirror: Mirror | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'forkscope-install-'));
});
afterEach(async () => {
  await mirror?.close();
  mirror = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const zipPath = (): string => `/v${electronVersion()}/${electronZipName()}`;
const shasumsPath = (): string => `/v${electronVersion()}/SHASUMS256.txt`;
/** The installer fetches SHASUMS256.txt from the mirror instead of trusting its checksums.json. */
const REMOTE_CHECKSUMS = { electron_use_remote_checksums: '1' };

function shasumsOf(archive: Buffer): MirrorAnswer {
  return { body: Buffer.from(`${sha256(archive)} *${electronZipName()}\n`) };
}

/** A stand-in Electron: records its arguments and exits. */
function fakeElectronZip(): Buffer {
  return zipOf([
    { name: 'electron', content: `#!/bin/sh\nprintf '%s\\n' "$@" > "${join(dir, 'launched')}"\n`, mode: 0o755 },
    { name: 'version', content: electronVersion() },
  ]);
}

interface StartRun {
  code: number;
  /** Everything written to the command's stderr stand-in. */
  out: string;
  /** The arguments web mode was started with, or undefined when it was not. */
  web?: { argv: string[]; warnings: string[] };
}

async function start(packageDir: string | null, env: NodeJS.ProcessEnv, install: Omit<InstallOptions, 'out'> = {}): Promise<StartRun> {
  let out = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out += chunk.toString('utf8');
      done();
    },
  });
  let web: StartRun['web'];
  const code = await runStartCommand([], {
    env,
    packageDir,
    out: sink,
    install: { progressIntervalMs: 0, ...install },
    runWeb: async (argv, warnings) => {
      web = { argv, warnings };
      return 0;
    },
  });
  return { code, out, web };
}

/** The one line that announces web mode, which must carry the installer's reason. */
function fallbackLine(run: StartRun): string {
  const line = run.out.split('\n').find((text) => text.includes('starting web mode instead'));
  expect(line, run.out).toBeDefined();
  expect(run.web).toBeDefined();
  return line!;
}

describe('forkscope start without the Electron binary', () => {
  it('downloads it with the installer, showing progress, launches it, and the next run starts at once', async () => {
    const archive = fakeElectronZip();
    mirror = await startMirror({
      [zipPath()]: { body: archive, chunks: 8, chunkDelayMs: 20 },
      [shasumsPath()]: shasumsOf(archive),
    });
    const packageDir = electronPackageCopy(dir);
    const env = installerEnv(mirror, join(dir, 'cache'), REMOTE_CHECKSUMS);

    const first = await start(packageDir, env);
    expect(first.web, first.out).toBeUndefined();
    expect(first.code).toBe(0);
    expect(mirror.requests).toContain(zipPath());
    expect(first.out).toMatch(new RegExp(`Electron ${electronVersion().replace(/\./g, '\\.')} is not downloaded yet: fetching it once \\(about 100 MB\\)`));
    const progress = first.out.split('\n').filter((line) => line.includes(`downloading ${electronZipName()}:`));
    const percents = progress.map((line) => Number(/\((\d+)%\)/.exec(line)?.[1]));
    expect(percents.length).toBeGreaterThan(2);
    expect(percents[0]).toBe(0);
    expect(percents.at(-1)).toBe(100);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(first.out).toContain(`forkscope: Electron ${electronVersion()} is installed\n`);
    expect(readFileSync(join(dir, 'launched'), 'utf8').split('\n')).toContain(forkscopePackage().root);
    expect(readFileSync(join(packageDir, 'path.txt'), 'utf8')).toBe('electron');
    // The archive stays in the cache electron_config_cache names (a reinstall needs no download).
    expect(readdirSync(join(dir, 'cache'), { recursive: true }).map(String).some((path) => path.endsWith(electronZipName()))).toBe(true);

    await mirror.close();
    const asked = mirror.requests.length;
    rmSync(join(dir, 'launched'));
    const second = await start(packageDir, env);
    expect(second.code).toBe(0);
    expect(second.out).toBe('');
    expect(mirror.requests.length).toBe(asked);
    expect(existsSync(join(dir, 'launched'))).toBe(true);
  });

  it('an archive that does not match the release checksums: the checksum error, then web mode', async () => {
    mirror = await startMirror({ [zipPath()]: { body: fakeElectronZip() } });
    const run = await start(electronPackageCopy(dir), installerEnv(mirror, join(dir, 'cache')));
    expect(mirror.requests).toEqual([zipPath()]);
    expect(fallbackLine(run)).toMatch(/the download failed: Error: Generated checksum for "electron-v[^"]+\.zip" did not match expected checksum/);
    expect(run.web?.warnings.join('\n')).toMatch(/did not match expected checksum/);
  });

  it('a broken archive (checksum right, not a zip): the extraction error, then web mode', async () => {
    const broken = Buffer.from('this is not a zip archive');
    mirror = await startMirror({ [zipPath()]: { body: broken }, [shasumsPath()]: shasumsOf(broken) });
    const packageDir = electronPackageCopy(dir);
    const run = await start(packageDir, installerEnv(mirror, join(dir, 'cache'), REMOTE_CHECKSUMS));
    expect(mirror.requests).toEqual(expect.arrayContaining([zipPath(), shasumsPath()]));
    expect(fallbackLine(run)).toMatch(/the download failed: .*(zip|archive)/i);
    expect(existsSync(join(packageDir, 'path.txt'))).toBe(false);
  });

  it('a mirror without this release (in the ELECTRON_CUSTOM_DIR it names): the HTTP status and URL, then web mode', async () => {
    mirror = await startMirror({});
    const env = installerEnv(mirror, join(dir, 'cache'), { ELECTRON_CUSTOM_DIR: 'electron/{{ version }}' });
    const run = await start(electronPackageCopy(dir), env);
    const asked = `electron/${electronVersion()}/${electronZipName()}`;
    expect(mirror.requests).toEqual([`/${asked}`]);
    expect(fallbackLine(run)).toContain(`the download failed: HTTPError: Response code 404 (Not Found) for ${mirror.url}${asked}`);
  });

  it('a mirror that is down: the connection error (not just "fetch failed"), then web mode', async () => {
    mirror = await startMirror({});
    await mirror.close();
    const run = await start(electronPackageCopy(dir), installerEnv(mirror, join(dir, 'cache')));
    expect(fallbackLine(run)).toMatch(/the download failed: TypeError: fetch failed: connect ECONNREFUSED 127\.0\.0\.1:\d+ \(http:\/\/127\.0\.0\.1/);
  });

  it('a download that stalls is given up after the stall bound, with what had arrived', async () => {
    mirror = await startMirror({ [zipPath()]: { sentBytes: 300_000, size: 100_000_000, then: 'stall' } });
    const run = await start(electronPackageCopy(dir), installerEnv(mirror, join(dir, 'cache')), { stallMs: 6_000 });
    expect(mirror.requests).toEqual([zipPath()]);
    expect(run.out).toContain(`downloading ${electronZipName()}: 0 B of 100.0 MB (0%)`);
    expect(fallbackLine(run)).toMatch(/the download failed: the download stalled: nothing received for 6 s, after 300.0 kB of http:\/\/127\.0\.0\.1/);
  });

  it('a connection cut during the download: the cause (not just "terminated"), then web mode', async () => {
    mirror = await startMirror({ [zipPath()]: { sentBytes: 200_000, size: 100_000_000, then: 'cut' } });
    const run = await start(electronPackageCopy(dir), installerEnv(mirror, join(dir, 'cache')));
    expect(fallbackLine(run)).toMatch(/the download failed: TypeError: terminated: other side closed \(http:\/\/127\.0\.0\.1:\d+\/v[^ ]+\.zip\)/);
  });

  it('Ctrl-C during the download stops it and the command, without web mode', async () => {
    mirror = await startMirror({ [zipPath()]: { sentBytes: 100_000, size: 100_000_000, then: 'stall' } });
    const signals = new EventEmitter();
    const running = start(electronPackageCopy(dir), installerEnv(mirror, join(dir, 'cache')), { signals });
    const deadline = Date.now() + 20_000;
    while (!mirror.requests.includes(zipPath()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(mirror.requests).toContain(zipPath());
    signals.emit('SIGINT', 'SIGINT');
    const run = await running;
    expect(run.code).toBe(130);
    expect(run.web).toBeUndefined();
    expect(run.out).toContain('forkscope: the download was stopped by SIGINT\n');
    expect(signals.listenerCount('SIGINT')).toBe(0);
  });

  it('a Node.js whose require() cannot load the installer\'s ES modules: the versions that can, then web mode', async () => {
    mirror = await startMirror({});
    const env = installerEnv(mirror, join(dir, 'cache'), { NODE_OPTIONS: '--no-experimental-require-module' });
    const run = await start(electronPackageCopy(dir), env);
    expect(mirror.requests).toEqual([]);
    expect(fallbackLine(run)).toMatch(/the download failed: Error \[ERR_REQUIRE_ESM\]: .* \(the installer needs Node\.js \^20\.19 or ≥ 22\.12, where require\(\) loads ES modules; this is v\d+/);
  });

  it('no electron package at all: web mode at once, saying so', async () => {
    const run = await start(null, {});
    expect(fallbackLine(run)).toContain('the electron package is not installed');
    expect(run.out).not.toContain('downloading');
  });
});
