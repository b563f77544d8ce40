import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CloseCode } from '../support/close-codes.js';
import { post, signUpUser } from '../support/graphql.js';
import { openRawSocket } from '../support/raw-socket.js';
import { until } from '../support/wait.js';
import type { TestServer } from '../support/server.js';
import { useServers } from '../support/servers.js';
import { graphql } from '../gql/index.js';
import { CHANNEL, SIGN_UP } from '../support/operations.js';

// Frames are written by hand here, with typed documents as their queries; the few that are broken
// on purpose (unparsable, an unknown field, two operations, a wrong operationName) stay strings.
const MY_ID = graphql(`
  query ProtocolMyId {
    me {
      id
    }
  }
`);
const MY_NAME = graphql(`
  query ProtocolMyName {
    me {
      username
    }
  }
`);

const { redis, server, users: [proto], startServer } = useServers({ config: { connectionInitTimeoutMs: 300, maxSubscriptionsPerConnection: 3 }, users: ['proto'] });

describe('graphql-transport-ws close codes', () => {
  it('4400 for a message that is not valid JSON', async () => {
    const socket = await openRawSocket(server.wsUrl);
    socket.sendText('{not json');
    expect(await socket.closed).toEqual({ code: CloseCode.BadRequest, reason: 'Invalid message received' });
  });

  it('4400 for a message of an unknown type', async () => {
    const socket = await openRawSocket(server.wsUrl);
    await socket.init({ authToken: proto.token });
    socket.send({ type: 'launch_missiles' });
    expect((await socket.closed).code).toBe(CloseCode.BadRequest);
  });

  it('4401 for a subscribe before connection_ack', async () => {
    const socket = await openRawSocket(server.wsUrl);
    socket.send({ id: '1', type: 'subscribe', payload: { query: MY_ID.toString() } });
    expect(await socket.closed).toEqual({ code: CloseCode.Unauthorized, reason: 'Unauthorized' });
  });

  it('4403 for connection_init with an unknown token', async () => {
    const socket = await openRawSocket(server.wsUrl);
    socket.send({ type: 'connection_init', payload: { authToken: 'B'.repeat(43) } });
    expect(await socket.closed).toEqual({ code: CloseCode.Forbidden, reason: 'Forbidden' });
  });

  it('4403 for connection_init with a token that is not a string', async () => {
    const socket = await openRawSocket(server.wsUrl);
    socket.send({ type: 'connection_init', payload: { authToken: 12345 } });
    expect((await socket.closed).code).toBe(CloseCode.Forbidden);
  });

  it('4403 for connection_init with an expired session', async () => {
    const { token: expiring } = await signUpUser(server.httpUrl, 'expiring');
    const me = await post(server.httpUrl, MY_ID, {}, { token: expiring });
    for (const key of await redis.client.keys('switchboard:session:*')) {
      if ((await redis.client.hget(key, 'userId')) === me.body.data?.me?.id) await redis.client.del(key);
    }
    const socket = await openRawSocket(server.wsUrl);
    socket.send({ type: 'connection_init', payload: { authToken: expiring } });
    expect((await socket.closed).code).toBe(CloseCode.Forbidden);
  });

  it('4408 when connection_init does not come in time', async () => {
    const socket = await openRawSocket(server.wsUrl);
    expect(await socket.closed).toEqual({ code: CloseCode.ConnectionInitialisationTimeout, reason: 'Connection initialisation timeout' });
  });

  it('4409 for a second subscribe with an id in use', async () => {
    const socket = await openRawSocket(server.wsUrl);
    await socket.init({ authToken: proto.token });
    socket.send({ id: 'dup', type: 'subscribe', payload: { query: CHANNEL, variables: { name: 'dup' } } });
    socket.send({ id: 'dup', type: 'subscribe', payload: { query: CHANNEL, variables: { name: 'dup' } } });
    expect(await socket.closed).toEqual({ code: CloseCode.SubscriberAlreadyExists, reason: 'Subscriber for dup already exists' });
  });

  it('4429 for a second connection_init', async () => {
    const socket = await openRawSocket(server.wsUrl);
    await socket.init({ authToken: proto.token });
    socket.send({ type: 'connection_init', payload: { authToken: proto.token } });
    expect(await socket.closed).toEqual({ code: CloseCode.TooManyInitialisationRequests, reason: 'Too many initialisation requests' });
  });

  it('4406 for a socket without the graphql-transport-ws subprotocol', async () => {
    const socket = new WebSocket(server.wsUrl);
    const closed = await new Promise<{ code: number; reason: string }>((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
    expect(closed).toEqual({ code: CloseCode.SubprotocolNotAcceptable, reason: 'Subprotocol not acceptable' });
  });

  it('answers ping with pong, echoing the payload', async () => {
    const socket = await openRawSocket(server.wsUrl);
    await socket.init({ authToken: proto.token });
    socket.send({ type: 'ping', payload: { at: 1 } });
    expect(await socket.take((message) => message.type === 'pong')).toEqual({ type: 'pong', payload: { at: 1 } });
    socket.send({ type: 'ping' });
    expect(await socket.take((message) => message.type === 'pong')).toEqual({ type: 'pong' });
    socket.close();
  });

  it('accepts an anonymous connection, which may sign in but not subscribe', async () => {
    const socket = await openRawSocket(server.wsUrl);
    await socket.init();
    socket.send({ id: 'me', type: 'subscribe', payload: { query: MY_ID.toString() } });
    expect((await socket.take((message) => message.id === 'me')).payload).toEqual({ data: { me: null } });
    socket.send({ id: 'sub', type: 'subscribe', payload: { query: CHANNEL, variables: { name: 'x' } } });
    const refused = await socket.take((message) => message.id === 'sub');
    expect(JSON.stringify(refused.payload)).toContain('UNAUTHENTICATED');
    socket.close();
  });

  it('sends a GraphQL error, not a close, for a document that does not parse or validate', async () => {
    const socket = await openRawSocket(server.wsUrl);
    await socket.init({ authToken: proto.token });
    socket.send({ id: 'bad', type: 'subscribe', payload: { query: 'subscription {' } });
    const parseError = await socket.take((message) => message.id === 'bad');
    expect(parseError.type).toBe('error');
    expect(JSON.stringify(parseError.payload)).toContain('GRAPHQL_PARSE_FAILED');
    socket.send({ id: 'bad2', type: 'subscribe', payload: { query: 'subscription { nope }' } });
    const validationError = await socket.take((message) => message.id === 'bad2');
    expect(validationError.type).toBe('error');
    expect(JSON.stringify(validationError.payload)).toContain('GRAPHQL_VALIDATION_FAILED');
    expect(socket.socket.readyState).toBe(WebSocket.OPEN);
    socket.close();
  });

  it('says which operation is missing with BAD_USER_INPUT, and keeps the socket', async () => {
    const socket = await openRawSocket(server.wsUrl);
    await socket.init({ authToken: proto.token });
    socket.send({ id: 'two', type: 'subscribe', payload: { query: 'query A { me { id } } query B { me { id } }' } });
    const several = await socket.take((message) => message.id === 'two');
    expect(several.type).toBe('error');
    expect(several.payload).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/operationName/) })]);
    socket.send({ id: 'named', type: 'subscribe', payload: { query: 'query A { me { id } }', operationName: 'Z' } });
    expect((await socket.take((message) => message.id === 'named')).payload).toEqual([
      expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' }, message: 'The document has no operation named "Z".' }),
    ]);
    expect(socket.socket.readyState).toBe(WebSocket.OPEN);
    socket.close();
  });

  it('limits concurrent operations per connection with RATE_LIMITED', async () => {
    const socket = await openRawSocket(server.wsUrl);
    await socket.init({ authToken: proto.token });
    for (let i = 0; i < 4; i++) {
      socket.send({ id: `op${i}`, type: 'subscribe', payload: { query: CHANNEL, variables: { name: `limit-${i}` } } });
    }
    const refused = await socket.take((message) => message.id === 'op3');
    expect(refused.type).toBe('error');
    expect(JSON.stringify(refused.payload)).toContain('RATE_LIMITED');
    // Completing one frees a place.
    socket.send({ id: 'op0', type: 'complete' });
    socket.send({ id: 'op4', type: 'subscribe', payload: { query: MY_ID.toString() } });
    expect((await socket.take((message) => message.id === 'op4')).type).toBe('next');
    socket.close();
  });
});

