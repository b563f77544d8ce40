import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { post, subscription } from '../support/graphql.js';
import { useServers } from '../support/servers.js';

// MAX_REQUEST_BYTES over HTTP (yoga's maxRequestBodySize): a declared length over it is refused
// unread, a chunked body is counted as it arrives; either way 413 BAD_USER_INPUT saying the sizes.

const LIMIT = 2048;
const { server, user, wsClient } = useServers({ config: { maxRequestBytes: LIMIT }, users: ['chunky'] });

const ME = graphql(`
  query BodyLimitMe {
    me {
      id
    }
  }
`).toString();
/** Variables and an introspection field besides: all of the body must arrive intact. */
const ME_AND_TYPE = graphql(`
  query BodyLimitMeAndType($t: String!) {
    me {
      username
    }
    t: __type(name: $t) {
      name
    }
  }
`).toString();
const JSON_TYPE = { 'content-type': 'application/json' };
/** A GraphQL request body of exactly `bytes` bytes (JSON allows trailing spaces). */
const bodyOfSize = (bytes: number) => JSON.stringify({ query: ME }).padEnd(bytes, ' ');
const tooLarge = (message: string) => ({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] });

/** `text` sent with `Transfer-Encoding: chunked` (no declared length), in `pieces` chunks. */
function chunked(text: string, headers: Record<string, string> = JSON_TYPE, pieces = 3): RequestInit {
  const bytes = new TextEncoder().encode(text);
  const size = Math.ceil(bytes.length / pieces);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let offset = 0; offset < bytes.length; offset += size) controller.enqueue(bytes.slice(offset, offset + size));
      controller.close();
    },
  });
  // `duplex` is not in the DOM typings of RequestInit yet; Node's fetch needs it for a stream.
  return { method: 'POST', headers, body, duplex: 'half' } as RequestInit;
}

/** A chunked body that never ends: resolves with the answer once the server has closed the connection. */
function endlessChunkedBody(): Promise<{ status: number; body: string; sentBytes: number }> {
  return new Promise((resolve, reject) => {
    let sentBytes = 0;
    let answer: { status: number; body: string } | null = null;
    const piece = Buffer.alloc(1024, 'a');
    const req = request(server.httpUrl, { method: 'POST', headers: JSON_TYPE });
    const pump = () => {
      while (!answer && req.write(piece)) sentBytes += piece.length;
    };
    req.on('drain', pump);
    req.on('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (data: string) => (body += data));
      response.on('end', () => (answer = { status: response.statusCode ?? 0, body }));
    });
    // Writes after the server closed fail (EPIPE, ECONNRESET): that is the point.
    req.on('error', () => undefined);
    req.on('close', () => (answer ? resolve({ ...answer, sentBytes }) : reject(new Error('closed without an answer'))));
    req.write('{"query":"{ m');
    pump();
  });
}

async function expectHealthy() {
  expect((await post(server.httpUrl, ME)).body).toEqual({ data: { me: null } });
}

describe('MAX_REQUEST_BYTES over HTTP', () => {
  it('refuses a declared length over the limit with 413 (JSON, also to SSE) and closes the connection; takes one at the limit', async () => {
    const over = await fetch(server.httpUrl, { method: 'POST', headers: JSON_TYPE, body: bodyOfSize(LIMIT + 1) });
    expect(over.status).toBe(413);
    expect(over.headers.get('connection')).toBe('close');
    expect(await over.json()).toEqual(tooLarge(`Request body is ${LIMIT + 1} bytes; the limit is ${LIMIT}.`));
    // The same JSON answer when an event stream was asked for: nothing ran, so there is no stream.
    const sse = await fetch(server.httpUrl, { method: 'POST', headers: { ...JSON_TYPE, accept: 'text/event-stream' }, body: bodyOfSize(LIMIT + 1) });
    expect([sse.status, await sse.json()]).toEqual([413, tooLarge(`Request body is ${LIMIT + 1} bytes; the limit is ${LIMIT}.`)]);
    const at = await fetch(server.httpUrl, { method: 'POST', headers: JSON_TYPE, body: bodyOfSize(LIMIT) });
    expect(await at.json()).toEqual({ data: { me: null } });
  });

  it('answers 413 to a chunked body as soon as it passes the limit, and cuts the connection', async () => {
    // The body never ends: only a server that counts as it reads can answer at all.
    const { status, body, sentBytes } = await endlessChunkedBody();
    expect(status).toBe(413);
    expect(JSON.parse(body)).toEqual(tooLarge(`Request body is over the limit of ${LIMIT} bytes.`));
    expect(sentBytes).toBeGreaterThan(LIMIT);
    const oneOver = await fetch(server.httpUrl, chunked(bodyOfSize(LIMIT + 1)));
    expect(oneOver.status).toBe(413);
    expect(await oneOver.json()).toEqual(tooLarge(`Request body is over the limit of ${LIMIT} bytes.`));
    await expectHealthy();
  });

  it('takes chunked bodies up to the limit, variables intact, over JSON and SSE', async () => {
    expect(await (await fetch(server.httpUrl, chunked(bodyOfSize(LIMIT)))).json()).toEqual({ data: { me: null } });
    const signedIn = { ...JSON_TYPE, authorization: `Bearer ${user.token}` };
    expect(await (await fetch(server.httpUrl, chunked(JSON.stringify({ query: ME_AND_TYPE, variables: { t: 'Query' } }), signedIn, 7))).json()).toEqual({
      data: { me: { username: user.username }, t: { name: 'Query' } },
    });
    const sse = await fetch(server.httpUrl, chunked(JSON.stringify({ query: ME }), { ...JSON_TYPE, accept: 'text/event-stream' }));
    expect(sse.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(await sse.text()).toContain('data: {"data":{"me":null}}');
  });

  it('leaves GET and graphql-ws alone', async () => {
    expect(await (await fetch(`${server.httpUrl}?query=${encodeURIComponent(ME)}`, { headers: { accept: 'application/json' } })).json()).toEqual({ data: { me: null } });
    const operation = subscription(wsClient(server), ME);
    await operation.waitForEvents(1);
    expect(operation.events[0]).toEqual({ data: { me: null } });
  });
});
