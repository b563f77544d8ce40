import type { Logger } from 'pino';
import { channels } from '../redis/keys.js';
import type { PubSubHub } from '../redis/pubsub-hub.js';

/**
 * Tells local connections and subscriptions that their session was ended, wherever `signOut` ran:
 * every instance listens on one channel for the ids of ended sessions.
 */
export interface SessionWatcher {
  /** Subscribes to the session-ended channel; resolves once Redis confirms. */
  start(): Promise<void>;
  /** Calls `onEnded` once when the session ends; returns the function that stops watching. */
  watch(sessionId: string, onEnded: () => void): () => void;
  stop(): void;
}

export function createSessionWatcher(hub: PubSubHub, logger: Logger): SessionWatcher {
  const watchers = new Map<string, Set<() => void>>();
  let unsubscribe: (() => void) | null = null;

  const notify = (sessionId: string) => {
    const callbacks = watchers.get(sessionId);
    if (!callbacks) return;
    watchers.delete(sessionId);
    for (const callback of callbacks) {
      try {
        callback();
      } catch (error) {
        logger.error({ err: error }, 'session-ended callback failed');
      }
    }
  };

  return {
    async start() {
      unsubscribe = await hub.subscribe({ kind: 'channel', name: channels.sessionEnded }, ({ payload }) => notify(payload));
    },
    watch(sessionId, onEnded) {
      let callbacks = watchers.get(sessionId);
      if (!callbacks) watchers.set(sessionId, (callbacks = new Set()));
      const callback = () => onEnded();
      callbacks.add(callback);
      return () => {
        const current = watchers.get(sessionId);
        current?.delete(callback);
        if (current?.size === 0) watchers.delete(sessionId);
      };
    },
    stop() {
      unsubscribe?.();
      unsubscribe = null;
    },
  };
}
