import { beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { codes, post, postData, refusedSubscriptionCodes, subscription, wsClient } from '../support/graphql.js';
import { ACK_EVENTS as ACK, CREATE_GROUP, FOLLOW, GROUP_EVENTS, PENDING_EVENTS as PENDING } from '../support/operations.js';
import { redisCli, suiteBackend } from '../support/backend.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';

// Standalone here; cluster-streams-suite.test.ts runs these same tests on a Redis Cluster.
const { redis, server, users: [streamer] } = useServers({ backend: suiteBackend(), config: { maxMessageBytes: 1024 }, users: ['streams'] });

const ADD = graphql(`
  mutation StreamsAdd($stream: String!, $data: JSON!, $maxLength: Int) {
    addEvent(stream: $stream, data: $data, maxLength: $maxLength) {
      id
      stream
      data
    }
  }
`);
const EVENTS = graphql(`
  query StreamsPage($stream: String!, $first: Int, $after: String, $last: Int, $before: String) {
    events(stream: $stream, first: $first, after: $after, last: $last, before: $before) {
      edges {
        cursor
        node {
          id
          stream
          data
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
    }
  }
`);

async function addEvent(stream: string, data: unknown, maxLength?: number): Promise<string> {
  return (await postData(server.httpUrl, ADD, { stream, data, maxLength }, streamer.token)).addEvent.id;
}

async function page(variables: { stream: string; first?: number; after?: string | null; last?: number; before?: string | null }) {
  return (await postData(server.httpUrl, EVENTS, variables, streamer.token)).events;
}

describe('addEvent and plain Redis clients', () => {
  it('stores a flat object of strings as the entry fields, which plain XRANGE and redis-cli XREAD see', async () => {
    const response = await post(server.httpUrl, ADD, { stream: 'sensors', data: { sensor: 'temp', value: '21' } }, { token: streamer.token });
    const added = response.body.data!.addEvent;
    expect(added).toMatchObject({ stream: 'sensors', data: { sensor: 'temp', value: '21' } });
    expect(added.id).toMatch(/^\d+-\d+$/);
    expect(await redis.client.xrange('sensors', '-', '+')).toEqual([[added.id, ['sensor', 'temp', 'value', '21']]]);
    const stdout = await redisCli(redis, 'XREAD', 'STREAMS', 'sensors', '0');
    expect(stdout.split('\n').filter(Boolean)).toEqual(['sensors', added.id, 'sensor', 'temp', 'value', '21']);
  });

  it('stores any other JSON value as JSON text in the field `json`, and reads it back as JSON', async () => {
    const values = [{ n: 1, nested: { a: [1, 2] } }, [1, 'two'], 42, 'text', true, { only: 'strings', but: 3 }, {}, { json: '[1,2]' }];
    const ids: string[] = [];
    for (const value of values) ids.push(await addEvent('json-values', value));
    const stored = await redis.client.xrange('json-values', '-', '+');
    expect(stored.map(([, fields]) => fields)).toEqual(values.map((value) => ['json', JSON.stringify(value)]));
    const result = await page({ stream: 'json-values' });
    expect(result.edges.map((edge) => edge.node.data)).toEqual(values);
    expect(result.edges.map((edge) => edge.cursor)).toEqual(ids);
  });

  it('reads entries other clients wrote: fields as an object of strings, a lone `json` field holding JSON as that value', async () => {
    const plain = await redis.client.xadd('from-redis', '*', 'sensor', 'temp', 'value', '21');
    const asJson = await redis.client.xadd('from-redis', '*', 'json', '{"t":[1,2]}');
    const notJson = await redis.client.xadd('from-redis', '*', 'json', 'not json');
    const jsonNull = await redis.client.xadd('from-redis', '*', 'json', 'null');
    const proto = await redis.client.xadd('from-redis', '*', '__proto__', 'x', 'a', '1');
    const result = await page({ stream: 'from-redis' });
    expect(result.edges.map((edge) => [edge.node.id, edge.node.data])).toEqual([
      [plain, { sensor: 'temp', value: '21' }],
      [asJson, { t: [1, 2] }],
      [notJson, { json: 'not json' }],
      [jsonNull, { json: 'null' }],
      [proto, { ['__proto__']: 'x', a: '1' }],
    ]);
    // A flat `json` field that is not JSON round-trips as fields too.
    await addEvent('from-redis', { json: 'plain words' });
    const [last] = await redis.client.xrevrange('from-redis', '+', '-', 'COUNT', 1);
    expect(last?.[1]).toEqual(['json', 'plain words']);
  });

  it('trims with maxLength (MAXLEN ~), keeping at least the newest maxLength entries', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 300; i++) ids.push(await redis.client.xadd('trimmed', '*', 'i', String(i)) as string);
    expect(await redis.client.xlen('trimmed')).toBe(300);
    const last = await addEvent('trimmed', { i: '300' }, 10);
    ids.push(last);
    const length = await redis.client.xlen('trimmed');
    // Approximate trimming drops whole nodes (100 entries each by default): fewer than before, never fewer than asked.
    expect(length).toBeLessThan(301);
    expect(length).toBeGreaterThanOrEqual(10);
    const kept = (await redis.client.xrange('trimmed', '-', '+')).map(([id]) => id);
    expect(kept).toEqual(ids.slice(-length));
    // Pages start at the oldest entry still kept.
    const first = await page({ stream: 'trimmed', first: 1 });
    expect(first.edges[0]?.cursor).toBe(kept[0]);
  });
});

