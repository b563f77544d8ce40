import type { Logger } from 'pino';
import { AppError } from '../errors/app-error.js';
import type { BlockingPool } from '../redis/blocking-pool.js';
import type { Job } from './job-codec.js';
import type { JobStore, TakeResult } from './store.js';

/** Options of {@link createJobDispatcher}. */
export interface JobDispatcherOptions {
  store: JobStore;
  logger: Logger;
  /** Where a queue's wait for an item (one BLMOVE per queue) runs; none: every wait polls. */
  blocking?: BlockingPool;
  /**
   * Most pooled connections the waits of this dispatcher hold at once (one per queue with
   * waiters). Queues beyond that, and every queue while the pool has no connection free, poll
   * instead every `pollMs`: a wait never queues for a pooled connection. Default 8.
   */
  maxBlockingConnections?: number;
  /** The size of `blocking`, to see whether it has a connection free. Default: `maxBlockingConnections`. */
  poolSize?: number;
  /**
   * Listens to the queue's wake-ups, which the scripts publish when a job becomes ready: its
   * level's name (`normal`, `high`...) for a job added or returned, `due` for delayed jobs moved,
   * `resumed`. A BLMOVE on the queue's list sees `normal` jobs by itself; polling waits and other
   * levels need these; `limit` when the rate limit changed. Resolves with its unsubscribe. None: such jobs are seen by the next poll
   * or BLMOVE slice.
   */
  subscribeWake?: (queue: string, onWake: (reason: string) => void) => Promise<() => void>;
  /**
   * How often a queue whose wait has no pooled connection looks again. Default 250 ms; longer when
   * many queues poll at once, so that one instance runs at most {@link MAX_POLLS_PER_SECOND}.
   */
  pollMs?: number;
  /** Longest single BLMOVE; the wait loops while somebody waits. Default 1 s (5 s with `subscribeWake`). */
  blockSeconds?: number;
  /** Pause before retrying a take that failed (Redis unreachable). Default 1 s. */
  retryMs?: number;
}

/** Options of one {@link JobDispatcher.next} call. */
export interface NextOptions {
  /** Give up (resolve null) at this `performance.now()` time. Default: wait until aborted. */
  deadline?: number;
  /**
   * When `signal` aborts while a take for this caller is under way, take the job it brings
   * instead of having it put back (a worker that stops finishes the job it took). Default false:
   * the caller is gone, the job goes back to the front of the queue.
   */
  acceptTakenOnAbort?: boolean;
}

/**
 * Hands a queue's jobs to the takers of this process (`dequeue` callers, `jobs` subscribers, the
 * worker's slots). Per queue, one loop runs while somebody waits: it takes as many jobs as there
 * are takers in one script call, and when there are none it waits for one with at most one
 * pooled connection per queue (a blocking take of its list), or by
 * polling when no pooled connection may be had, so a wait never holds up anyone else's. Each job
 * goes to the taker that has waited longest. Instances compete through the take script and
 * BLMOVE itself (which Redis serves to the client blocked longest), so each job reaches exactly
 * one taker across every instance (and every worker).
 */
export interface JobDispatcher {
  /**
   * Waits for the next job of `queue`. Resolves null when `signal` aborts, the deadline passes or
   * the dispatcher closes; a job taken for nobody goes back to the front of the queue untouched.
   * @throws AppError when the queue cannot be read (its key holds another type), or the registry is full.
   */
  next(queue: string, signal: AbortSignal, options?: NextOptions): Promise<Job | null>;
  /** Queues with a loop running now. */
  readonly activeQueues: number;
  /** Takers waiting for a job now, over every queue. */
  readonly waiting: number;
  /** Pooled connections held by waits now. */
  readonly blockingConnections: number;
  /** Queues whose wait polls now (no pooled connection). */
  readonly pollingWaits: number;
  /** Ends every loop and wait; resolves once the loops have returned. */
  close(): Promise<void>;
}

interface Waiter {
  /** null: the dispatcher is closing. */
  deliver(job: Job | null): void;
  fail(error: unknown): void;
  /** Its signal aborted, but it takes a job that a take under way brings (see acceptTakenOnAbort). */
  leaving: boolean;
}

interface QueueState {
  waiters: Waiter[];
  /** Ends the current wait (a wake-up, a waiter left, closing). */
  wait: AbortController | null;
  /** The current wait is a BLMOVE on the queue's list (which sees `normal` jobs by itself). */
  blocking: boolean;
  /** A wake-up came while no wait was under way: look again before waiting. */
  kicked: boolean;
  /** Until then (`performance.now()`) the rate limit lets no job start: only a `limit` wake-up ends the wait. */
  limitedUntil: number;
  running: Promise<void> | null;
}

