/**
 * Finding the Electron binary without ever downloading it. `require('electron')` would run the
 * package's index.js, which downloads the binary when it is missing, so the lookup reads the same
 * files that index.js reads, by hand. Whether to download is the caller's choice (see
 * electronInstall).
 */
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type ElectronDiscovery =
  | { found: true; path: string; via: 'FORKSCOPE_ELECTRON' | 'ELECTRON_OVERRIDE_DIST_PATH' | 'electron package' }
  /** `packageDir`: the installed electron package whose binary is missing (its installer can fetch it). */
  | { found: false; reasons: string[]; packageDir?: string };

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The installed electron package's directory, or null when it is not installed. */
export function electronPackageDir(): string | null {
  try {
    return dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/**
 * Look, in order, at FORKSCOPE_ELECTRON (a binary the user chose: it wins), at
 * ELECTRON_OVERRIDE_DIST_PATH (a directory holding `electron`, as the electron package honours
 * it), then at the installed package's dist/ as named by its path.txt (written by its install
 * script only when the download succeeded).
 */
export function findElectronBinary(env: NodeJS.ProcessEnv = process.env, packageDir: string | null = electronPackageDir()): ElectronDiscovery {
  const reasons: string[] = [];

  const chosen = env.FORKSCOPE_ELECTRON;
  if (chosen) {
    if (isExecutableFile(chosen)) return { found: true, path: chosen, via: 'FORKSCOPE_ELECTRON' };
    reasons.push(`FORKSCOPE_ELECTRON=${chosen} is not an executable file`);
  }

  const overrideDir = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (overrideDir) {
    const candidate = join(overrideDir, 'electron');
    if (isExecutableFile(candidate)) return { found: true, path: candidate, via: 'ELECTRON_OVERRIDE_DIST_PATH' };
    reasons.push(`ELECTRON_OVERRIDE_DIST_PATH has no executable ${candidate}`);
  }

  if (packageDir === null) {
    reasons.push('the electron package is not installed');
    return { found: false, reasons };
  }
  let relative: string;
  try {
    relative = readFileSync(join(packageDir, 'path.txt'), 'utf8').trim();
  } catch {
    reasons.push(`${join(packageDir, 'path.txt')} is missing: the Electron download did not happen`);
    return { found: false, reasons, packageDir };
  }
  const candidate = join(packageDir, 'dist', relative);
  if (relative !== '' && isExecutableFile(candidate)) return { found: true, path: candidate, via: 'electron package' };
  reasons.push(`${candidate} is not an executable file`);
  return { found: false, reasons, packageDir };
}
