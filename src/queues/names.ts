import { badInput } from '../errors/app-error.js';
import { assertPublicKeyName } from '../redis/key-names.js';
import { slotTagOf } from '../redis/keys.js';
import { isJobId } from './job-codec.js';
import type { Backoff, RateLimit } from './store.js';

/**
 * Checks a queue name: the rules of every user-chosen key (1 to 256 printable characters, never
 * the chat's keys or ours), and one more for Redis Cluster. The queue is the user's own list key,
 * and BLMOVE moves its items into our processing list, which must be in the same slot; a name
 * with a `}` but no hash tag (`a}b`, `{}x`) hashes whole in a way no key of ours can share.
 * @throws AppError BAD_USER_INPUT saying what is allowed.
 */
export function assertQueueName(queue: string, field = 'queue'): void {
  assertPublicKeyName(queue, 'Queue', field);
  if (slotTagOf(queue) === null) {
    throw badInput(
      `Queue name ${JSON.stringify(queue)} has a "}" without a hash tag; on Redis Cluster its processing list could not share its slot. Use a name without braces, or a hash tag such as "{orders}:high".`,
      field,
    );
  }
}

/**
 * The wait of `dequeue`: 0 (or omitted) takes a job only if one is waiting; otherwise up to
 * `maxSeconds`. Unlike Redis's BLMOVE, 0 never means "for ever".
 * @throws AppError BAD_USER_INPUT for a negative, non-finite or too long wait.
 */
export function parseDequeueTimeout(timeoutSeconds: number | null | undefined, maxSeconds: number): number {
  if (timeoutSeconds === null || timeoutSeconds === undefined) return 0;
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 0 || timeoutSeconds > maxSeconds) {
    throw badInput(
      `timeoutSeconds must be between 0 (do not wait) and ${maxSeconds} seconds; got ${String(timeoutSeconds)}.`,
      'timeoutSeconds',
    );
  }
  return timeoutSeconds;
}

/** @throws AppError BAD_USER_INPUT for a string that cannot be a job id. */
export function assertJobId(id: string, field = 'id'): void {
  if (!isJobId(id)) {
    throw badInput(`Job id must be 1 to 64 letters, digits, "_" or "-" (as returned by enqueue or dequeue); got ${JSON.stringify(id.slice(0, 80))}.`, field);
  }
}

/** Longest `enqueue(delaySeconds)`, and longest backoff wait: 30 days. */
export const MAX_BACKOFF_SECONDS = 30 * 24 * 3600;
/** Shortest backoff wait. */
export const MIN_BACKOFF_SECONDS = 0.001;
/** Most jobs one `jobs` subscriber may hold at once. */
export const MAX_JOBS_CONCURRENCY = 100;
/** Longest idempotency key, in characters. */
const MAX_KEY_LENGTH = 256;
/** Longest `failJob` reason, in characters. */
const MAX_REASON_LENGTH = 1000;

/** @throws AppError BAD_USER_INPUT for a negative or too long delay. */
export function parseDelaySeconds(delaySeconds: number | null | undefined): number {
  if (delaySeconds === null || delaySeconds === undefined) return 0;
  if (!Number.isInteger(delaySeconds) || delaySeconds < 0 || delaySeconds > MAX_BACKOFF_SECONDS) {
    throw badInput(`delaySeconds must be a whole number from 0 to ${MAX_BACKOFF_SECONDS} (30 days); got ${String(delaySeconds)}.`, 'delaySeconds');
  }
  return delaySeconds;
}

/** The `backoff` argument of `enqueue`, as GraphQL gives it. */
export interface BackoffArgument {
  type: 'fixed' | 'exponential';
  delaySeconds: number;
  maxDelaySeconds?: number | null;
}

