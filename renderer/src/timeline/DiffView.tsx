/** The diff of two marked moments: what started, what ended (and how), what changed. */
import type { ReactElement } from 'react';
import type { ProcessInfo } from '../../../electron/common/process';
import type { TimelineDiff } from '../../../electron/common/timeline';
import { describeExitShort } from '../text/format';
import { clippedText, commandLine } from '../text/visibleText';
import { formatMoment } from './timeScale';

/** Rows shown per section; the counts in the headings stay exact. */
const MAX_ROWS = 200;

function describe(p: ProcessInfo): string {
  return `${p.pid} ${commandLine(p.argv, p.comm, 120)}`;
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return value.join(' ');
  return value === undefined || value === null ? '—' : String(value);
}

export function DiffView({ diff, onClose }: { diff: TimelineDiff; onClose: () => void }): ReactElement {
  const counts = Object.entries(diff.eventCounts)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
  return (
    <section className="diff-view" aria-label="Difference between marks" data-testid="diff-view">
      <header>
        <strong>
          {formatMoment(diff.from)} → {formatMoment(diff.to)}
        </strong>
        <span className="diff-events">{counts || 'no events'}</span>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </header>
      <div className="diff-columns">
        <div>
          <h3>Started ({diff.started.length})</h3>
          <ul>
            {diff.started.slice(0, MAX_ROWS).map((p) => (
              <li key={p.key}>{describe(p)}</li>
            ))}
          </ul>
        </div>
        <div>
          <h3>Ended ({diff.ended.length})</h3>
          <ul>
            {diff.ended.slice(0, MAX_ROWS).map(({ process, exit }) => (
              <li key={process.key}>
                {describe(process)}
                <span className="exit-note"> ({exit ? describeExitShort(exit) : 'gone'})</span>
              </li>
            ))}
          </ul>
        </div>
        <div>
          <h3>Changed ({diff.changed.length})</h3>
          <ul>
            {diff.changed.slice(0, MAX_ROWS).map((change) => (
              <li key={change.key}>
                {change.pid}:{' '}
                {Object.entries(change.fields)
                  .map(([field, values]) => `${field} ${clippedText(describeValue(values?.before), 60)} → ${clippedText(describeValue(values?.after), 60)}`)
                  .join('; ')}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}