describe('cookies on the WebSocket upgrade', () => {
  async function sessionCookie() {
    const response = await fetch(server.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: SIGN_UP.toString(), variables: { u: 'wscookie', p: 'password123' } }),
    });
    return (response.headers.get('set-cookie') ?? '').split(';')[0]!;
  }

  it('authenticates with the cookie from our own origin, and not from another site', async () => {
    const cookie = await sessionCookie();
    const own = await openRawSocket(server.wsUrl, { headers: { cookie, origin: server.origin } });
    await own.init();
    own.send({ id: 'me', type: 'subscribe', payload: { query: MY_NAME.toString() } });
    expect((await own.take((message) => message.id === 'me')).payload).toEqual({ data: { me: { username: 'wscookie' } } });
    own.close();

    const foreign = await openRawSocket(server.wsUrl, { headers: { cookie, origin: 'http://evil.example' } });
    await foreign.init();
    foreign.send({ id: 'me', type: 'subscribe', payload: { query: MY_NAME.toString() } });
    expect((await foreign.take((message) => message.id === 'me')).payload).toEqual({ data: { me: null } });
    foreign.close();
  });
});

describe('operations and sockets ending', () => {
  const fanout = () => server.app.services.live.stats();

  it('4400 for a message that only a server sends', async () => {
    const socket = await openRawSocket(server.wsUrl);
    await socket.init({ authToken: proto.token });
    socket.send({ id: 'x', type: 'next', payload: { data: {} } });
    expect(await socket.closed).toEqual({ code: CloseCode.BadRequest, reason: 'Unexpected message of type next from a client' });
  });

  it('ends a subscription on complete from the client, without echoing complete, and frees its fan-out member', async () => {
    const socket = await openRawSocket(server.wsUrl);
    await socket.init({ authToken: proto.token });
    socket.send({ id: 'live', type: 'subscribe', payload: { query: CHANNEL, variables: { name: 'ending' } } });
    await until(() => fanout().members === 1, 'the subscription to join the fan-out engine');
    socket.send({ id: 'live', type: 'complete' });
    await until(() => fanout().members === 0 && fanout().sources === 0, 'the member and its source to go');
    await redis.client.publish('ending', '"after"');
    // A ping's answer comes after anything the server had sent before it.
    socket.send({ type: 'ping' });
    await socket.take((message) => message.type === 'pong');
    expect(socket.pending.filter((message) => message.id === 'live')).toEqual([]);
    // The id is free again.
    socket.send({ id: 'live', type: 'subscribe', payload: { query: CHANNEL, variables: { name: 'ending' } } });
    await until(() => fanout().members === 1, 'the id reused');
    socket.close();
    await until(() => fanout().members === 0, 'the socket to close');
  });

  it('leaves nothing behind when a socket closes while its subscriptions are being set up', async () => {
    for (let i = 0; i < 20; i++) {
      const socket = await openRawSocket(server.wsUrl);
      await socket.init({ authToken: proto.token });
      socket.send({ id: 'a', type: 'subscribe', payload: { query: CHANNEL, variables: { name: `racing-${i}` } } });
      socket.send({ id: 'b', type: 'subscribe', payload: { query: CHANNEL, variables: { name: 'racing' } } });
      // Closed at once or after a few milliseconds: the subscriptions may be anywhere in their set-up.
      if (i % 2) await new Promise((resolve) => setTimeout(resolve, i));
      socket.socket.terminate();
    }
    await until(
      () => fanout().members === 0 && fanout().sources === 0 && server.app.services.subscriptions.size === 0 && server.app.webSockets.connectionCount === 0,
      'every member, source and connection to go',
    );
    const [, ...counts] = (await redis.client.pubsub('NUMSUB', 'racing', ...Array.from({ length: 20 }, (_, i) => `racing-${i}`))) as Array<string | number>;
    expect(counts.filter((_, index) => index % 2 === 0).map(Number).every((count) => count === 0)).toBe(true);
  });
});

