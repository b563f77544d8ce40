// Issue 13, row "1,000 WebSockets for one user; 2,000 TCP sockets sending half a header":
// per-user and per-address caps on WebSockets and SSE streams together, and server timeouts that
// drop half-sent requests without touching long-lived streams.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { CloseCode } from '../support/close-codes.js';
import { denials } from '../support/denials.js';
import { sseFrom, type SseStream } from '../support/from-address.js';
import { postData, signUpUser } from '../support/graphql.js';
import { CHANNEL, ME, PUBLISH } from '../support/operations.js';
import { openRawSocket, type RawSocket } from '../support/raw-socket.js';
import type { TestServer } from '../support/server.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';

// One Redis; every test starts the servers it needs, with its own limits, stopped after it.
const { startServer } = useServers({ servers: 0 });
const servers: TestServer[] = [];
const open: Array<RawSocket | SseStream | Socket> = [];

afterEach(async () => {
  for (const each of open.splice(0)) {
    if ('destroy' in each) each.destroy();
    else each.close();
  }
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

async function start(overrides: Partial<Config> = {}): Promise<TestServer> {
  const server = await startServer(overrides);
  servers.push(server);
  return server;
}

/** Opens a WebSocket and sends `connection_init`; resolves with the socket once it is acknowledged or closed. */
async function tab(server: TestServer, options: { token?: string; localAddress?: string; headers?: Record<string, string> } = {}) {
  const socket = await openRawSocket(server.wsUrl, options);
  open.push(socket);
  socket.send({ type: 'connection_init', payload: options.token ? { authToken: options.token } : {} });
  const outcome = await Promise.race([
    socket.take((message) => message.type === 'connection_ack').then(() => 'ack' as const),
    socket.closed,
  ]).catch(async () => socket.closed);
  return { socket, outcome };
}

/** Opens a WebSocket without `connection_init`; resolves with its close when the server refuses it at once. */
async function bareSocket(server: TestServer, localAddress: string, headers?: Record<string, string>) {
  const socket = await openRawSocket(server.wsUrl, { localAddress, ...(headers ? { headers } : {}) });
  open.push(socket);
  return socket;
}

const sse = async (server: TestServer, token: string | undefined, localAddress: string, name = 'capped') => {
  const stream = await sseFrom(server.httpUrl, CHANNEL, { name }, { localAddress, ...(token ? { token } : {}) });
  open.push(stream);
  return stream;
};

/** The first error of a refused stream: yoga answers in the format asked for (an SSE event here). */
const firstError = (stream: SseStream) =>
  (stream.json?.errors?.[0] ?? (stream.events[0] as { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } | undefined)?.errors?.[0]);

describe('connections per user (MAX_CONNECTIONS_PER_USER)', () => {
  it('1,000 WebSockets for one user: 100 are accepted (the default), every other one is closed with 4429', async () => {
    const server = await start();
    const { token, id } = await signUpUser(server.httpUrl, 'hoarder');
    const outcomes: Array<'ack' | { code: number; reason: string }> = [];
    for (let batch = 0; batch < 10; batch++) {
      const tabs = await Promise.all(Array.from({ length: 100 }, () => tab(server, { token })));
      outcomes.push(...tabs.map((each) => each.outcome));
    }
    const refused = outcomes.filter((outcome) => outcome !== 'ack');
    expect(outcomes.length - refused.length).toBe(100);
    expect(refused).toHaveLength(900);
    for (const close of refused) {
      expect(close).toEqual({ code: CloseCode.TooManyConnections, reason: 'Too many connections for this user (MAX_CONNECTIONS_PER_USER=100)' });
    }
    await until(() => server.app.webSockets.connectionCount === 100, 'refused sockets to go');
    expect(server.app.services.connectionCaps.held('user', id)).toBe(100);

    // Someone else is not affected.
    const other = await signUpUser(server.httpUrl, 'bystander');
    expect((await tab(server, { token: other.token })).outcome).toBe('ack');
  });

  it('counts WebSockets and SSE streams together, and gives a slot back when either closes', async () => {
    const server = await start({ maxConnectionsPerUser: 3 });
    const { token, id } = await signUpUser(server.httpUrl, 'mixed');
    const caps = server.app.services.connectionCaps;
    const first = await tab(server, { token });
    await tab(server, { token });
    const stream = await sse(server, token, '127.0.0.1');
    expect(stream.status).toBe(200);
    await until(() => caps.held('user', id) === 3, 'three connections counted');

    // Full: a fourth stream is HTTP 429 RATE_LIMITED, a fourth WebSocket 4429.
    const refusedStream = await sse(server, token, '127.0.0.1');
    expect(refusedStream.status).toBe(429);
    await refusedStream.ended;
    expect(firstError(refusedStream)).toMatchObject({
      message: expect.stringMatching(/Too many open connections for this user: at most 3 .*MAX_CONNECTIONS_PER_USER/),
      extensions: { code: 'RATE_LIMITED', setting: 'MAX_CONNECTIONS_PER_USER', limit: 3 },
    });
    expect((await tab(server, { token })).outcome).toMatchObject({ code: CloseCode.TooManyConnections });
    expect(await denials(server, 'connections_per_user')).toBe(2);

    // The client of the stream goes away: its slot comes back.
    stream.close();
    await until(() => caps.held('user', id) === 2, 'the stream to be given back');
    expect((await tab(server, { token })).outcome).toBe('ack');
    // So does a WebSocket's.
    first.socket.close();
    await until(() => caps.held('user', id) === 2, 'the socket to be given back');
    const again = await sse(server, token, '127.0.0.1');
    expect(again.status).toBe(200);
  });

  it('turns off with 0', async () => {
    const server = await start({ maxConnectionsPerUser: 0 });
    const { token } = await signUpUser(server.httpUrl, 'unbounded');
    const tabs = await Promise.all(Array.from({ length: 120 }, () => tab(server, { token })));
    expect(tabs.every((each) => each.outcome === 'ack')).toBe(true);
  });
});

describe('connections per address (MAX_CONNECTIONS_PER_ADDRESS)', () => {
  it('refuses sockets beyond the cap at the upgrade, signed in or not, and SSE streams with 429', async () => {
    const server = await start({ maxConnectionsPerAddress: 5 });
    const caps = server.app.services.connectionCaps;
    const { token } = await signUpUser(server.httpUrl, 'crowd');
    // Five sockets that never even send connection_init hold the address's slots.
    const idle = [];
    for (let i = 0; i < 5; i++) idle.push(await bareSocket(server, '127.0.0.2'));
    const sixth = await bareSocket(server, '127.0.0.2');
    expect(await sixth.closed).toEqual({ code: CloseCode.TooManyConnections, reason: 'Too many connections from this address (MAX_CONNECTIONS_PER_ADDRESS=5)' });
    const stream = await sse(server, token, '127.0.0.2');
    expect(stream.status).toBe(429);
    await stream.ended;
    expect(firstError(stream)?.extensions).toMatchObject({ code: 'RATE_LIMITED', setting: 'MAX_CONNECTIONS_PER_ADDRESS', limit: 5 });

    // Another address is not affected.
    expect((await tab(server, { token, localAddress: '127.0.0.3' })).outcome).toBe('ack');
    expect((await sse(server, token, '127.0.0.3')).status).toBe(200);

    // A closed socket gives its slot back; an SSE stream then takes it, and counts as a socket would.
    idle[0]!.close();
    await until(() => caps.held('address', '127.0.0.2') === 4, 'the slot to be given back');
    expect((await sse(server, token, '127.0.0.2')).status).toBe(200);
    await until(() => caps.held('address', '127.0.0.2') === 5, 'the stream to be counted');
    expect(await (await bareSocket(server, '127.0.0.2')).closed).toMatchObject({ code: CloseCode.TooManyConnections });
    expect(await denials(server, 'connections_per_address')).toBe(3);
  });

  it('counts the client behind a trusted proxy, on the WebSocket upgrade too', async () => {
    const server = await start({ maxConnectionsPerAddress: 2, trustedProxies: ['127.0.0.4'] });
    const via = (client: string) => ({ 'x-forwarded-for': client });
    await bareSocket(server, '127.0.0.4', via('198.51.100.1'));
    await bareSocket(server, '127.0.0.4', via('198.51.100.1'));
    expect(await (await bareSocket(server, '127.0.0.4', via('198.51.100.1'))).closed).toMatchObject({ code: CloseCode.TooManyConnections });
    // Another client through the same proxy.
    const other = await bareSocket(server, '127.0.0.4', via('198.51.100.2'));
    expect(server.app.services.connectionCaps.held('address', '198.51.100.2')).toBe(1);
    other.send({ type: 'connection_init' });
    await other.take((message) => message.type === 'connection_ack');
    // Not through the proxy, the header is only text.
    await bareSocket(server, '127.0.0.5', via('198.51.100.3'));
    expect(server.app.services.connectionCaps.held('address', '127.0.0.5')).toBe(1);
    expect(server.app.services.connectionCaps.held('address', '198.51.100.3')).toBe(0);
  });
});

/** Opens `count` TCP connections from `localAddress`, each sending `text`, in batches. */
async function rawConnections(port: number, localAddress: string, count: number, text: string) {
  const state = { closed: 0, answered408: 0 };
  const sockets: Socket[] = [];
  for (let start = 0; start < count; start += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, count - start) }, async () => {
        const socket = connect({ host: '127.0.0.1', port, localAddress });
        sockets.push(socket);
        open.push(socket);
        let answer = '';
        socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
        socket.on('error', () => undefined);
        socket.on('close', () => {
          state.closed++;
          if (answer.startsWith('HTTP/1.1 408')) state.answered408++;
        });
        await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
        socket.write(text);
      }),
    );
  }
  return { state, sockets };
}

