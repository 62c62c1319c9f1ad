/** Hand-made processes and events for the model's unit tests (not shipped: only tests import it). */
import type { ProcEvent } from '../../../common/events';
import type { ScannedProcess } from '../../../../native/ScannedProcess';
import type { ProcClock } from '../ProcClock';

/** 100 ticks per second, booted at 1_000_000 ms: tick t is 1_000_000 + 10·t ms. */
export const TEST_CLOCK: ProcClock = { clkTck: 100, bootEpochMs: 1_000_000 };

export function scanned(pid: number, ppid: number, startTime: number, extra: Partial<ScannedProcess> = {}): ScannedProcess {
  return {
    pid,
    ppid,
    startTime,
    uid: 1000,
    comm: `p${pid}`,
    argv: [`/bin/p${pid}`],
    state: 'S',
    threads: 1,
    rssKb: 100,
    cpuTicks: 0,
    kernelThread: false,
    ...extra,
  };
}

export function fork(pid: number, ppid: number, startTime: number, extra: Partial<ProcEvent> = {}): ProcEvent {
  return { kind: 'fork', ts: 2_000_000, pid, ppid, startTime, ...extra };
}

export function exec(pid: number, startTime: number, argv: string[], extra: Partial<ProcEvent> = {}): ProcEvent {
  return { kind: 'exec', ts: 2_000_001, pid, startTime, argv, comm: argv[0]?.split('/').pop() ?? '', ...extra };
}

export function exit(pid: number, extra: Partial<ProcEvent> = {}): ProcEvent {
  return { kind: 'exit', ts: 2_000_002, pid, ...extra };
}

/** init (1) → shell (100) → make (200): a small real-looking tree. */
export function baseScan(): ScannedProcess[] {
  return [scanned(1, 0, 1, { comm: 'init', argv: ['/sbin/init'] }), scanned(100, 1, 50), scanned(200, 100, 60)];
}