describe('keep-alive', () => {
  let lively: TestServer;
  beforeAll(async () => {
    lively = await startServer({ keepAliveMs: 100 });
  });
  afterAll(async () => {
    await lively?.stop();
  });

  it('terminates a socket that stops answering WebSocket pings, and keeps one that answers', async () => {
    const deaf = new WebSocket(lively.wsUrl, 'graphql-transport-ws', { autoPong: false });
    const closed = new Promise<number>((resolve) => deaf.on('close', (code) => resolve(code)));
    await new Promise((resolve) => deaf.once('open', resolve));
    const answering = await openRawSocket(lively.wsUrl);
    let pingsAnswered = 0;
    answering.socket.on('ping', () => pingsAnswered++);
    await answering.init({ authToken: proto.token });
    deaf.send(JSON.stringify({ type: 'connection_init', payload: { authToken: proto.token } }));
    // Terminated, not closed: there is no close frame for a peer that does not answer.
    expect(await closed).toBe(CloseCode.Abnormal);
    // Several keep-alive rounds later (100 ms each), the socket that answers is still there.
    const answeredBefore = pingsAnswered;
    await until(() => pingsAnswered >= answeredBefore + 3, 'three more pings answered');
    expect(answering.socket.readyState).toBe(WebSocket.OPEN);
    answering.close();
  });
});
