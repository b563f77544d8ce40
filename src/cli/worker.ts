// The queue worker: `npm run worker -- --queue jobs [--concurrency N]`. The seed's BRPOP consumer
// loop, made reliable and fast: it works straight on Redis like any other service on the bus,
// takes jobs with a script that moves them into the queue's processing list, acknowledges each one
// only after it is processed (and takes the next one in the same round trip), and on SIGTERM or
// SIGINT finishes (or, on a second signal, hands back) the jobs in hand, so none is lost.
import { spawn } from 'node:child_process';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { AppError } from '../errors/app-error.js';
import type { BlockingPool } from '../redis/blocking-pool.js';
import { lateReplicaReport } from '../redis/replica-acks.js';
import { createJobDispatcher } from '../queues/dispatcher.js';
import type { Job } from '../queues/job-codec.js';
import { assertQueueName } from '../queues/names.js';
import { createJobReaper, reapIntervalFor } from '../queues/reaper.js';
import { createJobStore, jobStoreSettings } from '../queues/store.js';
import {
  EXIT_FAILED,
  EXIT_OK,
  UsageError,
  checkFlag,
  integerFlag,
  readFlags,
  printLine,
  runCommand,
  startWorkerProcess,
} from './command.js';

/** What `npm run worker -- --help` prints, and what follows every usage error. */
export const WORKER_USAGE = `Usage: npm run worker -- --queue <name> [options]

Takes jobs from a work queue (a Redis list, shared with enqueue, dequeue, jobs and plain
LPUSH / BRPOP clients), up to --concurrency at a time, processes each one and acknowledges it.
Stops cleanly on SIGTERM or SIGINT.

  --queue <name>      the queue (required)
  --concurrency <n>   jobs processed at once, 1 to 1000 (default 1)
  --prefetch <n>      jobs taken ahead besides those, 0 to 1000 (default 16): each script call
                      acknowledges the jobs done since the last one and takes more while the
                      worker goes on, so a busy worker pays less than a round trip per job. Jobs
                      taken ahead count as in flight (their visibility timeout runs), so the
                      worker takes no more ahead than it can start within a quarter of
                      JOB_VISIBILITY_TIMEOUT_MS at its pace, and hands back untouched any that
                      waited half of it; on stop they go back to the queue untouched. A queue
                      with a rate limit (setQueueRateLimit) is not taken ahead: the limit counts
                      jobs as they are taken, so each one goes to a free slot at once.
  --exec <command>    run this shell command for each job: the payload as JSON on stdin, JOB_ID,
                      JOB_QUEUE and JOB_ATTEMPTS in its environment. Exit 0 acknowledges the job,
                      with the command's stdout as its result (JSON when it is JSON, else a
                      string; none when empty); a stdout line "@progress <JSON>" reports the job's
                      progress instead (e.g. echo '@progress {"percent":50}'). Any other exit fails
                      the attempt: the job runs again (at once, or after its backoff) with
                      attempts + 1, and after JOB_MAX_ATTEMPTS deliveries it is dead-lettered.
                      Without --exec, each job is printed on stdout as one JSON line
                      {"id","queue","attempts","payload"}.
  --work-ms <n>       simulated processing time per job, 0 to 600000 ms (default 0)
  --max-jobs <n>      stop after processing n jobs (default: run until stopped)
  --help              this text

On the first SIGTERM or SIGINT the worker takes no more jobs, finishes the ones in hand and
acknowledges them, then exits 0. A second signal interrupts them (their commands get SIGTERM)
and puts them back at the front of the queue as they were.

Environment: REDIS_URL (required, redis:// or rediss://: the Redis your Switchboard servers use),
JOB_VISIBILITY_TIMEOUT_MS and JOB_MAX_ATTEMPTS (as for the server; the worker also returns its
queue's timed-out jobs), LOG_LEVEL (logs go to stderr as JSON).`;

/** How an `--exec` command reports progress: a line of its stdout that starts with this, then JSON. */
export const PROGRESS_PREFIX = '@progress ';

/** The worker's validated options. */
export interface WorkerOptions {
  queue: string;
  /** Shell command run per job; null: print each job as a JSON line. */
  exec: string | null;
  /** Simulated processing time per job. */
  workMs: number;
  /** Stop after this many processed jobs; null: run until stopped. */
  maxJobs: number | null;
  /** Jobs processed at once. */
  concurrency: number;
  /** Jobs taken ahead of those being processed. */
  prefetch: number;
}

/** Default of `--prefetch`. */
export const DEFAULT_PREFETCH = 16;

const FLAGS = ['queue', 'exec', 'work-ms', 'max-jobs', 'concurrency', 'prefetch'] as const;

