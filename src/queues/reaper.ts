import type { Logger } from 'pino';
import type { JobStore } from './store.js';

/** Options of {@link createJobReaper}. */
export interface JobReaperOptions {
  store: JobStore;
  logger: Logger;
  /** Longest time between passes; a pass comes sooner when a delayed job falls due sooner. */
  intervalMs: number;
  /**
   * The queues to reap. Default: every queue that holds or held jobs (the registry), which is
   * what a server does; the worker command reaps only its own queue.
   */
  queues?: () => Promise<string[]>;
}

/** Periodic promotion of due jobs, redelivery and dead-lettering; see {@link JobStore.reap}. */
export interface JobReaper {
  /** Starts the passes (the first one at once). Calling it twice does nothing more. */
  start(): void;
  /** Runs one pass over every queue now; resolves when it is done. Errors are logged, not thrown. */
  runOnce(): Promise<void>;
  /** Stops the passes and waits for the one under way. */
  stop(): Promise<void>;
}

/** Reaper interval for a visibility timeout: a quarter of it, between 50 ms and 1 s. */
export const reapIntervalFor = (visibilityTimeoutMs: number): number => Math.min(1000, Math.max(50, Math.floor(visibilityTimeoutMs / 4)));

/** Soonest the next pass runs after one, however soon a delayed job is due. */
const MIN_PASS_GAP_MS = 5;

/**
 * Every instance runs one. The work is done by one atomic script per queue, so several reapers
 * at once (instances, workers) never move a job twice: the second finds nothing left to do. The
 * next pass is scheduled at the interval, or when the earliest delayed job is due if that is sooner,
 * so a delayed job reaches its list on time even with no taker waiting for it.
 */
export function createJobReaper(options: JobReaperOptions): JobReaper {
  const { store, logger, intervalMs } = options;
  const listQueues = options.queues ?? (() => store.activeQueues());
  const forgets = options.queues === undefined;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  let stopped = false;

  /** Resolves with the time until the next pass should run. */
  async function pass(): Promise<number> {
    let queues: string[];
    try {
      queues = await listQueues();
    } catch (error) {
      logger.warn({ err: error }, 'job reaper could not list queues');
      return intervalMs;
    }
    let next = intervalMs;
    const started = performance.now();
    for (const queue of queues) {
      if (stopped) break;
      try {
        const result = await store.reap(queue);
        if (result.returned || result.deadLettered || result.orphansReturned) {
          logger.info({ queue, ...result }, 'returned unacknowledged jobs');
        }
        if (result.nextDueInMs !== null) next = Math.min(next, result.nextDueInMs - (performance.now() - started));
        if (forgets && result.processing === 0 && result.delayed === 0) await store.forgetIfIdle(queue);
      } catch (error) {
        logger.warn({ err: error, queue }, 'job reaper pass failed');
      }
    }
    return Math.max(MIN_PASS_GAP_MS, next);
  }

  const runOnce = () => {
    running ??= pass().finally(() => {
      running = null;
    });
    return running;
  };

  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      void runOnce().then(schedule);
    }, delayMs);
  };

  return {
    start() {
      if (timer || running || stopped) return;
      void runOnce().then(schedule);
    },
    runOnce: async () => {
      await runOnce();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
