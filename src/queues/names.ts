import { badInput } from '../graphql/errors.js';
import { assertPublicKeyName } from '../redis/key-names.js';
import { queueSlotTag } from '../redis/keys.js';
import { isJobId } from './job-codec.js';

/**
 * Checks a queue name: the rules of every user-chosen key (1 to 256 printable characters, never
 * the chat's keys or ours), and one more for Redis Cluster. The queue is the user's own list key,
 * and BLMOVE moves its items into our processing list, which must be in the same slot; a name
 * with a `}` but no hash tag (`a}b`, `{}x`) hashes whole in a way no key of ours can share.
 * @throws AppError BAD_USER_INPUT saying what is allowed.
 */
export function assertQueueName(queue: string, field = 'queue'): void {
  assertPublicKeyName(queue, 'Queue', field);
  if (queueSlotTag(queue) === null) {
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
