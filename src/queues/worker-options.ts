// The options of the queue worker command (src/cli/worker.ts), apart from the command itself so
// that they can be checked without starting a process.
import { AppError } from '../errors/app-error.js';
import { assertQueueName } from './names.js';

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
                      waited half of it; on stop they go back to the queue untouched.
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

/** A bad argument or setting; its message says what was expected and what came. */
export class UsageError extends Error {
  override name = 'UsageError';
}

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

const FLAGS = new Set(['queue', 'exec', 'work-ms', 'max-jobs', 'concurrency', 'prefetch']);

function integerFlag(flag: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}; got ${JSON.stringify(text)}.`);
  }
  return Number(text);
}

/** Reads `--flag value` and `--flag=value` arguments. @throws UsageError saying what is wrong. */
export function parseWorkerArguments(argv: readonly string[]): WorkerOptions | 'help' {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i] as string;
    if (argument === '--help' || argument === '-h') return 'help';
    const match = /^--([a-z-]+)(?:=(.*))?$/s.exec(argument);
    const flag = match?.[1];
    if (!match || flag === undefined || !FLAGS.has(flag)) throw new UsageError(`Unknown argument ${JSON.stringify(argument)}.`);
    let value = match[2];
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${flag} needs a value.`);
      i++;
    }
    if (values.has(flag)) throw new UsageError(`--${flag} is given twice.`);
    values.set(flag, value);
  }
  const queue = values.get('queue');
  if (queue === undefined) throw new UsageError('Missing --queue.');
  try {
    assertQueueName(queue, '--queue');
  } catch (error) {
    if (error instanceof AppError) throw new UsageError(`--queue: ${error.message}`);
    throw error;
  }
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
