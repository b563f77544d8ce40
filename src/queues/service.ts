import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { BlockingPool } from '../redis/blocking-pool.js';
import { type JobDispatcher, createJobDispatcher } from './dispatcher.js';
import type { Job } from './job-codec.js';
import { type JobReaper, createJobReaper, reapIntervalFor } from './reaper.js';
import { type JobStore, createJobStore } from './store.js';

/** Options of {@link createQueueService}. */
export interface QueueServiceOptions {
  /** The command connection. */
  redis: Redis;
  blocking: BlockingPool;
  config: Pick<Config, 'jobVisibilityTimeoutMs' | 'jobMaxAttempts' | 'maxMessageBytes'>;
  logger: Logger;
}

/** The work queues of one server process: the store, the `jobs` dispatcher and the reaper. */
export interface QueueService {
  store: JobStore;
  dispatcher: JobDispatcher;
  reaper: JobReaper;
  /**
   * `dequeue`: a take that also ends (null) when the service stops, so that shutdown never waits
   * for a blocked request; a job taken at that moment goes back to the queue.
   */
  dequeue(queue: string, timeoutSeconds: number, signal: AbortSignal): Promise<Job | null>;
  /** Starts the reaper (call once Redis is connected). */
  start(): void;
  /** Releases blocked dequeues, ends the dispatcher's takes and stops the reaper. */
  stop(): Promise<void>;
}

/** Builds the service; opens nothing and starts nothing until `start()`. */
export function createQueueService(options: QueueServiceOptions): QueueService {
  const { redis, blocking, config, logger } = options;
  const log = logger.child({ component: 'queues' });
  const store = createJobStore({
    redis,
    blocking,
    visibilityTimeoutMs: config.jobVisibilityTimeoutMs,
    maxAttempts: config.jobMaxAttempts,
    maxPayloadBytes: config.maxMessageBytes,
  });
  const dispatcher = createJobDispatcher({ store, logger: log });
  const reaper = createJobReaper({ store, logger: log, intervalMs: reapIntervalFor(config.jobVisibilityTimeoutMs) });
  const stopping = new AbortController();

  return {
    store,
    dispatcher,
    reaper,
    dequeue(queue, timeoutSeconds, signal) {
      return store.take(queue, timeoutSeconds, AbortSignal.any([signal, stopping.signal]));
    },
    start() {
      reaper.start();
    },
    async stop() {
      stopping.abort();
      await Promise.all([dispatcher.close(), reaper.stop()]);
    },
  };
}
