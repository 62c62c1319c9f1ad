/** Memory figures for the bench: this process's RSS, measured after a full garbage collection. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

/**
 * A full, synchronous GC, so that RSS compares live data and not garbage that happens to be
 * uncollected. `npm run bench` starts node without --expose-gc: the flag is set at run time and
 * the `gc` function taken from a fresh context, where V8 installs it.
 */
export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

export function rssMb(): number {
  return process.memoryUsage().rss / (1 << 20);
}

export function heapUsedMb(): number {
  return process.memoryUsage().heapUsed / (1 << 20);
}
