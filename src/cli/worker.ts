// The queue worker: `npm run worker -- --queue jobs`. The seed's BRPOP consumer loop, made
// reliable: it works straight on Redis like any other service on the bus, takes one job at a time
// with BLMOVE into the queue's processing list, acknowledges it only after it is processed, and on
// SIGTERM or SIGINT finishes (or, on a second signal, hands back) the job in hand, so none is lost.
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import { type Config, ConfigError, loadConfig } from '../config.js';
import { AppError } from '../graphql/errors.js';
import { createLogger } from '../logger.js';
import { createBlockingPool } from '../redis/blocking-pool.js';
import type { Job } from '../queues/job-codec.js';
import { createJobReaper, reapIntervalFor } from '../queues/reaper.js';
import { createJobStore } from '../queues/store.js';
import { UsageError, type WorkerOptions, WORKER_USAGE, parseWorkerArguments } from '../queues/worker-options.js';

/** Exit codes. */
const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

/** Longest single BLMOVE; the take loops until stopped. */
const TAKE_BLOCK_SECONDS = 5;
/** Pause before taking again after Redis failed. */
const RETRY_MS = 1000;

/** Waits `ms`, or less when `signal` aborts first (it never rejects). */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** Writes one line to stdout and resolves once it is handed to the OS (before the job is acknowledged). */
function printLine(line: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(`${line}\n`, (error) => (error ? reject(error) : resolve())));
}

type Outcome = 'done' | 'failed' | 'interrupted';

/** Runs `--exec` for one job. Its stdout and stderr are the worker's. */
function runCommand(command: string, job: Job, interrupt: AbortSignal, logger: Logger): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', command], {
      stdio: ['pipe', 'inherit', 'inherit'],
      env: { ...process.env, JOB_ID: job.id, JOB_QUEUE: job.queue, JOB_ATTEMPTS: String(job.attempts) },
      // Its own process group: a Ctrl-C at the terminal reaches the worker, which decides.
      detached: true,
    });
    const onInterrupt = () => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // Already gone.
        }
      }
    };
    interrupt.addEventListener('abort', onInterrupt, { once: true });
    child.stdin.on('error', () => undefined); // a command that does not read its input is fine
    child.stdin.end(JSON.stringify(job.payload));
    child.once('error', (error) => {
      interrupt.removeEventListener('abort', onInterrupt);
      logger.error({ err: error, job: job.id }, 'could not run --exec');
      resolve('failed');
    });
    child.once('close', (code, signal) => {
      interrupt.removeEventListener('abort', onInterrupt);
      if (interrupt.aborted) resolve('interrupted');
      else if (code === 0) resolve('done');
      else {
        logger.warn({ job: job.id, code, signal }, 'job command failed');
        resolve('failed');
      }
    });
  });
}

/** What the worker does with one job: the seed's "consumer processes message". */
async function processJob(options: WorkerOptions, job: Job, interrupt: AbortSignal, logger: Logger): Promise<Outcome> {
  if (options.workMs > 0) await pause(options.workMs, interrupt);
  if (interrupt.aborted) return 'interrupted';
  if (options.exec !== null) return runCommand(options.exec, job, interrupt, logger);
  await printLine(JSON.stringify({ id: job.id, queue: job.queue, attempts: job.attempts, payload: job.payload }));
  return 'done';
}

async function run(options: WorkerOptions, config: Config & { redisUrl: string }, logger: Logger): Promise<number> {
  const { queue } = options;
  const redis = new Redis(config.redisUrl, {
    connectionName: 'switchboard:worker',
    // Fail a command after a few reconnect attempts rather than queueing it for ever.
    maxRetriesPerRequest: 3,
  });
  let lastError = '';
  redis.on('error', (error: Error) => {
    if (error.message !== lastError) logger.warn({ err: error.message }, 'redis connection error');
    lastError = error.message;
  });
  const blocking = createBlockingPool({ url: config.redisUrl, maxConnections: 1, control: redis, logger });
  const store = createJobStore({
    redis,
    blocking,
    visibilityTimeoutMs: config.jobVisibilityTimeoutMs,
    maxAttempts: config.jobMaxAttempts,
    maxPayloadBytes: config.maxMessageBytes,
  });
  // Workers may run without any server: they return their queue's timed-out jobs themselves.
  const reaper = createJobReaper({ store, logger, intervalMs: reapIntervalFor(config.jobVisibilityTimeoutMs), queues: async () => [queue] });
  const stopping = new AbortController();
  const interrupt = new AbortController();
  const onSignal = (signal: string) => {
    if (!stopping.signal.aborted) {
      logger.info({ signal }, 'stopping after the job in hand');
      stopping.abort();
    } else if (!interrupt.signal.aborted) {
      logger.info({ signal }, 'interrupting the job in hand; it goes back to the queue');
      interrupt.abort();
    }
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));

  let processed = 0;
  let status = EXIT_OK;
  try {
    await store.assertList(queue);
    reaper.start();
    logger.info({ queue }, 'worker started');
    while (!stopping.signal.aborted && (options.maxJobs === null || processed < options.maxJobs)) {
      let job: Job | null;
      try {
        // A job taken just as a stop aborts this goes straight back to the queue.
        job = await store.take(queue, TAKE_BLOCK_SECONDS, stopping.signal);
      } catch (error) {
        if (error instanceof AppError) throw error;
        logger.warn({ err: error }, 'taking a job failed; retrying');
        await pause(RETRY_MS, stopping.signal);
        continue;
      }
      if (!job) continue;
      const outcome = await processJob(options, job, interrupt.signal, logger);
      if (outcome === 'done') {
        // Acknowledged only now, after processing: a crash before this line means redelivery.
        if (!(await store.ack(queue, job.id))) {
          logger.warn({ job: job.id }, 'acknowledged too late: the visibility timeout had passed and the job was returned');
        }
        processed++;
      } else if (outcome === 'failed') {
        const result = await store.fail(queue, job.id);
        logger.info({ job: job.id, result }, result === 'dead' ? 'job dead-lettered' : 'job returned for another attempt');
      } else {
        await store.release(queue, job.id);
      }
    }
  } catch (error) {
    status = EXIT_FAILED;
    logger.error({ err: error }, error instanceof AppError ? error.message : 'worker failed; jobs in flight return after the visibility timeout');
    if (error instanceof AppError) process.stderr.write(`${error.message}\n`);
  }
  await reaper.stop();
  await blocking.close();
  await redis.quit().catch(() => redis.disconnect());
  logger.info({ processed }, 'worker stopped');
  return status;
}

async function main(): Promise<number> {
  let options: WorkerOptions | 'help';
  let config;
  try {
    options = parseWorkerArguments(process.argv.slice(2));
    if (options === 'help') {
      process.stdout.write(`${WORKER_USAGE}\n`);
      return EXIT_OK;
    }
    config = loadConfig();
    if (!config.redisUrl) {
      throw new UsageError('REDIS_URL is required: set it to the Redis your Switchboard servers use, e.g. REDIS_URL=redis://127.0.0.1:6379.');
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n\n${WORKER_USAGE}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  const logger = createLogger(config, pino.destination({ dest: 2, sync: true }));
  return run(options, { ...config, redisUrl: config.redisUrl }, logger);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`worker failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(EXIT_FAILED);
  },
);
