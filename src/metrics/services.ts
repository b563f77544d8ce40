import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { SubscriptionRegistry } from '../live/lifetime.js';
import type { StatsFeed } from './stats-feed.js';

/** What the `stats` subscription uses of the process: its part of `Services`, wired by app.ts. */
export interface MetricsServices {
  /** This instance's and the cluster's counters (reported through Redis). */
  stats: StatsFeed;
  logger: Logger;
  /** Every open subscription of the process: `stats` streams join it. */
  subscriptions: SubscriptionRegistry;
  /** The bounds of a subscriber's queue of snapshots. */
  config: Pick<Config, 'subscriberQueueLimit' | 'subscriberQueueBytes'>;
}

/** The metrics services of a request: resolvers reach nothing else. */
export const metricsOf = (context: { services: MetricsServices }): MetricsServices => context.services;
