// The queue worker: `npm run worker -- --queue jobs [--concurrency N]`. The seed's BRPOP consumer
// loop, made reliable and fast: it works straight on Redis like any other service on the bus,
// takes jobs with a script that moves them into the queue's processing list, acknowledges each one
// only after it is processed (and takes the next one in the same round trip), and on SIGTERM or
// SIGINT finishes (or, on a second signal, hands back) the jobs in hand, so none is lost.
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import { type Config, ConfigError, loadConfig } from '../config.js';
import { AppError } from '../graphql/errors.js';
import { createLogger } from '../logger.js';
import { createBlockingPool } from '../redis/blocking-pool.js';
import { createJobDispatcher } from '../queues/dispatcher.js';
import type { Job } from '../queues/job-codec.js';
import { createJobReaper, reapIntervalFor } from '../queues/reaper.js';
import { createJobStore } from '../queues/store.js';
import { PROGRESS_PREFIX, UsageError, type WorkerOptions, WORKER_USAGE, parseWorkerArguments } from '../queues/worker-options.js';

/** Exit codes. */
const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

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


type Outcome = { kind: 'done'; resultText: string | null } | { kind: 'failed'; reason: string } | { kind: 'interrupted' };

/** The command's output as a job result: its JSON when it is JSON, else the text as a string; null when empty. */
function outputAsResult(output: string): string | null {
  const text = output.replace(/\r?\n$/, '');
  if (text.trim() === '') return null;
  try {
    JSON.parse(text);
    return text;
  } catch {
    return JSON.stringify(text);
  }
}

/**
 * Runs `--exec` for one job. Its stderr is the worker's; its stdout is read line by line:
 * `@progress <JSON>` lines are reported as the job's progress, the rest is the job's result (and
 * is copied to the worker's stdout).
 */
