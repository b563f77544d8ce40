import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, type JWK, SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../support/close-codes.js';
import { codes, openTab, post, postData, signUpUser, subscription, wsClient } from '../support/graphql.js';
import { openRawSocket } from '../support/raw-socket.js';
import type { TestServer } from '../support/server.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';
import { graphql } from '../gql/index.js';
import { CHANNEL, OPEN_ROOM, PUBLISH, SEND, SIGN_OUT } from '../support/operations.js';

const SECRET = 'test-secret-that-is-long-enough-for-hs256!';
const ISSUER = 'https://idp.test/';
const AUDIENCE = 'switchboard';

const { redis, startServer } = useServers({ servers: 0 });
let a: TestServer;
let b: TestServer;
let jwksServer: Server;
let jwksUrl: string;
/** What the key set endpoint serves; tests rotate keys by changing it. */
let servedKeys: JWK[] = [];
let jwksFetches = 0;
/** While set, the key set endpoint fails, as an identity provider that is down would. */
let jwksDown = false;
let rsa: { privateKey: CryptoKey; jwk: JWK };
let ec: { privateKey: CryptoKey; jwk: JWK };
let subjectCounter = 0;

async function keyPair(alg: 'RS256' | 'ES256', kid: string) {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

interface TokenOptions {
  sub?: string;
  claims?: Record<string, unknown>;
  issuer?: string;
  audience?: string;
  /** Seconds from now; negative: already expired. */
  expiresIn?: number;
  key?: { alg: 'HS256' } | { alg: 'RS256' | 'ES256'; privateKey: CryptoKey; kid: string };
}

async function token(options: TokenOptions = {}): Promise<string> {
  const key = options.key ?? { alg: 'HS256' };
  const jwt = new SignJWT(options.claims ?? {})
    .setProtectedHeader(key.alg === 'HS256' ? { alg: 'HS256' } : { alg: key.alg, kid: key.kid })
    .setSubject(options.sub ?? `subject-${process.pid}-${++subjectCounter}`)
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + (options.expiresIn ?? 3600));
  return jwt.sign(key.alg === 'HS256' ? new TextEncoder().encode(SECRET) : key.privateKey);
}

const IDENTITY = graphql(`
  query JwtIdentity {
    identity {
      kind
      userId
      roles
      name
    }
    me {
      id
      username
    }
  }
`);
const JWT_USER = graphql(`
  query JwtUser($s: String!) {
    jwtUser(subject: $s) {
      id
      username
    }
  }
`);
const ONLINE = graphql(`
  query JwtOnline {
    onlineUsers {
      id
      username
    }
  }
`);
const GENERAL_FEED = graphql(`
  subscription JwtGeneralFeed {
    messageAdded(roomId: "0") {
      text
      from {
        id
        username
      }
    }
  }
`);

