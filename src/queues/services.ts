import type { Config } from '../config.js';
import type { ConcurrencyLimiter } from '../limits/concurrency-limiter.js';
import type { SubscriptionRegistry } from '../live/lifetime.js';
import type { PubSubHub } from '../redis/pubsub-hub.js';
import type { QueueService } from './service.js';

/** What the queues' resolvers use of the process: their part of `Services`, wired by app.ts. */
export interface QueuesServices {
  /** Work queues: store (enqueue, take, ack), dead letters, the `jobs` dispatcher and the reaper. */
  queues: QueueService;
  /** Per-user cap on concurrent blocking operations (MAX_BLOCKING_OPERATIONS_PER_USER). */
  blockingLimiter: ConcurrencyLimiter;
  config: Pick<Config, 'dequeueMaxTimeoutSeconds'>;
  /** The settled and update announcements that `jobs` and `jobUpdates` wait on. */
  hub: Pick<PubSubHub, 'subscribe'>;
  /** Every open subscription of the process: `jobs` and `jobUpdates` streams join it. */
  subscriptions: SubscriptionRegistry;
}

/** What the `jobs` and `jobUpdates` streams use. */
export type JobStreamDeps = Pick<QueuesServices, 'queues' | 'hub' | 'subscriptions'>;

/** The queues' services of a request: resolvers reach nothing else. */
export const queuesOf = (context: { services: QueuesServices }): QueuesServices => context.services;
