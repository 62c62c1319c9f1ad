/**
 * The storm meter: events per second by kind with a minute of history, and who is forking most
 * right now. Reads the StormMeter a few times a second (not per batch: a storm sends 60/s).
 */
import { useEffect, useState, type ReactElement } from 'react';
import type { TreeModel } from '../model/TreeModel';
import { Sparkline } from '../detail/Sparkline';
import { formatRate } from '../text/format';
import { commandLine } from '../text/visibleText';
import { STORM_KINDS, type StormKind, type StormMeter } from './StormMeter';

const LABELS: Record<StormKind, string> = {
  fork: 'fork',
  exec: 'exec',
  exit: 'exit',
  threadStart: 'thread+',
  threadExit: 'thread−',
  other: 'other',
  lost: 'lost',
};

const REFRESH_MS = 500;

export function StormPanel({ meter, model, onSelect }: { meter: StormMeter; model: TreeModel; onSelect(pid: number): void }): ReactElement {
  const [now, setNow] = useState(() => Date.now());
  // Its own clock, not the frame loop: rates are per second of wall time and must decay to zero
  // after a storm when no frame runs, and 2 Hz is as fast as anyone reads them. It re-renders
  // only this panel (the window does not re-render per tick or per model version).
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const rates = meter.rates(now);
  const spawners = meter.topSpawners(now);
  return (
    <aside className="storm-panel" aria-label="Storm meter" data-testid="storm-meter">
      <div className="storm-rates">
        {STORM_KINDS.map((kind) => (
          <span key={kind} className={`storm-rate${kind === 'lost' && rates.lost > 0 ? ' alarm' : ''}`}>
            <b>{formatRate(rates[kind])}</b> {LABELS[kind]}/s
          </span>
        ))}
        <Sparkline values={meter.history('all', now)} label="Events per second, last minute" width={120} height={24} />
      </div>
      <div className="storm-spawners">
        <span>Top spawners:</span>
        {spawners.length === 0 ? (
          <span> none</span>
        ) : (
          spawners.map(({ pid, forks }) => {
            const node = model.liveByPid(pid);
            return (
              <button key={pid} type="button" className="link" onClick={() => onSelect(pid)}>
                {pid} {node ? commandLine(node.info.argv, node.info.comm, 40) : ''} ({forks})
              </button>
            );
          })
        )}
      </div>
    </aside>
  );
}
