/**
 * Which event source is live and why, how the reader runs, and — loudly — whether events were
 * lost and the model resynced from /proc.
 */
import type { ReactElement } from 'react';
import type { SourceStatus } from '../../../electron/common/source';
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
      {source.lostEvents > 0 ? (
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
