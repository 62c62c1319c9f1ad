/**
 * The bridge for this window: the service client on the Electron preload's IPC transport
 * (`window.forkscope`) when present, else on a WebSocket to the web host that served this page
 * (token from `?token=`).
 */
import type { ForkscopeBridge } from '../../../electron/common/bridge';
import { WS_PATH } from '../../../electron/common/wire';
import { createServiceClient } from './serviceClient';
import { WebSocketTransport } from './WebSocketTransport';

let bridge: ForkscopeBridge | null = null;

export function getBridge(): ForkscopeBridge {
  bridge ??= createServiceClient(window.forkscope ?? new WebSocketTransport(webSocketUrl(window.location)));
  return bridge;
}

export function webSocketUrl(location: Pick<Location, 'protocol' | 'host' | 'search'>): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${WS_PATH}?token=${encodeURIComponent(token)}`;
}
