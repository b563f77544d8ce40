import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, post, signUpUser } from './support/graphql.js';
import { openRawSocket } from './support/raw-socket.js';
import { startTestRedis, type TestRedis } from './support/redis.js';
import { startTestServer, type TestServer } from './support/server.js';
import { until } from './support/wait.js';

let redis: TestRedis;
let server: TestServer;
let token: string;

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startTestServer(redis.url, { metricsPort: 0 });
  ({ token } = await signUpUser(server.httpUrl, 'metrics'));
});
afterAll(async () => {
  await server?.stop();
  await redis?.stop();
});

async function scrape(): Promise<string> {
  const response = await fetch(server.metricsUrl!);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

/** The value of one sample (`name{labels}` exactly as Prometheus prints it), 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

const CHANNEL = 'subscription($name: String!) { channel(name: $name) { message } }';
const PUBLISH = 'mutation($c: String!, $m: JSON!) { publish(channel: $c, message: $m) }';

describe('/metrics', () => {
  it('is served on its own listener only, with Node’s default metrics', async () => {
    expect(server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(new URL(server.metricsUrl!).port).not.toBe(new URL(server.httpUrl).port);
    const publicMetrics = await fetch(server.httpUrl.replace('/graphql', '/metrics'));
    expect(publicMetrics.status).toBe(404);
    expect((await fetch(server.metricsUrl!.replace('/metrics', '/other'))).status).toBe(404);
    const text = await scrape();
    for (const name of ['nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes', 'process_cpu_user_seconds_total']) {
      expect(text, name).toContain(`\n${name} `);
    }
    // GC durations are observed as collections happen; the histogram is declared from the start.
    expect(text).toContain('# TYPE nodejs_gc_duration_seconds histogram');
  });

  it('moves with real traffic: operations, errors by code, Redis commands, connections and SSE deliveries', async () => {
    const before = await scrape();
    // Two queries that succeed, one refused (BAD_USER_INPUT), one that does not parse.
    await post(server.httpUrl, '{ me { id } }', {}, { token });
    await post(server.httpUrl, '{ me { id } }', {}, { token });
    expect(codes(await post(server.httpUrl, '{ messages(roomId: "not a room") { edges { cursor } } }', {}, { token }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await post(server.httpUrl, '{ me {', {}, { token }))).toEqual(['GRAPHQL_PARSE_FAILED']);

    // An SSE stream gets three messages.
    const abort = new AbortController();
    const response = await fetch(server.httpUrl, {
      method: 'POST',
      signal: abort.signal,
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: CHANNEL, variables: { name: 'metered' } }),
    });
    await until(async () => Number(((await redis.client.pubsub('NUMSUB', 'metered')) as [string, number])[1]) > 0, 'the SSE subscription');
    const during = await scrape();
    expect(sample(during, 'switchboard_redis_command_duration_seconds_count{command="publish"}') - sample(before, 'switchboard_redis_command_duration_seconds_count{command="publish"}')).toBe(0);
    expect(sample(during, 'switchboard_sse_streams_open')).toBe(1);
    expect(sample(during, 'switchboard_subscriptions{field="channel"}')).toBe(1);
    for (let i = 0; i < 3; i++) await post(server.httpUrl, PUBLISH, { c: 'metered', m: i }, { token });
    const reader = response.body!.getReader();
    let text = '';
    while ((text.match(/"message":/g) ?? []).length < 3) text += new TextDecoder().decode((await reader.read()).value);
    await until(async () => sample(await scrape(), 'switchboard_deliveries_total{field="channel",transport="sse"}') === 3, 'three SSE deliveries counted');
    abort.abort();
    await until(async () => sample(await scrape(), 'switchboard_sse_streams_open') === 0, 'the SSE stream to be counted closed');
    const afterSse = await scrape();
    expect(sample(afterSse, 'switchboard_redis_command_duration_seconds_count{command="publish"}') - sample(during, 'switchboard_redis_command_duration_seconds_count{command="publish"}')).toBe(3);

    // A WebSocket is counted while it is open.
    const socket = await openRawSocket(server.wsUrl);
    await socket.init({ authToken: token });
    expect(sample(await scrape(), 'switchboard_websockets_open')).toBe(1);
    socket.close();
    await until(async () => sample(await scrape(), 'switchboard_websockets_open') === 0, 'the socket to be counted closed');

    const after = await scrape();
    const moved = (series: string) => sample(after, series) - sample(before, series);
    expect(moved('switchboard_operations_total{type="query",outcome="ok"}')).toBeGreaterThanOrEqual(2);
    expect(moved('switchboard_operations_total{type="mutation",outcome="ok"}')).toBe(3);
    expect(moved('switchboard_operations_total{type="query",outcome="error"}')).toBe(2);
    expect(moved('switchboard_operations_total{type="subscription",outcome="ok"}')).toBe(1);
    expect(moved('switchboard_errors_total{code="BAD_USER_INPUT"}')).toBe(1);
    expect(moved('switchboard_errors_total{code="GRAPHQL_PARSE_FAILED"}')).toBe(1);
    expect(moved('switchboard_operation_duration_seconds_count{type="mutation"}')).toBe(3);
    expect(moved('switchboard_connections_total{transport="sse"}')).toBe(1);
    expect(sample(after, 'switchboard_redis_connection_up{role="command"}')).toBe(1);
    expect(sample(after, 'switchboard_redis_connection_up{role="subscriber"}')).toBe(1);
    expect(after).toContain('switchboard_blocking_pool_in_use 0');
  });
});
