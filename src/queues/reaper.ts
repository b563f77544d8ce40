import type { Logger } from 'pino';
import type { JobStore } from './store.js';

/** Options of {@link createJobReaper}. */
export interface JobReaperOptions {
  store: JobStore;
  logger: Logger;
  /** Time between passes. */
  intervalMs: number;
  /**
   * The queues to reap. Default: every queue that consumers take from (the registry), which is
   * what a server does; the worker command reaps only its own queue.
   */
  queues?: () => Promise<string[]>;
}

/** Periodic redelivery and dead-lettering; see {@link JobStore.reap}. */
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

/**
 * Every instance runs one. The work is done by one atomic script per queue, so several reapers
 * at once (instances, workers) never return a job twice: the second finds nothing left to do.
 */
export function createJobReaper(options: JobReaperOptions): JobReaper {
  const { store, logger, intervalMs } = options;
  const listQueues = options.queues ?? (() => store.activeQueues());
  const forgets = options.queues === undefined;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;

  async function pass(): Promise<void> {
    let queues: string[];
    try {
      queues = await listQueues();
    } catch (error) {
      logger.warn({ err: error }, 'job reaper could not list queues');
      return;
    }
    for (const queue of queues) {
      if (stopped) return;
      try {
        const result = await store.reap(queue);
        if (result.returned || result.deadLettered || result.orphansReturned) {
          logger.info({ queue, ...result }, 'returned unacknowledged jobs');
        }
        if (forgets && result.processing === 0) await store.forgetIfIdle(queue);
      } catch (error) {
        logger.warn({ err: error, queue }, 'job reaper pass failed');
      }
    }
  }

  const runOnce = () => {
    running ??= pass().finally(() => {
      running = null;
    });
    return running;
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      void runOnce().then(schedule);
    }, intervalMs);
  };

  return {
    start() {
      if (timer || running || stopped) return;
      void runOnce().then(schedule);
    },
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
