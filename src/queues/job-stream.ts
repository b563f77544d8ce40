import { openPullStream } from '../live/own-streams.js';
import type { Subscriber } from '../live/subscriber.js';
import { jobSettledChannel } from '../redis/keys.js';
import type { Job } from './job-codec.js';
import type { JobStreamDeps } from './services.js';

/**
 * How often a subscriber waiting for its previous job to settle checks Redis itself, in case the
 * settled announcement was missed (it is pub/sub: a reconnect loses what was published meanwhile).
 */
const SETTLE_RECHECK_MS = 5000;

/**
 * Opens a `jobs(queue, concurrency)` subscription for one client: a competing consumer with a
 * prefetch of `concurrency` (default 1), as a pull stream of the live layer. It asks the
 * dispatcher for a job only when the transport pulls (the previous job was written out) *and*
 * fewer than `concurrency` of the jobs it handed out are unsettled (not acknowledged with
 * `ackJob` or `failJob`, nor returned by their visibility timeout). So a subscriber never holds
 * more than `concurrency` jobs, and a slow one cannot hoard a queue that others could be working
 * on. It buffers nothing: a job goes from the dispatcher straight into the pending pull.
 *
 * It ends with its lifetime (client gone, session ended, shutdown). Resolves once it listens for
 * settled jobs, so the first pull can already take a job.
 * @param onEnd called once when it ends (the blocking-operation slot is given back).
 */
export async function openJobStream(deps: JobStreamDeps, subscriber: Subscriber, queue: string, concurrency = 1, onEnd?: () => void): Promise<AsyncIterableIterator<Job>> {
  const { hub, subscriptions, queues } = deps;
  const { dispatcher, store } = queues;
  /** The jobs handed out that have not settled yet. */
  const outstanding = new Set<string>();
  /** Wakes the wait for one of `outstanding` to settle. */
  let wake: (() => void) | null = null;
  let unsubscribe: (() => void) | null = null;

  const untilOneSettled = (signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const check = () => {
        for (const id of [...outstanding]) {
          void store.isInFlight(queue, id).then(
            (inFlight) => {
              if (!inFlight && outstanding.delete(id)) done();
            },
            () => undefined,
          );
        }
      };
      const recheck = setInterval(check, SETTLE_RECHECK_MS);
      const done = () => {
        clearInterval(recheck);
        signal.removeEventListener('abort', done);
        wake = null;
        resolve();
      };
      // Listen first, then look: a settle between the two cannot be missed.
      wake = done;
      signal.addEventListener('abort', done, { once: true });
      check();
    });

  const stream = openPullStream<Job>(subscriber, subscriptions, {
    async next(signal) {
      while (outstanding.size >= concurrency) {
        await untilOneSettled(signal);
        if (signal.aborted) return null;
      }
      const job = await dispatcher.next(queue, signal);
      if (job === null) return null;
      if (signal.aborted) {
        // Ended while the job was on its way: nobody saw it, so it goes back untouched.
        await store.release(queue, job.id);
        return null;
      }
      outstanding.add(job.id);
      return job;
    },
    onEnd() {
      unsubscribe?.();
      unsubscribe = null;
      wake?.();
      onEnd?.();
    },
  });
  if (stream.ended) return stream;
  try {
    const stop = await hub.subscribe({ kind: 'channel', name: jobSettledChannel(queue) }, ({ payload }) => {
      if (outstanding.delete(payload)) wake?.();
    });
    if (stream.ended) stop();
    else unsubscribe = stop;
  } catch (error) {
    await stream.return?.();
    throw error;
  }
  return stream;
}
