import type { Context } from '../graphql/context.js';
import { AppError, ErrorCode } from '../errors/app-error.js';
import { jobUpdatesChannel } from '../redis/keys.js';
import type { Job } from './job-codec.js';

/** How often a follower reads the job's record itself, in case an announcement was missed (pub/sub). */
const RECHECK_MS = 5000;

const DONE: IteratorResult<Job> = { value: undefined, done: true };
const isFinal = (job: Job) => job.state === 'completed' || job.state === 'dead';

/**
 * The iterator behind `jobUpdates(queue, id)`: the job as it is now, then the job again after
 * every change of its record (taken, progress, failed, retried, completed with its result, dead),
 * ending after it completed or died. Each change raises the record's version and announces it
 * on the job's channel; the follower subscribes before it reads the record, and yields only
 * versions newer than the last it yielded, so nothing between the two is missed and nothing is
 * yielded twice. Changes that follow each other faster than the client reads are folded into the
 * latest (a live view, not a log); the final state is never skipped.
 */
class JobUpdateStream implements AsyncIterableIterator<Job> {
  private readonly ended = new AbortController();
  private readonly cleanups: Array<() => void> = [];
  private lastVersion = -1;
  private announced = -1;
  private wake: (() => void) | null = null;
  private finished = false;

  constructor(
    private readonly context: Context,
    private readonly queue: string,
    private readonly id: string,
  ) {}

  get isFinished(): boolean {
    return this.ended.signal.aborted;
  }

  onCleanup(cleanup: () => void): void {
    if (this.isFinished) cleanup();
    else this.cleanups.push(cleanup);
  }

  announce(version: number): void {
    if (version > this.announced) this.announced = version;
    this.wake?.();
  }

  async next(): Promise<IteratorResult<Job>> {
    for (;;) {
      if (this.isFinished || this.finished) {
        this.close();
        return DONE;
      }
      const job = await this.context.services.queues.store.job(this.queue, this.id);
      if (this.isFinished) return DONE;
      if (job && (job.version ?? 0) > this.lastVersion) {
        this.lastVersion = job.version ?? 0;
        if (isFinal(job)) this.finished = true;
        return { value: job, done: false };
      }
      if (!job && this.lastVersion >= 0) {
        // No longer kept (its retention passed): nothing more will come.
        this.close();
        return DONE;
      }
      await this.untilAnnounced();
    }
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

  close(): void {
    if (this.isFinished) return;
    this.ended.abort();
    this.wake?.();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
  }

  private untilAnnounced(): Promise<void> {
    if (this.announced > this.lastVersion) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, RECHECK_MS);
      function done(this: void) {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }
}

/**
 * Opens a `jobUpdates(queue, id)` subscription. Resolves once it listens to the job's channel.
 * @throws AppError NOT_FOUND when no record of the job is kept (unknown id, or finished longer
 * than JOB_RETENTION_SECONDS ago).
 */
export async function openJobUpdates(context: Context, queue: string, id: string): Promise<AsyncIterableIterator<Job>> {
  const { hub, sessionWatcher, subscriptions, queues } = context.services;
  const stream = new JobUpdateStream(context, queue, id);
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
    const unsubscribe = await hub.subscribe({ kind: 'channel', name: jobUpdatesChannel(queue, id) }, ({ payload }) => stream.announce(Number(payload)));
    stream.onCleanup(unsubscribe);
    if ((await queues.store.jobVersion(queue, id)) === null) {
      throw new AppError(ErrorCode.NotFound, `No job ${JSON.stringify(id)} in queue ${JSON.stringify(queue)} (unknown, or finished more than JOB_RETENTION_SECONDS ago).`);
    }
  } catch (error) {
    stream.close();
    throw error;
  }
  return stream;
}
