/**
 * The lifetime view: every process as a bar from fork to exit on a time axis, rows in fork
 * lineage, storms folded. React mounts the canvas and the toolbar; the LifetimeCanvas engine
 * draws from the shared frame loop and handles input outside React.
 *
 * The canvas is an image to assistive tech; the rows on screen are also listed as text (visually
 * hidden), each with where its bar is drawn, so a screen reader — and an end-to-end test — can
 * find a bar the way a sighted person finds it by eye.
 */
import { memo, useEffect, useRef, useState, type ReactElement } from 'react';
import type { ProcessInfo, ProcKey } from '../../../electron/common/process';
import { useFrameLoop } from '../app/RuntimeContext';
import { downloadBlob } from '../timeline/downloadFile';
import './lifetime.css';
import { LifetimeCanvas, type LifetimeSettings, type LifetimeStatus } from './LifetimeCanvas';
import type { LifetimeModel } from './LifetimeModel';
import type { RowOrder } from './rows';

export interface LifetimeViewProps {
  lifetime: LifetimeModel;
  now(): number;
  selectedKey: ProcKey | null;
  onSelect(key: ProcKey | null): void;
  hidden: ((info: ProcessInfo) => boolean) | null;
}

/** Memoised: the views around it re-render per model version, which this view follows by itself. */
export const LifetimeView = memo(function LifetimeView(props: LifetimeViewProps): ReactElement {
  const { lifetime, now, selectedKey, onSelect, hidden } = props;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const tooltipRef = useRef<HTMLDivElement>(null);
  const engineRef = useRef<LifetimeCanvas | null>(null);
  const frames = useFrameLoop();
  const [order, setOrder] = useState<RowOrder>('start');
  const [status, setStatus] = useState<LifetimeStatus>({ follow: true, rows: 0, building: true, shownEnd: 0, visible: [] });
  const [exportError, setExportError] = useState<string | null>(null);
  const settings: LifetimeSettings = { lifetime, now, selectedKey, onSelect, hidden, order };
  const settingsRef = useRef(settings);
  settingsRef.current = settings;

  useEffect(() => {
    const canvas = canvasRef.current;
    const tooltip = tooltipRef.current;
    if (!canvas || !tooltip) return;
    const engine = new LifetimeCanvas(canvas, tooltip, settingsRef.current, setStatus, frames);
    engineRef.current = engine;
    return () => {
      engine.dispose();
      engineRef.current = null;
    };
  }, [frames]);

  useEffect(() => {
    engineRef.current?.update(settingsRef.current);
  }, [lifetime, now, selectedKey, onSelect, hidden, order]);

  const exportPng = (): void => {
    const engine = engineRef.current;
    if (!engine) return;
    engine.toPng().then(
      (blob) => {
        setExportError(null);
        downloadBlob(blob, `forkscope-lifetimes-${new Date().toISOString().replace(/[:.]/g, '-')}.png`);
      },
      (error: unknown) => setExportError(error instanceof Error ? error.message : String(error)),
    );
  };

  return (
    <div className="lifetime-view">
      <div className="toolbar lifetime-toolbar" role="toolbar" aria-label="Lifetimes">
        <button type="button" aria-pressed={status.follow} onClick={() => engineRef.current?.followLive()} data-testid="lifetime-follow">
          Follow live
        </button>
        <button type="button" onClick={() => engineRef.current?.fit()} title="Show the selected process's whole life, or everything since watching began">
          Fit
        </button>
        <label>
          Order{' '}
          <select value={order} onChange={(event) => setOrder(event.target.value as RowOrder)} data-testid="lifetime-order">
            <option value="start">by start</option>
            <option value="duration">longest first</option>
          </select>
        </label>
        <button type="button" onClick={exportPng} data-testid="lifetime-export">
          Export PNG
        </button>
        <span className="lifetime-hint">
          {status.rows} rows · wheel scrolls, Ctrl+wheel zooms, drag pans, click selects or opens a fold
        </span>
        {exportError && <span className="error">Export failed: {exportError}</span>}
      </div>
      <div className="lifetime-canvas">
        <canvas ref={canvasRef} tabIndex={0} role="img" aria-label={`Process lifetimes: ${status.rows} rows`}
          aria-busy={status.building}
          data-shown-end={Math.round(status.shownEnd)}
          data-testid="lifetime-canvas"
        />
        <div ref={tooltipRef} className="lifetime-tooltip" role="tooltip" hidden data-testid="lifetime-tooltip" />
      </div>
      <ol className="visually-hidden" aria-label="Lifetimes on screen" data-testid="lifetime-rows">
        {status.visible.map((row) => (
          <li key={row.key} data-kind={row.kind} data-key={row.key} data-depth={row.depth} data-life-ms={Math.round(row.lifeMs)} data-x={Math.round(row.x)} data-y={Math.round(row.y)}>
            {row.text}
          </li>
        ))}
      </ol>
    </div>
  );
});
