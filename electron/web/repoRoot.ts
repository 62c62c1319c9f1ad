/**
 * The Forkscope package root, found by walking up from this file: the same code runs from
 * electron/web/ (tests, via vitest) and from dist/electron/web/ (the built CLI), at different depths.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

interface PackageInfo {
  root: string;
  version: string;
}

let cached: PackageInfo | undefined;

export function forkscopePackage(): PackageInfo {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown; version?: unknown };
      if (parsed.name === 'forkscope') {
        cached = { root: dir, version: typeof parsed.version === 'string' ? parsed.version : '0.0.0' };
        return cached;
      }
    }
    if (dirname(dir) === dir) throw new Error(`cannot find the forkscope package.json above ${__dirname}`);
  }
}
