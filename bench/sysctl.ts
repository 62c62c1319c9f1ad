/**
 * net.core.rmem_max, which caps the receive buffer an unprivileged reader can ask for. This
 * machine runs with 4194304; a stock desktop has 212992 (≈ 256 events), and that is what an
 * unprivileged user gets, so the unprivileged pass sets it for its duration (root only).
 */
import { readFileSync, writeFileSync } from 'node:fs';

const RMEM_MAX = '/proc/sys/net/core/rmem_max';
export const STOCK_RMEM_MAX = 212992;

export function readRmemMax(): number {
  return Number(readFileSync(RMEM_MAX, 'utf8').trim());
}

/**
 * Run `body` with rmem_max set to `value`, restoring the previous value afterwards, also when
 * the bench is interrupted. `body` gets a note saying whether the value could be set.
 */
export async function withRmemMax<T>(value: number, body: (note: string) => Promise<T>): Promise<T> {
  const previous = readRmemMax();
  if (previous === value) return body(`net.core.rmem_max already ${value}`);
  try {
    writeFileSync(RMEM_MAX, String(value));
  } catch (error) {
    return body(`net.core.rmem_max left at ${previous}: could not set ${value} (${(error as Error).message})`);
  }
  const restore = (): void => writeFileSync(RMEM_MAX, String(previous));
  const restoreAndExit = (): void => {
    restore();
    process.exit(130);
  };
  process.once('SIGINT', restoreAndExit);
  try {
    return await body(`net.core.rmem_max set to ${value} for this pass (was ${previous}; restored afterwards)`);
  } finally {
    process.removeListener('SIGINT', restoreAndExit);
    restore();
  }
}
