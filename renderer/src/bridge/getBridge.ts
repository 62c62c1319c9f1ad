/**
 * The bridge for this window: the Electron preload's `window.forkscope` when present, else a
 * WebSocket client to the web host that served this page (token from `?token=`).
 */
import type { ForkscopeBridge } from '../../../electron/common/bridge';
import { WS_PATH } from '../../../electron/common/wire';
import { WebSocketBridge } from './WebSocketBridge';

let bridge: ForkscopeBridge | null = null;

export function getBridge(): ForkscopeBridge {
  bridge ??= window.forkscope ?? new WebSocketBridge(webSocketUrl(window.location));
  return bridge;
}

export function webSocketUrl(location: Pick<Location, 'protocol' | 'host' | 'search'>): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${WS_PATH}?token=${encodeURIComponent(token)}`;
}
