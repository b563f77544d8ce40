import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { codes, post, refusedSubscriptionCodes, subscription, wsClient } from '../support/graphql.js';
import { openRawSocket } from '../support/raw-socket.js';
import { until } from '../support/wait.js';
import { channelSubscribers, patternSubscriptions, redisCliArgs } from '../support/backend.js';
import { useServers } from '../support/servers.js';
import { CHANNEL_NAMED as CHANNEL, PATTERN, PUBLISH } from '../support/operations.js';

const run = promisify(execFile);

const { redis, server, users: [chan], startServer } = useServers({ users: ['chan'] });


/** Waits until Redis reports a subscriber on the channel (for clients that cannot tell us). */
async function waitForRedisSubscriber(channel: string) {
  await until(async () => {
    const count = await channelSubscribers(redis, channel);
    return Number(count) > 0;
  }, `a Redis subscriber on ${channel}`);
}

describe('publish and channel over WebSocket', () => {
  it('delivers a published JSON value to a subscriber', async () => {
    const client = wsClient(server.wsUrl, chan.token);
    const sub = subscription(client, CHANNEL, { name: 'news' });
    await waitForRedisSubscriber('news');
    const published = await post(server.httpUrl, PUBLISH, { channel: 'news', message: { title: 'hi', n: [1, 2] } }, { token: chan.token });
    expect(published.body).toEqual({ data: { publish: true } });
    await sub.waitForEvents(1);
    expect(sub.events[0]).toEqual({ data: { channel: { channel: 'news', message: { title: 'hi', n: [1, 2] } } } });
    await client.dispose();
  });

  it('keeps a published string a string, as JSON text on the wire', async () => {
    const client = wsClient(server.wsUrl, chan.token);
    const sub = subscription(client, CHANNEL, { name: 'strings' });
    await waitForRedisSubscriber('strings');
    await post(server.httpUrl, PUBLISH, { channel: 'strings', message: '42' }, { token: chan.token });
    await sub.waitForEvents(1);
    expect(sub.events[0]?.data).toEqual({ channel: { channel: 'strings', message: '42' } });
    await client.dispose();
  });

  it('sends plain Redis subscribers the JSON text', async () => {
    const listener = redis.client.duplicate();
    const received = new Promise<string>((resolve) => listener.on('message', (_channel, message: string) => resolve(message)));
    await listener.subscribe('to-plain');
    await post(server.httpUrl, PUBLISH, { channel: 'to-plain', message: { a: 1 } }, { token: chan.token });
    expect(JSON.parse(await received)).toEqual({ a: 1 });
    listener.disconnect();
  });
});

describe('interop with redis-cli', () => {
  it('delivers a redis-cli PUBLISH: JSON parsed, other text as a string', async () => {
    const client = wsClient(server.wsUrl, chan.token);
    const sub = subscription(client, CHANNEL, { name: 'updates' });
    await waitForRedisSubscriber('updates');
    const target = redisCliArgs(redis);
    await run('redis-cli', [...target, 'PUBLISH', 'updates', '{"t":1}']);
    await run('redis-cli', [...target, 'PUBLISH', 'updates', 'hello world']);
    await run('redis-cli', [...target, 'PUBLISH', 'updates', 'null']);
    await sub.waitForEvents(3);
    expect(sub.events.map((event) => (event.data as { channel: { message: unknown } }).channel.message)).toEqual([
      { t: 1 },
      'hello world',
      'null',
    ]);
    await client.dispose();
  });
});

describe('channelPattern', () => {
  it('delivers messages of matching channels with their channel names', async () => {
    const client = wsClient(server.wsUrl, chan.token);
    const sub = subscription(client, PATTERN, { p: 'sensor.*' });
    await until(async () => (await patternSubscriptions(redis)) > 0, 'a pattern subscription in Redis');
    await redis.client.publish('sensor.kitchen', '21');
    await redis.client.publish('other.kitchen', '99');
    await post(server.httpUrl, PUBLISH, { channel: 'sensor.garage', message: { v: 3 } }, { token: chan.token });
    await sub.waitForEvents(2);
    expect(sub.events.map((event) => event.data)).toEqual([
      { channelPattern: { channel: 'sensor.kitchen', message: 21 } },
      { channelPattern: { channel: 'sensor.garage', message: { v: 3 } } },
    ]);
    await client.dispose();
  });
});

describe('reserved and malformed names', () => {
  it.each([
    ['MESSAGES'],
    ['switchboard:session-ended'],
    ['switchboard:anything'],
  ])('refuses to publish on %s', async (channel) => {
    const response = await post(server.httpUrl, PUBLISH, { channel, message: 1 }, { token: chan.token });
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.body.errors?.[0]?.message).toMatch(/reserved/);
  });

  it.each([[''], ['has space'], ['x'.repeat(257)], ['tab\tname']])('refuses the malformed channel name %j', async (channel) => {
    const response = await post(server.httpUrl, PUBLISH, { channel, message: 1 }, { token: chan.token });
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
  });

  it.each([['*'], ['M*'], ['*S'], ['[A-Z]ESSAGES'], ['MESSAGE?'], ['s*'], ['sw?tch*'], ['*:*'], ['[^a]*'], ['switchboard:*'], ['\\MESSAGES'], ['[!-]]*'], ['[t-]]witchboard:*'], ['[t-\\u]witchboard:*'], ['[~-é]*']])(
    'refuses the pattern %j, which could match a reserved channel',
    async (pattern) => {
      const refused = await refusedSubscriptionCodes(server.wsUrl, chan.token, PATTERN, { p: pattern });
      expect(refused.codes).toEqual(['BAD_USER_INPUT']);
    },
  );

  it.each([['news.['], ['trailing\\']])('refuses the malformed pattern %j', async (pattern) => {
    const refused = await refusedSubscriptionCodes(server.wsUrl, chan.token, PATTERN, { p: pattern });
    expect(refused.codes).toEqual(['BAD_USER_INPUT']);
    expect(refused.messages[0]).toMatch(/malformed/);
  });

  it('refuses a subscription to a reserved channel', async () => {
    const refused = await refusedSubscriptionCodes(server.wsUrl, chan.token, CHANNEL, { name: 'MESSAGES' });
    expect(refused.codes).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses an oversized message', async () => {
    const response = await post(server.httpUrl, PUBLISH, { channel: 'big', message: 'x'.repeat(70 * 1024) }, { token: chan.token });
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.body.errors?.[0]?.message).toMatch(/limit is 65536/);
  });
});

