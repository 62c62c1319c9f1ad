/**
 * Where the bench finds the repository and puts its build products. The same code runs from
 * bench/*.ts (vitest) and from dist/bench/*.js (npm run bench), so the root is found by walking
 * up to forkscope's package.json rather than by a fixed number of "..".
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
      if (pkg.name === 'forkscope') return dir;
    }
    if (dirname(dir) === dir) throw new Error(`bench: no forkscope package.json above ${start}`);
  }
}

export const REPO_ROOT = findRepoRoot(__dirname);
/** Compiled C programs and bench results (git-ignored). */
export const OUT_DIR = join(REPO_ROOT, 'bench', 'out');
export const FORKSCOPE_CLI = join(REPO_ROOT, 'bin', 'forkscope.js');
/** What bin/forkscope.js runs: present once `npm run build` compiled the CLI. */
export const FORKSCOPE_CLI_ENTRY = join(REPO_ROOT, 'dist', 'electron', 'cli', 'main.js');