describe('server timeouts', () => {
  it('2,000 sockets sending half a header are dropped by the headers timeout, while streams live on', async () => {
    const server = await start({ headersTimeoutMs: 500, requestTimeoutMs: 1000 });
    const port = Number(new URL(server.httpUrl).port);
    const { token } = await signUpUser(server.httpUrl, 'streamer');
    // Long-lived connections opened before, from the same address as the flood.
    const stream = await sse(server, token, '127.0.0.6', 'timeouts');
    expect(stream.status).toBe(200);
    const ws = await tab(server, { token, localAddress: '127.0.0.6' });
    expect(ws.outcome).toBe('ack');

    const flood = await rawConnections(port, '127.0.0.6', 2000, 'POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: app');
    // A body that never finishes is cut by the request timeout.
    const slowBody = await rawConnections(port, '127.0.0.7', 1, 'POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query":');
    await until(() => flood.state.closed === 2000, `the half-open sockets to be dropped (${flood.state.closed} so far)`, 30_000);
    expect(flood.state.answered408).toBe(2000);
    await until(() => slowBody.state.closed === 1, 'the unfinished body to be cut', 30_000);

    // Both streams outlived the headers and request timeouts.
    await postData(server.httpUrl, PUBLISH, { channel: 'timeouts', message: { after: 'flood' } }, token);
    await until(() => stream.events.length > 0, 'the SSE event');
    expect(stream.events[0]).toEqual({ data: { channel: { message: { after: 'flood' } } } });
    ws.socket.send({ id: 'q', type: 'subscribe', payload: { query: ME.toString() } });
    expect(await ws.socket.take((message) => message.type === 'next')).toMatchObject({ payload: { data: { me: { username: expect.any(String) } } } });
  });

  it('closes idle keep-alive connections after the keep-alive timeout', async () => {
    const server = await start({ keepAliveTimeoutMs: 200 });
    const port = Number(new URL(server.httpUrl).port);
    const { state } = await rawConnections(port, '127.0.0.8', 1, 'GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await until(() => state.closed === 1, 'the idle connection to be closed', 3000);
  });
});
