import type { Redis } from 'ioredis';
import { AppError, ErrorCode } from '../errors/app-error.js';
import { internalKeys } from '../redis/keys.js';
import { luaScript, runLua } from '../redis/lua.js';
import { addressBucket } from '../common/client-address.js';

const WINDOW_SECONDS = 60;

/**
 * Takes one attempt from each counter, in order, stopping at the first that is used up; each
 * window starts with its expiry (SET NX EX), so a counter never lives without a TTL.
 * KEYS: the counters. ARGV[1]: the window in seconds; ARGV[1 + i]: the limit of KEYS[i].
 * Returns {0} when every counter had room, else {i, pttl of KEYS[i]}.
 */
const CONSUME_SCRIPT = luaScript('limiter_consume', `
for i, key in ipairs(KEYS) do
  redis.call('SET', key, 0, 'EX', ARGV[1], 'NX')
  if redis.call('INCR', key) > tonumber(ARGV[i + 1]) then return {i, redis.call('PTTL', key)} end
end
return {0}
`);

/**
 * Gives an attempt back to each counter, but only to a window that is still open: a DECR on an
 * expired key would create it again at -1 with no TTL, a credit that never expires.
 */
const REFUND_SCRIPT = luaScript('limiter_refund', `
for _, key in ipairs(KEYS) do
  local count = tonumber(redis.call('GET', key))
  if count and count > 0 then redis.call('DECR', key) end
end
return 0
`);

/**
 * Fixed windows of a minute, across instances, that slow password guessing without locking anyone
 * out: failed sign-ins are counted per client address *and* username (so failures from one
 * address do not stop the owner signing in from another), and per address whatever the username
 * (so spraying one password across many names is bounded too); sign-ups are counted per address.
 * Every counter of an address shares its cluster slot (see `internalKeys.signInAttempts`). IPv6
 * addresses count by /64 (`addressBucket`).
 */
export interface SignInLimiter {
  /**
   * Takes one attempt for the address and for the address and username, atomically, before the
   * password is checked: concurrent guesses each take their own, so no more than the limits ever
   * reach the password check. Call it only with a validated username (it becomes part of a key).
   * @throws AppError RATE_LIMITED, with `retryAfterSeconds`, `limit` and `setting`, when either
   *   window's attempts are used up.
   */
  consumeSignIn(address: string, username: string): Promise<void>;
  /** Gives back the attempts of a sign-in that succeeded, so that only failures count. */
  refundSignIn(address: string, username: string): Promise<void>;
  /** Takes one sign-up for the address. @throws AppError RATE_LIMITED as above. */
  consumeSignUp(address: string): Promise<void>;
}

/** Options of {@link createSignInLimiter}; each is a count per window of a minute. */
export interface SignInLimiterOptions {
  /** Failed sign-ins per address and username (SIGN_IN_ATTEMPTS_PER_MINUTE); at least 1. */
  failuresPerUsername: number;
  /** Failed sign-ins per address, any username (SIGN_IN_ATTEMPTS_PER_ADDRESS_PER_MINUTE); 0: no limit. */
  failuresPerAddress: number;
  /** Sign-ups per address (SIGN_UPS_PER_ADDRESS_PER_MINUTE); 0: no limit. */
  signUpsPerAddress: number;
  /**
   * Called with `sign_in_per_username`, `sign_in_per_address` or `sign_ups_per_address` each time
   * a limit refuses (the `switchboard_denials_total` metric). Default: nothing.
   */
  onRefused?: (kind: string) => void;
}

interface Counter {
  key: string;
  limit: number;
  /** The metric's label. */
  kind: string;
  /** What the error says was exceeded. */
  message: string;
  setting: string;
}

/** @param redis the command connection: each call is one EVAL of a script over one address's keys. */
export function createSignInLimiter(redis: Redis, options: SignInLimiterOptions): SignInLimiter {
  const signInCounters = (address: string, username: string): Counter[] => {
    const bucket = addressBucket(address);
    const counters: Counter[] = [];
    if (options.failuresPerAddress > 0) {
      counters.push({
        key: internalKeys.signInAttemptsByAddress(bucket),
        limit: options.failuresPerAddress,
        kind: 'sign_in_per_address',
        message: 'Too many failed sign-ins from this address',
        setting: 'SIGN_IN_ATTEMPTS_PER_ADDRESS_PER_MINUTE',
      });
    }
    counters.push({
      key: internalKeys.signInAttempts(bucket, username),
      limit: options.failuresPerUsername,
      kind: 'sign_in_per_username',
      message: 'Too many failed sign-ins for this username from this address',
      setting: 'SIGN_IN_ATTEMPTS_PER_MINUTE',
    });
    return counters;
  };

  async function consume(counters: Counter[]): Promise<void> {
    if (counters.length === 0) return;
    const keys = counters.map((counter) => counter.key);
    const [index, ttlMs] = (await runLua(redis, CONSUME_SCRIPT, keys, [WINDOW_SECONDS, ...counters.map((c) => c.limit)])) as [number, number?];
    const exceeded = index > 0 ? counters[index - 1] : undefined;
    if (!exceeded) return;
    options.onRefused?.(exceeded.kind);
    const retryAfterSeconds = Math.max(1, Math.ceil(Number(ttlMs) / 1000));
    throw new AppError(ErrorCode.RateLimited, `${exceeded.message} (at most ${exceeded.limit} a minute); try again in ${retryAfterSeconds} s.`, {
      retryAfterSeconds,
      limit: exceeded.limit,
      setting: exceeded.setting,
    });
  }

  return {
    consumeSignIn: (address, username) => consume(signInCounters(address, username)),
    async refundSignIn(address, username) {
      const keys = signInCounters(address, username).map((counter) => counter.key);
      await runLua(redis, REFUND_SCRIPT, keys);
    },
    consumeSignUp: (address) =>
      consume(
        options.signUpsPerAddress > 0
          ? [
              {
                key: internalKeys.signUps(addressBucket(address)),
                limit: options.signUpsPerAddress,
                kind: 'sign_ups_per_address',
                message: 'Too many sign-ups from this address',
                setting: 'SIGN_UPS_PER_ADDRESS_PER_MINUTE',
              },
            ]
          : [],
      ),
  };
}
