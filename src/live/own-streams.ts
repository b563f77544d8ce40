import { type EndReason, type Lifetime, type SubscriptionRegistry, holdLifetime } from './lifetime.js';
import { EventQueue } from './queue.js';
import type { Subscriber } from './subscriber.js';

/**
 * Subscriptions that are one subscriber's by nature (a competing consumer, a job followed, an
 * admin's counters): nothing to share, but the same lifetime primitive and the same bounds as
 * shared ones. Two shapes: a bounded queue a push source fills ({@link openQueueStream}), and a
 * stream that reads its source only when the transport pulls ({@link openPullStream}).
 */

/** Limits of {@link openQueueStream}'s queue. */
export interface QueueLimits {
  maxItems: number;
  maxBytes: number;
}

/** Hands an event to one subscriber's queue; `bytes` counts towards its limit. */
export type PushEvent<T> = (event: T, bytes: number) => void;

/**
 * Opens one subscriber's bounded queue on a push source. A subscriber that falls too far behind
 * is dropped (`subscriber.dropSlowConsumer`); the queue ends with the subscriber's lifetime.
 * @param attach connects the queue; resolves with the function that disconnects it, once events can no longer be missed.
 */
export async function openQueueStream<T>(
  subscriber: Subscriber,
  registry: SubscriptionRegistry,
  limits: QueueLimits,
  attach: (push: PushEvent<T>) => Promise<() => void>,
): Promise<AsyncIterableIterator<T>> {
  let detach: (() => void) | null = null;
  let lifetime: Lifetime | null = null;
  const queue: EventQueue<T> = new EventQueue<T>({
    maxItems: limits.maxItems,
    maxBytes: limits.maxBytes,
    onOverflow: () => subscriber.dropSlowConsumer(`more than ${limits.maxItems} events or ${limits.maxBytes} bytes waiting`),
    onFinish: () => {
      lifetime?.end('gone');
      detach?.();
      detach = null;
    },
  });
  lifetime = holdLifetime(subscriber, registry, (reason) => (reason === 'complete' ? queue.close() : queue.abort()));
  if (lifetime.ended) return queue;
  try {
    const stop = await attach((event, bytes) => queue.push(event, bytes));
    if (queue.isFinished) stop();
    else detach = stop;
  } catch (error) {
    queue.abort();
    throw error;
  }
  return queue;
}

/** What {@link openPullStream} pulls from. */
export interface PullSource<T> {
  /**
   * The next event, read when the transport asks for it; null: the source has ended. `signal`
   * aborts when the subscription ends meanwhile (a blocking read gives up).
   */
  next(signal: AbortSignal): Promise<T | null>;
  /** Called once when the subscription ends, however it ends (after a pending `next` was told). */
  onEnd?(reason: EndReason): void;
}

const DONE: IteratorResult<never> = { value: undefined as never, done: true };

/**
 * A subscription that reads its source only when the transport pulls: bounded by construction,
 * a slow client simply takes less. It ends with its lifetime (client gone, session ended,
 * shutdown), when the source returns null, or when `next` throws (the error goes to the client).
 */
export function openPullStream<T>(subscriber: Subscriber, registry: SubscriptionRegistry, source: PullSource<T>): AsyncIterableIterator<T> & { readonly ended: boolean } {
  return new PullStream(subscriber, registry, source);
}

class PullStream<T> implements AsyncIterableIterator<T> {
  private readonly aborted = new AbortController();
  private readonly lifetime: Lifetime;

  constructor(
    subscriber: Subscriber,
    registry: SubscriptionRegistry,
    private readonly source: PullSource<T>,
  ) {
    this.lifetime = holdLifetime(subscriber, registry, (reason) => {
      this.aborted.abort();
      this.source.onEnd?.(reason);
    });
  }

  get ended(): boolean {
    return this.lifetime.ended;
  }

  async next(): Promise<IteratorResult<T>> {
    if (this.ended) return DONE;
    let value: T | null;
    try {
      value = await this.source.next(this.aborted.signal);
    } catch (error) {
      this.lifetime.end('gone');
      throw error;
    }
    if (value === null || this.ended) {
      this.lifetime.end('complete');
      return DONE;
    }
    return { value, done: false };
  }

  return(): Promise<IteratorResult<T>> {
    this.lifetime.end('gone');
    return Promise.resolve(DONE);
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    this.lifetime.end('gone');
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
