import { useCallback, useEffect, useState } from 'react';
import { type CombinedError, useClient, useMutation } from 'urql';
import type { OpsQueueQuery } from '../gql/graphql';
import { type FragmentType, graphql, useFragment as readFragment } from '../gql';
import { describeError } from '../graphql/errors';
import { LineChart, pushBounded } from './LineChart';
import { CHART_CAPACITY } from './LiveStats';
import { POLL_MS } from './usePolling';

/** Dead jobs listed per queue. */
const DEAD_JOBS_SHOWN = 20;

export const DeadJobFragment = graphql(`
  fragment DeadJobRow on Job {
    id
    attempts
    payload
  }
`);

const QueueViewQuery = graphql(`
  query OpsQueue($queue: String!, $first: Int!) {
    queueStats(queue: $queue) {
      queue
      waiting
      processing
      dead
      delayed
      oldestWaitingAgeMs
      rateLimit {
        max
        durationMs
      }
    }
    deadJobs(queue: $queue, first: $first) {
      id
      ...DeadJobRow
    }
  }
`);

const RetryDeadJobsMutation = graphql(`
  mutation OpsRetryDeadJobs($queue: String!, $ids: [ID!]!) {
    retryDeadJobs(queue: $queue, ids: $ids)
  }
`);

const PurgeDeadJobsMutation = graphql(`
  mutation OpsPurgeDeadJobs($queue: String!) {
    purgeDeadJobs(queue: $queue)
  }
`);

function DeadJobRow({ job, onRetry, busy }: { job: FragmentType<typeof DeadJobFragment>; onRetry(id: string): void; busy: boolean }) {
  const row = readFragment(DeadJobFragment, job);
  return (
    <tr data-job-id={row.id}>
      <td>
        <code title={row.id}>{row.id.length > 13 ? `${row.id.slice(0, 13)}…` : row.id}</code>
      </td>
      <td className="num">{row.attempts}</td>
      <td className="payload">
        <code>{JSON.stringify(row.payload)}</code>
      </td>
      <td>
        <button type="button" className="small" disabled={busy} onClick={() => onRetry(row.id)} aria-label={`Retry job ${row.id}`}>
          Retry
        </button>
      </td>
    </tr>
  );
}

/** 850 ms, 12 s, 3 min, 2 h. */
function formatAge(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}

interface Counts {
  waiting: number[];
  processing: number[];
  dead: number[];
}

/** One queue: its counts over time, its dead jobs, and retry / purge. */
export function QueuePanel({ queue, onRemove }: { queue: string; onRemove(): void }) {
  const client = useClient();
  const [view, setView] = useState<{ data?: OpsQueueQuery; error?: CombinedError; history: Counts }>({ history: { waiting: [], processing: [], dead: [] } });
  const [notice, setNotice] = useState<string | null>(null);
  const [retry, runRetry] = useMutation(RetryDeadJobsMutation);
  const [purge, runPurge] = useMutation(PurgeDeadJobsMutation);

  // Read every POLL_MS; each reading is one more point of the chart.
  const refresh = useCallback(() => {
    void client
      .query(QueueViewQuery, { queue, first: DEAD_JOBS_SHOWN }, { requestPolicy: 'network-only' })
      .toPromise()
      .then((result) =>
        setView((past) => {
          const stats = result.data?.queueStats;
          if (!stats) return { ...past, error: result.error };
          return {
            data: result.data,
            error: result.error,
            history: {
              waiting: pushBounded(past.history.waiting, stats.waiting, CHART_CAPACITY),
              processing: pushBounded(past.history.processing, stats.processing, CHART_CAPACITY),
              dead: pushBounded(past.history.dead, stats.dead, CHART_CAPACITY),
            },
          };
        }),
      );
  }, [client, queue]);
  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, POLL_MS);
    return () => clearInterval(timer);
  }, [refresh]);
  const { history } = view;
  const stats = view.data?.queueStats;

  async function retryJobs(ids: string[]) {
    const outcome = await runRetry({ queue, ids });
    setNotice(outcome.error ? describeError(outcome.error) : `${outcome.data?.retryDeadJobs ?? 0} job(s) moved back to ${queue}.`);
    refresh();
  }

  async function purgeJobs() {
    if (!window.confirm(`Delete every dead job of ${queue}?`)) return;
    const outcome = await runPurge({ queue });
    setNotice(outcome.error ? describeError(outcome.error) : `${outcome.data?.purgeDeadJobs ?? 0} dead job(s) deleted.`);
    refresh();
  }

  const dead = view.data?.deadJobs ?? [];
  const busy = retry.fetching || purge.fetching;
  return (
    <article className="ops-card" data-queue={queue} aria-labelledby={`queue-${queue}`}>
      <header className="ops-card-head">
        <h3 id={`queue-${queue}`}>{queue}</h3>
        {stats && (
          <dl className="counts">
            <div>
              <dt>waiting</dt>
              <dd data-count="waiting">{stats.waiting}</dd>
            </div>
            <div>
              <dt>processing</dt>
              <dd data-count="processing">{stats.processing}</dd>
            </div>
            <div>
              <dt>dead</dt>
              <dd data-count="dead">{stats.dead}</dd>
            </div>
            <div>
              <dt>delayed</dt>
              <dd data-count="delayed">{stats.delayed}</dd>
            </div>
            <div>
              <dt>oldest waiting</dt>
              <dd data-count="oldest">{stats.oldestWaitingAgeMs === null || stats.oldestWaitingAgeMs === undefined ? '–' : formatAge(stats.oldestWaitingAgeMs)}</dd>
            </div>
            <div>
              <dt>rate limit</dt>
              <dd data-count="rate-limit">{stats.rateLimit ? `${stats.rateLimit.max} / ${stats.rateLimit.durationMs} ms` : '–'}</dd>
            </div>
          </dl>
        )}
        <button type="button" className="secondary small" onClick={onRemove} aria-label={`Stop watching ${queue}`}>
          ×
        </button>
      </header>
      {view.error && <p className="error" role="alert">{describeError(view.error)}</p>}
      <LineChart
        title={`${queue}: jobs`}
        capacity={CHART_CAPACITY}
        series={[
          { name: 'waiting', color: '#1a5fd0', points: history.waiting },
          { name: 'processing', color: '#b26b00', points: history.processing },
          { name: 'dead', color: '#b42318', points: history.dead },
        ]}
      />
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {dead.length > 0 ? (
        <>
          <table className="ops-table">
            <caption>
              Dead jobs {stats && stats.dead > dead.length ? `(newest ${dead.length} of ${stats.dead})` : ''}
            </caption>
            <thead>
              <tr>
                <th>Job</th>
                <th className="num">Attempts</th>
                <th>Payload</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {dead.map((job) => (
                <DeadJobRow key={job.id} job={job} busy={busy} onRetry={(id) => void retryJobs([id])} />
              ))}
            </tbody>
          </table>
          <div className="ops-actions">
            <button type="button" disabled={busy} onClick={() => void retryJobs(dead.map((job) => job.id))}>
              Retry these {dead.length}
            </button>
            <button type="button" className="secondary" disabled={busy} onClick={() => void purgeJobs()}>
              Purge all dead
            </button>
          </div>
        </>
      ) : (
        <p className="muted">No dead jobs.</p>
      )}
    </article>
  );
}
