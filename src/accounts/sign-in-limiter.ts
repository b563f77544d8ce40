import type { Redis } from 'ioredis';
import { AppError, ErrorCode } from '../graphql/errors.js';
import { internalKeys } from '../redis/keys.js';

const WINDOW_SECONDS = 60;

/** Caps failed sign-ins per username per minute, across instances, to slow password guessing. */
export interface SignInLimiter {
  /** @throws AppError RATE_LIMITED, with `retryAfterSeconds`, while the username is locked out. */
  assertAllowed(username: string): Promise<void>;
  recordFailure(username: string): Promise<void>;
}

export function createSignInLimiter(redis: Redis, failuresPerMinute: number): SignInLimiter {
  return {
    async assertAllowed(username) {
      const key = internalKeys.signInAttempts(username);
      const [count, ttlMs] = await Promise.all([redis.get(key), redis.pttl(key)]);
      if (Number(count) >= failuresPerMinute) {
        const retryAfterSeconds = Math.max(1, Math.ceil(ttlMs / 1000));
        throw new AppError(
          ErrorCode.RateLimited,
          `Too many failed sign-ins for this username; try again in ${retryAfterSeconds} s.`,
          { retryAfterSeconds },
        );
      }
    },
    async recordFailure(username) {
      const key = internalKeys.signInAttempts(username);
      await redis.multi().set(key, 0, 'EX', WINDOW_SECONDS, 'NX').incr(key).exec();
    },
  };
}
