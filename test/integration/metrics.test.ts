import { describe, expect, it } from 'vitest';
import { CloseCode } from '../support/close-codes.js';
import { codes, post, signUpUser, subscription, wsClient } from '../support/graphql.js';
import { openRawSocket } from '../support/raw-socket.js';
import { until } from '../support/wait.js';
import { useServers } from '../support/servers.js';
import { graphql } from '../gql/index.js';
import { CHANNEL, EVENTS, ME, PUBLISH } from '../support/operations.js';

// Small subscriber queues, so that a socket that stops reading is dropped after a few MiB.
const { redis, server, users: [metered] } = useServers({ config: { metricsPort: 0, subscriberQueueLimit: 50, subscriberQueueBytes: 256 * 1024 }, users: ['metrics'] });

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

/** Parses and validates, then is refused by the resolver: an error counted by its code. */
const BAD_ROOM = graphql(`
  query MetricsBadRoom {
    messages(roomId: "not a room") {
      edges {
        cursor
      }
    }
  }
`);

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
    await post(server.httpUrl, ME, {}, { token: metered.token });
    await post(server.httpUrl, ME, {}, { token: metered.token });
    expect(codes(await post(server.httpUrl, BAD_ROOM, {}, { token: metered.token }))).toEqual(['BAD_USER_INPUT']);
    // A plain string on purpose: it must not parse.
    expect(codes(await post(server.httpUrl, '{ me {', {}, { token: metered.token }))).toEqual(['GRAPHQL_PARSE_FAILED']);

    // An SSE stream gets three messages.
    const abort = new AbortController();
    const response = await fetch(server.httpUrl, {
      method: 'POST',
      signal: abort.signal,
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${metered.token}` },
      body: JSON.stringify({ query: CHANNEL, variables: { name: 'metered' } }),
    });
    await until(async () => Number(((await redis.client.pubsub('NUMSUB', 'metered')) as [string, number])[1]) > 0, 'the SSE subscription');
    const during = await scrape();
    expect(sample(during, 'switchboard_redis_command_duration_seconds_count{command="publish"}') - sample(before, 'switchboard_redis_command_duration_seconds_count{command="publish"}')).toBe(0);
    expect(sample(during, 'switchboard_sse_streams_open')).toBe(1);
    expect(sample(during, 'switchboard_subscriptions{field="channel"}')).toBe(1);
    for (let i = 0; i < 3; i++) await post(server.httpUrl, PUBLISH, { channel: 'metered', message: i }, { token: metered.token });
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
    await socket.init({ authToken: metered.token });
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
    expect(after).toContain('switchboard_replays_in_progress 0');
  });

  it('moves with WebSocket traffic: connections, subscriptions by field, shared executions, deliveries, closes by code', async () => {
    const before = await scrape();
    // Two sockets with the same channel subscription share one execution per message (fan-out);
    // a stream subscription is delivered from its own queue.
    const first = wsClient(server.wsUrl, metered.token);
    const second = wsClient(server.wsUrl, metered.token);
    const a = subscription(first, CHANNEL, { name: 'ws-metered' });
    const b = subscription(second, CHANNEL, { name: 'ws-metered' });
    const events = subscription(first, EVENTS, { stream: 'ws-metered-stream' });
    await until(async () => sample(await scrape(), 'switchboard_subscriptions{field="channel"}') === 2, 'two channel subscriptions counted');
    await until(async () => sample(await scrape(), 'switchboard_subscriptions{field="events"}') === 1, 'the events subscription counted');
    await until(async () => Number(((await redis.client.pubsub('NUMSUB', 'ws-metered')) as [string, number])[1]) > 0, 'the Redis subscription');
    const during = await scrape();
    expect(sample(during, 'switchboard_websockets_open')).toBe(2);
    expect(sample(during, 'switchboard_connections_total{transport="websocket"}') - sample(before, 'switchboard_connections_total{transport="websocket"}')).toBe(2);

    for (let i = 0; i < 3; i++) await redis.client.publish('ws-metered', JSON.stringify(i));
    await a.waitForEvents(3);
    await b.waitForEvents(3);
    // The stream subscription is live once an entry added now reaches it.
    await until(async () => {
      await redis.client.xadd('ws-metered-stream', '*', 'n', '1');
      return events.events.length > 0;
    }, 'a stream event');
    const delivered = events.events.length;
    await first.dispose();
    await second.dispose();
    await until(async () => sample(await scrape(), 'switchboard_websockets_open') === 0, 'both sockets closed');

    const after = await scrape();
    const moved = (series: string) => sample(after, series) - sample(before, series);
    expect(moved('switchboard_deliveries_total{field="channel",transport="websocket"}')).toBe(6);
    expect(moved('switchboard_shared_executions_total{field="channel"}')).toBe(3);
    expect(moved('switchboard_deliveries_total{field="events",transport="websocket"}')).toBeGreaterThanOrEqual(delivered);
    expect(sample(after, 'switchboard_subscriptions{field="channel"}')).toBe(0);
    expect(sample(after, 'switchboard_subscriptions{field="events"}')).toBe(0);
    // graphql-ws's client closes with 1000 when disposed.
    expect(moved(`switchboard_connection_closes_total{code="${CloseCode.Normal}"}`)).toBe(2);

    // A token that is not valid: the server closes with 4403.
    const refused = await openRawSocket(server.wsUrl);
    refused.send({ type: 'connection_init', payload: { authToken: 'not-a-token' } });
    expect((await refused.closed).code).toBe(CloseCode.Forbidden);
    await until(async () => moved2(await scrape(), after, `switchboard_connection_closes_total{code="${CloseCode.Forbidden}"}`) === 1, 'the 4403 close counted');
  });

  it('counts subscribers dropped as slow (WebSocket and SSE), and permission denials by kind', async () => {
    const before = await scrape();
    const stalled = await openRawSocket(server.wsUrl);
    await stalled.init({ authToken: metered.token });
    stalled.send({ id: 's', type: 'subscribe', payload: { query: CHANNEL, variables: { name: 'firehose' } } });
    await until(async () => Number(((await redis.client.pubsub('NUMSUB', 'firehose')) as [string, number])[1]) > 0, 'the subscription');
    stalled.socket.pause();
    const message = 'x'.repeat(32 * 1024);
    for (let i = 0; i < 400 && stalled.socket.readyState === stalled.socket.OPEN; i++) {
      await redis.client.publish('firehose', JSON.stringify({ i, message }));
      if (i % 50 === 49 && sample(await scrape(), 'switchboard_slow_subscribers_dropped_total{transport="websocket"}') > sample(before, 'switchboard_slow_subscribers_dropped_total{transport="websocket"}')) break;
    }
    await until(async () => moved2(await scrape(), before, 'switchboard_slow_subscribers_dropped_total{transport="websocket"}') === 1, 'the slow subscriber counted');
    stalled.socket.resume();
    expect((await stalled.closed).code).toBe(CloseCode.TryAgainLater);
    await until(async () => moved2(await scrape(), before, `switchboard_connection_closes_total{code="${CloseCode.TryAgainLater}"}`) === 1, 'the 1013 close counted');

    // An SSE stream whose client stops reading is cut off too.
    const abort = new AbortController();
    const response = await fetch(server.httpUrl, {
      method: 'POST',
      signal: abort.signal,
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${metered.token}` },
      body: JSON.stringify({ query: CHANNEL, variables: { name: 'sse-firehose' } }),
    });
    expect(response.status).toBe(200);
    await until(async () => Number(((await redis.client.pubsub('NUMSUB', 'sse-firehose')) as [string, number])[1]) > 0, 'the SSE subscription');
    const sseDropped = 'switchboard_slow_subscribers_dropped_total{transport="sse"}';
    for (let i = 0; i < 1000; i++) {
      await redis.client.publish('sse-firehose', JSON.stringify({ i, message }));
      if (i % 50 === 49 && moved2(await scrape(), before, sseDropped) > 0) break;
    }
    await until(async () => moved2(await scrape(), before, sseDropped) === 1, 'the slow SSE subscriber counted');
    abort.abort();

    // The default policy keeps private.<id>. names to their user: another user is refused.
    const other = await signUpUser(server.httpUrl, 'metrics-other');
    const refused = await post(server.httpUrl, PUBLISH, { channel: `private.${other.id}.inbox`, message: 1 }, { token: metered.token });
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    const after = await scrape();
    expect(moved2(after, before, 'switchboard_denials_total{kind="policy_channel"}')).toBe(1);
    expect(moved2(after, before, 'switchboard_errors_total{code="FORBIDDEN"}')).toBe(1);
  });
});

/** How far a series moved between two scrapes. */
function moved2(after: string, before: string, series: string): number {
  return sample(after, series) - sample(before, series);
}
