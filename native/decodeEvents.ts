/** Column batch from the reader thread → ProcEvent[] (electron/common/events.ts). */
import { EVENT_KINDS, decodeWaitStatus, type ProcEvent } from '../electron/common/events';
import { decodeArgv } from './decodeArgv';
import type { RawEventBatch } from './loadAddon';

/** Mirrors EventFlag in native/src/event_batch.h. */
const FLAG_ARGV_TRUNCATED = 1;
const FLAG_ARGV_LOSSY = 2;

/** Mirrors LostReason in native/src/event_batch.h. */
const LOST_REASONS: Readonly<Record<number, string>> = {
  1: 'ENOBUFS',
  2: 'sequence gap',
  3: 'queue full',
  4: 'undelivered batch',
};

export function decodeEventBatch(batch: RawEventBatch): ProcEvent[] {
  const { strings } = batch;
  const text = (off: number, len: number): string => strings.toString('utf8', off, off + len);
  const events: ProcEvent[] = new Array<ProcEvent>(batch.kind.length);

  for (let i = 0; i < batch.kind.length; i++) {
    const kind = EVENT_KINDS[batch.kind[i]!];
    if (kind === undefined) throw new Error(`native batch has unknown event kind ${batch.kind[i]}`);
    const pid = batch.pid[i]!;
    const tid = batch.tid[i]!;
    const event: ProcEvent = { kind, ts: batch.ts[i]!, pid };

    if (kind === 'lost') {
      const count = batch.kindValue1[i]!;
      const reason = batch.kindValue2[i]!;
      if (count >= 0) event.count = count;
      event.reason = LOST_REASONS[reason] ?? `unknown (${reason})`;
      events[i] = event;
      continue;
    }
    if (kind === 'thread-start' || kind === 'thread-exit' || tid !== pid) event.tid = tid;
    const ppid = batch.ppid[i]!;
    // The kernel leaves the parent of an exiting non-leader thread at 0: that is "not reported",
    // not a parent (only init and kthreadd have parent 0, and they do not exit).
    if (ppid > 0 || (ppid === 0 && kind !== 'thread-exit')) event.ppid = ppid;
    const startTime = batch.startTime[i]!;
    if (startTime >= 0) event.startTime = startTime;
    const commOff = batch.commOff[i]!;
    if (commOff >= 0) event.comm = text(commOff, batch.commLen[i]!);

    switch (kind) {
      case 'exec': {
        const argvOff = batch.argvOff[i]!;
        if (argvOff >= 0) {
          event.argv = decodeArgv(strings, argvOff, batch.argvLen[i]!);
          const flags = batch.flags[i]!;
          if (flags & FLAG_ARGV_LOSSY) event.argvLossy = true;
          if (flags & FLAG_ARGV_TRUNCATED) event.argvTruncated = true;
        }
        const exeOff = batch.exeOff[i]!;
        if (exeOff >= 0) event.exe = text(exeOff, batch.exeLen[i]!);
        break;
      }
      case 'exit':
      case 'thread-exit':
        Object.assign(event, decodeWaitStatus(batch.kindValue1[i]!));
        event.exitSignal = batch.kindValue2[i]!;
        break;
      case 'uid':
        event.ruid = batch.kindValue1[i]! >>> 0;
        event.euid = batch.kindValue2[i]! >>> 0;
        break;
      case 'gid':
        event.rgid = batch.kindValue1[i]! >>> 0;
        event.egid = batch.kindValue2[i]! >>> 0;
        break;
      case 'ptrace':
        event.tracer = batch.kindValue1[i]!;
        break;
      default:
        break;
    }
    const cpu = batch.cpu[i]!;
    if (cpu >= 0) event.cpu = cpu;
    events[i] = event;
  }
  return events;
}
