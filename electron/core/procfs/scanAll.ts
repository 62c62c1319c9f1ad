/**
 * A full /proc scan off the JS thread (the native scanner), or the TypeScript scanner when the
 * addon cannot scan here. Every full scan in the core and the CLI goes through this.
 */
import { scanProcesses } from '../../../native/index';
import type { ScannedProcess } from './ScannedProcess';
import { scanProcessesFallback } from './scanProcessesFallback';

export async function scanAll(): Promise<ScannedProcess[]> {
  try {
    return await scanProcesses();
  } catch {
    return scanProcessesFallback();
  }
}
