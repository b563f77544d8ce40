import type { Logger } from 'pino';
import type { StatsFeed } from './stats-feed.js';

/** What the `stats` subscription uses of the process: its part of `Services`, wired by app.ts. */
export interface MetricsServices {
  /** This instance's and the cluster's counters (reported through Redis). */
  stats: StatsFeed;
  logger: Logger;
}

/** The metrics services of a request: resolvers reach nothing else. */
export const metricsOf = (context: { services: MetricsServices }): MetricsServices => context.services;
