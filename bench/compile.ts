/**
 * Compile the bench's C programs with `cc -O2` into bench/out/, once: a binary newer than its
 * source is reused, so tests and repeated bench runs do not pay for the compiler.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { OUT_DIR, REPO_ROOT } from './paths';

const execFileAsync = promisify(execFile);

export interface CProgram {
  /** Source path relative to the repository root. */
  source: string;
  /** Binary name under bench/out/. */
  name: string;
  extraFlags?: string[];
}

function mtimeMs(path: string): number | null {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

const pending = new Map<string, Promise<string>>();

/** Path of the compiled binary; compiles when missing or older than its source. */
export function compileC(program: CProgram): Promise<string> {
  const existing = pending.get(program.name);
  if (existing) return existing;
  const build = (async () => {
    const source = join(REPO_ROOT, program.source);
    const binary = join(OUT_DIR, program.name);
    const sourceTime = mtimeMs(source);
    if (sourceTime === null) throw new Error(`bench: C source missing: ${source}`);
    const binaryTime = mtimeMs(binary);
    if (binaryTime !== null && binaryTime >= sourceTime) return binary;
    mkdirSync(OUT_DIR, { recursive: true });
    // World-readable output: the unprivileged bench runs these binaries as nobody.
    chmodSync(OUT_DIR, 0o755);
    const flags = ['-O2', '-Wall', '-Wextra', ...(program.extraFlags ?? []), '-o', binary, source];
    try {
      await execFileAsync('cc', flags);
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? String(error);
      throw new Error(`bench: cc ${program.source} failed:\n${stderr}`, { cause: error });
    }
    return binary;
  })();
  pending.set(program.name, build);
  build.catch(() => pending.delete(program.name));
  return build;
}
