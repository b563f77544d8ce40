import { AppError, ErrorCode } from '../errors/app-error.js';
import { openPullStream } from '../live/own-streams.js';
import type { Subscriber } from '../live/subscriber.js';
import { jobUpdatesChannel } from '../redis/keys.js';
import type { Job } from './job-codec.js';
import type { JobStreamDeps } from './services.js';

/** How often a follower reads the job's record itself, in case an announcement was missed (pub/sub). */
const RECHECK_MS = 5000;

const isFinal = (job: Job) => job.state === 'completed' || job.state === 'dead';

/**
 * Opens a `jobUpdates(queue, id)` subscription, as a pull stream of the live layer: the job as it
 * is now, then the job again after every change of its record (taken, progress, failed, retried,
 * completed with its result, dead), ending after it completed or died. Each change raises the
 * record's version and announces it on the job's channel; the follower subscribes before it
 * reads the record, and yields only versions newer than the last it yielded, so nothing between
 * the two is missed and nothing is yielded twice. Changes that follow each other faster than the
 * client reads are folded into the latest (a live view, not a log); the final state is never
 * skipped. Resolves once it listens to the job's channel.
 * @throws AppError NOT_FOUND when no record of the job is kept (unknown id, or finished longer
 * than JOB_RETENTION_SECONDS ago).
 */
export async function openJobUpdates(deps: JobStreamDeps, subscriber: Subscriber, queue: string, id: string): Promise<AsyncIterableIterator<Job>> {
  const { hub, subscriptions, queues } = deps;
  let lastVersion = -1;
  let announced = -1;
  let finished = false;
  let wake: (() => void) | null = null;
  let unsubscribe: (() => void) | null = null;

  const untilAnnounced = (signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      if (announced > lastVersion || signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        wake = null;
        resolve();
      };
      const timer = setTimeout(done, RECHECK_MS);
      signal.addEventListener('abort', done, { once: true });
      wake = done;
    });

  const stream = openPullStream<Job>(subscriber, subscriptions, {
    async next(signal) {
      for (;;) {
        if (finished || signal.aborted) return null;
        const job = await queues.store.job(queue, id);
        if (signal.aborted) return null;
        if (job && (job.version ?? 0) > lastVersion) {
          lastVersion = job.version ?? 0;
          if (isFinal(job)) finished = true;
          return job;
        }
        // No longer kept (its retention passed): nothing more will come.
        if (!job && lastVersion >= 0) return null;
        await untilAnnounced(signal);
      }
    },
    onEnd() {
      unsubscribe?.();
      unsubscribe = null;
      wake?.();
    },
  });
  if (stream.ended) return stream;
  try {
    const stop = await hub.subscribe({ kind: 'channel', name: jobUpdatesChannel(queue, id) }, ({ payload }) => {
      const version = Number(payload);
      if (version > announced) announced = version;
      wake?.();
    });
    if (stream.ended) stop();
    else unsubscribe = stop;
    if ((await queues.store.jobVersion(queue, id)) === null) {
      throw new AppError(ErrorCode.NotFound, `No job ${JSON.stringify(id)} in queue ${JSON.stringify(queue)} (unknown, or finished more than JOB_RETENTION_SECONDS ago).`);
    }
  } catch (error) {
    await stream.return?.();
    throw error;
  }
  return stream;
}