/** Reads `--flag value` and `--flag=value` arguments. @throws UsageError saying what is wrong. */
export function parseWorkerArguments(argv: readonly string[]): WorkerOptions | 'help' {
  const values = readFlags(argv, FLAGS);
  if (values === 'help') return 'help';
  const queue = values.get('queue');
  if (queue === undefined) throw new UsageError('Missing --queue.');
  checkFlag('--queue', () => assertQueueName(queue, '--queue'));
  const exec = values.get('exec') ?? null;
  if (exec !== null && exec.trim() === '') throw new UsageError('--exec needs a command.');
  return {
    queue,
    exec,
    workMs: integerFlag('work-ms', values.get('work-ms'), 0, 600_000) ?? 0,
    maxJobs: integerFlag('max-jobs', values.get('max-jobs'), 1, 1_000_000_000) ?? null,
    concurrency: integerFlag('concurrency', values.get('concurrency'), 1, 1000) ?? 1,
    prefetch: integerFlag('prefetch', values.get('prefetch'), 0, 1000) ?? DEFAULT_PREFETCH,
  };
}

/** Pause before taking again after Redis failed. */
const RETRY_MS = 1000;
/** Failed attempts to send the last acknowledgements before the worker exits without them. */
const DRAIN_TRIES = 5;

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
function runExec(
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

async function work(options: WorkerOptions, redis: Redis, blocking: BlockingPool, config: Config, logger: Logger): Promise<number> {
  const { queue } = options;
  // The servers' settings (PUBSUB_MODE included), so that they hear what this worker settles.
  const store = createJobStore({ redis, blocking, ...jobStoreSettings(config, lateReplicaReport({ logger })) });
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
  /** Jobs taken or being taken (processed ones included), so that --max-jobs is never overshot. */
  let reserved = 0;
  /** Jobs being processed now. */
  let active = 0;
  const mayTake = () => !stopping.signal.aborted && (options.maxJobs === null || reserved < options.maxJobs);

  // The feed: jobs taken ahead (up to --prefetch besides the ones in hand) and acknowledgements
  // waiting to be sent. One script call at a time acknowledges every job done since the last one
  // and takes as many as there is room for, while the slots go on with the jobs in the buffer: a
  // busy worker pays less than one round trip per job. When a take finds the queue empty, the
  // slots wait through the dispatcher (one blocking wait for all of them) instead.
  /** `inHand`: taken for a slot that was free, so it is started even once stopping. */
  const buffer: Array<{ job: Job; takenAt: number; inHand: boolean }> = [];
  /** Average time a job takes here (ms, moving average); null until one is done. */
  let averageJobMs: number | null = null;
  // Jobs taken ahead wait with their visibility timeout running: take no more ahead than can be
  // started well within it at the pace seen so far, and hand back any that waited too long.
  const staleAfterMs = config.jobVisibilityTimeoutMs / 2;
  /**
   * The last take saw a rate limit on the queue: take only for free slots, so that the jobs the
   * limit lets start are started, not left waiting in the buffer.
   */
  let rateLimited = false;
  const effectivePrefetch = () => {
    if (rateLimited) return 0;
    if (averageJobMs === null) return options.prefetch;
    return Math.min(options.prefetch, Math.floor(((config.jobVisibilityTimeoutMs / 4) * options.concurrency) / Math.max(averageJobMs, 0.01)));
  };
  const pendingAcks: Array<{ id: string; resultText: string | null }> = [];
  let flushing: Promise<void> | null = null;
  let queueEmpty = false;
  const readers: Array<() => void> = [];
  /** An error no retry can mend (the queue's key holds another type; the registry is full). */
  let fatal: unknown = null;
  /** Script calls of the feed that failed (Redis unreachable), for drain() to give up after a few. */
  let failedFlushes = 0;
  const wakeReaders = () => {
    for (const wake of readers.splice(0)) wake();
  };

  function room(): number {
    if (!mayTake() || queueEmpty) return 0;
    let free = options.concurrency + effectivePrefetch() - buffer.length - active;
    if (options.maxJobs !== null) free = Math.min(free, options.maxJobs - reserved);
    return Math.max(0, free);
  }

  function flush(): void {
    if (flushing) return;
    const acks = pendingAcks.splice(0);
    const take = room();
    if (acks.length === 0 && take === 0) return;
    reserved += take;
    // The jobs first in line go to the slots that are free now; the rest are taken ahead.
    const freeSlots = Math.max(0, options.concurrency - active - buffer.length);
    flushing = store
      .completeMany(queue, acks, take)
      .then(
        async ({ acked, next }) => {
          acked.forEach((ok, i) => {
            // Acknowledged only after processing: a crash before this means redelivery.
            if (!ok) logger.warn({ job: acks[i]?.id }, 'acknowledged too late: the visibility timeout had passed and the job was returned');
          });
          const jobs = next?.jobs ?? [];
          if (next) rateLimited = next.rateLimited;
          reserved -= take - jobs.length;
          if (take > 0 && jobs.length < take) queueEmpty = true;
          for (const [i, job] of jobs.entries()) {
            if (stopping.signal.aborted && i >= freeSlots) {
              // Taken as the stop came: it goes back untouched.
              reserved--;
              await store.release(queue, job.id);
            } else buffer.push({ job, takenAt: performance.now(), inHand: i < freeSlots });
          }
        },
        async (error: unknown) => {
          reserved -= take;
          pendingAcks.unshift(...acks);
          if (error instanceof AppError) {
            fatal ??= error;
            throw error;
          }
          failedFlushes++;
          logger.warn({ err: error }, 'acknowledging or taking jobs failed; retrying');
          await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        },
      )
      .finally(() => {
        flushing = null;
        wakeReaders();
        if (!fatal && (pendingAcks.length > 0 || room() > 0)) flush();
      });
    flushing.catch((error: unknown) => {
      fatal ??= error;
      wakeReaders();
    });
  }
  /** The next job for a slot: from the buffer, from a flush, or from a wait for the queue. null: stop. */
  async function nextJob(): Promise<Job | null> {
    for (;;) {
      if (fatal) throw fatal;
      // Stopping: a job taken for a free slot is still done; those taken ahead are not started,
      // drain() hands them back.
      if (stopping.signal.aborted && !buffer[0]?.inHand) return null;
      const buffered = buffer.shift();
      if (buffered && performance.now() - buffered.takenAt > staleAfterMs) {
        // It waited half its visibility timeout: someone else may start it sooner.
        reserved--;
        await store.release(queue, buffered.job.id);
        continue;
      }
      if (buffered) return buffered.job;
      // A script call under way may bring jobs taken for this worker (counted in `reserved`).
      if (flushing) {
        await new Promise<void>((resolve) => readers.push(resolve));
        continue;
      }
      if (!mayTake()) return null;
      if (!queueEmpty) {
        flush();
        if (flushing) continue;
      }
      reserved++;
      let job: Job | null;
      try {
        // A job taken just as the stop came is in hand: it is done, not put back.
        job = await dispatcher.next(queue, stopping.signal, { acceptTakenOnAbort: true });
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
      // The queue has jobs again: take ahead once more.
      queueEmpty = false;
      return job;
    }
  }

  /** What the worker does with one job: the seed's "consumer processes message". */
  async function processJob(job: Job): Promise<Outcome> {
    if (options.workMs > 0) await pause(options.workMs, interrupt.signal);
    if (interrupt.signal.aborted) return { kind: 'interrupted' };
    if (options.exec !== null) {
      return runExec(
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

  /** One of --concurrency loops: take, process, acknowledge. */
  async function slot(): Promise<void> {
    for (;;) {
      const job = await nextJob();
      if (!job) return;
      active++;
      const started = performance.now();
      const outcome = await processJob(job).finally(() => active--);
      const took = performance.now() - started;
      averageJobMs = averageJobMs === null ? took : averageJobMs * 0.9 + took * 0.1;
      if (outcome.kind === 'done') {
        pendingAcks.push({ id: job.id, resultText: outcome.resultText });
        processed++;
        flush();
      } else if (outcome.kind === 'failed') {
        // Not processed: --max-jobs counts jobs done.
        reserved--;
        const result = await store.fail(queue, job.id, outcome.reason);
        logger.info({ job: job.id, result }, result === 'dead' ? 'job dead-lettered' : 'job returned for another attempt');
      } else {
        reserved--;
        await store.release(queue, job.id);
      }
    }
  }

  /**
   * Sends the acknowledgements still waiting and hands back the jobs taken ahead. Gives up after a
   * few failures (or on a second signal): those jobs return after their visibility timeout.
   */
  async function drain(): Promise<void> {
    const failuresBefore = failedFlushes;
    while (flushing || pendingAcks.length > 0) {
      if (flushing) await flushing.catch(() => undefined);
      else flush();
      if (fatal || interrupt.signal.aborted || failedFlushes - failuresBefore >= DRAIN_TRIES) {
        if (pendingAcks.length > 0) logger.warn({ jobs: pendingAcks.length }, 'could not acknowledge jobs done; they return after their visibility timeout');
        pendingAcks.length = 0;
        break;
      }
    }
    // Each goes back to the front of the queue: the last one first, so that they keep their order.
    for (const { job } of buffer.splice(0).reverse()) {
      await store.release(queue, job.id).catch((error: unknown) => logger.warn({ err: error, job: job.id }, 'could not hand back a job taken ahead; it returns after its visibility timeout'));
    }
  }

  let status = EXIT_OK;
  try {
    await store.assertList(queue);
    reaper.start();
    logger.info({ queue, concurrency: options.concurrency }, 'worker started');
    await Promise.all(Array.from({ length: options.concurrency }, slot));
    await drain();
  } catch (error) {
    await drain().catch(() => undefined);
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

async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const options = parseWorkerArguments(argv);
  if (options === 'help') {
    process.stdout.write(`${WORKER_USAGE}\n`);
    return EXIT_OK;
  }
  const { config, logger, redis, blocking } = startWorkerProcess(env, 'switchboard:worker');
  return work(options, redis, blocking, config, logger);
}

runCommand(import.meta.url, 'worker', WORKER_USAGE, run);
