import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { BlockingPool } from '../redis/blocking-pool.js';
import { queueWakeChannel } from '../redis/keys.js';
import type { PubSubHub } from '../redis/pubsub-hub.js';
import type { LateReplicas } from '../redis/replica-acks.js';
import { type DeadLetters, createDeadLetters } from './dead-letters.js';
import { type JobDispatcher, createJobDispatcher } from './dispatcher.js';
import type { Job } from './job-codec.js';
import { type JobReaper, createJobReaper, reapIntervalFor } from './reaper.js';
import { type JobStore, type JobStoreConfig, createJobStore, jobStoreSettings } from './store.js';

/** Options of {@link createQueueService}. */
export interface QueueServiceOptions {
  /** The command connection. */
  redis: Redis;
  blocking: BlockingPool;
  /** Wake-ups of waiting takers (jobs at other levels, resumes, due jobs). */
  hub: PubSubHub;
  config: JobStoreConfig & Pick<Config, 'queueBlockingConnections' | 'blockingPoolSize'>;
  logger: Logger;
  /** Where enqueues that no replica confirmed in time under REDIS_WAIT_REPLICAS=auto are reported. */
  lateReplicas?: LateReplicas;
}

/** The work queues of one server process: the store, the dispatcher of waiting takers and the reaper. */
export interface QueueService {
  store: JobStore;
  /** Dead-letter replay and purge, and the age of the oldest waiting job. */
  deadLetters: DeadLetters;
  dispatcher: JobDispatcher;
  reaper: JobReaper;
  /**
   * `dequeue`: a job ready now is returned at once (the command connection, no pooled one);
   * otherwise the caller joins the queue's shared wait until `timeoutSeconds` pass. Also ends
   * (null) when the service stops, so that shutdown never waits for a blocked request; a job
   * taken as `signal` aborts goes back to the queue.
   */
  dequeue(queue: string, timeoutSeconds: number, signal: AbortSignal): Promise<Job | null>;
  /** Starts the reaper (call once Redis is connected). */
  start(): void;
  /** Releases waiting dequeues, ends the dispatcher's waits and stops the reaper. */
  stop(): Promise<void>;
}

/** Builds the service; opens nothing and starts nothing until `start()`. */
export function createQueueService(options: QueueServiceOptions): QueueService {
  const { redis, blocking, hub, config, logger } = options;
  const log = logger.child({ component: 'queues' });
  const store = createJobStore({ redis, blocking, ...jobStoreSettings(config, options.lateReplicas) });
  const dispatcher = createJobDispatcher({
    store,
    logger: log,
    blocking,
    maxBlockingConnections: config.queueBlockingConnections,
    poolSize: config.blockingPoolSize,
    subscribeWake: (queue, onWake) => hub.subscribe({ kind: 'channel', name: queueWakeChannel(queue) }, ({ payload }) => onWake(payload)),
  });
  const reaper = createJobReaper({ store, logger: log, intervalMs: reapIntervalFor(config.jobVisibilityTimeoutMs) });
  const stopping = new AbortController();

  return {
    store,
    deadLetters: createDeadLetters(redis),
    dispatcher,
    reaper,
    async dequeue(queue, timeoutSeconds, signal) {
      const stop = AbortSignal.any([signal, stopping.signal]);
      if (timeoutSeconds === 0) return store.take(queue, 0, stop);
      const job = await dispatcher.next(queue, stop, { deadline: performance.now() + timeoutSeconds * 1000 });
      if (job && stop.aborted) {
        // Taken for a client that went away meanwhile: nobody saw it, so it goes back untouched.
        await store.release(queue, job.id);
        return null;
      }
      return job;
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
