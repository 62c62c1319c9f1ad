/**
 * The renderer's service client on a scripted transport: every call of the service becomes a
 * method that hands its name and arguments to the transport and answers what it answers; pushes
 * and acks go through; a transport that can drop shows its connection through the client.
 */
import { describe, expect, it } from 'vitest';
import type { ServiceEvent, ServiceTransport } from '../../../electron/common/bridge';
import { SERVICE_METHODS } from '../../../electron/common/guards';
import type { ConnectionAware, ConnectionState } from './connection';
import { isConnectionAware } from './connection';
import { createServiceClient } from './serviceClient';

function scriptedTransport() {
  const calls: Array<[string, unknown[]]> = [];
  const listening: ServiceEvent[] = [];
  const acks: number[] = [];
  const transport: ServiceTransport = {
    call: (method, args) => {
      calls.push([method, args]);
      return Promise.resolve(`answer of ${method}` as never);
    },
    listen: (event) => {
      listening.push(event);
      return () => {};
    },
    ack: (seq) => void acks.push(seq),
  };
  return { transport, calls, listening, acks };
}

describe('createServiceClient', () => {
  it('makes every call of the service a method that forwards its name and arguments', async () => {
    const { transport, calls } = scriptedTransport();
    const client = createServiceClient(transport);
    expect(SERVICE_METHODS.length).toBeGreaterThan(10);
    for (const method of SERVICE_METHODS) {
      const forward = client[method] as (...args: unknown[]) => Promise<unknown>;
      expect(await forward(1, 'two'), method).toBe(`answer of ${method}`);
    }
    expect(calls).toEqual(SERVICE_METHODS.map((method) => [method, [1, 'two']]));
  });

  it('listens to the pushes, sends acks, and is connection-aware only over a transport that is', () => {
    const { transport, listening, acks } = scriptedTransport();
    const client = createServiceClient(transport);
    client.subscribe(() => {});
    client.onTimeline(() => {});
    client.ack(12);
    expect(listening).toEqual(['message', 'timeline']);
    expect(acks).toEqual([12]);
    expect(isConnectionAware(client)).toBe(false);

    let state: ConnectionState = { status: 'connecting', attempt: 1 };
    const changes: string[] = [];
    const dropping: ServiceTransport & ConnectionAware = {
      ...transport,
      get connection() {
        return state;
      },
      onConnectionChange: (listener) => {
        listener({ status: 'connected' });
        return () => {};
      },
    };
    const web = createServiceClient(dropping);
    expect(web.connection.status).toBe('connecting');
    state = { status: 'connected' };
    expect(web.connection.status).toBe('connected');
    web.onConnectionChange((next) => changes.push(next.status));
    expect(changes).toEqual(['connected']);
  });
});
