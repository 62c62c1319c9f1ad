/** Column scan from the native worker → ScannedProcess[]. */
import type { ProcessGroup } from '../electron/common/process';
import type { ScannedProcess } from './ScannedProcess';
import { decodeArgv } from './decodeArgv';
import type { RawScan } from './loadAddon';

/** Names the group a /proc/PID/cgroup text places its process in (core's groupFromCgroup). */
export type CgroupGroupReader = (cgroupText: string) => ProcessGroup | undefined;

export function decodeScan(scan: RawScan, groupOf: CgroupGroupReader): ScannedProcess[] {
  const { strings } = scan;
  const processes: ScannedProcess[] = new Array<ScannedProcess>(scan.pid.length);
  for (let i = 0; i < scan.pid.length; i++) {
    const commOff = scan.commOff[i]!;
    const argvOff = scan.argvOff[i]!;
    const cgroupOff = scan.cgroupOff[i]!;
    const nspidOff = scan.nspidOff[i]!;
    const process: ScannedProcess = {
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
    const group = cgroupOff >= 0 ? groupOf(strings.toString('utf8', cgroupOff, cgroupOff + scan.cgroupLen[i]!)) : undefined;
    if (group) process.group = group;
    if (nspidOff >= 0) process.nsPid = strings.toString('latin1', nspidOff, nspidOff + scan.nspidLen[i]!).split(/\s+/).map(Number);
    processes[i] = process;
  }
  return processes;
}
