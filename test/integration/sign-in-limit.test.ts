import { describe, expect, it } from 'vitest';
import { createSignInLimiter } from '../../src/accounts/sign-in-limiter.js';
import { codes, countCodes as tally, post, signUpUser } from '../support/graphql.js';
import { SIGN_IN } from '../support/operations.js';
import { useServers } from '../support/servers.js';

const LIMIT = 5;

const { redis, server } = useServers({ config: { signInAttemptsPerMinute: LIMIT } });

/** The failure counter of a username from 127.0.0.1, where every request of this file comes from. */
const attemptsKey = (username: string) => `switchboard:rate:{127.0.0.1}:sign-in:${username}`;

const signIn = (username: string, password: string) => post(server.httpUrl, SIGN_IN, { u: username, p: password });

describe('sign-in limit', () => {
  it('lets exactly the limit of concurrent wrong guesses reach the password check', async () => {
    const { username } = await signUpUser(server.httpUrl, 'guessed');
    const responses = await Promise.all(Array.from({ length: 40 }, (_, i) => signIn(username, `wrong-password-${i}`)));
    expect(tally(responses)).toEqual({ UNAUTHENTICATED: LIMIT, RATE_LIMITED: 40 - LIMIT });
    for (const response of responses.filter((each) => codes(each)[0] === 'RATE_LIMITED')) {
      const retryAfter = response.body.errors?.[0]?.extensions?.retryAfterSeconds;
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(response.body.errors?.[0]?.message).toMatch(/Too many failed sign-ins/);
    }
    // The window has an expiry: the lockout ends.
    const ttl = await redis.client.pttl(attemptsKey(username));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    // Locked out: even the right password is refused now.
    expect(codes(await signIn(username, 'password123'))).toEqual(['RATE_LIMITED']);
  });

  it('does not count successful sign-ins', async () => {
    const { username } = await signUpUser(server.httpUrl, 'regular');
    for (let i = 0; i < 2 * LIMIT; i++) {
      const response = await signIn(username, 'password123');
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data?.signIn.token).toBeTruthy();
    }
    expect(Number(await redis.client.get(attemptsKey(username)))).toBe(0);
  });

  it('counts failures around a success: the limit is of failures only', async () => {
    const { username } = await signUpUser(server.httpUrl, 'mixed');
    for (let i = 0; i < LIMIT - 1; i++) expect(codes(await signIn(username, 'wrong-password'))).toEqual(['UNAUTHENTICATED']);
    expect((await signIn(username, 'password123')).body.errors).toBeUndefined();
    // The success gave its attempt back: one failure is left in the window, then none.
    expect(codes(await signIn(username, 'wrong-password'))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await signIn(username, 'password123'))).toEqual(['RATE_LIMITED']);
  });

  it('limits an unknown username the same way', async () => {
    const responses = await Promise.all(Array.from({ length: 12 }, () => signIn('nobody-at-all', 'password123')));
    expect(tally(responses)).toEqual({ UNAUTHENTICATED: LIMIT, RATE_LIMITED: 12 - LIMIT });
  });

  it('never leaves a counter without expiry when it gives an attempt back after the window ended', async () => {
    const limiter = createSignInLimiter(redis.client, { failuresPerUsername: LIMIT, failuresPerAddress: 0, signUpsPerAddress: 0 });
    await limiter.consumeSignIn('127.0.0.1', 'window-ended');
    // The window ends between the check and the give-back.
    await redis.client.del(attemptsKey('window-ended'));
    await limiter.refundSignIn('127.0.0.1', 'window-ended');
    expect(await redis.client.exists(attemptsKey('window-ended'))).toBe(0);

    await limiter.consumeSignIn('127.0.0.1', 'window-open');
    await limiter.consumeSignIn('127.0.0.1', 'window-open');
    await limiter.refundSignIn('127.0.0.1', 'window-open');
    expect(await redis.client.get(attemptsKey('window-open'))).toBe('1');
    expect(await redis.client.pttl(attemptsKey('window-open'))).toBeGreaterThan(0);
  });
});
