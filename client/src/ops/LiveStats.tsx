import { useSubscription } from 'urql';
import { type FragmentType, graphql, useFragment as readFragment } from '../gql';
import type { OpsStatsSubscription } from '../gql/graphql';
import { LineChart, pushBounded } from './LineChart';

/** Samples each chart keeps (one per STATS_INTERVAL_MS: 5 minutes at the default 5 s). */
export const CHART_CAPACITY = 60;

export const InstanceRowFragment = graphql(`
  fragment InstanceRow on InstanceStats {
    id
    startedAt
    webSockets
    sseStreams
    subscriptions
    deliveries
    deliveriesPerSecond
    slowSubscribersDropped
    denials
  }
`);

const StatsSubscription = graphql(`
  subscription OpsStats {
    stats {
      at
      instance {
        id
      }
      cluster {
        webSockets
        sseStreams
        subscriptions
        deliveriesPerSecond
        instances {
          id
          ...InstanceRow
        }
      }
    }
  }
`);

interface History {
  deliveries: number[];
  webSockets: number[];
  sseStreams: number[];
  subscriptions: number[];
  samples: number;
  latest: OpsStatsSubscription['stats'];
}

/** Folds each pushed snapshot into the charts' bounded histories. */
function accumulate(past: History | undefined, data: OpsStatsSubscription): History {
  const { cluster } = data.stats;
  return {
    deliveries: pushBounded(past?.deliveries ?? [], cluster.deliveriesPerSecond, CHART_CAPACITY),
    webSockets: pushBounded(past?.webSockets ?? [], cluster.webSockets, CHART_CAPACITY),
    sseStreams: pushBounded(past?.sseStreams ?? [], cluster.sseStreams, CHART_CAPACITY),
    subscriptions: pushBounded(past?.subscriptions ?? [], cluster.subscriptions, CHART_CAPACITY),
    samples: (past?.samples ?? 0) + 1,
    latest: data.stats,
  };
}

function InstanceRow({ instance, self }: { instance: FragmentType<typeof InstanceRowFragment>; self: boolean }) {
  const row = readFragment(InstanceRowFragment, instance);
  return (
    <tr data-instance={row.id}>
      <td>
        <code>{row.id}</code>
        {self && <span className="badge">this one</span>}
      </td>
      <td>{new Date(row.startedAt).toLocaleTimeString()}</td>
      <td className="num">{row.webSockets}</td>
      <td className="num">{row.sseStreams}</td>
      <td className="num">{row.subscriptions}</td>
      <td className="num">{row.deliveriesPerSecond.toFixed(1)}</td>
      <td className="num">{row.deliveries}</td>
      <td className="num">{row.slowSubscribersDropped}</td>
      <td className="num">{row.denials}</td>
    </tr>
  );
}

/** The cluster's live figures from the `stats` subscription, charted as they come. */
export function LiveStats() {
  const [result] = useSubscription<OpsStatsSubscription, History>({ query: StatsSubscription }, accumulate);
  const history = result.data;
  const stats = history?.latest;
  return (
    <section className="ops-panel" aria-labelledby="live-title" data-samples={history?.samples ?? 0}>
      <h2 id="live-title">Live, across the cluster</h2>
      {result.error && <p className="error" role="alert">{result.error.message}</p>}
      <div className="charts">
        <LineChart title="Deliveries/s" capacity={CHART_CAPACITY} series={[{ name: 'deliveries/s', color: '#b3263a', points: history?.deliveries ?? [] }]} />
        <LineChart
          title="Connections"
          capacity={CHART_CAPACITY}
          series={[
            { name: 'WebSockets', color: '#1a5fd0', points: history?.webSockets ?? [] },
            { name: 'SSE', color: '#b26b00', points: history?.sseStreams ?? [] },
          ]}
        />
        <LineChart title="Subscriptions" capacity={CHART_CAPACITY} series={[{ name: 'subscriptions', color: '#1f9d55', points: history?.subscriptions ?? [] }]} />
      </div>
      {stats && (
        <table className="ops-table">
          <caption>Instances reporting ({stats.cluster.instances.length})</caption>
          <thead>
            <tr>
              <th>Instance</th>
              <th>Started</th>
              <th className="num">WebSockets</th>
              <th className="num">SSE</th>
              <th className="num">Subscriptions</th>
              <th className="num">Deliveries/s</th>
              <th className="num">Deliveries</th>
              <th className="num">Slow dropped</th>
              <th className="num">Denials</th>
            </tr>
          </thead>
          <tbody>
            {stats.cluster.instances.map((instance) => (
              <InstanceRow key={instance.id} instance={instance} self={instance.id === stats.instance.id} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
