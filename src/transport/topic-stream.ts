import type { Context } from '../graphql/context.js';
import type { PubSubMessage, Topic } from '../redis/pubsub-hub.js';
import { EventQueue } from './event-queue.js';

/** The open subscription streams of this process, so that shutdown can complete them. */
/** What shutdown needs of an open stream. */
interface Closable {
  /** Completes after what is already queued has been delivered. */
  close(): void;
}

export interface SubscriptionRegistry {
  add(stream: Closable): void;
  delete(stream: Closable): void;
  /** Completes every open stream (after what it has queued); new ones are refused from now on. */
  closeAll(): void;
  readonly size: number;
  readonly closed: boolean;
}

export function createSubscriptionRegistry(): SubscriptionRegistry {
  const queues = new Set<Closable>();
  let closed = false;
  return {
    add: (queue) => void queues.add(queue),
    delete: (queue) => void queues.delete(queue),
    closeAll() {
      closed = true;
      for (const queue of [...queues]) queue.close();
    },
    get size() {
      return queues.size;
    },
    get closed() {
      return closed;
    },
  };
}

/**
 * Opens a subscription on a pub/sub topic for one client. Resolves once Redis has confirmed the
 * subscription, so every event published after that is delivered. The stream ends when the client
 * goes away, when its session ends (on any instance), when the server shuts down, or when the
 * client falls too far behind (it is then dropped through `context.dropSlowConsumer`).
 *
 * @param toEvent maps a raw message to the event to deliver; returning null skips it.
 */
export async function openTopicStream<T>(
  context: Context,
  topic: Topic,
  toEvent: (message: PubSubMessage) => T | null,
): Promise<AsyncIterableIterator<T>> {
  const { config, hub, sessionWatcher, subscriptions } = context.services;
  const cleanups: Array<() => void> = [];
  const queue: EventQueue<T> = new EventQueue<T>({
    maxItems: config.subscriberQueueLimit,
    maxBytes: config.subscriberQueueBytes,
    onOverflow: () =>
      context.dropSlowConsumer(
        `more than ${config.subscriberQueueLimit} events or ${config.subscriberQueueBytes} bytes waiting`,
      ),
    onFinish: () => {
      subscriptions.delete(queue);
      for (const cleanup of cleanups) cleanup();
    },
  });
  if (subscriptions.closed || context.signal.aborted) {
    queue.abort();
    return queue;
  }
  subscriptions.add(queue);

  const onAbort = () => queue.abort();
  context.signal.addEventListener('abort', onAbort, { once: true });
  cleanups.push(() => context.signal.removeEventListener('abort', onAbort));
  if (context.session) cleanups.push(sessionWatcher.watch(context.session.id, () => queue.close()));

  try {
    const unsubscribe = await hub.subscribe(topic, (message) => {
      const event = toEvent(message);
      if (event !== null) queue.push(event, message.payload.length);
    });
    if (queue.isFinished) unsubscribe();
    else cleanups.push(unsubscribe);
  } catch (error) {
    queue.abort();
    throw error;
  }
  return queue;
}
