import type { Redis } from 'ioredis';
import { AppError, ErrorCode } from '../graphql/errors.js';
import { internalKeys } from '../redis/keys.js';

const WINDOW_SECONDS = 60;

/**
 * Gives an attempt back, but only to a window that is still open: a DECR on an expired key would
 * create it again at -1 with no TTL, a credit that never expires.
 */
const REFUND_SCRIPT = `
local count = tonumber(redis.call('GET', KEYS[1]))
if count and count > 0 then return redis.call('DECR', KEYS[1]) end
return 0
`;

/**
 * Caps failed sign-ins per username per minute, across instances, to slow password guessing.
 * A fixed window per username: one counter key (a single key, so Cluster-safe) that expires
 * a minute after the first attempt of the window.
 */
export interface SignInLimiter {
  /**
   * Takes one attempt for the username, atomically, before its password is checked: concurrent
   * guesses each take their own, so no more than the limit ever reach the password check.
   * @throws AppError RATE_LIMITED, with `retryAfterSeconds`, when the window's attempts are used up.
   */
  consumeAttempt(username: string): Promise<void>;
  /** Gives back the attempt of a sign-in that succeeded, so that only failures count. */
  refundAttempt(username: string): Promise<void>;
}

/** @param failuresPerMinute failed sign-ins a username may have per window before RATE_LIMITED. */
export function createSignInLimiter(redis: Redis, failuresPerMinute: number): SignInLimiter {
  return {
    async consumeAttempt(username) {
      const key = internalKeys.signInAttempts(username);
      // One transaction: the window starts (with its expiry) and the attempt is counted together,
      // so a key can never be left without a TTL.
      const [, count, ttlMs] = replies(await redis.multi().set(key, 0, 'EX', WINDOW_SECONDS, 'NX').incr(key).pttl(key).exec());
      if (Number(count) > failuresPerMinute) {
        const retryAfterSeconds = Math.max(1, Math.ceil(Number(ttlMs) / 1000));
        throw new AppError(
          ErrorCode.RateLimited,
          `Too many failed sign-ins for this username; try again in ${retryAfterSeconds} s.`,
          { retryAfterSeconds },
        );
      }
    },
    async refundAttempt(username) {
      await redis.eval(REFUND_SCRIPT, 1, internalKeys.signInAttempts(username));
    },
  };
}

/** The replies of a MULTI, or the first error in it. */
function replies(results: Array<[Error | null, unknown]> | null): unknown[] {
  // exec() gives null only when a WATCHed key changed, and nothing is WATCHed here.
  if (!results) throw new Error('sign-in limiter transaction was discarded');
  return results.map(([error, reply]) => {
    if (error) throw error;
    return reply;
  });
}