/** @throws AppError BAD_USER_INPUT for a wait out of range, or a cap on a fixed backoff or below the first wait. */
export function parseBackoff(backoff: BackoffArgument | null | undefined): Backoff | null {
  if (!backoff) return null;
  const { type, delaySeconds, maxDelaySeconds } = backoff;
  const inRange = (value: number) => Number.isFinite(value) && value >= MIN_BACKOFF_SECONDS && value <= MAX_BACKOFF_SECONDS;
  if (!inRange(delaySeconds)) {
    throw badInput(`backoff.delaySeconds must be from ${MIN_BACKOFF_SECONDS} to ${MAX_BACKOFF_SECONDS} seconds; got ${String(delaySeconds)}.`, 'backoff');
  }
  const delayMs = Math.max(1, Math.round(delaySeconds * 1000));
  if (type === 'fixed') {
    if (maxDelaySeconds !== null && maxDelaySeconds !== undefined) throw badInput('backoff.maxDelaySeconds applies to EXPONENTIAL only.', 'backoff');
    return { type, delayMs };
  }
  if (maxDelaySeconds === null || maxDelaySeconds === undefined) return { type, delayMs, maxDelayMs: MAX_BACKOFF_SECONDS * 1000 };
  if (!inRange(maxDelaySeconds) || maxDelaySeconds < delaySeconds) {
    throw badInput(
      `backoff.maxDelaySeconds must be from delaySeconds (${delaySeconds}) to ${MAX_BACKOFF_SECONDS} seconds; got ${String(maxDelaySeconds)}.`,
      'backoff',
    );
  }
  return { type, delayMs, maxDelayMs: Math.round(maxDelaySeconds * 1000) };
}

/** @throws AppError BAD_USER_INPUT for an empty or too long key. */
export function parseIdempotencyKey(key: string | null | undefined): string | null {
  if (key === null || key === undefined) return null;
  if (key.length < 1 || key.length > MAX_KEY_LENGTH) {
    throw badInput(`key must be 1 to ${MAX_KEY_LENGTH} characters; got ${key.length}.`, 'key');
  }
  return key;
}

/** @throws AppError BAD_USER_INPUT for a reason over 1,000 characters. */
export function parseReason(reason: string | null | undefined): string {
  if (reason === null || reason === undefined || reason === '') return 'failed';
  if (reason.length > MAX_REASON_LENGTH) throw badInput(`reason must be at most ${MAX_REASON_LENGTH} characters; got ${reason.length}.`, 'reason');
  return reason;
}

/** @throws AppError BAD_USER_INPUT for a `jobs(concurrency)` out of 1..MAX_JOBS_CONCURRENCY. */
export function parseConcurrency(concurrency: number | null | undefined): number {
  if (concurrency === null || concurrency === undefined) return 1;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_JOBS_CONCURRENCY) {
    throw badInput(`concurrency must be from 1 to ${MAX_JOBS_CONCURRENCY}; got ${String(concurrency)}.`, 'concurrency');
  }
  return concurrency;
}

/**
 * Most jobs a rate limit lets start per window: the take scripts keep one sorted-set member per
 * start within the window, so this bounds the memory of a limit (about 10 MB at most).
 */
export const MAX_RATE_LIMIT_MAX = 100_000;
/** Longest rate-limit window: one day. */
export const MAX_RATE_LIMIT_DURATION_MS = 86_400_000;

/** @throws AppError BAD_USER_INPUT for a `max` or `durationMs` out of range. */
export function parseRateLimit(max: number, durationMs: number): RateLimit {
  if (!Number.isInteger(max) || max < 1 || max > MAX_RATE_LIMIT_MAX) {
    throw badInput(`max must be a whole number of jobs from 1 to ${MAX_RATE_LIMIT_MAX} per window; got ${String(max)}.`, 'max');
  }
  if (!Number.isInteger(durationMs) || durationMs < 1 || durationMs > MAX_RATE_LIMIT_DURATION_MS) {
    throw badInput(`durationMs must be a whole number of milliseconds from 1 to ${MAX_RATE_LIMIT_DURATION_MS} (one day); got ${String(durationMs)}.`, 'durationMs');
  }
  return { max, durationMs };
}
