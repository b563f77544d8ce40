import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, subscription, wsClient } from '../support/graphql.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { startTestServer, type TestServer } from '../support/server.js';

const LIMIT = 2048;

let redis: TestRedis;
let server: TestServer;

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startTestServer(redis.url, { maxRequestBytes: LIMIT });
});

afterAll(async () => {
  await server?.stop();
  await redis?.stop();
});

const ME = '{ me { id } }';
const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

/** A GraphQL request body of exactly `bytes` bytes (JSON allows trailing spaces). */
function bodyOfSize(bytes: number): string {
  const body = JSON.stringify({ query: ME });
  return body + ' '.repeat(bytes - body.length);
}

/** A fetch body without a declared length: sent with `Transfer-Encoding: chunked`, in pieces. */
function chunkedInit(text: string, pieces = 3): RequestInit {
  const bytes = new TextEncoder().encode(text);
  const size = Math.ceil(bytes.length / pieces);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let offset = 0; offset < bytes.length; offset += size) controller.enqueue(bytes.slice(offset, offset + size));
      controller.close();
    },
  });
  // `duplex` is not in the DOM typings of RequestInit yet; Node's fetch needs it for a stream.
  return { method: 'POST', headers: JSON_HEADERS, body, duplex: 'half' } as RequestInit;
}

/**
 * POSTs a chunked body that never ends, over a bare TCP socket (so that only the server can end
 * the connection), writing as fast as the socket takes it. Resolves once the server has closed
 * the connection, with the raw answer and how many body bytes had been handed to the socket.
 */
function postEndlessChunkedBody(url: string): Promise<{ status: number; body: string; sentBytes: number }> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const piece = 'a'.repeat(1024);
    const chunk = `${piece.length.toString(16)}\r\n${piece}\r\n`;
    let answer = '';
    let sentBytes = 0;
    let closed = false;
    const pump = () => {
      while (!closed) {
        sentBytes += piece.length;
        if (!socket.write(chunk)) return;
      }
    };
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      socket.write(`POST ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
      socket.write(`${(13).toString(16)}\r\n{"query":"{ m\r\n`);
      pump();
    });
    socket.on('drain', pump);
    socket.on('data', (data: string) => (answer += data));
    // Writes after the server closed fail (EPIPE, ECONNRESET): that is the point.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), body, sentBytes });
    });
  });
}

async function expectHealthy() {
  const response = await post(server.httpUrl, ME);
  expect(response.status).toBe(200);
  expect(response.body).toEqual({ data: { me: null } });
  expect((await fetch(server.origin + '/health')).status).toBe(200);
}

describe('a body with a declared length', () => {
  it('is refused with 413 when over the limit, before it is read', async () => {
    const response = await fetch(server.httpUrl, { method: 'POST', headers: JSON_HEADERS, body: bodyOfSize(LIMIT + 1) });
    expect(response.status).toBe(413);
    expect(response.headers.get('connection')).toBe('close');
    expect(await response.json()).toEqual({
      errors: [{ message: `Request body is ${LIMIT + 1} bytes; the limit is ${LIMIT}.`, extensions: { code: 'BAD_USER_INPUT' } }],
    });
    await expectHealthy();
  });

  it('is accepted at exactly the limit', async () => {
    const response = await fetch(server.httpUrl, { method: 'POST', headers: JSON_HEADERS, body: bodyOfSize(LIMIT) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { me: null } });
  });
});

describe('a chunked body (no declared length)', () => {
  it('is answered 413 as soon as it passes the limit, and the connection is cut', async () => {
    // The body never ends: only a server that counts as it reads can answer at all.
    const { status, body, sentBytes } = await postEndlessChunkedBody(server.httpUrl);
    expect(status).toBe(413);
    expect(JSON.parse(body)).toEqual({
      errors: [{ message: `Request body is over the limit of ${LIMIT} bytes.`, extensions: { code: 'BAD_USER_INPUT' } }],
    });
    expect(sentBytes).toBeGreaterThan(LIMIT);
    await expectHealthy();
  });

  it('is refused with 413 one byte over the limit', async () => {
    const response = await fetch(server.httpUrl, chunkedInit(bodyOfSize(LIMIT + 1)));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
    await expectHealthy();
  });

  it('works within the limit, up to exactly the limit', async () => {
    for (const text of [JSON.stringify({ query: ME }), bodyOfSize(LIMIT)]) {
      const response = await fetch(server.httpUrl, chunkedInit(text));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ data: { me: null } });
    }
  });

  it('passes variables through intact', async () => {
    const query = 'mutation($u: String!, $p: String!) { signUp(username: $u, password: $p) { user { username } } }';
    const response = await fetch(server.httpUrl, chunkedInit(JSON.stringify({ query, variables: { u: 'chunky', p: 'password123' } }), 7));
    expect(await response.json()).toEqual({ data: { signUp: { user: { username: 'chunky' } } } });
  });

  it('works for a subscription over SSE', async () => {
    const init = chunkedInit(JSON.stringify({ query: ME }));
    const response = await fetch(server.httpUrl, { ...init, headers: { 'content-type': 'application/json', accept: 'text/event-stream' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(await response.text()).toContain('data: {"data":{"me":null}}');
  });
});

describe('requests the limit leaves alone', () => {
  it('answers a normal POST', async () => {
    await expectHealthy();
  });

  it('answers a POST over SSE', async () => {
    const response = await fetch(server.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: ME }),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('data: {"data":{"me":null}}');
  });

  it('answers a GET', async () => {
    const response = await fetch(`${server.httpUrl}?query=${encodeURIComponent(ME)}`, { headers: { accept: 'application/json' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { me: null } });
  });

  it('answers over graphql-ws', async () => {
    const client = wsClient(server.wsUrl);
    const operation = subscription(client, ME);
    await operation.waitForEvents(1);
    expect(operation.events[0]).toEqual({ data: { me: null } });
    await client.dispose();
  });
});
