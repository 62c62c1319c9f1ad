/**
 * A full /proc scan off the JS thread (the native scanner), or the TypeScript scanner when the
 * addon is not there. Every full scan in the core and the CLI goes through this. Only a missing
 * addon falls back: a failing native scan is an error to see, not to hide behind the slower path.
 */
import { AddonLoadError, scanProcesses } from '../../../native/index';
import type { ScannedProcess } from '../../../native/ScannedProcess';
import { scanGroupReader } from './groupFromCgroup';
import { scanProcessesFallback } from './scanProcessesFallback';

export async function scanAll(): Promise<ScannedProcess[]> {
  try {
    return await scanProcesses(scanGroupReader());
  } catch (error) {
    if (error instanceof AddonLoadError) return scanProcessesFallback();
    throw error;
  }
}