function runCommand(
  command: string,
  job: Job,
  interrupt: AbortSignal,
  logger: Logger,
  report: (progressText: string) => Promise<void>,
  maxOutputBytes: number,
): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', command], {
      stdio: ['pipe', 'pipe', 'inherit'],
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
    let output = '';
    let outputBytes = 0;
    let pending = '';
    let reports = Promise.resolve();
    const line = (text: string) => {
      if (text.startsWith(PROGRESS_PREFIX)) {
        const progress = text.slice(PROGRESS_PREFIX.length).trim();
        try {
          JSON.parse(progress);
        } catch {
          logger.warn({ job: job.id, line: text.slice(0, 200) }, 'a progress line that is not JSON; ignored');
          return;
        }
        reports = reports.then(() => report(progress)).catch((error: unknown) => logger.warn({ err: error, job: job.id }, 'could not report progress'));
        return;
      }
      output += `${text}\n`;
      outputBytes += Buffer.byteLength(text) + 1;
      // Shown as before, on the worker's stdout, as well as kept as the result.
      process.stdout.write(`${text}\n`);
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        line(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
    });
    child.stdin.on('error', () => undefined); // a command that does not read its input is fine
    child.stdin.end(JSON.stringify(job.payload));
    child.once('error', (error) => {
      interrupt.removeEventListener('abort', onInterrupt);
      logger.error({ err: error, job: job.id }, 'could not run --exec');
      resolve({ kind: 'failed', reason: `could not run --exec: ${error.message}` });
    });
    child.once('close', (code, signal) => {
      interrupt.removeEventListener('abort', onInterrupt);
      if (pending !== '') line(pending);
      void reports.then(() => {
        if (interrupt.aborted) resolve({ kind: 'interrupted' });
        else if (code === 0) {
          if (outputBytes > maxOutputBytes) {
            resolve({ kind: 'failed', reason: `its output is ${outputBytes} bytes; a result may be at most ${maxOutputBytes} (MAX_MESSAGE_BYTES)` });
          } else resolve({ kind: 'done', resultText: outputAsResult(output) });
        } else {
          logger.warn({ job: job.id, code, signal }, 'job command failed');
          resolve({ kind: 'failed', reason: signal ? `--exec was killed by ${signal}` : `--exec exited with ${code}` });
        }
      });
    });
  });
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
    retentionMs: config.jobRetentionSeconds * 1000,
    maxQueues: config.maxQueues,
  });
  // The worker's slots share one wait for jobs (one BLMOVE on its one blocking connection).
  const dispatcher = createJobDispatcher({ store, logger, blocking, maxBlockingConnections: 1, poolSize: 1, retryMs: RETRY_MS });
  // Workers may run without any server: they return their queue's timed-out jobs and move its due jobs themselves.
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
  /** Jobs taken or being taken, so that --max-jobs is never overshot by several slots at once. */
  let reserved = 0;
  const mayTake = () => !stopping.signal.aborted && (options.maxJobs === null || reserved < options.maxJobs);

  /** What the worker does with one job: the seed's "consumer processes message". */
  async function processJob(job: Job): Promise<Outcome> {
    if (options.workMs > 0) await pause(options.workMs, interrupt.signal);
    if (interrupt.signal.aborted) return { kind: 'interrupted' };
    if (options.exec !== null) {
      return runCommand(
        options.exec,
        job,
        interrupt.signal,
        logger,
        async (progressText) => {
          await store.progress(queue, job.id, progressText);
        },
        config.maxMessageBytes,
      );
    }
    await printLine(JSON.stringify({ id: job.id, queue: job.queue, attempts: job.attempts, payload: job.payload }));
    return { kind: 'done', resultText: null };
  }

  /** One of --concurrency loops: take, process, acknowledge and take the next in one round trip. */
  async function slot(): Promise<void> {
    let job: Job | null = null;
    for (;;) {
      if (!job) {
        if (!mayTake()) return;
        reserved++;
        try {
          // A job taken just as a stop aborts this goes straight back to the queue.
          job = await dispatcher.next(queue, stopping.signal);
        } catch (error) {
          reserved--;
          if (error instanceof AppError) throw error;
          logger.warn({ err: error }, 'taking a job failed; retrying');
          await pause(RETRY_MS, stopping.signal);
          continue;
        }
        if (!job) {
          reserved--;
          continue;
        }
      }
      const outcome = await processJob(job);
      const current: Job = job;
      job = null;
      if (outcome.kind === 'done') {
        // Acknowledged only now, after processing: a crash before this means redelivery.
        const takeNext = mayTake() ? 1 : 0;
        reserved += takeNext;
        const { acked, next } = await store.complete(queue, current.id, outcome.resultText, takeNext);
        if (!acked) logger.warn({ job: current.id }, 'acknowledged too late: the visibility timeout had passed and the job was returned');
        processed++;
        job = next?.jobs[0] ?? null;
        if (takeNext && !job) reserved--;
        if (job && stopping.signal.aborted) {
          // Taken as the stop came: it goes back untouched.
          await store.release(queue, job.id);
          job = null;
        }
      } else if (outcome.kind === 'failed') {
        // Not processed: --max-jobs counts jobs done.
        reserved--;
        const result = await store.fail(queue, current.id, outcome.reason);
        logger.info({ job: current.id, result }, result === 'dead' ? 'job dead-lettered' : 'job returned for another attempt');
      } else {
        reserved--;
        await store.release(queue, current.id);
      }
    }
  }

  let status = EXIT_OK;
  try {
    await store.assertList(queue);
    reaper.start();
    logger.info({ queue, concurrency: options.concurrency }, 'worker started');
    await Promise.all(Array.from({ length: options.concurrency }, slot));
  } catch (error) {
    status = EXIT_FAILED;
    logger.error({ err: error }, error instanceof AppError ? error.message : 'worker failed; jobs in flight return after the visibility timeout');
    if (error instanceof AppError) process.stderr.write(`${error.message}\n`);
  }
  await dispatcher.close();
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
