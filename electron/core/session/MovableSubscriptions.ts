/**
 * Client subscriptions that can all be moved to a new source at once: a replay that rebuilds its
 * Session after a backward seek, a host switching between live, a rewound ring and a file. A
 * moved client is subscribed afresh, so it receives the new source's snapshot first and needs no
 * special case. Clients keep the same handle throughout.
 */
import type { ServerMessage } from '../../common/delta';
import type { EngineSubscription } from '../../common/hostEngine';

export interface SubscriptionSource {
  subscribe(listener: (message: ServerMessage) => void): EngineSubscription;
}

interface Client {
  listener: (message: ServerMessage) => void;
  inner: EngineSubscription;
}

export class MovableSubscriptions {
  private readonly clients = new Set<Client>();

  /** `current` names the source that new and moved clients subscribe to. */
  constructor(private readonly current: () => SubscriptionSource) {}

  subscribe(listener: (message: ServerMessage) => void): EngineSubscription {
    const client: Client = { listener, inner: this.current().subscribe(listener) };
    this.clients.add(client);
    return {
      ack: (seq) => client.inner.ack(seq),
      requestSnapshot: () => client.inner.requestSnapshot(),
      close: () => {
        client.inner.close();
        this.clients.delete(client);
      },
    };
  }

  /** Every client now follows the current source, starting from its snapshot. */
  moveAll(): void {
    for (const client of this.clients) {
      client.inner.close();
      client.inner = this.current().subscribe(client.listener);
    }
  }

  closeAll(): void {
    for (const client of this.clients) client.inner.close();
    this.clients.clear();
  }
}
