import { get } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { type GraphQLResponse, codes, openTab, post, subscription } from '../support/graphql.js';
import { useServers } from '../support/servers.js';
import { graphql } from '../gql/index.js';
import { PUBLISH } from '../support/operations.js';

const LAST_TEN = graphql(`
  query AbuseLastTen {
    events(stream: "big-entries", last: 10) {
      edges {
        node {
          id
        }
      }
    }
  }
`);

// Abuse suite, issue 13: one test per attack of the issue's table that query limits answer.
// Most documents here are plain strings on purpose: built at run time to be too deep, too wide or
// too costly (aliases, nesting), or with a variable the operation does not declare. The few
// well-formed ones are typed.

const { redis, server, users: [querier], startServer } = useServers({ users: ['querier'] });

const ACCEPTS = ['*/*', 'application/json', 'application/graphql-response+json'];

/** POSTs a document with a given Accept header; the body is read as JSON whatever it says. */
async function postWithAccept(url: string, accept: string, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${querier.token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse['body'] };
}

const errorLines = (from: number) => server.logs.lines.slice(from).filter((line) => /"level":(50|60)/.test(line));

const MESSAGE_PAGE = 'edges { cursor node { id text createdAt from { id username } } } pageInfo { hasPreviousPage startCursor }';
const aliases = (count: number, field: (index: number) => string) => `{ ${Array.from({ length: count }, (_, index) => `a${index}: ${field(index)}`).join(' ')} }`;

describe('1,000 aliases of messages(roomId:"0", last:100) (112 KB query)', () => {
  it('is refused with 400 QUERY_TOO_COMPLEX before anything runs, whatever the Accept header', async () => {
    const query = aliases(1000, () => `messages(roomId: "0", last: 100) { ${MESSAGE_PAGE} }`);
    expect(query.length).toBeGreaterThan(100_000);
    for (const accept of ACCEPTS) {
      const response = await postWithAccept(server.httpUrl, accept, query);
      expect(response.status, accept).toBe(400);
      expect(codes(response)).toEqual(['QUERY_TOO_COMPLEX']);
      // Which limit, and by how much.
      expect(response.body.errors?.[0]?.extensions).toMatchObject({ limit: 'MAX_QUERY_TOKENS', max: 2000 });
      expect(response.body.errors?.[0]?.message).toContain('MAX_QUERY_TOKENS');
      // Refused before execution: a request error, with no `data` at all.
      expect('data' in response.body).toBe(false);
    }
  });

  it('within the token limit, too many aliases are refused naming MAX_QUERY_ALIASES, its value and the count', async () => {
    const response = await post(server.httpUrl, aliases(16, () => 'me { id }'), {}, { token: querier.token });
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'MAX_QUERY_ALIASES', max: 15, found: 16 });
  });

  it('weighs list sizes: two aliases of a full events page cost more than MAX_QUERY_COST, even with the size in a variable', async () => {
    const page = 'edges { cursor node { id stream data } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';
    const query = `query($n: Int) ${aliases(2, () => `events(stream: "costly", last: $n) { ${page} }`)}`;
    const response = await post(server.httpUrl, query, { n: 1000 }, { token: querier.token });
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'MAX_QUERY_COST', max: 20_000, found: 2 * (1 + 1000 * 11) });
    // One full page fits, and so do the two aliases with small pages.
    expect((await post(server.httpUrl, `query($n: Int) { events(stream: "costly", last: $n) { ${page} } }`, { n: 1000 }, { token: querier.token })).status).toBe(200);
    const small = await post(server.httpUrl, query, { n: 2 }, { token: querier.token });
    expect(small.status).toBe(200);
    expect(small.body.errors).toBeUndefined();
  });

  it('counts `ids` lists in the cost', async () => {
    const strict = await startServer({ maxQueryCost: 1000 });
    try {
      const query = `query($ids: [ID!]!) ${aliases(4, () => 'users(ids: $ids) { id username online }')}`;
      const many = await post(strict.httpUrl, query, { ids: Array.from({ length: 100 }, (_, index) => String(index + 1)) }, { token: querier.token });
      expect(many.status).toBe(400);
      expect(many.body.errors?.[0]?.extensions).toMatchObject({ limit: 'MAX_QUERY_COST', max: 1000, found: 4 * (1 + 100 * 3) });
      const few = await post(strict.httpUrl, query, { ids: ['1'] }, { token: querier.token });
      expect(few.status).toBe(200);
    } finally {
      await strict.stop();
    }
  });
});

