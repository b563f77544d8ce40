import { builder } from '../graphql/builder.js';
import { Role } from '../policy/actions.js';
import { openQueueStream } from '../live/own-streams.js';
import { liveSubscription } from '../live/viewer-classes.js';
import { type MetricsServices, metricsOf } from './services.js';
import type { InstanceStats, StatsFigures, StatsSnapshot } from './stats-feed.js';

/** A snapshot is a few hundred bytes; what a subscriber's queue counts per push. */
const SNAPSHOT_BYTES = 1024;

function describeFigures<T extends StatsFigures>(name: string, description: string) {
  return builder.objectRef<T>(name).implement({
    description,
    fields: (t) => ({
      webSockets: t.int({ description: 'WebSocket connections open now.', resolve: (figures) => figures.webSockets }),
      sseStreams: t.int({ description: 'SSE subscription streams open now.', resolve: (figures) => figures.sseStreams }),
      subscriptions: t.int({ description: 'Subscriptions open now, on both transports.', resolve: (figures) => figures.subscriptions }),
      connections: t.float({ description: 'Connections accepted since start (WebSockets after `connection_ack`, SSE streams).', resolve: (figures) => figures.connections }),
      deliveries: t.float({ description: 'Subscription results written to clients since start.', resolve: (figures) => figures.deliveries }),
      deliveriesPerSecond: t.float({ description: 'Deliveries per second over the last STATS_INTERVAL_MS.', resolve: (figures) => figures.deliveriesPerSecond }),
      sharedExecutions: t.float({ description: 'Fan-out executions since start, each shared by a group of equal WebSocket subscriptions.', resolve: (figures) => figures.sharedExecutions }),
      slowSubscribersDropped: t.float({ description: 'Subscribers cut off as too slow since start.', resolve: (figures) => figures.slowSubscribersDropped }),
      denials: t.float({ description: 'Requests refused by a limit or a permission since start.', resolve: (figures) => figures.denials }),
    }),
  });
}

const InstanceStatsRef = describeFigures<InstanceStats>('InstanceStats', "One instance's counters (the `switchboard_*` Prometheus series, as plain totals).");
builder.objectFields(InstanceStatsRef, (t) => ({
  id: t.exposeString('id', { description: 'The instance: its process id and a random suffix, new at every start.' }),
  at: t.field({ type: 'DateTime', description: 'When these figures were taken.', resolve: (stats) => new Date(stats.at) }),
  startedAt: t.field({ type: 'DateTime', resolve: (stats) => new Date(stats.startedAt) }),
}));

const ClusterStatsRef = describeFigures<StatsSnapshot['cluster']>(
  'ClusterStats',
  'The sums over every instance on this Redis that reported within three STATS_INTERVAL_MS (each writes its figures to Redis every interval, so they lag by up to one).',
);
builder.objectFields(ClusterStatsRef, (t) => ({
  instances: t.field({ type: [InstanceStatsRef], description: 'Each instance counted, by id.', resolve: (cluster) => cluster.instances }),
}));

const StatsSnapshotRef = builder.objectRef<StatsSnapshot>('StatsSnapshot').implement({
  description: "This instance's counters and the cluster's, at one moment.",
  fields: (t) => ({
    at: t.field({ type: 'DateTime', resolve: (snapshot) => new Date(snapshot.at) }),
    instance: t.field({ type: InstanceStatsRef, description: 'The instance serving this subscription.', resolve: (snapshot) => snapshot.instance }),
    cluster: t.field({ type: ClusterStatsRef, resolve: (snapshot) => snapshot.cluster }),
  }),
});

const queueLimits = ({ config }: MetricsServices) => ({ maxItems: config.subscriberQueueLimit, maxBytes: config.subscriberQueueBytes });

builder.subscriptionField('stats', (t) =>
  t.field({
    type: StatsSnapshotRef,
    authScopes: { role: Role.Admin },
    description:
      "This instance's and the cluster's counters: once at once, then every STATS_INTERVAL_MS (default 5 s). The cluster's are the sums of what every instance on this Redis last reported. Role `admin` only.",
    // An admin's counters, with a first snapshot of its own: nothing to share.
    extensions: liveSubscription({ viewer: 'each', delivery: 'per-subscriber' }),
    subscribe: async (_root, _args, context) => {
      const services = metricsOf(context);
      const { stats, logger } = services;
      let pushFirst: (() => void) | null = null;
      const stream = await openQueueStream<StatsSnapshot>(context.subscriber, services.subscriptions, queueLimits(services), async (push) => {
        const unsubscribe = stats.subscribe((snapshot) => push(snapshot, SNAPSHOT_BYTES));
        pushFirst = () =>
          stats.snapshot().then(
            (snapshot) => push(snapshot, SNAPSHOT_BYTES),
            (error: unknown) => logger.warn({ err: error }, 'could not take a stats snapshot'),
          );
        return unsubscribe;
      });
      // The first snapshot right away, but only once the transport pulls: by then it has counted
      // this subscription (a snapshot taken at set-up could miss it).
      const next = stream.next.bind(stream);
      stream.next = () => {
        const first = pushFirst;
        pushFirst = null;
        first?.();
        return next();
      };
      return stream;
    },
    resolve: (snapshot) => snapshot,
  }),
);
