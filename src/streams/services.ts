import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { ConcurrencyLimiter } from '../limits/concurrency-limiter.js';
import type { SubscriptionRegistry } from '../live/lifetime.js';
import type { BlockingPool } from '../redis/blocking-pool.js';
import type { GroupConsumerOptions } from './group-consumer.js';
import type { GroupWaits } from './group-waits.js';
import type { EventFeedDeps } from './event-stream.js';
import type { StreamStore } from './store.js';

/** What the streams' resolvers use of the process: their part of `Services`, wired by app.ts. */
export interface StreamsServices extends EventFeedDeps {
  /** Stream commands (XADD, XRANGE, consumer groups) on the command connection. */
  streams: StreamStore;
  /** Per-user cap on concurrent blocking operations (MAX_BLOCKING_OPERATIONS_PER_USER). */
  blockingLimiter: ConcurrencyLimiter;
  /** The command connection a group consumer's non-blocking reads and claims run on. */
  redis: GroupConsumerOptions['redis'];
  /** The pool of blocking connections (a `groupEvents` consumer no longer takes one to wait). */
  blocking: BlockingPool;
  /** Where `groupEvents` consumers wait for new entries, woken by the shared stream reader. */
  groupWaits: GroupWaits;
  /** Every open subscription of the process: `groupEvents` streams join it. */
  subscriptions: SubscriptionRegistry;
  logger: Logger;
  config: Pick<Config, 'streamClaimIdleMs'>;
}

/** What a `groupEvents` consumer uses (see group-stream.ts). */
export type GroupStreamDeps = Pick<StreamsServices, 'redis' | 'groupWaits' | 'subscriptions' | 'logger' | 'config'>;

/** The streams' services of a request: resolvers reach nothing else. */
export const streamsOf = (context: { services: StreamsServices }): StreamsServices => context.services;
