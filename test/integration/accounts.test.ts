import { describe, expect, it } from 'vitest';
import { codes, post, signUpUser } from '../support/graphql.js';
import { SEED_HASH } from '../support/bcrypt-hashes.js';
import { useServers } from '../support/servers.js';
import { graphql } from '../gql/index.js';
import { ME, SIGN_IN, SIGN_OUT } from '../support/operations.js';

const { redis, server } = useServers({ config: { signInAttemptsPerMinute: 3 } });

const SIGN_UP = graphql(`
  mutation AccountsSignUp($u: String!, $p: String!) {
    signUp(username: $u, password: $p) {
      token
      user {
        id
        username
        online
      }
    }
  }
`);

describe('signUp', () => {
  it('creates a user in the seed chat layout and returns a working session', async () => {
    const response = await post(
      server.httpUrl,
      SIGN_UP,
      { u: 'Pablo', p: 'password123' },
    );
    expect(response.body.errors).toBeUndefined();
    const { token, user } = response.body.data!.signUp;
    expect(user).toMatchObject({ username: 'Pablo', online: false });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    expect(await redis.client.get(`username:Pablo`)).toBe(`user:${user.id}`);
    const stored = await redis.client.hgetall(`user:${user.id}`);
    expect(stored.username).toBe('Pablo');
    expect(stored.password).toMatch(/^\$2[aby]\$10\$/);
    expect(await redis.client.smembers(`user:${user.id}:rooms`)).toEqual(['0']);
    expect(Number(await redis.client.get('total_users'))).toBeGreaterThanOrEqual(Number(user.id));

    const me = await post(server.httpUrl, ME, {}, { token });
    expect(me.body.data).toEqual({ me: { id: user.id, username: 'Pablo' } });
  });

  it('stores only a hash of the session token', async () => {
    const { token } = await signUpUser(server.httpUrl, 'hashed');
    const keys = await redis.client.keys('*');
    expect(keys.some((key) => key.includes(token))).toBe(false);
    for (const key of keys.filter((name) => name.startsWith('switchboard:session:'))) {
      expect(JSON.stringify(await redis.client.hgetall(key))).not.toContain(token);
      expect(await redis.client.ttl(key)).toBeGreaterThan(0);
    }
  });

  it('gets CONFLICT for a taken name', async () => {
    await post(server.httpUrl, SIGN_UP, { u: 'taken', p: 'password123' });
    const again = await post(server.httpUrl, SIGN_UP, { u: 'taken', p: 'other-password' });
    expect(codes(again)).toEqual(['CONFLICT']);
    expect(again.body.errors?.[0]?.message).toMatch(/already taken/);
  });

  it('lets exactly one of many racing sign-ups for one name win', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, i) => post(server.httpUrl, SIGN_UP, { u: 'racer', p: `password-${i}` })),
    );
    const winners = attempts.filter((attempt) => attempt.body.data?.signUp);
    expect(winners).toHaveLength(1);
    expect(attempts.flatMap(codes).sort()).toEqual(Array(7).fill('CONFLICT'));
    // The losers left nothing behind: the name points at the winner, whose hash is complete.
    const winnerId = (winners[0]!.body.data as { signUp: { user: { id: string } } }).signUp.user.id;
    expect(await redis.client.get('username:racer')).toBe(`user:${winnerId}`);
    const users = (await redis.client.keys('user:*')).filter((key) => /^user:\d+$/.test(key));
    for (const key of users) expect(await redis.client.hget(key, 'username')).toBeTruthy();
    expect((await Promise.all(users.map((key) => redis.client.hget(key, 'username')))).filter((name) => name === 'racer')).toHaveLength(1);
  });

  it.each([
    ['a', 'password123', 'username', /2 to 32 characters/],
    ['has space', 'password123', 'username', /2 to 32 characters/],
    ['x'.repeat(33), 'password123', 'username', /2 to 32 characters/],
    ['_leading', 'password123', 'username', /starting with a letter or digit/],
    ['shortpw', 'short', 'password', /at least 8 characters/],
    ['longpw', 'é'.repeat(37), 'password', /at most 72 bytes/],
    ['spacespw', '          ', 'password', /only spaces/],
  ])('refuses username %j / password %j with BAD_USER_INPUT on %s', async (u, p, field, message) => {
    const response = await post(server.httpUrl, SIGN_UP, { u, p });
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.body.errors?.[0]?.extensions?.field).toBe(field);
    expect(response.body.errors?.[0]?.message).toMatch(message);
    expect(await redis.client.exists(`username:${u}`)).toBe(0);
  });

  it('refuses a missing argument with a clear code', async () => {
    // A plain string on purpose: codegen would refuse a signUp without its password.
    const response = await post(server.httpUrl, 'mutation { signUp(username: "x") { token } }');
    expect(codes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(response.body.errors?.[0]?.message).toMatch(/password/);
  });
});

