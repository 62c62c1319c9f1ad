/**
 * The Electron IPC channels, derived from the service (bridge.ts): one invoke channel per call,
 * one push channel per event, and the acks. The preload opens only these; main handles every
 * call channel and validates every argument (guards.ts SERVICE_GUARDS).
 */
import type { ServiceEvent, ServiceMethod } from './bridge';

/** renderer → main, request/response (ipcRenderer.invoke / ipcMain.handle). */
export function callChannel(method: ServiceMethod): `forkscope:call:${ServiceMethod}` {
  return `forkscope:call:${method}`;
}

/** main → renderer pushes (webContents.send / ipcRenderer.on); a Record, so every event has one. */
export const EVENT_CHANNELS: Readonly<Record<ServiceEvent, string>> = {
  message: 'forkscope:message',
  timeline: 'forkscope:timeline',
};

/** renderer → main, fire and forget (ipcRenderer.send / ipcMain.on): a delta was applied. */
export const ACK_CHANNEL = 'forkscope:ack';

/** Own keys only: '__proto__' or 'toString' is no event. */
export function isServiceEvent(name: unknown): name is ServiceEvent {
  return typeof name === 'string' && Object.hasOwn(EVENT_CHANNELS, name);
}