describe('events: a Relay connection over XRANGE / XREVRANGE', () => {
  let ids: string[];
  beforeAll(async () => {
    ids = [];
    for (let i = 0; i < 7; i++) ids.push(await redis.client.xadd('paged', '*', 'n', String(i)) as string);
  });

  it('pages forward with first/after, oldest first, cursors being entry ids', async () => {
    const one = await page({ stream: 'paged', first: 3 });
    expect(one.edges.map((edge) => edge.cursor)).toEqual(ids.slice(0, 3));
    expect(one.edges.map((edge) => edge.node.data)).toEqual([{ n: '0' }, { n: '1' }, { n: '2' }]);
    expect(one.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: ids[0], endCursor: ids[2] });
    const two = await page({ stream: 'paged', first: 3, after: one.pageInfo.endCursor });
    expect(two.edges.map((edge) => edge.cursor)).toEqual(ids.slice(3, 6));
    expect(two.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const three = await page({ stream: 'paged', first: 3, after: two.pageInfo.endCursor });
    expect(three.edges.map((edge) => edge.cursor)).toEqual(ids.slice(6));
    expect(three.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it('pages backward with last/before, each page still oldest first', async () => {
    const one = await page({ stream: 'paged', last: 3 });
    expect(one.edges.map((edge) => edge.cursor)).toEqual(ids.slice(4));
    expect(one.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: ids[4], endCursor: ids[6] });
    const two = await page({ stream: 'paged', last: 3, before: one.pageInfo.startCursor });
    expect(two.edges.map((edge) => edge.cursor)).toEqual(ids.slice(1, 4));
    expect(two.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const three = await page({ stream: 'paged', last: 3, before: two.pageInfo.startCursor });
    expect(three.edges.map((edge) => edge.cursor)).toEqual(ids.slice(0, 1));
    expect(three.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });

  it('takes the range between after and before, and is empty for a missing stream', async () => {
    const between = await page({ stream: 'paged', first: 10, after: ids[1], before: ids[5] });
    expect(between.edges.map((edge) => edge.cursor)).toEqual(ids.slice(2, 5));
    const none = await page({ stream: 'no-such-stream' });
    expect(none).toEqual({ edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null } });
    const end = await page({ stream: 'paged', after: '18446744073709551615-18446744073709551615' });
    expect(end.edges).toEqual([]);
  });
});

describe('consumer groups through the API', () => {
  it('creates a group (idempotently), delivers, lists pending entries and acknowledges them', async () => {
    expect((await post(server.httpUrl, CREATE_GROUP, { stream: 'orders', group: 'billing' }, { token: streamer.token })).body).toEqual({
      data: { createConsumerGroup: true },
    });
    // MKSTREAM made the stream; a second create is not an error.
    expect(await redis.client.exists('orders')).toBe(1);
    expect((await post(server.httpUrl, CREATE_GROUP, { stream: 'orders', group: 'billing' }, { token: streamer.token })).body).toEqual({
      data: { createConsumerGroup: false },
    });
    const first = await addEvent('orders', { order: '1' });
    const second = await addEvent('orders', { order: '2' });

    const client = wsClient(server.wsUrl, streamer.token);
    const sub = subscription(client, GROUP_EVENTS, { stream: 'orders', group: 'billing', consumer: 'c1' });
    await sub.waitForEvents(2);
    expect(sub.events.map((event) => event.data?.groupEvents)).toEqual([
      { id: first, data: { order: '1' } },
      { id: second, data: { order: '2' } },
    ]);
    const pending = await post(server.httpUrl, PENDING, { stream: 'orders', group: 'billing' }, { token: streamer.token });
    expect(pending.body.data?.pendingEvents.map(({ id, consumer, deliveries }) => ({ id, consumer, deliveries }))).toEqual([
      { id: first, consumer: 'c1', deliveries: 1 },
      { id: second, consumer: 'c1', deliveries: 1 },
    ]);
    expect(pending.body.data?.pendingEvents.every((entry) => typeof entry.idleMs === 'number' && entry.idleMs >= 0)).toBe(true);

    expect((await post(server.httpUrl, ACK, { stream: 'orders', group: 'billing', ids: [first, second, first] }, { token: streamer.token })).body).toEqual({
      data: { ackEvents: 2 },
    });
    expect(await redis.client.xpending('orders', 'billing')).toEqual([0, null, null, null]);
    // Acknowledging again finds nothing pending: 0, not an error.
    expect((await post(server.httpUrl, ACK, { stream: 'orders', group: 'billing', ids: [first] }, { token: streamer.token })).body).toEqual({
      data: { ackEvents: 0 },
    });
    await client.dispose();
  });

  it('starts a group where startId says: "$" skips what is stored', async () => {
    await addEvent('late-group', { old: 'yes' });
    await post(server.httpUrl, CREATE_GROUP, { stream: 'late-group', group: 'new-only', startId: '$' }, { token: streamer.token });
    const client = wsClient(server.wsUrl, streamer.token);
    const sub = subscription(client, GROUP_EVENTS, { stream: 'late-group', group: 'new-only', consumer: 'c' });
    // Wait until the consumer is blocked on `>` before adding, so "only new" is what is shown.
    await until(async () => ((await redis.client.call('XINFO', 'CONSUMERS', 'late-group', 'new-only')) as unknown[]).length > 0, 'the consumer to block on >');
    const fresh = await addEvent('late-group', { old: 'no' });
    await sub.waitForEvents(1);
    expect(sub.events.map((event) => event.data?.groupEvents)).toEqual([{ id: fresh, data: { old: 'no' } }]);
    await client.dispose();
  });
});

describe('bad input', () => {
  it.each([
    ['user:1', /reserved/],
    ['switchboard:session:x', /reserved/],
    ['total_users', /reserved/],
    ['room:0', /reserved/],
    ['', /1 to 256 characters/],
    ['has space', /1 to 256 characters/],
  ])('refuses the stream name %j everywhere', async (stream, message) => {
    const responses = await Promise.all([
      post(server.httpUrl, ADD, { stream, data: { a: 'b' } }, { token: streamer.token }),
      post(server.httpUrl, EVENTS, { stream }, { token: streamer.token }),
      post(server.httpUrl, CREATE_GROUP, { stream, group: 'g' }, { token: streamer.token }),
      post(server.httpUrl, PENDING, { stream, group: 'g' }, { token: streamer.token }),
      post(server.httpUrl, ACK, { stream, group: 'g', ids: ['1-0'] }, { token: streamer.token }),
    ]);
    for (const response of responses) {
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.body.errors?.[0]?.message).toMatch(message);
      expect(response.body.errors?.[0]?.extensions?.field).toBe('stream');
    }
    const client = wsClient(server.wsUrl, streamer.token);
    for (const start of [() => subscription(client, FOLLOW, { stream }), () => subscription(client, GROUP_EVENTS, { stream, group: 'g', consumer: 'c' })]) {
      const sub = start();
      await sub.waitForEnd();
      expect(sub.errorCodes).toEqual(['BAD_USER_INPUT']);
    }
    await client.dispose();
    // Nothing was written there: no stream, and the chat's own keys keep their types.
    expect(await redis.client.type(stream || 'x')).not.toBe('stream');
  });

  it.each([['abc'], ['1-2-3'], ['-1'], ['1-'], ['99999999999999999999999-0'], ['18446744073709551616-0']])(
    'refuses the malformed entry id %j as a cursor, an `after` and an id to acknowledge',
    async (id) => {
      const as = { token: streamer.token };
      for (const [send, field] of [
        [() => post(server.httpUrl, EVENTS, { stream: 'paged', after: id }, as), 'after'],
        [() => post(server.httpUrl, EVENTS, { stream: 'paged', last: 1, before: id }, as), 'before'],
        [() => post(server.httpUrl, ACK, { stream: 'orders', group: 'billing', ids: ['1-0', id] }, as), 'ids'],
        [() => post(server.httpUrl, CREATE_GROUP, { stream: 'orders', group: 'other', startId: id }, as), 'startId'],
      ] as const) {
        const response = await send();
        expect(codes(response)).toEqual(['BAD_USER_INPUT']);
        expect(response.body.errors?.[0]?.extensions?.field).toBe(field);
      }
      const refused = await refusedSubscriptionCodes(server.wsUrl, streamer.token, FOLLOW, { stream: 'paged', after: id });
      expect(refused.codes).toEqual(['BAD_USER_INPUT']);
      expect(refused.messages[0]).toMatch(/entry id/);
    },
  );

  it('answers NOT_FOUND for an unknown group, on a stream that exists or not', async () => {
    for (const stream of ['orders', 'no-such-stream']) {
      for (const send of [
        () => post(server.httpUrl, PENDING, { stream, group: 'nope' }, { token: streamer.token }),
        () => post(server.httpUrl, ACK, { stream, group: 'nope', ids: ['1-0'] }, { token: streamer.token }),
      ]) {
        const response = await send();
        expect(codes(response)).toEqual(['NOT_FOUND']);
        expect(response.body.errors?.[0]?.message).toMatch(/no consumer group "nope"/);
      }
      const refused = await refusedSubscriptionCodes(server.wsUrl, streamer.token, GROUP_EVENTS, { stream, group: 'nope', consumer: 'c' });
      expect(refused.codes).toEqual(['NOT_FOUND']);
    }
    // Asking did not create anything.
    expect(await redis.client.exists('no-such-stream')).toBe(0);
  });

  it('refuses events that are too large, have too many fields or bad field names, and a maxLength below 1', async () => {
    const cases: Array<[{ data: unknown; maxLength?: number }, RegExp, string]> = [
      [{ data: { big: 'x'.repeat(2000) } }, /2003 bytes .* limit is 1024/, 'data'],
      [{ data: ['y'.repeat(2000)] }, /limit is 1024/, 'data'],
      [{ data: Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`f${i}`, ''])) }, /at most 1000 fields/, 'data'],
      [{ data: { '': 'empty name' } }, /Field names must be 1 to 256/, 'data'],
      [{ data: { ['k'.repeat(257)]: 'v' } }, /Field names must be 1 to 256/, 'data'],
      [{ data: { a: 'b' }, maxLength: 0 }, /at least 1/, 'maxLength'],
    ];
    for (const [variables, message, field] of cases) {
      const response = await post(server.httpUrl, ADD, { stream: 'refused', ...variables }, { token: streamer.token });
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.body.errors?.[0]?.message).toMatch(message);
      expect(response.body.errors?.[0]?.extensions?.field).toBe(field);
    }
    expect(await redis.client.exists('refused')).toBe(0);
  });

  it('refuses page sizes out of range, an empty id list and bad group names', async () => {
    expect(codes(await post(server.httpUrl, EVENTS, { stream: 'paged', first: 1001 }, { token: streamer.token }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await post(server.httpUrl, EVENTS, { stream: 'paged', first: 1, last: 1 }, { token: streamer.token }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await post(server.httpUrl, ACK, { stream: 'orders', group: 'billing', ids: [] }, { token: streamer.token }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await post(server.httpUrl, CREATE_GROUP, { stream: 'orders', group: 'has space' }, { token: streamer.token }))).toEqual(['BAD_USER_INPUT']);
    const refused = await refusedSubscriptionCodes(server.wsUrl, streamer.token, GROUP_EVENTS, { stream: 'orders', group: 'billing', consumer: '' });
    expect(refused.codes).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses a key that holds another type of value, without touching it', async () => {
    await redis.client.rpush('a-list', 'x');
    for (const send of [
      () => post(server.httpUrl, ADD, { stream: 'a-list', data: { a: 'b' } }, { token: streamer.token }),
      () => post(server.httpUrl, EVENTS, { stream: 'a-list' }, { token: streamer.token }),
      () => post(server.httpUrl, CREATE_GROUP, { stream: 'a-list', group: 'g' }, { token: streamer.token }),
    ]) {
      const response = await send();
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.body.errors?.[0]?.message).toMatch(/not a stream/);
    }
    const refused = await refusedSubscriptionCodes(server.wsUrl, streamer.token, FOLLOW, { stream: 'a-list' });
    expect(refused.codes).toEqual(['BAD_USER_INPUT']);
    expect(await redis.client.lrange('a-list', 0, -1)).toEqual(['x']);
  });

  it('answers UNAUTHENTICATED without a session, for every stream operation', async () => {
    for (const send of [
      () => post(server.httpUrl, ADD, { stream: 'anon', data: { a: 'b' } }),
      () => post(server.httpUrl, EVENTS, { stream: 'paged' }),
      () => post(server.httpUrl, CREATE_GROUP, { stream: 'anon', group: 'g' }),
      () => post(server.httpUrl, PENDING, { stream: 'orders', group: 'billing' }),
      () => post(server.httpUrl, ACK, { stream: 'orders', group: 'billing', ids: ['1-0'] }),
    ]) {
      expect(codes(await send())).toEqual(['UNAUTHENTICATED']);
    }
    const client = wsClient(server.wsUrl);
    for (const start of [() => subscription(client, FOLLOW, { stream: 'paged' }), () => subscription(client, GROUP_EVENTS, { stream: 'orders', group: 'billing', consumer: 'c' })]) {
      const sub = start();
      await sub.waitForEnd();
      expect(sub.errorCodes).toEqual(['UNAUTHENTICATED']);
    }
    await client.dispose();
    expect(await redis.client.exists('anon')).toBe(0);
  });
});
