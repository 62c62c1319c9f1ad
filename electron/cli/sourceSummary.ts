/**
 * The live source as the CLI prints it on stderr: which source, how the reader runs, why, and —
 * when capture is not full — the one command that enables it.
 */
import type { SourceStatus } from '../common/source';

export function describeSource(status: SourceStatus): string {
  const capture = status.capture === 'helper' ? ' via the capture helper' : '';
  const priority = status.priority ? `, reader ${status.priority}` : '';
  const rcvbuf = status.rcvbufBytes ? `, rcvbuf ${status.rcvbufBytes} bytes` : '';
  const fix = status.fullCapture ? `; full capture: ${status.fullCapture.command}` : '';
  return `${status.kind}${capture}${priority}${rcvbuf} (${status.reason})${fix}`;
}

/**
 * What is known of loss: counted for netlink; for polling, nothing can be counted, and saying
 * "0 lost" would be a lie.
 */
export function describeLoss(status: SourceStatus): string {
  if (status.kind === 'poll') {
    // A fallback from netlink keeps what was counted before polling began.
    const before = status.lostEvents > 0 ? `${status.lostEvents} lost before polling began, then ` : '';
    return `${before}loss not measurable (polling misses short-lived processes)`;
  }
  return `${status.lostEvents} lost, ${status.resyncs} resyncs`;
}
