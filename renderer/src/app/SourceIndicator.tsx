/**
 * Which event source is live and why, how the reader runs, and — loudly — whether events were
 * lost and the model resynced from /proc.
 */
import { useState, type ReactElement } from 'react';
import type { FullCaptureFix, SourceStatus } from '../../../electron/common/source';
import { formatBytes } from '../text/format';
import { visibleText } from '../text/visibleText';

export function SourceIndicator({ source }: { source: SourceStatus | null }): ReactElement {
  if (!source) return <span className="source-indicator pending">source: waiting for the first snapshot…</span>;
  const details: string[] = [];
  if (source.priority) details.push(`reader ${source.priority}`);
  if (source.rcvbufBytes !== undefined) details.push(`rcvbuf ${formatBytes(source.rcvbufBytes)}`);
  if (source.pollIntervalMs !== undefined) details.push(`every ${source.pollIntervalMs} ms`);
  return (
    <span className="source-indicator" data-testid="source-indicator">
      <span className={`source-kind source-${source.kind}`} title={visibleText(source.reason)}>
        {source.kind === 'poll' ? 'polling /proc' : source.kind}
      </span>
      <span className="source-reason">{visibleText(source.reason)}</span>
      {details.length > 0 && <span className="source-details">{details.join(' · ')}</span>}
      {source.fullCapture && <FullCaptureButton fix={source.fullCapture} />}
      {source.kind === 'poll' ? (
        // Polling cannot count what it missed: never claim that nothing was lost.
        <span className="loss-unknown" data-testid="loss-unknown">
          short-lived processes are not seen
        </span>
      ) : source.lostEvents > 0 ? (
        <span className="loss-indicator" role="alert" data-testid="loss-indicator">
          ⚠ {source.lostEvents} event{source.lostEvents === 1 ? '' : 's'} lost
          {source.lastLossAt ? ` (last at ${new Date(source.lastLossAt).toLocaleTimeString()})` : ''} — model resynced from /proc{' '}
          {source.resyncs} time{source.resyncs === 1 ? '' : 's'}
        </span>
      ) : (
        <span className="source-ok" data-testid="loss-free">
          no events lost{source.resyncs > 0 ? ` · ${source.resyncs} resync${source.resyncs === 1 ? '' : 's'}` : ''}
        </span>
      )}
    </span>
  );
}

/** "Enable full capture": the one command, ready to copy, and what it does. */
function FullCaptureButton({ fix }: { fix: FullCaptureFix }): ReactElement {
  const [open, setOpen] = useState(false);
  return (
    <span className="full-capture">
      <button type="button" data-testid="full-capture-button" aria-expanded={open} onClick={() => setOpen(!open)}>
        Enable full capture
      </button>
      {open && (
        <span className="full-capture-fix" role="dialog" aria-label="Enable full capture" data-testid="full-capture-fix">
          <span>{visibleText(fix.explanation)} Run in a terminal:</span>
          <code>{visibleText(fix.command)}</code>
          <button type="button" onClick={() => void navigator.clipboard?.writeText(fix.command)}>
            Copy
          </button>
        </span>
      )}
    </span>
  );
}
