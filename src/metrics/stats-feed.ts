import { randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import { internalKeys } from '../redis/keys.js';
import type { LiveMetrics } from './live-metrics.js';

/** An instance left out of the cluster's figures after this many intervals without a report. */
export const STALE_AFTER_INTERVALS = 3;

/** The figures one instance reports; the cluster's are their sums. */
export interface StatsFigures {
  /** Open now. */
  webSockets: number;
  sseStreams: number;
  subscriptions: number;
  /** Since the instance started. */
  connections: number;
  deliveries: number;
  sharedExecutions: number;
  slowSubscribersDropped: number;
  denials: number;
  /** Deliveries per second over the last interval. */
  deliveriesPerSecond: number;
}

const FIGURES: ReadonlyArray<keyof StatsFigures> = [
  'webSockets',
  'sseStreams',
  'subscriptions',
  'connections',
  'deliveries',
  'sharedExecutions',
  'slowSubscribersDropped',
  'denials',
  'deliveriesPerSecond',
];

/** One instance's report. */
export interface InstanceStats extends StatsFigures {
  id: string;
  /** When it was taken (ms since the epoch, the reporter's clock). */
  at: number;
  startedAt: number;
}

/** What the `stats` subscription pushes. */
export interface StatsSnapshot {
  at: number;
  /** The instance that serves the subscription, taken now. */
  instance: InstanceStats;
  /** Every instance that reported within {@link STALE_AFTER_INTERVALS} intervals (this one included), and their sums. */
  cluster: StatsFigures & { instances: InstanceStats[] };
}

/** Options of {@link createStatsFeed}. */
export interface StatsFeedOptions {
  redis: Redis | Cluster;
  live: LiveMetrics;
  /** Open WebSockets now. */
  webSockets: () => number;
  /** STATS_INTERVAL_MS: how often this instance reports and the feed pushes. */
  intervalMs: number;
  logger: Logger;
  /** Default: random. */
  instanceId?: string;
}

/**
 * This instance's counters and the cluster's. Every instance writes its own figures into one
 * Redis hash ({@link internalKeys.instanceStats}) every interval; "the cluster" is the sum over
 * the instances whose last report is fresh (within {@link STALE_AFTER_INTERVALS} intervals), so it
 * lags by up to one interval and counts every instance on the same Redis, whichever serves the
 * subscriber. An instance that stops removes its report; one that crashed ages out.
 */
export interface StatsFeed {
  readonly instanceId: string;
  /** Starts reporting every interval. */
  start(): void;
  /** Stops reporting and removes this instance's report. */
  stop(): Promise<void>;
  /** Reports now and returns this instance's and the cluster's figures. */
  snapshot(): Promise<StatsSnapshot>;
  /** Calls `listener` with a fresh snapshot every interval until the returned function is called. */
  subscribe(listener: (snapshot: StatsSnapshot) => void): () => void;
}

export function createStatsFeed(options: StatsFeedOptions): StatsFeed {
  const instanceId = options.instanceId ?? `${process.pid}-${randomBytes(4).toString('hex')}`;
  const startedAt = Date.now();
  const listeners = new Set<(snapshot: StatsSnapshot) => void>();
  let timer: NodeJS.Timeout | null = null;
  let last = { at: startedAt, deliveries: 0 };
  let rate = 0;

  /** This instance now; the rate is that of the last whole interval (or since the start). */
  function local(advance: boolean): InstanceStats {
    const now = Date.now();
    const totals = options.live.totals();
    if (advance || last.at === startedAt) {
      const seconds = (now - last.at) / 1000;
      if (seconds > 0) rate = (totals.deliveries - last.deliveries) / seconds;
      if (advance) last = { at: now, deliveries: totals.deliveries };
    }
    return {
      id: instanceId,
      at: now,
      startedAt,
      webSockets: options.webSockets(),
      sseStreams: totals.sseStreams,
      subscriptions: totals.subscriptions,
      connections: totals.connections,
      deliveries: totals.deliveries,
      sharedExecutions: totals.sharedExecutions,
      slowSubscribersDropped: totals.slowSubscribersDropped,
      denials: totals.denials,
      deliveriesPerSecond: Math.round(rate * 100) / 100,
    };
  }

  function parse(id: string, text: string): InstanceStats | null {
    try {
      const value = JSON.parse(text) as Partial<InstanceStats>;
      if (typeof value !== 'object' || value === null || typeof value.at !== 'number') return null;
      const stats = { id, at: value.at, startedAt: Number(value.startedAt) || value.at } as InstanceStats;
      for (const figure of FIGURES) stats[figure] = Number(value[figure]) || 0;
      return stats;
    } catch {
      return null;
    }
  }

  async function report(advance: boolean): Promise<StatsSnapshot> {
    const instance = local(advance);
    const { id, ...figures } = instance;
    await options.redis.hset(internalKeys.instanceStats, id, JSON.stringify(figures));
    const all = await options.redis.hgetall(internalKeys.instanceStats);
    const freshAfter = instance.at - STALE_AFTER_INTERVALS * options.intervalMs;
    const instances: InstanceStats[] = [];
    const stale: string[] = [];
    for (const [otherId, text] of Object.entries(all)) {
      const other = otherId === instanceId ? instance : parse(otherId, text);
      if (!other || other.at < freshAfter) stale.push(otherId);
      else instances.push(other);
    }
    if (stale.length > 0) await options.redis.hdel(internalKeys.instanceStats, ...stale);
    instances.sort((a, b) => a.id.localeCompare(b.id));
    const cluster = { instances } as StatsSnapshot['cluster'];
    for (const figure of FIGURES) cluster[figure] = instances.reduce((sum, other) => sum + other[figure], 0);
    cluster.deliveriesPerSecond = Math.round(cluster.deliveriesPerSecond * 100) / 100;
    return { at: instance.at, instance, cluster };
  }

  async function tick(): Promise<void> {
    try {
      const snapshot = await report(true);
      for (const listener of [...listeners]) listener(snapshot);
    } catch (error) {
      options.logger.warn({ err: error }, 'could not report stats');
    }
  }

  return {
    instanceId,
    start() {
      if (timer) return;
      timer = setInterval(() => void tick(), options.intervalMs);
      timer.unref();
      void tick();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      listeners.clear();
      await options.redis.hdel(internalKeys.instanceStats, instanceId).catch(() => undefined);
    },
    snapshot: () => report(false),
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
