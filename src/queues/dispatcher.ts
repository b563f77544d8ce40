import type { Logger } from 'pino';
import { AppError } from '../graphql/errors.js';
import type { Job } from './job-codec.js';
import type { JobStore } from './store.js';

/** Options of {@link createJobDispatcher}. */
export interface JobDispatcherOptions {
  store: JobStore;
  logger: Logger;
  /** Longest single BLMOVE; the take loops while subscribers wait. Default 5 s. */
  blockSeconds?: number;
  /** Pause before retrying a take that failed (Redis unreachable). Default 1 s. */
  retryMs?: number;
}

/**
 * Hands a queue's jobs to the `jobs` subscribers of this process. Per queue, one blocking take
 * (one pooled connection) runs only while at least one local subscriber is waiting for a job;
 * each job it takes goes to the subscriber that has waited longest. Instances compete through
 * BLMOVE itself, which Redis serves to one blocked client at a time, so each job reaches exactly
 * one subscriber across every instance (and every worker).
 */
export interface JobDispatcher {
  /**
   * Waits for the next job of `queue` for one subscriber that is ready for it. Resolves null
   * when `signal` aborts or the dispatcher closes; a job taken for nobody goes back to the front
   * of the queue untouched.
   * @throws AppError when the queue cannot be read (its key holds another type).
   */
  next(queue: string, signal: AbortSignal): Promise<Job | null>;
  /** Queues with a take running now. */
  readonly activeQueues: number;
  /** Subscribers waiting for a job now, over every queue. */
  readonly waiting: number;
  /** Ends every take and wait; resolves once the takes have returned. */
  close(): Promise<void>;
}

interface Waiter {
  /** null: the dispatcher is closing. */
  deliver(job: Job | null): void;
  fail(error: unknown): void;
}

interface QueueState {
  waiters: Waiter[];
  /** Aborts the BLMOVE under way (CLIENT UNBLOCK), when nobody waits any more. */
  take: AbortController | null;
  running: Promise<void> | null;
}

const DEFAULT_BLOCK_SECONDS = 5;
const DEFAULT_RETRY_MS = 1000;

export function createJobDispatcher(options: JobDispatcherOptions): JobDispatcher {
  const { store, logger } = options;
  const blockSeconds = options.blockSeconds ?? DEFAULT_BLOCK_SECONDS;
  const retryMs = options.retryMs ?? DEFAULT_RETRY_MS;
  const queues = new Map<string, QueueState>();
  const closing = new AbortController();

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        closing.signal.removeEventListener('abort', done);
        resolve();
      }
      closing.signal.addEventListener('abort', done, { once: true });
    });

  async function run(queue: string, state: QueueState): Promise<void> {
    while (state.waiters.length > 0 && !closing.signal.aborted) {
      const take = new AbortController();
      state.take = take;
      let job: Job | null;
      try {
        job = await store.take(queue, blockSeconds, take.signal);
      } catch (error) {
        if (closing.signal.aborted) break;
        if (error instanceof AppError) {
          // The queue cannot be read at all: tell everyone waiting instead of retrying for ever.
          for (const waiter of state.waiters.splice(0)) waiter.fail(error);
          break;
        }
        logger.warn({ err: error, queue }, 'taking a job for subscribers failed; retrying');
        await pause(retryMs);
        continue;
      } finally {
        state.take = null;
      }
      if (!job) continue;
      const waiter = state.waiters.shift();
      if (waiter) waiter.deliver(job);
      // Everyone left while the job was on its way: it goes back as it was.
      else await store.release(queue, job.id).catch((error: unknown) => logger.warn({ err: error, queue }, 'could not put a job back'));
    }
  }

  function start(queue: string, state: QueueState): void {
    state.running = run(queue, state)
      .catch((error: unknown) => logger.error({ err: error, queue }, 'job dispatcher failed'))
      .finally(() => {
        state.running = null;
        if (state.waiters.length > 0 && !closing.signal.aborted) start(queue, state);
        else if (queues.get(queue) === state && state.waiters.length === 0) queues.delete(queue);
      });
  }

  function leave(queue: string, state: QueueState, waiter: Waiter): void {
    const index = state.waiters.indexOf(waiter);
    if (index >= 0) state.waiters.splice(index, 1);
    // Nobody here wants a job: free the pooled connection now rather than at the block's end.
    if (state.waiters.length === 0) state.take?.abort();
  }

  return {
    next(queue, signal) {
      if (closing.signal.aborted || signal.aborted) return Promise.resolve(null);
      let state = queues.get(queue);
      if (!state) {
        state = { waiters: [], take: null, running: null };
        queues.set(queue, state);
      }
      const current = state;
      return new Promise<Job | null>((resolve, reject) => {
        const onAbort = () => {
          leave(queue, current, waiter);
          resolve(null);
        };
        const waiter: Waiter = {
          deliver(job) {
            signal.removeEventListener('abort', onAbort);
            resolve(job);
          },
          fail(error) {
            signal.removeEventListener('abort', onAbort);
            reject(error);
          },
        };
        signal.addEventListener('abort', onAbort, { once: true });
        current.waiters.push(waiter);
        if (!current.running) start(queue, current);
      });
    },
    get activeQueues() {
      let count = 0;
      for (const state of queues.values()) if (state.running) count++;
      return count;
    },
    get waiting() {
      let count = 0;
      for (const state of queues.values()) count += state.waiters.length;
      return count;
    },
    async close() {
      closing.abort();
      const running: Array<Promise<void>> = [];
      for (const state of queues.values()) {
        state.take?.abort();
        // Their streams end: a wait resolved with null reads as the end of the subscription.
        for (const waiter of state.waiters.splice(0)) waiter.deliver(null);
        if (state.running) running.push(state.running);
      }
      await Promise.all(running);
    },
  };
}
