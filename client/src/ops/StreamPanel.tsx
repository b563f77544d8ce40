import { useCallback } from 'react';
import { useQuery } from 'urql';
import { type FragmentType, graphql, useFragment as readFragment } from '../gql';
import { describeError } from '../graphql/errors';
import { usePolling } from './usePolling';

export const StreamGroupFragment = graphql(`
  fragment StreamGroupRow on StreamGroupInfo {
    name
    consumers
    pending
    lag
    lastDeliveredId
    consumerDetails {
      name
      pending
      idleMs
    }
  }
`);

const StreamViewQuery = graphql(`
  query OpsStream($stream: String!) {
    streamInfo(stream: $stream) {
      length
      firstId
      lastId
      groups {
        name
        ...StreamGroupRow
      }
    }
  }
`);

function GroupRow({ group }: { group: FragmentType<typeof StreamGroupFragment> }) {
  const row = readFragment(StreamGroupFragment, group);
  return (
    <tr data-group={row.name}>
      <td>{row.name}</td>
      <td className="num" data-field="lag">
        {row.lag ?? '?'}
      </td>
      <td className="num" data-field="pending">
        {row.pending}
      </td>
      <td>
        {row.consumerDetails.length === 0
          ? 'none'
          : row.consumerDetails.map((consumer) => `${consumer.name} (${consumer.pending} pending, idle ${Math.round(consumer.idleMs / 1000)} s)`).join(', ')}
      </td>
      <td>
        <code>{row.lastDeliveredId}</code>
      </td>
    </tr>
  );
}

/** One stream: its length and ids, and its consumer groups with lag and pending entries. */
export function StreamPanel({ stream, onRemove }: { stream: string; onRemove(): void }) {
  const [result, reexecute] = useQuery({ query: StreamViewQuery, variables: { stream } });
  usePolling(useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]));
  const info = result.data?.streamInfo;
  return (
    <article className="ops-card" data-stream={stream} aria-labelledby={`stream-${stream}`}>
      <header className="ops-card-head">
        <h3 id={`stream-${stream}`}>{stream}</h3>
        {info && (
          <dl className="counts">
            <div>
              <dt>entries</dt>
              <dd data-count="length">{info.length}</dd>
            </div>
            <div>
              <dt>groups</dt>
              <dd>{info.groups.length}</dd>
            </div>
          </dl>
        )}
        <button type="button" className="secondary small" onClick={onRemove} aria-label={`Stop watching ${stream}`}>
          ×
        </button>
      </header>
      {result.error && <p className="error" role="alert">{describeError(result.error)}</p>}
      {result.data && !info && <p className="muted">No such stream (yet).</p>}
      {info && (
        <>
          <p className="muted">
            First <code>{info.firstId ?? '–'}</code>, last <code>{info.lastId ?? '–'}</code>
          </p>
          {info.groups.length > 0 ? (
            <table className="ops-table">
              <caption>Consumer groups</caption>
              <thead>
                <tr>
                  <th>Group</th>
                  <th className="num">Lag</th>
                  <th className="num">Pending</th>
                  <th>Consumers</th>
                  <th>Last delivered</th>
                </tr>
              </thead>
              <tbody>
                {info.groups.map((group) => (
                  <GroupRow key={group.name} group={group} />
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">No consumer groups.</p>
          )}
        </>
      )}
    </article>
  );
}
