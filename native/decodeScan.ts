/** Column scan from the native worker → ScannedProcess[] (electron/core/procfs). */
import type { ScannedProcess } from '../electron/core/procfs/ScannedProcess';
import { decodeArgv } from './decodeArgv';
import type { RawScan } from './loadAddon';

export function decodeScan(scan: RawScan): ScannedProcess[] {
  const { strings } = scan;
  const processes: ScannedProcess[] = new Array<ScannedProcess>(scan.pid.length);
  for (let i = 0; i < scan.pid.length; i++) {
    const commOff = scan.commOff[i]!;
    const argvOff = scan.argvOff[i]!;
    processes[i] = {
      pid: scan.pid[i]!,
      ppid: scan.ppid[i]!,
      startTime: scan.startTime[i]!,
      uid: scan.uid[i]! >>> 0,
      comm: strings.toString('utf8', commOff, commOff + scan.commLen[i]!),
      argv: argvOff >= 0 ? decodeArgv(strings, argvOff, scan.argvLen[i]!) : null,
      state: String.fromCharCode(scan.state[i]!),
      threads: scan.threads[i]!,
      rssKb: scan.rssKb[i]!,
      cpuTicks: scan.cpuTicks[i]!,
      kernelThread: scan.kernelThread[i]! === 1,
    };
  }
  return processes;
}