const DEFAULT_MAX_BLOCKING = 8;
const DEFAULT_POLL_MS = 250;
const DEFAULT_RETRY_MS = 1000;
/**
 * How long a wait may wait for a pooled connection (one that was free a moment ago, or being
 * opened) before it polls instead.
 */
const ACQUIRE_GIVE_UP_MS = 1000;
/** A paused queue is looked at this often besides its resume wake-up. */
const PAUSED_POLL_MS = 1000;
/**
 * Most looks per second of all the polling waits of one instance together: the poll interval
 * grows with the number of queues polling (jobs enqueued through the API still wake them at once).
 */
export const MAX_POLLS_PER_SECOND = 200;

export function createJobDispatcher(options: JobDispatcherOptions): JobDispatcher {
  const { store, logger, blocking, subscribeWake } = options;
  const maxBlocking = options.maxBlockingConnections ?? DEFAULT_MAX_BLOCKING;
  const poolSize = options.poolSize ?? maxBlocking;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const blockMs = (options.blockSeconds ?? (subscribeWake ? 5 : 1)) * 1000;
  const retryMs = options.retryMs ?? DEFAULT_RETRY_MS;
  const queues = new Map<string, QueueState>();
  const closing = new AbortController();
  let blockers = 0;
  let pollers = 0;

  const pause = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });

  function canBlock(): boolean {
    if (!blocking || blockers >= maxBlocking) return false;
    const stats = blocking.stats();
    return stats.waiting === 0 && stats.busy < poolSize;
  }

  /**
   * Waits for a reason to look again (a wake-up, a due job, a timer), or for a job: with a pooled
   * connection, a blocking take of the queue's list. Resolves with what that took.
   */
  async function waitForWork(queue: string, state: QueueState, found: TakeResult): Promise<Job[]> {
    const wait = new AbortController();
    state.wait = wait;
    const stop = AbortSignal.any([wait.signal, closing.signal]);
    // Rate limited: no take can succeed until the window has room, so wait for exactly that
    // (+1 ms for Redis's clock), holding no connection; at most blockMs, in case a `limit`
    // wake-up (the limit cleared or raised) was missed.
    const limitedForMs = found.paused ? null : found.limitedForMs;
    const held = found.paused || limitedForMs !== null;
    const useBlocking = !held && canBlock();
    const polling = !held && !useBlocking;
    if (polling) pollers++;
    let timeout = found.paused ? PAUSED_POLL_MS : useBlocking ? blockMs : Math.max(pollMs, (pollers * 1000) / MAX_POLLS_PER_SECOND);
    // Set for this wait only: a wait the limit did not hold must not keep filtering wake-ups.
    state.limitedUntil = 0;
    if (limitedForMs !== null) {
      timeout = Math.min(limitedForMs + 1, blockMs);
      state.limitedUntil = performance.now() + timeout;
    } else if (found.nextDueInMs !== null) timeout = Math.min(timeout, found.nextDueInMs + 1);
    let taking: Promise<Job[]> = Promise.resolve([]);
    if (useBlocking && blocking) {
      blockers++;
      const giveUp = new AbortController();
      const giveUpTimer = setTimeout(() => giveUp.abort(), ACQUIRE_GIVE_UP_MS);
      let fallback: NodeJS.Timeout | undefined;
      taking = blocking
        .run(({ redis }) => {
          clearTimeout(giveUpTimer);
          // Only now does a BLMOVE watch the list (and see `normal` jobs without a wake-up).
          if (!wait.signal.aborted) state.blocking = true;
          return store.blockingTake(redis, queue, timeout / 1000);
          // The queue's list routes the BLMOVE to its slot's master on a cluster.
        }, AbortSignal.any([stop, giveUp.signal]), queue)
        .then(
          (taken) => {
            wait.abort();
            return taken.jobs;
          },
          (error: unknown) => {
            // An AppError (the key holds another type, the registry is full) is the takers' to see.
            if (error instanceof AppError) {
              wait.abort();
              throw error;
            }
            // No connection came in time, or the pool is closing: look again as a poll would.
            if (!wait.signal.aborted) fallback = setTimeout(() => wait.abort(), pollMs);
            return [];
          },
        )
        .finally(() => {
          clearTimeout(giveUpTimer);
          state.blocking = false;
          blockers--;
        });
      wait.signal.addEventListener('abort', () => clearTimeout(fallback), { once: true });
    }
    // With a BLMOVE under way, its own timeout ends the wait (and frees its connection first).
    await pause(useBlocking ? timeout + 200 : timeout, stop);
    if (polling) pollers--;
    wait.abort();
    if (state.wait === wait) state.wait = null;
    return taking;
  }

  async function run(queue: string, state: QueueState): Promise<void> {
    let unsubscribe: (() => void) | null = null;
    try {
      for (;;) {
        // Callers that left while the last take was under way and got nothing from it.
        for (const waiter of state.waiters.filter((entry) => entry.leaving)) {
          state.waiters.splice(state.waiters.indexOf(waiter), 1);
          waiter.deliver(null);
        }
        if (state.waiters.length === 0 || closing.signal.aborted) break;
        let found: TakeResult;
        state.kicked = false;
        try {
          found = await store.takeNow(queue, state.waiters.length);
        } catch (error) {
          if (closing.signal.aborted) break;
          if (error instanceof AppError) {
            // The queue cannot be read at all: tell everyone waiting instead of retrying for ever.
            for (const waiter of state.waiters.splice(0)) waiter.fail(error);
            break;
          }
          logger.warn({ err: error, queue }, 'taking a job failed; retrying');
          await pause(retryMs, closing.signal);
          continue;
        }
        for (const job of found.jobs) {
          const waiter = state.waiters.shift();
          if (waiter) waiter.deliver(job);
          // Everyone left while the job was on its way: it goes back as it was.
          else await store.release(queue, job.id).catch((error: unknown) => logger.warn({ err: error, queue }, 'could not put a job back'));
        }
        if (found.jobs.length > 0 || state.waiters.length === 0) continue;
        if (subscribeWake && !unsubscribe) {
          // Listen first, then look once more: a wake-up between the two cannot be missed.
          try {
            unsubscribe = await subscribeWake(queue, (reason) => {
              // Jobs added while the rate limit is full could not be taken anyway.
              if (reason !== 'limit' && performance.now() < state.limitedUntil) return;
              state.kicked = true;
              // A BLMOVE on the list takes a `normal` job by itself; ending it would only cost an UNBLOCK.
              if (reason === 'normal' && state.blocking) return;
              state.wait?.abort();
            });
          } catch (error) {
            logger.warn({ err: error, queue }, 'could not listen to the queue wake-ups; polling');
            unsubscribe = () => undefined;
          }
          continue;
        }
        if (state.kicked) continue;
        let taken: Job[];
        try {
          taken = await waitForWork(queue, state, found);
        } catch (error) {
          for (const waiter of state.waiters.splice(0)) waiter.fail(error);
          break;
        }
        for (const job of taken) {
          const waiter = state.waiters.shift();
          if (waiter) waiter.deliver(job);
          else await store.release(queue, job.id).catch((error: unknown) => logger.warn({ err: error, queue }, 'could not put a job back'));
        }
      }
    } finally {
      unsubscribe?.();
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

  function leave(state: QueueState, waiter: Waiter): void {
    const index = state.waiters.indexOf(waiter);
    if (index >= 0) state.waiters.splice(index, 1);
    // Nobody here wants a job: free the pooled connection now rather than at the block's end.
    if (state.waiters.length === 0) state.wait?.abort();
  }

  return {
    next(queue, signal, nextOptions = {}) {
      if (closing.signal.aborted || signal.aborted) return Promise.resolve(null);
      let state = queues.get(queue);
      if (!state) {
        state = { waiters: [], wait: null, blocking: false, kicked: false, limitedUntil: 0, running: null };
        queues.set(queue, state);
      }
      const current = state;
      return new Promise<Job | null>((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined;
        const settle = () => {
          signal.removeEventListener('abort', onAbort);
          clearTimeout(timer);
        };
        const onAbort = () => {
          if (nextOptions.acceptTakenOnAbort && current.running) {
            // Ends the wait; the loop hands this caller what the take brings, or null.
            waiter.leaving = true;
            current.wait?.abort();
            return;
          }
          settle();
          leave(current, waiter);
          resolve(null);
        };
        const waiter: Waiter = {
          leaving: false,
          deliver(job) {
            settle();
            resolve(job);
          },
          fail(error) {
            settle();
            reject(error);
          },
        };
        signal.addEventListener('abort', onAbort, { once: true });
        if (nextOptions.deadline !== undefined) timer = setTimeout(onAbort, Math.max(0, nextOptions.deadline - performance.now()));
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
    get blockingConnections() {
      return blockers;
    },
    get pollingWaits() {
      return pollers;
    },
    async close() {
      closing.abort();
      const running: Array<Promise<void>> = [];
      for (const state of queues.values()) {
        state.wait?.abort();
        // Their streams end: a wait resolved with null reads as the end of the subscription.
        for (const waiter of state.waiters.splice(0)) waiter.deliver(null);
        if (state.running) running.push(state.running);
      }
      await Promise.all(running);
    },
  };
}
