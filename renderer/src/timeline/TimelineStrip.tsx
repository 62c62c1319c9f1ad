/**
 * The timeline under the views: event density over time (a canvas histogram, losses in red), a
 * playhead to drag (the host seeks through keyframes), play/pause at 0.1×–10×, step ±1 event,
 * "Live" to come back from a rewind, marks A and B and their diff, exports, the record button,
 * and opening a recording (button or drop a file on the window).
 */
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactElement } from 'react';
import type { TimelineBridge, TimelineDensity, TimelineDiff, ExportFormat } from '../../../electron/common/timeline';
import { visibleText } from '../text/visibleText';
import { DiffView } from './DiffView';
import { downloadFile } from './downloadFile';
import { latestOnly } from './latestOnly';
import { barHeight, densityColumns, formatMoment, PLAYBACK_SPEEDS, timeToX, xToTime, type TimeRange } from './timeScale';
import { messageOf, useTimeline } from './useTimeline';
import { useRecordingDrop } from './useRecordingDrop';
import './timeline.css';

const STRIP_HEIGHT = 48;

export function TimelineStrip({ timeline }: { timeline: TimelineBridge }): ReactElement {
  const { state, density, error, setError } = useTimeline(timeline);
  const [dragTime, setDragTime] = useState<number | null>(null);
  const [marks, setMarks] = useState<{ a: number | null; b: number | null }>({ a: null, b: null });
  const [diff, setDiff] = useState<TimelineDiff | null>(null);
  const [speed, setSpeed] = useState(1);
  const [busy, setBusy] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  // One runner per timeline (setError is a state setter, stable): a runner made per render would
  // lose track of the seek in flight.
  const seeker = useMemo(
    () => latestOnly((ts: number) => timeline.seek(ts), (reason) => setError(`seek: ${messageOf(reason)}`)),
    [timeline, setError],
  );

  const run = useCallback(
    (label: string, action: () => Promise<unknown>) => {
      setBusy(label);
      setError(null);
      action().then(
        () => setBusy(null),
        (reason: unknown) => {
          setBusy(null);
          setError(`${label}: ${messageOf(reason)}`);
        },
      );
    },
    [setError],
  );

  const openFile = useCallback(
    (file: File) => run(`open ${file.name}`, async () => timeline.openRecording(file.name, new Uint8Array(await file.arrayBuffer()))),
    [run, timeline],
  );
  const dropping = useRecordingDrop(openFile);

  // A new recording shown: marks and diff of the previous one mean nothing here.
  const shownId = state ? `${state.mode}|${state.label}` : '';
  useEffect(() => {
    setMarks({ a: null, b: null });
    setDiff(null);
  }, [shownId]);

  const live = state?.mode === 'live';
  const playback = state?.playback;
  const range: TimeRange | null = playback ?? density;
  const shownTime = dragTime ?? playback?.time ?? density?.end ?? null;

  const scrubTo = (ts: number): void => {
    setDragTime(ts);
    seeker(ts);
  };

  const exportAs = (format: ExportFormat): void =>
    run(`export ${format}`, async () => {
      const ranged = marks.a !== null && marks.b !== null;
      const request = ranged ? { format, from: Math.min(marks.a as number, marks.b as number), to: Math.max(marks.a as number, marks.b as number) } : { format };
      downloadFile(await timeline.exportRecording(request));
    });

  return (
    <section className={`timeline${dropping ? ' dropping' : ''}`} aria-label="Timeline" data-testid="timeline" data-mode={state?.mode ?? ''}>
      <div className="toolbar timeline-controls" role="toolbar" aria-label="Playback">
        <span className="timeline-label" data-testid="timeline-label">
          {live ? '● Live' : `Replay: ${visibleText(state?.label ?? '')}`}
        </span>
        <button type="button" aria-label="Step back one event" onClick={() => run('step', () => timeline.step(-1))} disabled={!state}>
          Step −1
        </button>
        {playback?.playing ? (
          <button type="button" onClick={() => run('pause', () => timeline.pause())}>
            Pause
          </button>
        ) : (
          <button type="button" disabled={!state || live} onClick={() => run('play', () => timeline.play(speed))}>
            Play
          </button>
        )}
        <button type="button" aria-label="Step forward one event" onClick={() => run('step', () => timeline.step(1))} disabled={!state || live}>
          Step +1
        </button>
        <label>
          Speed{' '}
          <select
            value={speed}
            onChange={(event) => {
              const next = Number(event.target.value);
              setSpeed(next);
              if (playback?.playing) run('speed', () => timeline.play(next));
            }}
          >
            {PLAYBACK_SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s}×
              </option>
            ))}
          </select>
        </label>
        {!live && state?.liveAvailable && (
          <button type="button" onClick={() => run('live', () => timeline.goLive())}>
            Live
          </button>
        )}
        <span className="timeline-time" data-testid="timeline-time">
          {shownTime === null ? '—' : formatMoment(shownTime)}
          {playback ? ` · event ${playback.position}` : ''}
        </span>
        <button type="button" disabled={shownTime === null} onClick={() => setMarks((m) => ({ ...m, a: shownTime }))}>
          Mark A{marks.a !== null ? ` (${formatMoment(marks.a)})` : ''}
        </button>
        <button type="button" disabled={shownTime === null} onClick={() => setMarks((m) => ({ ...m, b: shownTime }))}>
          Mark B{marks.b !== null ? ` (${formatMoment(marks.b)})` : ''}
        </button>
        <button
          type="button"
          disabled={marks.a === null || marks.b === null}
          onClick={() => run('diff', async () => setDiff(await timeline.diff(marks.a as number, marks.b as number)))}
        >
          Diff A→B
        </button>
        <button type="button" disabled={!density} onClick={() => exportAs('perfetto')}>
          Export Perfetto
        </button>
        <button type="button" disabled={!density} onClick={() => exportAs('ndjson')}>
          Export NDJSON
        </button>
        {live &&
          (state?.recording ? (
            <button type="button" className="recording" onClick={() => run('stop recording', async () => downloadFile(await timeline.stopRecording()))}>
              ■ Stop recording ({state.recording.events} events)
            </button>
          ) : (
            <button type="button" onClick={() => run('record', () => timeline.startRecording())}>
              ● Record
            </button>
          ))}
        <button type="button" onClick={() => fileInput.current?.click()}>
          Open recording…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".fsrec,application/octet-stream"
          hidden
          data-testid="open-recording-input"
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) openFile(file);
            event.target.value = '';
          }}
        />
        {busy && <span className="timeline-busy">{busy}…</span>}
      </div>
      {error && (
        <div className="banner alarm" role="alert">
          {visibleText(error)}
        </div>
      )}
      {state?.notes?.map((note, i) => (
        <div key={i} className="banner warning" role="status">
          {visibleText(note)}
        </div>
      ))}
      <DensityCanvas
        density={density}
        range={range}
        time={shownTime}
        marks={marks}
        onScrub={scrubTo}
        onScrubEnd={() => setDragTime(null)}
      />
      {diff && <DiffView diff={diff} onClose={() => setDiff(null)} />}
    </section>
  );
}

