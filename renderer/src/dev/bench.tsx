/**
 * Benchmark page: the real TreeView and TreeModel fed by a SeededStream, as a Session would feed
 * them (one delta batch per ~frame, applied on the main thread). Query: ?nodes=20000&eps=20000
 * &seed=1&fadeMs=1500. Frame statistics are exposed on window.__forkscopeBench for Playwright.
 */
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { ProcKey } from '../../../electron/common/process';
import { TreeModel } from '../model/TreeModel';
import { TreeView } from '../tree/TreeView';
import { FrameRecorder, type FrameStats } from './frameStats';
import { SeededStream } from './seededStream';

export interface BenchHandle {
  params: { nodes: number; eps: number; seed: number; fadeMs: number };
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
const params = { nodes: numberParam('nodes', 5000), eps: numberParam('eps', 20_000), seed: numberParam('seed', 1), fadeMs: numberParam('fadeMs', 1500) };

const stream = new SeededStream({ seed: params.seed, initialNodes: Math.max(8, Math.round(params.nodes)), eventsPerSecond: params.eps, tombstoneMs: params.fadeMs });
const model = new TreeModel();
model.applySnapshot(stream.snapshot());

let batches = 0;
let last = performance.now();
function feed(): void {
  const now = performance.now();
  const batch = stream.next(now - last);
  last = now;
  if (model.applyDelta(batch) !== 'ok') throw new Error(`bench stream broke sequence at seq ${batch.seq}`);
  batches++;
  setTimeout(feed, 16);
}

function Bench() {
  const [version, setVersion] = useState(model.version);
  const [selected, setSelected] = useState<ProcKey | null>(null);
  useEffect(() => model.onChange((v) => setVersion(v)), []);
  return <TreeView model={model} version={version} selectedKey={selected} onSelect={setSelected} filter={null} hidden={null} focusKey={null} fadeMs={params.fadeMs} />;
}

const recorder = new FrameRecorder();
window.__forkscopeBench = {
  params,
  ready: false,
  modelSize: () => model.nodes.size,
  batchesApplied: () => batches,
  startRecording: () => recorder.start(),
  stopRecording: () => recorder.stop(),
};

createRoot(document.getElementById('root')!).render(<Bench />);
setTimeout(feed, 16);
window.__forkscopeBench.ready = true;