describe('30 aliases of events(stream, last:1000) on a stream of 8 KB entries', () => {
  beforeAll(async () => {
    const entry = 'x'.repeat(8 * 1024);
    const pipeline = redis.client.pipeline();
    for (let index = 0; index < 1000; index++) pipeline.xadd('big-entries', '*', 'payload', entry);
    await pipeline.exec();
  });

  it('is refused with 400 before execution (no 241 MB response, no 500), for 30 and for 70 aliases', async () => {
    for (const count of [30, 70]) {
      const from = server.logs.lines.length;
      const response = await post(server.httpUrl, aliases(count, () => 'events(stream: "big-entries", last: 1000) { edges { node { id data } } }'), {}, { token: querier.token });
      expect(response.status).toBe(400);
      expect(codes(response)).toEqual(['QUERY_TOO_COMPLEX']);
      expect(errorLines(from)).toEqual([]);
    }
  });

  it('caps the bytes of one response: RESPONSE_TOO_LARGE, 400, when the result would exceed MAX_RESPONSE_BYTES', async () => {
    const capped = await startServer({ maxResponseBytes: 1024 * 1024, maxQueryCost: 1_000_000 });
    try {
      const from = capped.logs.lines.length;
      const query = aliases(2, () => 'events(stream: "big-entries", last: 1000) { edges { node { id data } } }');
      const response = await post(capped.httpUrl, query, {}, { token: querier.token });
      expect(response.status).toBe(400);
      expect(response.body.errors?.[0]?.extensions).toEqual({ code: 'RESPONSE_TOO_LARGE', limit: 'MAX_RESPONSE_BYTES', max: 1024 * 1024 });
      expect(JSON.stringify(response.body).length).toBeLessThan(1024);
      expect(capped.logs.lines.slice(from).filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
      // A page that fits is served.
      const fits = await post(capped.httpUrl, LAST_TEN, {}, { token: querier.token });
      expect(fits.status).toBe(200);
      expect((fits.body.data as { events: { edges: unknown[] } }).events.edges).toHaveLength(10);
    } finally {
      await capped.stop();
    }
  });
});

describe('{ me { + 20,000 × { id (deep nesting)', () => {
  const deep = `{ me ${'{ id '.repeat(20_000)}${'}'.repeat(20_001)}`;

  it('is a 400 QUERY_TOO_COMPLEX, not a 500, and leaves no error in the log', async () => {
    const from = server.logs.lines.length;
    for (const accept of ACCEPTS) {
      const response = await postWithAccept(server.httpUrl, accept, deep);
      expect(response.status, accept).toBe(400);
      expect(codes(response)).toEqual(['QUERY_TOO_COMPLEX']);
    }
    expect(errorLines(from)).toEqual([]);
  });

  it('is refused when the parser copes but the depth is over MAX_QUERY_DEPTH', async () => {
    const response = await post(server.httpUrl, `{ me ${'{ id '.repeat(20)}${'}'.repeat(21)}`, {}, { token: querier.token });
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'MAX_QUERY_DEPTH', max: 10, found: 21 });
  });

  it('a deeply nested JSON variable is a 400 QUERY_TOO_COMPLEX, not a 500, and nothing is published', async () => {
    const from = server.logs.lines.length;
    const nested = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const body = `{"query":"mutation($m: JSON!) { publish(channel: \\"deep\\", message: $m) }","variables":{"m":${nested}}}`;
    for (const accept of ACCEPTS) {
      const response = await fetch(server.httpUrl, { method: 'POST', headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${querier.token}` }, body });
      expect(response.status, accept).toBe(400);
      const json = (await response.json()) as GraphQLResponse['body'];
      expect(json.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'MAX_VARIABLE_DEPTH', max: 32 });
    }
    expect(errorLines(from)).toEqual([]);
    // A JSON value of ordinary depth still goes through.
    const fine = await post(server.httpUrl, PUBLISH, { channel: 'deep', message: { a: [{ b: [1, 2] }] } }, { token: querier.token });
    expect(fine.body.data).toEqual({ publish: true });
  });
});

describe('the same limits over WebSocket and SSE', () => {
  it('refuses too many aliases, too deep a document and too costly a subscription over WebSocket', async () => {
    const tab = await openTab(server.wsUrl, querier.token);
    try {
      const tooMany = subscription(tab, aliases(16, () => 'me { id }'));
      await tooMany.waitForEnd();
      expect(tooMany.errorCodes).toEqual(['QUERY_TOO_COMPLEX']);
      const deep = subscription(tab, `{ me ${'{ id '.repeat(20_000)}${'}'.repeat(20_001)}`);
      await deep.waitForEnd();
      expect(deep.errorCodes).toEqual(['QUERY_TOO_COMPLEX']);
      const costly = subscription(tab, `query($n: Int) ${aliases(2, () => `events(stream: "costly", last: $n) { edges { cursor node { id stream data } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }`)}`, { n: 1000 });
      await costly.waitForEnd();
      expect(costly.errorCodes).toEqual(['QUERY_TOO_COMPLEX']);
      expect(costly.errorMessages[0]).toContain('MAX_QUERY_COST');
      const nested = subscription(tab, 'subscription($c: String!) { channel(name: $c) { message } }', { c: 'x', extra: JSON.parse(`${'['.repeat(50)}${']'.repeat(50)}`) as unknown });
      await nested.waitForEnd();
      expect(nested.errorCodes).toEqual(['QUERY_TOO_COMPLEX']);
    } finally {
      await tab.dispose();
    }
  });

  it('refuses a subscription over SSE that is too deep', async () => {
    const query = `subscription { channel(name: "sse-deep") { message ${'{ id '.repeat(12)}${'}'.repeat(12)} } }`;
    const response = await fetch(`${server.httpUrl}?query=${encodeURIComponent(query)}`, {
      headers: { accept: 'text/event-stream', authorization: `Bearer ${querier.token}` },
    });
    const text = await response.text();
    expect(text).toContain('QUERY_TOO_COMPLEX');
    expect(text).toContain('MAX_QUERY_DEPTH');
  });

  it('lets a normal page and the introspection query (GraphiQL, codegen) through', async () => {
    const page = await post(server.httpUrl, `{ messages(roomId: "0", last: 100) { ${MESSAGE_PAGE} } }`, {}, { token: querier.token });
    expect(page.status).toBe(200);
    expect(page.body.errors).toBeUndefined();
    const { getIntrospectionQuery } = await import('graphql');
    const introspection = await post(server.httpUrl, getIntrospectionQuery(), {}, { token: querier.token });
    expect(introspection.status).toBe(200);
    expect(introspection.body.errors).toBeUndefined();
  });
});

describe('anonymous GET /graphql with accept: text/html (GraphiQL)', () => {
  const page = (headers: Record<string, string> = {}) => fetch(server.httpUrl, { headers: { accept: 'text/html', ...headers } });

  it('is rendered once and served from memory, with cache headers, an ETag and a CSP', async () => {
    const cpu = async (headers: Record<string, string>) => {
      const started = process.cpuUsage();
      const response = await page(headers);
      const body = await response.arrayBuffer();
      const used = process.cpuUsage(started);
      return { response, bytes: body.byteLength, cpuMs: (used.user + used.system) / 1000 };
    };
    const first = await cpu({ 'accept-encoding': 'identity' });
    expect(first.response.status).toBe(200);
    expect(first.response.headers.get('cache-control')).toMatch(/max-age=\d+/);
    expect(first.response.headers.get('etag')).toMatch(/^"[\w-]+"$/);
    const csp = first.response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    // The page's one inline script, by its hash; nothing else inline may run.
    expect(csp).toMatch(/script-src 'self' 'sha256-[\w+/=]+' blob:;/);
    expect(csp).not.toContain("'unsafe-eval'");
    // The page is the same each time, so later requests cost a fraction of the first (which rendered it).
    const later: number[] = [];
    for (let index = 0; index < 5; index++) later.push((await cpu({ 'accept-encoding': 'identity' })).cpuMs);
    later.sort((x, y) => x - y);
    expect(later[2]!).toBeLessThan(first.cpuMs / 2);

    // Gzipped when the client takes it: a fraction of the 9 MB (read raw: fetch would inflate it).
    const gzipped = await new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
      get(server.httpUrl, { headers: { accept: 'text/html', 'accept-encoding': 'gzip' } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ encoding: response.headers['content-encoding'], body: Buffer.concat(chunks) }));
      }).on('error', reject);
    });
    expect(gzipped.encoding).toBe('gzip');
    expect(gzipped.body.length).toBeLessThan(first.bytes / 2);
    expect(gunzipSync(gzipped.body).toString()).toContain('"subscriptionsProtocol":"WS"');

    // A browser that has it asks again with If-None-Match and gets a 304 without a body.
    const revalidated = await page({ 'if-none-match': first.response.headers.get('etag')! });
    expect(revalidated.status).toBe(304);
    expect((await revalidated.arrayBuffer()).byteLength).toBe(0);
  });

  it('is off by default when NODE_ENV=production', async () => {
    const { loadConfig } = await import('../../src/config.js');
    const production = await startServer({ graphiql: loadConfig({ NODE_ENV: 'production' }).graphiql });
    try {
      const response = await fetch(production.httpUrl, { headers: { accept: 'text/html' } });
      expect(response.headers.get('content-type') ?? '').not.toContain('text/html');
      expect(await response.text()).not.toContain('YogaGraphiQL');
    } finally {
      await production.stop();
    }
  });
});
