/**
 * Benchmark page: the app's own views component (ModelViews: the real TreeView above the real
 * ListView, as the app's default view "tree + list" lays them out), on the real TreeModel fed by a SeededStream as a Session would feed it
 * (one delta batch per ~frame), with the app's default view settings from its store, scheduled as
 * runtime.ts schedules the app: on the window's frame loop, batches applied in its model phase and
 * the model version into the store in its dom phase, once per frame.
 * `view=lifetime` measures the lifetime view alone instead (view mode "lifetimes"), following
 * live over the same stream.
 * Query: ?nodes=20000&eps=20000&seed=1&fadeMs=1500&view=both. Frame statistics are exposed on
 * window.__forkscopeBench for Playwright.
 */
import { createRoot } from 'react-dom/client';
import type { DeltaBatch } from '../../../electron/common/delta';
import { frameLoop } from '../app/frameLoop';
import { ModelViews } from '../app/ModelViews';
import { LifetimeClock } from '../lifetime/LifetimeClock';
import { LifetimeModel } from '../lifetime/LifetimeModel';
import { TreeModel } from '../model/TreeModel';
import { useAppStore, type ViewMode } from '../store/appStore';
import '../styles.css';
import { FrameRecorder, type FrameStats } from './frameStats';
import { SeededStream } from './seededStream';

export interface BenchHandle {
  params: { nodes: number; eps: number; seed: number; fadeMs: number; view: ViewMode };
  ready: boolean;
  modelSize(): number;
  batchesApplied(): number;
  startRecording(): void;
  stopRecording(): FrameStats;
}

declare global {
  interface Window {
    __forkscopeBench?: BenchHandle;
  }
}

const query = new URLSearchParams(location.search);
function numberParam(name: string, fallback: number): number {
  const value = Number(query.get(name) ?? fallback);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}
const view: ViewMode = query.get('view') === 'lifetime' ? 'lifetime' : 'both';
const params = { nodes: numberParam('nodes', 5000), eps: numberParam('eps', 20_000), seed: numberParam('seed', 1), fadeMs: numberParam('fadeMs', 1500), view };
useAppStore.getState().setViewMode(view);
useAppStore.getState().setTombstoneFadeSeconds(params.fadeMs / 1000);

const stream = new SeededStream({ seed: params.seed, initialNodes: Math.max(8, Math.round(params.nodes)), eventsPerSecond: params.eps, tombstoneMs: params.fadeMs });
const model = new TreeModel();
// The stream's virtual clock (it starts on a fixed date): the last batch's time plus the time
// since it was applied, so the lifetime view's live edge moves smoothly as in the app.
const first = stream.snapshot();
let streamTs = first.ts;
let streamAt = performance.now();
const clock = new LifetimeClock(() => streamTs + (performance.now() - streamAt));
const lifetime = new LifetimeModel(model, clock.now);
model.applySnapshot(first);
useAppStore.getState().setModelVersion(model.version);

let batches = 0;
const arrived: DeltaBatch[] = [];
const applyPhase = frameLoop.register('model', () => {
  for (const batch of arrived.splice(0)) {
    if (model.applyDelta(batch) !== 'ok') throw new Error(`bench stream broke sequence at seq ${batch.seq}`);
    batches++;
  }
  return false;
});
const versionPhase = frameLoop.register('dom', () => {
  useAppStore.getState().setModelVersion(model.version);
  return false;
});
model.onChange(() => versionPhase.schedule());

let last = performance.now();
function feed(): void {
  const now = performance.now();
  const batch = stream.next(now - last);
  last = now;
  streamTs = batch.ts;
  streamAt = now;
  arrived.push(batch);
  applyPhase.schedule();
  setTimeout(feed, 16);
}

// App's markup around the views, so styles.css sizes them alike (without its header, the views
// are a little taller here: more rows and canvas per frame, if anything). The store holds the
// app's defaults ("tree + list", no filter, kernel threads hidden, sort by pid) and the stream's fade.
function Bench() {
  const viewMode = useAppStore((s) => s.viewMode);
  return (
    <div className="app">
      <main className={`app-main mode-${viewMode}`}>
        <div className="views">
          <ModelViews model={model} lifetime={lifetime} clock={clock} onSelect={useAppStore.getState().select} />
        </div>
      </main>
    </div>
  );
}

const recorder = new FrameRecorder();
window.__forkscopeBench = {
  params,
  ready: false,
  modelSize: () => (view === 'lifetime' ? lifetime.entries.size : model.nodes.size),
  batchesApplied: () => batches,
  startRecording: () => recorder.start(),
  stopRecording: () => recorder.stop(),
};

createRoot(document.getElementById('root')!).render(<Bench />);
setTimeout(feed, 16);
window.__forkscopeBench.ready = true;
