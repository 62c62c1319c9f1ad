/** The transport's state, shown in the header ("disconnected, retrying in 4 s"). */
export type ConnectionState =
  | { status: 'connecting'; attempt: number }
  | { status: 'connected' }
  | { status: 'disconnected'; reason: string; retryAt: number };

/** A bridge whose transport can drop (web mode). The Electron preload bridge is always connected. */
export interface ConnectionAware {
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
  readonly connection: ConnectionState;
}

export function isConnectionAware(value: object): value is ConnectionAware {
  return 'onConnectionChange' in value && typeof (value as ConnectionAware).onConnectionChange === 'function';
}