beforeAll(async () => {
  rsa = await keyPair('RS256', 'rsa-1');
  ec = await keyPair('ES256', 'ec-1');
  servedKeys = [rsa.jwk, ec.jwk];
  jwksServer = createServer((_request, response) => {
    jwksFetches++;
    if (jwksDown) return void response.writeHead(502).end();
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: servedKeys }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`;
  const settings = { authJwtSecret: SECRET, authJwksUrl: jwksUrl, authJwtIssuer: ISSUER, authJwtAudience: [AUDIENCE] };
  // No cooldown between key set fetches, so that a rotated key is fetched at once.
  [a, b] = await Promise.all([startServer(settings, { jwksCooldownMs: 0 }), startServer(settings, { jwksCooldownMs: 0 })]);
});

afterAll(async () => {
  // The servers (stopped by the bed after this) no longer fetch keys once they are stopped.
  await Promise.all([a?.stop(), b?.stop()]);
  await new Promise((resolve) => jwksServer?.close(resolve));
});

describe('JWTs of the identity provider', () => {
  it.each(['HS256', 'RS256', 'ES256'] as const)('sign in over HTTP with %s, as a user with a chat user id and the name claim', async (alg) => {
    const key = alg === 'HS256' ? { alg } : { alg, privateKey: (alg === 'RS256' ? rsa : ec).privateKey, kid: alg === 'RS256' ? 'rsa-1' : 'ec-1' };
    const jwt = await token({ key, claims: { preferred_username: `ada-${alg}`, name: 'Ada L.' } });
    const data = await postData(a.httpUrl, IDENTITY, {}, jwt);
    const identity = data.identity!;
    expect(data.identity).toMatchObject({ kind: 'JWT', roles: ['user'], name: `ada-${alg}` });
    expect(identity.userId).toMatch(/^[0-9]+$/);
    expect(data.me).toEqual({ id: identity.userId, username: `ada-${alg}` });
    // Joined General, as a sign-up does.
    expect(await redis.client.smembers(`user:${identity.userId}:rooms`)).toEqual(['0']);
  });

  it('take the display name from name, then sub, and the roles from the roles claim', async () => {
    const named = await postData(a.httpUrl, IDENTITY, {}, await token({ claims: { name: 'Grace', roles: ['user', 'editor'] } }));
    expect(named.identity).toMatchObject({ name: 'Grace', roles: ['user', 'editor'] });
    const bare = await postData(a.httpUrl, IDENTITY, {}, await token({ sub: 'only-sub' }));
    expect(bare.identity?.name).toBe('only-sub');
  });

  it('sign in over SSE and WebSocket', async () => {
    const jwt = await token({ claims: { preferred_username: 'streamer' } });
    const response = await fetch(b.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${jwt}` },
      body: JSON.stringify({ query: CHANNEL.toString(), variables: { name: 'jwt-sse' } }),
    });
    expect(response.status).toBe(200);
    await until(async () => Number((await redis.client.pubsub('NUMSUB', 'jwt-sse'))[1]) > 0, 'the SSE subscription');
    await redis.client.publish('jwt-sse', '"hello"');
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('hello')) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();

    const client = wsClient(a.wsUrl, await token({ key: { alg: 'ES256', privateKey: ec.privateKey, kid: 'ec-1' } }));
    const sub = subscription(client, CHANNEL, { name: 'jwt-ws' });
    await until(async () => Number((await redis.client.pubsub('NUMSUB', 'jwt-ws'))[1]) > 0, 'the WebSocket subscription');
    await redis.client.publish('jwt-ws', '1');
    await sub.waitForEvents(1);
    expect(sub.events[0]!.data).toEqual({ channel: { message: 1 } });
    await client.dispose();
  });

  it('are refused (UNAUTHENTICATED) when expired, of another issuer or audience, or wrongly signed', async () => {
    const other = await generateKeyPair('RS256');
    const bad = {
      expired: await token({ expiresIn: -60 }),
      'wrong issuer': await token({ issuer: 'https://evil.test/' }),
      'wrong audience': await token({ audience: 'someone-else' }),
      'wrong HS256 secret': await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime('1h').sign(new TextEncoder().encode('another-secret-another-secret-another!')),
      'signed by a key not in the set': await token({ key: { alg: 'RS256', privateKey: other.privateKey, kid: 'rsa-1' } }),
      'no exp': await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer(ISSUER).setAudience(AUDIENCE).sign(new TextEncoder().encode(SECRET)),
      'alg none': `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', iss: ISSUER, aud: AUDIENCE, exp: 9e9 })).toString('base64url')}.`,
    };
    for (const [what, jwt] of Object.entries(bad)) {
      const response = await post(a.httpUrl, PUBLISH, { channel: 'x', message: 1 }, { token: jwt });
      expect(codes(response), what).toEqual(['UNAUTHENTICATED']);
      const identity = await post(a.httpUrl, IDENTITY, {}, { token: jwt });
      expect(identity.body.data, what).toEqual({ identity: null, me: null });
    }
    const socket = await openRawSocket(a.wsUrl);
    socket.send({ type: 'connection_init', payload: { authToken: bad.expired } });
    expect((await socket.closed).code).toBe(CloseCode.Forbidden);
  });

  it('get UNAVAILABLE (503) over HTTP and a retryable 1013 over WebSocket while the key set cannot be fetched', async () => {
    const unseen = await keyPair('RS256', 'rsa-while-down');
    const jwt = await token({ key: { alg: 'RS256', privateKey: unseen.privateKey, kid: 'rsa-while-down' } });
    jwksDown = true;
    try {
      const response = await post(a.httpUrl, IDENTITY, {}, { token: jwt });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(codes(response)).toEqual(['UNAVAILABLE']);
      expect(response.body.errors?.[0]?.message).toContain('AUTH_JWKS_URL');
      const socket = await openRawSocket(a.wsUrl);
      socket.send({ type: 'connection_init', payload: { authToken: jwt } });
      expect((await socket.closed).code).toBe(CloseCode.TryAgainLater);
    } finally {
      jwksDown = false;
    }
    expect(a.logs.text).not.toContain('unexpected error');
  });

  it('fetch the key set again for a key id they do not know (key rotation)', async () => {
    const rotated = await keyPair('RS256', 'rsa-2');
    const jwt = await token({ key: { alg: 'RS256', privateKey: rotated.privateKey, kid: 'rsa-2' } });
    expect(codes(await post(a.httpUrl, PUBLISH, { channel: 'x', message: 1 }, { token: jwt }))).toEqual(['UNAUTHENTICATED']);
    servedKeys = [rsa.jwk, ec.jwk, rotated.jwk];
    const fetchesBefore = jwksFetches;
    expect(await postData(a.httpUrl, PUBLISH, { channel: 'x', message: 1 }, jwt)).toEqual({ publish: true });
    expect(jwksFetches).toBeGreaterThan(fetchesBefore);
    // Known keys come from the cache.
    const cached = jwksFetches;
    await postData(a.httpUrl, PUBLISH, { channel: 'x', message: 1 }, jwt);
    expect(jwksFetches).toBe(cached);
  });

  it('map one issuer + sub to one chat user, even when two instances see it first at the same moment', async () => {
    const sub = `racer-${process.pid}`;
    const tokens = await Promise.all(Array.from({ length: 6 }, (_, i) => token({ sub, claims: { name: `racer ${i}` } })));
    const answers = await Promise.all(tokens.map((jwt, i) => postData((i % 2 ? a : b).httpUrl, IDENTITY, {}, jwt)));
    const ids = new Set(answers.map((answer) => answer.identity?.userId));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    // The losers' users are gone: only the winner exists for this subject.
    let found = 0;
    for (const key of await redis.client.keys('user:*')) {
      if (!key.endsWith(':rooms') && (await redis.client.hget(key, 'subject')) === sub) found++;
    }
    expect(found).toBe(1);
    expect(await redis.client.exists(`user:${id}`)).toBe(1);
    // A later token of the same subject is the same user.
    const later = await token({ sub });
    expect((await postData(a.httpUrl, IDENTITY, {}, later)).identity?.userId).toBe(id);
  });

  it('a JWT user chats, shows as online and opens private rooms', async () => {
    const jwt = await token({ claims: { preferred_username: 'jwt-chatter' } });
    const identity = (await postData(a.httpUrl, IDENTITY, {}, jwt)).identity!;
    const peer = await signUpUser(a.httpUrl, 'peer');
    const tab = await openTab(b.wsUrl, jwt);
    await until(async () => {
      const { onlineUsers } = await postData(a.httpUrl, ONLINE, {}, peer.token);
      return onlineUsers.some((user) => user.id === identity.userId && user.username === 'jwt-chatter');
    }, 'the JWT user online');
    const peerClient = wsClient(a.wsUrl, peer.token);
    const feed = subscription(peerClient, GENERAL_FEED);
    await until(async () => Number((await redis.client.pubsub('NUMSUB', 'MESSAGES'))[1]) > 0 && a.app.services.subscriptions.size > 0, 'the peer listening');
    await postData(b.httpUrl, SEND, { roomId: '0', text: 'hello from the IdP' }, jwt);
    await feed.waitForEvents(1);
    expect(feed.events[0]!.data).toEqual({ messageAdded: { text: 'hello from the IdP', from: { id: identity.userId, username: 'jwt-chatter' } } });
    const room = await postData(b.httpUrl, OPEN_ROOM, { userId: peer.id }, jwt);
    expect(room.openPrivateRoom.id.split(':').sort()).toEqual([identity.userId, peer.id].sort());
    await tab.dispose();
    await peerClient.dispose();
  });

  it('signOut ends the token\'s connections on every instance; the token itself stays the provider\'s', async () => {
    const jwt = await token();
    const socket = await openRawSocket(b.wsUrl);
    await socket.init({ authToken: jwt });
    expect(await postData(a.httpUrl, SIGN_OUT, {}, jwt)).toEqual({ signOut: true });
    expect(await socket.closed).toEqual({ code: CloseCode.Forbidden, reason: 'Session ended' });
    expect(await postData(a.httpUrl, PUBLISH, { channel: 'x', message: 1 }, jwt)).toEqual({ publish: true });
  });

  it('a backend finds a JWT user\'s id by its subject (jwtUser) and pushes to its private channel', async () => {
    const service = (await a.app.services.apiKeys.create('shop', ['service'])).key;
    const sub = `shopper-${process.pid}`;
    // Before the user ever signed in: the user is made, named after its subject.
    const { jwtUser } = await postData(a.httpUrl, JWT_USER, { s: sub }, service);
    expect(jwtUser.username).toBe(sub);
    const jwt = await token({ sub, claims: { preferred_username: 'shopper' } });
    expect(codes(await post(a.httpUrl, JWT_USER, { s: sub }, { token: jwt }))).toEqual(['FORBIDDEN']);
    const client = wsClient(b.wsUrl, jwt);
    const inbox = subscription(client, CHANNEL, { name: `private.${jwtUser.id}.inbox` });
    await until(async () => Number((await redis.client.pubsub('NUMSUB', `private.${jwtUser.id}.inbox`))[1]) > 0, 'the user subscribed');
    await postData(a.httpUrl, PUBLISH, { channel: `private.${jwtUser.id}.inbox`, message: 'shipped' }, service);
    await inbox.waitForEvents(1);
    expect(inbox.events[0]!.data).toEqual({ channel: { message: 'shipped' } });
    // Its name is the token's once it signs in; a later look-up keeps it.
    expect((await postData(a.httpUrl, JWT_USER, { s: sub }, service)).jwtUser).toEqual({ id: jwtUser.id, username: 'shopper' });
    await client.dispose();
  });

  it('end their WebSocket and SSE subscriptions when they expire', async () => {
    const expiresIn = 2;
    const jwt = await token({ expiresIn });
    const { exp } = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as { exp: number };
    const socket = await openRawSocket(a.wsUrl);
    await socket.init({ authToken: jwt });
    socket.send({ id: '1', type: 'subscribe', payload: { query: CHANNEL.toString(), variables: { name: 'jwt-exp' } } });
    const sse = fetch(b.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${jwt}` },
      body: JSON.stringify({ query: CHANNEL.toString(), variables: { name: 'jwt-exp' } }),
    });
    expect(await socket.closed).toEqual({ code: CloseCode.Forbidden, reason: 'Session expired' });
    // Not before `exp` (timers may round by a few milliseconds).
    expect(Date.now()).toBeGreaterThanOrEqual(exp * 1000 - 20);
    expect(await (await sse).text()).toContain('event: complete');
    // And the token no longer signs anything in.
    expect(codes(await post(a.httpUrl, PUBLISH, { channel: 'x', message: 1 }, { token: jwt }))).toEqual(['UNAUTHENTICATED']);
  });
});
