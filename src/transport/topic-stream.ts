import type { Context } from '../graphql/context.js';
import type { PubSubGap, PubSubMessage, Topic } from '../redis/pubsub-hub.js';
import { EventQueue } from './event-queue.js';
import type { ParkedSubscription } from './fanout.js';

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

/** Hands an event to one subscriber's queue; `bytes` counts towards its memory limit. */
export type PushEvent<T> = (event: T, bytes: number) => void;

/**
 * Opens one subscriber's bounded event queue and ties its life to the client: it ends when the
 * client goes away, when the client's session ends (on any instance), when the server shuts down,
 * or when the client falls too far behind (it is then dropped through `context.dropSlowConsumer`).
 *
 * @param attach connects the queue to its source and resolves with the function that disconnects
 *   it, once events can no longer be missed (for pub/sub: once Redis confirmed the subscription).
 */
export async function openSubscriptionQueue<T>(
  context: Context,
  attach: (push: PushEvent<T>) => Promise<() => void>,
): Promise<EventQueue<T>> {
  const { config, sessionWatcher, subscriptions } = context.services;
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
  const signal = context.closedSignal();
  if (subscriptions.closed || signal.aborted) {
    queue.abort();
    return queue;
  }
  subscriptions.add(queue);

  const onAbort = () => queue.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  cleanups.push(() => signal.removeEventListener('abort', onAbort));
  if (context.session) cleanups.push(sessionWatcher.watch(context.session, () => queue.close()));

  try {
    const detach = await attach((event, bytes) => queue.push(event, bytes));
    if (queue.isFinished) detach();
    else cleanups.push(detach);
  } catch (error) {
    queue.abort();
    throw error;
  }
  return queue;
}

/**
 * Opens a subscription on an event source that many clients may share (a channel, a room, the
 * presence feed). Over WebSocket it joins the fan-out engine, where equal subscriptions share one
 * execution and one serialised payload per event; elsewhere (SSE) it gets its own queue.
 * Either way its life is tied to the client, its session and the server as in
 * {@link openSubscriptionQueue}.
 *
 * @param sourceKey names the source: subscriptions with equal keys get equal events.
 */
export async function openSharedStream<T>(
  context: Context,
  sourceKey: string,
  attach: (push: PushEvent<T>) => Promise<() => void>,
): Promise<AsyncIterableIterator<T>> {
  const target = context.fanout;
  if (!target) return openSubscriptionQueue(context, attach);
  const { fanout, subscriptions } = context.services;
  if (subscriptions.closed) return openSubscriptionQueue(context, attach);
  // The WebSocket transport ends its operations when the socket closes (also while they are
  // being set up), and closes the socket when the session ends: a member needs no abort
  // listener or session watch of its own.
  let parked: ParkedSubscription | undefined = undefined;
  parked = await fanout.join<T>(sourceKey, attach, target, () => {
    if (parked) subscriptions.delete(parked);
  });
  // The transport waits on this in place of the execution's own iterator.
  target.parked = parked;
  // Shutdown may have begun while the source was attached.
  if (subscriptions.closed) parked.close();
  else subscriptions.add(parked);
  return parked as AsyncIterableIterator<T>;
}

/**
 * Opens a subscription on a pub/sub topic for one client (see {@link openSharedStream}).
 * Resolves once Redis has confirmed the subscription, so every event published after that is
 * delivered.
 *
 * @param toEvent maps a raw message to the event to deliver; returning null skips it.
 * @param onGap the event that tells the subscriber that the topic's Redis subscription was
 *   interrupted and messages published meanwhile may be missing (pure pub/sub cannot replay).
 *   Default: nothing is delivered.
 */
export function openTopicStream<T>(
  context: Context,
  topic: Topic,
  toEvent: (message: PubSubMessage) => T | null,
  onGap?: (gap: PubSubGap, topic: Topic) => T,
): Promise<AsyncIterableIterator<T>> {
  const sourceKey = topic.kind === 'channel' ? `channel:${topic.name}` : `pattern:${topic.pattern}`;
  const { hub } = context.services;
  return openSharedStream<T>(context, sourceKey, (push) =>
    hub.subscribe(
      topic,
      (message) => {
        const event = toEvent(message);
        if (event !== null) push(event, message.payload.length);
      },
      onGap ? { onGap: (gap) => push(onGap(gap, topic), 0) } : {},
    ),
  );
}
