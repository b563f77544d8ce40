import type { Context } from '../graphql/context.js';
import { jobSettledChannel } from '../redis/keys.js';
import type { Job } from './job-codec.js';

/**
 * How often a subscriber waiting for its previous job to settle checks Redis itself, in case the
 * settled announcement was missed (it is pub/sub: a reconnect loses what was published meanwhile).
 */
const SETTLE_RECHECK_MS = 5000;

const DONE: IteratorResult<Job> = { value: undefined, done: true };

/**
 * The iterator behind `jobs(queue, concurrency)`: a competing consumer with a prefetch of
 * `concurrency` (default 1). It asks the dispatcher for a job only when the transport pulls (the
 * previous job was written out) *and* fewer than `concurrency` of the jobs it handed out are
 * unsettled (not acknowledged with `ackJob` or `failJob`, nor returned by their visibility
 * timeout). So a subscriber never holds more than `concurrency` jobs, and a slow one cannot hoard
 * a queue that others could be working on. It buffers nothing: a job goes from the dispatcher
 * straight into the pending pull, so there is no queue to bound.
 *
 * It ends when the client goes away (`context.closedSignal()`), when its session ends (on any
 * instance), and at shutdown (the subscription registry).
 */
class JobStream implements AsyncIterableIterator<Job> {
  private readonly ended = new AbortController();
  private readonly cleanups: Array<() => void> = [];
  /** The jobs handed out that have not settled yet. */
  private readonly outstanding = new Set<string>();
  /** Wakes the wait for one of `outstanding` to settle. */
  private wake: (() => void) | null = null;

  constructor(
    private readonly context: Context,
    private readonly queue: string,
    private readonly concurrency: number,
  ) {}

  get isFinished(): boolean {
    return this.ended.signal.aborted;
  }

  onCleanup(cleanup: () => void): void {
    if (this.isFinished) cleanup();
    else this.cleanups.push(cleanup);
  }

  /** A job of this queue left processing (ack, timeout, release). */
  settled(id: string): void {
    if (this.outstanding.delete(id)) this.wake?.();
  }

  async next(): Promise<IteratorResult<Job>> {
    if (this.isFinished) return DONE;
    while (this.outstanding.size >= this.concurrency) {
      await this.untilOneSettled();
      if (this.isFinished) return DONE;
    }
    const { dispatcher, store } = this.context.services.queues;
    let job: Job | null;
    try {
      job = await dispatcher.next(this.queue, this.ended.signal);
    } catch (error) {
      this.close();
      throw error;
    }
    if (job === null) {
      this.close();
      return DONE;
    }
    if (this.isFinished) {
      // Ended while the job was on its way: nobody saw it, so it goes back untouched.
      await store.release(this.queue, job.id);
      return DONE;
    }
    this.outstanding.add(job.id);
    return { value: job, done: false };
  }

  return(): Promise<IteratorResult<Job>> {
    this.close();
    return Promise.resolve(DONE);
  }

  throw(error?: unknown): Promise<IteratorResult<Job>> {
    this.close();
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Ends the stream (idempotent): a pending pull resolves as done, a waiting take is given up. */
  close(): void {
    if (this.isFinished) return;
    this.ended.abort();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
  }

  private untilOneSettled(): Promise<void> {
    const { store } = this.context.services.queues;
    return new Promise<void>((resolve) => {
      if (this.isFinished) return resolve();
      const check = () => {
        for (const id of [...this.outstanding]) {
          void store.isInFlight(this.queue, id).then(
            (inFlight) => {
              if (!inFlight && this.outstanding.delete(id)) done();
            },
            () => undefined,
          );
        }
      };
      const recheck = setInterval(check, SETTLE_RECHECK_MS);
      const done = () => {
        clearInterval(recheck);
        this.ended.signal.removeEventListener('abort', done);
        this.wake = null;
        resolve();
      };
      // Listen first, then look: a settle between the two cannot be missed.
      this.wake = done;
      this.ended.signal.addEventListener('abort', done, { once: true });
      check();
    });
  }
}

/**
 * Opens a `jobs(queue)` subscription for one client. Resolves once it listens for settled jobs,
 * so the first pull can already take a job.
 */
export async function openJobStream(context: Context, queue: string, concurrency = 1, onEnd?: () => void): Promise<AsyncIterableIterator<Job>> {
  const { hub, sessionWatcher, subscriptions } = context.services;
  const stream = new JobStream(context, queue, concurrency);
  if (onEnd) stream.onCleanup(onEnd);
  const signal = context.closedSignal();
  if (subscriptions.closed || signal.aborted) {
    stream.close();
    return stream;
  }
  subscriptions.add(stream);
  stream.onCleanup(() => subscriptions.delete(stream));
  const onAbort = () => stream.close();
  signal.addEventListener('abort', onAbort, { once: true });
  stream.onCleanup(() => signal.removeEventListener('abort', onAbort));
  if (context.session) stream.onCleanup(sessionWatcher.watch(context.session, () => stream.close()));
  try {
    const unsubscribe = await hub.subscribe({ kind: 'channel', name: jobSettledChannel(queue) }, ({ payload }) => stream.settled(payload));
    stream.onCleanup(unsubscribe);
  } catch (error) {
    stream.close();
    throw error;
  }
  return stream;
}
