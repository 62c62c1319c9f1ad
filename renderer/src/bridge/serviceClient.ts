/**
 * The renderer's client of the service (electron/common/bridge.ts), the same for both transports:
 * the Electron preload's IPC transport and the web host's WebSocket. Every call of the service's
 * method list becomes a method that forwards its arguments; its result type comes from the
 * interface through the transport's typed `call`.
 */
import type { ForkscopeBridge, ForkscopeService, ServiceMethod, ServiceTransport } from '../../../electron/common/bridge';
import { SERVICE_METHODS } from '../../../electron/common/guards';
import { isConnectionAware, type ConnectionAware } from './connection';

function forward<M extends ServiceMethod>(transport: ServiceTransport, method: M) {
  return (...args: Parameters<ForkscopeService[M]>) => transport.call(method, args);
}

/** A transport that can drop (web mode) keeps saying so through the client. */
export function createServiceClient(transport: ServiceTransport & ConnectionAware): ForkscopeBridge & ConnectionAware;
export function createServiceClient(transport: ServiceTransport): ForkscopeBridge;
export function createServiceClient(transport: ServiceTransport): ForkscopeBridge {
  // A mapped object built key by key is typed as a whole here: each entry is `forward(method)`,
  // whose signature is the interface's own for that method.
  const calls = Object.fromEntries(SERVICE_METHODS.map((method) => [method, forward(transport, method)])) as unknown as ForkscopeService;
  const bridge: ForkscopeBridge = {
    ...calls,
    subscribe: (listener) => transport.listen('message', listener),
    onTimeline: (listener) => transport.listen('timeline', listener),
    ack: (seq) => transport.ack(seq),
  };
  if (!isConnectionAware(transport)) return bridge;
  const connected: ForkscopeBridge & ConnectionAware = {
    ...bridge,
    get connection() {
      return transport.connection;
    },
    onConnectionChange: (listener) => transport.onConnectionChange(listener),
  };
  return connected;
}
