import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { electronPackageDir, findElectronBinary } from './electronBinary';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'forkscope-electron-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function fakeBinary(path: string, executable = true): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, executable ? 0o755 : 0o644);
  return path;
}

/** A package dir laid out as electron's install script leaves it after a successful download. */
function installedPackage(withBinary: boolean): string {
  const pkg = join(dir, 'node_modules', 'electron');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'path.txt'), 'electron');
  if (withBinary) fakeBinary(join(pkg, 'dist', 'electron'));
  return pkg;
}

describe('findElectronBinary', () => {
  it('uses the binary named by path.txt in the installed package', () => {
    const pkg = installedPackage(true);
    expect(findElectronBinary({}, pkg)).toEqual({ found: true, path: join(pkg, 'dist', 'electron'), via: 'electron package' });
  });

  it('reports an offline install: package present, download never happened', () => {
    const pkg = join(dir, 'electron');
    mkdirSync(pkg);
    const result = findElectronBinary({}, pkg);
    expect(result.found).toBe(false);
    expect(!result.found && result.reasons.join('\n')).toMatch(/path\.txt is missing/);
  });

  it('reports path.txt naming a binary that is not there', () => {
    const result = findElectronBinary({}, installedPackage(false));
    expect(!result.found && result.reasons.join('\n')).toMatch(/dist\/electron is not an executable file/);
  });

  it('prefers FORKSCOPE_ELECTRON, then ELECTRON_OVERRIDE_DIST_PATH, over the package', () => {
    const pkg = installedPackage(true);
    const chosen = fakeBinary(join(dir, 'chosen', 'my-electron'));
    const override = join(dir, 'override');
    fakeBinary(join(override, 'electron'));
    expect(findElectronBinary({ FORKSCOPE_ELECTRON: chosen, ELECTRON_OVERRIDE_DIST_PATH: override }, pkg)).toEqual({ found: true, path: chosen, via: 'FORKSCOPE_ELECTRON' });
    expect(findElectronBinary({ ELECTRON_OVERRIDE_DIST_PATH: override }, pkg)).toEqual({ found: true, path: join(override, 'electron'), via: 'ELECTRON_OVERRIDE_DIST_PATH' });
  });

  it('skips env paths that are not executable files and says why', () => {
    const notExecutable = fakeBinary(join(dir, 'plain', 'electron'), false);
    const result = findElectronBinary({ FORKSCOPE_ELECTRON: notExecutable, ELECTRON_OVERRIDE_DIST_PATH: dir }, null);
    expect(result.found).toBe(false);
    const reasons = result.found ? [] : result.reasons;
    expect(reasons).toEqual([
      `FORKSCOPE_ELECTRON=${notExecutable} is not an executable file`,
      `ELECTRON_OVERRIDE_DIST_PATH has no executable ${join(dir, 'electron')}`,
      'the electron package is not installed',
    ]);
  });

  it('resolves the installed electron package without running its index.js', () => {
    expect(electronPackageDir()).toMatch(/node_modules\/electron$/);
  });
});