describe('signIn', () => {
  it('signs in with the right password and gets a new, distinct session', async () => {
    const { token: first, username, id } = await signUpUser(server.httpUrl, 'signin');
    const response = await post(server.httpUrl, SIGN_IN, {
      u: username,
      p: 'password123',
    });
    expect(response.body.data?.signIn.user).toEqual({ id, username });
    expect(response.body.data?.signIn.token).not.toBe(first);
  });

  it('never creates a user', async () => {
    const before = await redis.client.get('total_users');
    const response = await post(server.httpUrl, SIGN_IN, { u: 'nobody-here', p: 'password123' });
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.body.errors?.[0]?.message).toBe('Wrong username or password.');
    expect(await redis.client.exists('username:nobody-here')).toBe(0);
    expect(await redis.client.get('total_users')).toBe(before);
  });

  it('says the same for a wrong password as for an unknown user', async () => {
    const { username } = await signUpUser(server.httpUrl, 'wrongpw');
    const response = await post(server.httpUrl, SIGN_IN, { u: username, p: 'not-the-password' });
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.body.errors?.[0]?.message).toBe('Wrong username or password.');
  });

  it('rate-limits failed attempts per username, then refuses even the right password', async () => {
    const { username } = await signUpUser(server.httpUrl, 'limited');
    for (let i = 0; i < 3; i++) {
      expect(codes(await post(server.httpUrl, SIGN_IN, { u: username, p: 'wrong-password' }))).toEqual(['UNAUTHENTICATED']);
    }
    const blocked = await post(server.httpUrl, SIGN_IN, { u: username, p: 'password123' });
    expect(codes(blocked)).toEqual(['RATE_LIMITED']);
    expect(blocked.body.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('signs in users written by the seed demo (bcrypt $2b$, "user:{id}" or bare id references)', async () => {
    // Python bcrypt writes $2b$ hashes; this one is bcrypt("password123", cost 10).
    const hash = SEED_HASH;
    await redis.client.hset('user:900', { username: 'SeedJoe', password: hash });
    await redis.client.set('username:SeedJoe', 'user:900');
    await redis.client.hset('user:901', { username: 'SeedMary', password: hash });
    await redis.client.set('username:SeedMary', '901');
    for (const [name, id] of [
      ['SeedJoe', '900'],
      ['SeedMary', '901'],
    ] as const) {
      const response = await post(server.httpUrl, SIGN_IN, { u: name, p: 'password123' });
      expect(response.body.data).toMatchObject({ signIn: { user: { id, username: name } } });
    }
  });
});

describe('sessions', () => {
  it('answers me with null and no error when anonymous', async () => {
    const response = await post(server.httpUrl, ME);
    expect(response.body).toEqual({ data: { me: null } });
  });

  it('ends the session on signOut: the token stops working', async () => {
    const { token } = await signUpUser(server.httpUrl, 'signout');
    expect((await post(server.httpUrl, SIGN_OUT, {}, { token })).body).toEqual({ data: { signOut: true } });
    expect((await post(server.httpUrl, ME, {}, { token })).body).toEqual({ data: { me: null } });
    const again = await post(server.httpUrl, SIGN_OUT, {}, { token });
    expect(codes(again)).toEqual(['UNAUTHENTICATED']);
    expect(again.body.errors?.[0]?.message).toMatch(/invalid or has expired/);
  });

  it('refuses signOut without a session', async () => {
    expect(codes(await post(server.httpUrl, SIGN_OUT))).toEqual(['UNAUTHENTICATED']);
  });

  it('treats a malformed Authorization header as a rejected token', async () => {
    const response = await post(server.httpUrl, SIGN_OUT, {}, { headers: { authorization: 'Basic Zm9vOmJhcg==' } });
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('sets an HttpOnly session cookie that works on its own, and clears it on signOut', async () => {
    const response = await fetch(server.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: SIGN_UP.toString(), variables: { u: 'cookie-user', p: 'password123' } }),
    });
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const cookie = setCookie.split(';')[0]!;

    const me = await post(server.httpUrl, ME, {}, { headers: { cookie } });
    expect(me.body.data).toMatchObject({ me: { username: 'cookie-user' } });

    // A page on another origin cannot ride the cookie.
    const foreign = await post(server.httpUrl, ME, {}, { headers: { cookie, origin: 'http://evil.example' } });
    expect(foreign.body).toEqual({ data: { me: null } });
    const sameOrigin = await post(server.httpUrl, ME, {}, { headers: { cookie, origin: server.origin } });
    expect(sameOrigin.body.data).toMatchObject({ me: { username: 'cookie-user' } });

    const signOut = await fetch(server.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ query: SIGN_OUT }),
    });
    expect(signOut.headers.get('set-cookie')).toMatch(/^session=;/);
    expect((await post(server.httpUrl, ME, {}, { headers: { cookie } })).body).toEqual({ data: { me: null } });
  });

  it('gives credentialed CORS only to allowed origins', async () => {
    const preflight = await fetch(server.httpUrl, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
  });
});

describe('logs', () => {
  it('never contain passwords or tokens', async () => {
    const password = 'Sup3r-Secret-Pass';
    const response = await post(server.httpUrl, SIGN_UP, { u: 'logged', p: password });
    const token = response.body.data!.signUp.token;
    await post(server.httpUrl, SIGN_IN, { u: 'logged', p: 'Wrong-Secret-Pass' });
    await post(server.httpUrl, ME, {}, { token });
    await post(server.httpUrl, SIGN_OUT, {}, { token });
    await post(server.httpUrl, SIGN_OUT, {}, { token });
    expect(server.logs.lines.length).toBeGreaterThan(0);
    expect(server.logs.text).not.toContain(password);
    expect(server.logs.text).not.toContain('Wrong-Secret-Pass');
    expect(server.logs.text).not.toContain(token);
  });
});