interface DensityCanvasProps {
  density: TimelineDensity | null;
  range: TimeRange | null;
  time: number | null;
  marks: { a: number | null; b: number | null };
  onScrub(ts: number): void;
  onScrubEnd(): void;
}

function DensityCanvas({ density, range, time, marks, onScrub, onScrubEnd }: DensityCanvasProps): ReactElement {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(0);

  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry?.contentRect.width ?? 0)));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // The playhead moves many times a second while playing or dragging; the bars only change with
  // the density or the width, so they are folded once, and the canvas is resized only when needed.
  const columns = useMemo(() => (density && width > 0 ? densityColumns(density, width) : null), [density, width]);

  useEffect(() => {
    const element = canvas.current;
    const context = element?.getContext('2d');
    if (!element || !context || width === 0) return;
    const ratio = window.devicePixelRatio || 1;
    const pixelWidth = Math.round(width * ratio);
    const pixelHeight = Math.round(STRIP_HEIGHT * ratio);
    if (element.width !== pixelWidth) element.width = pixelWidth;
    if (element.height !== pixelHeight) element.height = pixelHeight;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    const styles = getComputedStyle(element);
    context.clearRect(0, 0, width, STRIP_HEIGHT);
    if (columns && range) {
      context.fillStyle = styles.getPropertyValue('--timeline-bar').trim() || '#5b8def';
      columns.counts.forEach((count, x) => {
        const h = barHeight(count, columns.max, STRIP_HEIGHT - 4);
        if (h > 0) context.fillRect(x, STRIP_HEIGHT - h, 1, h);
      });
      context.fillStyle = '#d93025';
      for (const x of columns.losses) context.fillRect(x, 0, 2, STRIP_HEIGHT);
      for (const [label, mark] of [['A', marks.a], ['B', marks.b]] as const) {
        if (mark === null) continue;
        const x = timeToX(mark, range, width);
        context.fillStyle = styles.getPropertyValue('--timeline-mark').trim() || '#a142f4';
        context.fillRect(x, 0, 1, STRIP_HEIGHT);
        context.fillText(label, Math.min(width - 8, x + 2), 10);
      }
    }
    if (range && time !== null) {
      const x = timeToX(time, range, width);
      context.fillStyle = styles.getPropertyValue('--timeline-playhead').trim() || '#f29900';
      context.fillRect(Math.max(0, x - 1), 0, 2, STRIP_HEIGHT);
    }
  }, [columns, range, time, marks, width]);

  const timeAt = (event: PointerEvent<HTMLCanvasElement>): number | null => {
    if (!range) return null;
    const box = event.currentTarget.getBoundingClientRect();
    return xToTime(event.clientX - box.left, range, box.width);
  };

  const onKey = (event: KeyboardEvent<HTMLCanvasElement>): void => {
    if (!range || time === null) return;
    const stepMs = (range.end - range.start) / (event.shiftKey ? 10 : 100);
    const next = event.key === 'ArrowLeft' ? time - stepMs : event.key === 'ArrowRight' ? time + stepMs : event.key === 'Home' ? range.start : event.key === 'End' ? range.end : null;
    if (next === null) return;
    event.preventDefault();
    onScrub(Math.min(range.end, Math.max(range.start, next)));
    onScrubEnd();
  };

  return (
    <canvas
      ref={canvas}
      className="timeline-canvas"
      style={{ height: STRIP_HEIGHT }}
      role="slider"
      tabIndex={0}
      aria-label="Time"
      aria-valuemin={range?.start}
      aria-valuemax={range?.end}
      aria-valuenow={time ?? undefined}
      aria-valuetext={time === null ? 'no recording' : formatMoment(time)}
      data-testid="timeline-canvas"
      onPointerDown={(event) => {
        const ts = timeAt(event);
        if (ts === null) return;
        event.currentTarget.setPointerCapture(event.pointerId);
        onScrub(ts);
      }}
      onPointerMove={(event) => {
        if (!event.currentTarget.hasPointerCapture(event.pointerId)) return;
        const ts = timeAt(event);
        if (ts !== null) onScrub(ts);
      }}
      onPointerUp={onScrubEnd}
      onPointerCancel={onScrubEnd}
      onKeyDown={onKey}
    />
  );
}
