import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { type LiveMetrics, createLiveMetrics } from './live-metrics.js';

/** Transports a subscription or connection can use; a label value. */
export type TransportLabel = 'websocket' | 'sse' | 'http';
/** GraphQL operation types; a label value. */
export type OperationTypeLabel = 'query' | 'mutation' | 'subscription';

/** Seconds: from a cached Redis reply to a slow blocking command's give-up. */
const REDIS_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Seconds: an operation, from parse to result (a subscription: to its first result or refusal). */
const OPERATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What the gauges read when Prometheus scrapes: live figures owned by other parts of the app. */
export interface MetricsSources {
  webSockets(): number;
  blockingInUse(): number;
  blockingWaiting(): number;
  /** Subscriptions replaying history before they join their live group. */
  replaying(): number;
  /** The state of each Redis connection by role: `ready` counts as up. */
  redisStatus(): Record<string, string>;
}

/**
 * This instance's Prometheus metrics, in a registry of its own (two apps in one test process do
 * not share counters). Every label is bounded: field names come from the schema, codes from
 * ErrorCode and graphql-ws, commands from a fixed list; never a channel, user or socket.
 */
export interface Metrics {
  readonly registry: Registry;
  readonly connections: Counter<'transport'>;
  readonly sseStreams: Gauge;
  readonly closes: Counter<'code'>;
  readonly subscriptions: Gauge<'field'>;
  readonly deliveries: Counter<'field' | 'transport'>;
  readonly sharedExecutions: Counter<'field'>;
  readonly slowSubscribersDropped: Counter<'transport'>;
  readonly operations: Counter<'type' | 'outcome'>;
  readonly operationDuration: Histogram<'type'>;
  readonly errors: Counter<'code'>;
  readonly redisCommandDuration: Histogram<'command'>;
  readonly redisReconnects: Counter<'role'>;
  readonly denials: Counter<'kind'>;
  /**
   * Writes (`message`, `entry`, `job`) acknowledged under REDIS_WAIT_REPLICAS=auto although no
   * replica confirmed them within REDIS_WAIT_TIMEOUT_MS: a failover of their master could lose them.
   */
  readonly replicaWaitTimeouts: Counter<'write'>;
  /** Promises nobody handled (main.ts logs each and keeps serving): each one is a bug to find. */
  readonly unhandledRejections: Counter;
  /**
   * What transports and limits call to move the connection, subscription, delivery and denial
   * series (one call per event), with plain running totals for the `stats` subscription.
   */
  readonly live: LiveMetrics;
  /** Connects the gauges to the live figures; until then they read 0. */
  setSources(sources: MetricsSources): void;
}

/** Builds the registry with Node's default metrics (event-loop lag, GC, heap) and ours. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  let sources: MetricsSources | null = null;

  const gauge = (name: string, help: string, read: (from: MetricsSources) => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(sources ? read(sources) : 0);
      },
    });
  gauge('switchboard_websockets_open', 'Open WebSocket connections.', (from) => from.webSockets());
  gauge('switchboard_blocking_pool_in_use', 'Blocking-pool connections running a blocking read.', (from) => from.blockingInUse());
  gauge('switchboard_blocking_pool_waiting', 'Blocking reads waiting for a pool connection.', (from) => from.blockingWaiting());
  gauge('switchboard_replays_in_progress', 'Subscriptions replaying what they missed before they join their live group (a reconnect storm shows here).', (from) => from.replaying());
  new Gauge({
    name: 'switchboard_redis_connection_up',
    help: 'Whether each Redis connection is ready (1) or not (0), by role.',
    labelNames: ['role'],
    registers,
    collect() {
      for (const [role, status] of Object.entries(sources?.redisStatus() ?? {})) this.set({ role }, status === 'ready' ? 1 : 0);
    },
  });

  const series = {
    registry,
    connections: new Counter({ name: 'switchboard_connections_total', help: 'Connections accepted (WebSocket after connection_ack; SSE streams opened).', labelNames: ['transport'], registers }),
    sseStreams: new Gauge({ name: 'switchboard_sse_streams_open', help: 'Open SSE subscription streams.', registers }),
    closes: new Counter({ name: 'switchboard_connection_closes_total', help: 'WebSocket closes, by close code.', labelNames: ['code'], registers }),
    subscriptions: new Gauge({ name: 'switchboard_subscriptions', help: 'Open subscriptions, by Subscription field.', labelNames: ['field'], registers }),
    deliveries: new Counter({ name: 'switchboard_deliveries_total', help: 'Subscription results written to clients.', labelNames: ['field', 'transport'], registers }),
    sharedExecutions: new Counter({ name: 'switchboard_shared_executions_total', help: 'Executions of one event shared by a group of subscribers.', labelNames: ['field'], registers }),
    slowSubscribersDropped: new Counter({ name: 'switchboard_slow_subscribers_dropped_total', help: 'Subscribers cut off because they did not read fast enough.', labelNames: ['transport'], registers }),
    operations: new Counter({ name: 'switchboard_operations_total', help: 'GraphQL operations, by type and outcome (ok or error).', labelNames: ['type', 'outcome'], registers }),
    operationDuration: new Histogram({ name: 'switchboard_operation_duration_seconds', help: 'GraphQL operation duration.', labelNames: ['type'], buckets: OPERATION_BUCKETS, registers }),
    errors: new Counter({ name: 'switchboard_errors_total', help: 'GraphQL errors sent to clients, by extensions.code.', labelNames: ['code'], registers }),
    redisCommandDuration: new Histogram({ name: 'switchboard_redis_command_duration_seconds', help: 'Redis command round trips, by command.', labelNames: ['command'], buckets: REDIS_BUCKETS, registers }),
    redisReconnects: new Counter({ name: 'switchboard_redis_reconnects_total', help: 'Redis reconnect attempts, by connection role.', labelNames: ['role'], registers }),
    denials: new Counter({ name: 'switchboard_denials_total', help: 'Requests refused by a limit or a permission, by kind.', labelNames: ['kind'], registers }),
    replicaWaitTimeouts: new Counter({
      name: 'switchboard_replica_wait_timeouts_total',
      help: 'Writes acknowledged without a replica (REDIS_WAIT_REPLICAS=auto: WAIT 1 timed out, or skipped for 10 s on a master after a late one), by write.',
      labelNames: ['write'],
      registers,
    }),
    unhandledRejections: new Counter({ name: 'switchboard_unhandled_rejections_total', help: 'Promise rejections nobody handled (logged, and the process goes on).', registers }),
  };
  // Present at 0 from the start, so that an alert on its rate has a series before the first one.
  for (const write of ['message', 'entry', 'job']) series.replicaWaitTimeouts.inc({ write }, 0);
  return {
    ...series,
    live: createLiveMetrics(series),
    setSources(next) {
      sources = next;
    },
  };
}
