/** What the header shows about the live connection. */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface ConnectionSnapshot {
  status: ConnectionStatus;
  /** Counts acknowledged connections; changes on every (re)connect. */
  epoch: number;
}

/** A tiny external store for React's useSyncExternalStore. */
export interface ConnectionStateStore {
  get(): ConnectionSnapshot;
  set(status: ConnectionStatus, connected?: boolean): void;
  subscribe(listener: () => void): () => void;
}

export function createConnectionStateStore(): ConnectionStateStore {
  let snapshot: ConnectionSnapshot = { status: 'connecting', epoch: 0 };
  const listeners = new Set<() => void>();
  return {
    get: () => snapshot,
    set(status, connected = false) {
      const epoch = connected ? snapshot.epoch + 1 : snapshot.epoch;
      if (status === snapshot.status && epoch === snapshot.epoch) return;
      snapshot = { status, epoch };
      listeners.forEach((listener) => listener());
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