describe('authentication', () => {
  it('refuses publish without a session', async () => {
    const response = await post(server.httpUrl, PUBLISH, { channel: 'news', message: 1 });
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses publish with an unknown token, saying the session is invalid', async () => {
    const response = await post(server.httpUrl, PUBLISH, { channel: 'news', message: 1 }, { token: 'A'.repeat(43) });
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.body.errors?.[0]?.message).toMatch(/invalid or has expired/);
  });

  it('refuses a subscription on an anonymous WebSocket, before subscribing to Redis', async () => {
    const client = wsClient(server.wsUrl);
    const sub = subscription(client, CHANNEL, { name: 'anon-only' });
    await sub.waitForEnd();
    expect(sub.errorCodes).toEqual(['UNAUTHENTICATED']);
    const count = await channelSubscribers(redis, 'anon-only');
    expect(Number(count)).toBe(0);
    await client.dispose();
  });
});

describe('no lost events', () => {
  it('delivers every event when subscribe and publish follow each other on one socket, 100 times', async () => {
    const socket = await openRawSocket(server.wsUrl);
    await socket.init({ authToken: chan.token });
    for (let i = 0; i < 100; i++) {
      const channel = `order-${i}`;
      socket.send({ id: `s${i}`, type: 'subscribe', payload: { query: CHANNEL, variables: { name: channel } } });
      socket.send({ id: `p${i}`, type: 'subscribe', payload: { query: PUBLISH, variables: { channel, message: { i } } } });
    }
    for (let i = 0; i < 100; i++) {
      const event = await socket.take((message) => message.id === `s${i}` && message.type === 'next');
      expect(event.payload).toEqual({ data: { channel: { channel: `order-${i}`, message: { i } } } });
    }
    socket.close();
  });

  it('keeps that order when Redis is slow to confirm subscriptions', async () => {
    // A hub that waits 30 ms before each SUBSCRIBE, as a slow Redis link would: without the
    // per-socket ordering, every publish below would overtake its subscription.
    const slow = await startServer({}, {
      decorateHub: (hub) => ({
        ...hub,
        subscribe: async (topic, listener) => {
          await new Promise((resolve) => setTimeout(resolve, 30));
          return hub.subscribe(topic, listener);
        },
      }),
    });
    const socket = await openRawSocket(slow.wsUrl);
    await socket.init({ authToken: chan.token });
    for (let i = 0; i < 20; i++) {
      socket.send({ id: `s${i}`, type: 'subscribe', payload: { query: CHANNEL, variables: { name: `slow-${i}` } } });
      socket.send({ id: `p${i}`, type: 'subscribe', payload: { query: PUBLISH, variables: { channel: `slow-${i}`, message: i } } });
    }
    for (let i = 0; i < 20; i++) {
      const event = await socket.take((message) => message.id === `s${i}` && message.type === 'next');
      expect(event.payload).toEqual({ data: { channel: { channel: `slow-${i}`, message: i } } });
    }
    socket.close();
    await slow.stop();
  });

  it('holds one Redis subscription per channel however many local subscribers', async () => {
    const clients = Array.from({ length: 5 }, () => wsClient(server.wsUrl, chan.token));
    const subs = clients.map((client) => subscription(client, CHANNEL, { name: 'shared' }));
    await waitForRedisSubscriber('shared');
    // Redis shows the first local subscription only; the others may still be on their way to the
    // server, and nothing tells a graphql-ws client its subscribe has been attached. So publish
    // until every local subscriber has had an event; the Redis count is then the one to check.
    let message = 0;
    await until(async () => {
      await post(server.httpUrl, PUBLISH, { channel: 'shared', message: message++ }, { token: chan.token });
      return subs.every((sub) => sub.events.length >= 1);
    }, 'an event on every local subscriber');
    const count = await channelSubscribers(redis, 'shared');
    expect(Number(count)).toBe(1);
    await Promise.all(clients.map((client) => client.dispose()));
  });
});

describe('SSE', () => {
  it('delivers published events over Server-Sent Events', async () => {
    const abort = new AbortController();
    const response = await fetch(server.httpUrl, {
      method: 'POST',
      signal: abort.signal,
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${chan.token}` },
      body: JSON.stringify({ query: CHANNEL, variables: { name: 'sse-news' } }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    await waitForRedisSubscriber('sse-news');
    await post(server.httpUrl, PUBLISH, { channel: 'sse-news', message: { via: 'sse' } }, { token: chan.token });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('"via"')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    const dataLine = text.split('\n').find((line) => line.startsWith('data:') && line.includes('"via"'));
    expect(JSON.parse(dataLine!.slice('data:'.length))).toEqual({ data: { channel: { channel: 'sse-news', message: { via: 'sse' } } } });
    abort.abort();
  });

  it('refuses an SSE subscription without a session', async () => {
    const response = await fetch(server.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: CHANNEL, variables: { name: 'sse-anon' } }),
    });
    const text = await response.text();
    expect(text).toContain('UNAUTHENTICATED');
  });
});
