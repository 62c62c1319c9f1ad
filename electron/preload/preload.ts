/**
 * The sandboxed preload: exposes window.forkscope (ForkscopeBridge) through contextBridge. The
 * renderer gets functions bound to the typed channels of ipc.ts and nothing else: no raw
 * ipcRenderer, no event objects (they carry `sender`), no way to name another channel.
 * Sandboxed preloads may require only 'electron' (bundled by esbuild into one CJS file).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ForkscopeBridge } from '../common/bridge';
import type { InvokeChannel, InvokeChannels, PushChannel, PushChannels, SendChannel, SendChannels } from '../common/ipc';
import type { TimelineBridge } from '../common/timeline';

function invoke<C extends InvokeChannel>(channel: C, ...args: InvokeChannels[C]['args']): Promise<InvokeChannels[C]['result']> {
  return ipcRenderer.invoke(channel, ...args) as Promise<InvokeChannels[C]['result']>;
}

function send<C extends SendChannel>(channel: C, ...args: SendChannels[C]['args']): void {
  ipcRenderer.send(channel, ...args);
}

/** Listen to a push channel; the listener gets the payload, never the event (it carries `sender`). */
function listen<C extends PushChannel>(channel: C, listener: (...args: PushChannels[C]['args']) => void): () => void {
  const forward = (_event: IpcRendererEvent, ...args: PushChannels[C]['args']): void => listener(...args);
  ipcRenderer.on(channel, forward);
  return () => void ipcRenderer.removeListener(channel, forward);
}

const timeline: TimelineBridge = {
  timelineState: () => invoke('forkscope:timeline-state'),
  onTimeline: (listener) => listen('forkscope:timeline', listener),
  timeline: (buckets) => invoke('forkscope:timeline-density', buckets),
  seek: (ts) => invoke('forkscope:timeline-seek', ts),
  play: (speed) => invoke('forkscope:timeline-play', speed),
  pause: () => invoke('forkscope:timeline-pause'),
  step: (direction) => invoke('forkscope:timeline-step', direction),
  goLive: () => invoke('forkscope:timeline-go-live'),
  diff: (from, to) => invoke('forkscope:timeline-diff', { from, to }),
  exportRecording: (request) => invoke('forkscope:timeline-export', request),
  startRecording: () => invoke('forkscope:timeline-start-recording'),
  stopRecording: () => invoke('forkscope:timeline-stop-recording'),
  openRecording: (name, bytes) => invoke('forkscope:timeline-open-recording', name, bytes),
};

const bridge: ForkscopeBridge = {
  hello: () => invoke('forkscope:hello'),
  subscribe: (listener) => listen('forkscope:message', listener),
  requestSnapshot: () => invoke('forkscope:snapshot'),
  ack: (seq) => send('forkscope:ack', seq),
  getDetail: (request) => invoke('forkscope:detail', request),
  sendSignal: (request) => invoke('forkscope:signal', request),
  timeline,
};

contextBridge.exposeInMainWorld('forkscope', bridge);
