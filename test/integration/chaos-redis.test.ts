import { afterAll, describe, expect, it } from 'vitest';
import { channels } from '../../src/redis/keys.js';
import { CloseCode } from '../support/close-codes.js';
import { numsub } from '../support/chaos.js';
import { openTab, post, postData, subscription, wsClient } from '../support/graphql.js';
import { openRawSocket } from '../support/raw-socket.js';
import { until } from '../support/wait.js';
import { ADD_EVENT, CHANNEL, EVENTS, MESSAGE_ADDED, PUBLISH, SEND, collect, collectSse, startWriter, tally } from '../support/workload.js';
import { useServers } from '../support/servers.js';
import { graphql } from '../gql/index.js';

const ROOMS = graphql(`
  query ChaosRooms {
    rooms {
      id
    }
  }
`);

// Redis faults under load, with two real instances on one real redis-server: A holds the
// subscribers, B takes the writes. Every acknowledged write of a storage-backed feed must reach
// every subscriber exactly once; pure pub/sub subscribers must be told when they may have missed
// something; and Redis's subscriptions must match each hub's afterwards.

/** Per fault: what pure pub/sub subscribers missed (printed at the end, for the README). */
const measured: Record<string, unknown> = {};

const TIMEOUT_MS = 1000;

// A durable Redis (AOF, fsync always) that the tests restart, kill and pause.
const { redis, servers: [a, b], users: [writer, reader], startServer } = useServers({
  servers: 2,
  durable: true,
  config: { redisCommandTimeoutMs: TIMEOUT_MS },
  users: ['writer', 'reader'],
});

afterAll(() => {
  console.log(`chaos (redis faults): ${JSON.stringify(measured)}`);
});

const send = (text: string) => postData(b.httpUrl, SEND, { roomId: '0', text }, writer.token).then((d) => d.sendMessage.id);
const pickMessage = (data: Record<string, unknown>) => (data.messageAdded as { id: string }).id;
const pickEvent = (data: Record<string, unknown>) => (data.events as { id: string }).id;
const pickChannel = (data: Record<string, unknown>) => String((data.channel as { message: unknown }).message);

/** Every topic a hub holds is subscribed in Redis, and only A follows the test's own channel. */
async function expectHubsMatchRedis(channel: string) {
  for (const server of [a, b]) {
    const { hub } = server.app.services;
    await until(() => hub.confirmedTopics().length === hub.topicCount(), 'every topic of the hub confirmed');
  }
  const held = a.app.services.hub.confirmedTopics().flatMap((topic) => (topic.kind === 'channel' ? [topic.name] : []));
  const counts = await numsub(redis.client, [...held, channels.chatMessages]);
  for (const name of held) expect(counts.get(name), name).toBeGreaterThanOrEqual(1);
  expect(counts.get(channel)).toBe(1);
  expect(counts.get(channels.chatMessages)).toBe(2);
}

/**
 * Subscribers of every storage-backed form on A, and a pure pub/sub one; a writer on B; the fault
 * in the middle of the writes; then the counts.
 */
async function underLoad(name: string, fault: (writes: ReturnType<typeof startWriter>) => Promise<void>, expectGap: boolean) {
  const stream = `chaos-${name}`;
  const channel = `chaos.${name}`;
  const anchor = await send(`anchor ${name}`);
  const client = wsClient(a.wsUrl, reader.token);
  const room = collect(client, MESSAGE_ADDED, { roomId: '0' }, pickMessage);
  const everyRoom = collect(client, MESSAGE_ADDED, {}, pickMessage);
  const resumed = collect(client, MESSAGE_ADDED, { roomId: '0', after: anchor }, pickMessage);
  const events = collect(client, EVENTS, { stream }, pickEvent);
  const pubsub = collect(client, CHANNEL, { name: channel }, pickChannel);
  const sse = collectSse(a.httpUrl, reader.token, MESSAGE_ADDED, { roomId: '0' }, pickMessage);
  const storageBacked = { room, everyRoom, resumed, sse };
  // Until every subscriber is live: each has had something.
  await until(async () => {
    await Promise.all([
      send('warm-up'),
      post(b.httpUrl, ADD_EVENT, { stream, data: { warm: true } }, { token: writer.token }),
      post(b.httpUrl, PUBLISH, { channel, message: 'warm-up' }, { token: writer.token }),
    ]);
    return [room, everyRoom, resumed, events, pubsub, sse].every((sub) => sub.ids.length > 0);
  }, 'every subscriber live');

  const writes = startWriter({ url: () => b.httpUrl, token: writer.token, roomId: '0', stream, channel });
  await writes.acknowledged(5);
  await fault(writes);
  await writes.acknowledged(10);
  await writes.stop();

  // Everything acknowledged arrives; a last message after it proves nothing more is on its way.
  const last = await send(`last ${name}`);
  await until(
    () => Object.values(storageBacked).every((sub) => sub.ids.includes(last)) && writes.events.every((id) => events.ids.includes(id)),
    `every acknowledged write delivered after ${name}`,
    30_000,
  );
  for (const [form, sub] of Object.entries(storageBacked)) {
    expect({ form, ...tally(writes.messages, sub.ids) }).toEqual({ form, lost: 0, duplicated: 0 });
  }
  expect(tally(writes.events, events.ids)).toEqual({ lost: 0, duplicated: 0 });
  for (const sub of [room, everyRoom, resumed, events, pubsub]) expect(sub.completed()).toBe(false);
  expect(sse.ended).toBe(false);

  const missed = tally(
    writes.published.map(String),
    pubsub.ids.filter((id) => id !== 'warm-up'),
  );
  const markers = pubsub.codes.filter((code) => code === 'MISSED_MESSAGES').length;
  measured[name] = { acknowledgedMessages: writes.messages.length, channelMissed: missed.lost, markers };
  expect(missed.duplicated).toBe(0);
  // The pure pub/sub subscriber lost messages only where it was told so.
  if (expectGap || missed.lost > 0) expect(markers).toBeGreaterThan(0);
  expect(pubsub.codes.every((code) => code === 'MISSED_MESSAGES')).toBe(true);

  await expectHubsMatchRedis(channel);
  await sse.close();
  await client.dispose();
}

/**
 * After a restart, the command connections may come back before the subscriber ones (as in the
 * report this suite answers: 58-71 messages lost then). Made certain here: the subscriber
 * connections are kept away until the writer had `rounds` more rounds acknowledged.
 */
async function subscribersBackLast(writes: ReturnType<typeof startWriter>, rounds: number) {
  const target = writes.messages.length + rounds;
  while (writes.messages.length < target) {
    await redis.client.client('KILL', 'TYPE', 'pubsub');
    // Pacing of the kills; the loop ends on a count of acknowledged writes, not on time.
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('storage-backed feeds across Redis faults', () => {
  it('restart: no acknowledged message or entry lost or duplicated, a marker for pub/sub', async () => {
    await underLoad(
      'restart',
      async (writes) => {
        await redis.restart();
        await subscribersBackLast(writes, 5);
      },
      true,
    );
  });

  it('SIGKILL with AOF: no acknowledged message or entry lost or duplicated, a marker for pub/sub', async () => {
    await underLoad(
      'sigkill',
      async (writes) => {
        await redis.killAndStart();
        await subscribersBackLast(writes, 5);
      },
      true,
    );
  });

  it('SIGSTOP / SIGCONT: writes fail with UNAVAILABLE meanwhile, nothing acknowledged is lost', async () => {
    await underLoad(
      'sigstop',
      async () => {
        redis.pause();
        try {
          await until(() => !a.app.services.redisHealth.available && !b.app.services.redisHealth.available, 'both instances see Redis down');
        } finally {
          redis.resume();
        }
        await until(() => a.app.services.redisHealth.available && b.app.services.redisHealth.available, 'both instances see Redis back');
      },
      false,
    );
  });
});

describe('bounded waits and clear errors while Redis does not answer', () => {
  it('fails HTTP operations with UNAVAILABLE and 503 (a session lookup too), closes connection_init with 1013, one log line per failure', async () => {
    const server = await startServer({ redisCommandTimeoutMs: TIMEOUT_MS });
    const tab = await openTab(server.wsUrl, reader.token);
    const { hub } = server.app.services;
    const held = (name: string) => hub.confirmedTopics().some((topic) => topic.kind === 'channel' && topic.name === name);
    const stalled = subscription(tab, CHANNEL, { name: 'stalled' });
    await until(() => held('stalled'), 'a channel subscribed before the stall');
    const logsBefore = server.logs.lines.length;
    redis.pause();
    // A subscription Redis cannot confirm fails with a retryable code rather than staying silent.
    const unconfirmed = subscription(tab, CHANNEL, { name: 'never.confirmed' });
    try {
      // The first requests wait out the command timeout (no fail-fast yet), then answer.
      const started = Date.now();
      const [sent, rooms] = await Promise.all([
        post(server.httpUrl, SEND, { roomId: '0', text: 'during the outage' }, { token: writer.token }),
        post(server.httpUrl, ROOMS, {}, { token: reader.token }),
      ]);
      const elapsed = Date.now() - started;
      for (const response of [sent, rooms]) {
        expect(response.status).toBe(503);
        expect(response.headers.get('retry-after')).toBe('1');
        expect(response.body.errors?.map((error) => error.extensions?.code)).toEqual(['UNAVAILABLE']);
        expect(response.body.errors?.[0]?.extensions).toMatchObject({ retryAfterSeconds: 1, retryable: true });
        expect(response.body.errors?.[0]?.extensions).not.toHaveProperty('http');
      }
      // Within the bound of 10 s, whatever the load.
      expect(elapsed).toBeLessThan(10_000);
      await until(() => !server.app.services.redisHealth.available, 'the instance sees Redis down');
      // Now at once, before any Redis command: the same code.
      const fast = await post(server.httpUrl, PUBLISH, { channel: 'down', message: 1 }, { token: writer.token });
      expect([fast.status, fast.body.errors?.[0]?.extensions?.code]).toEqual([503, 'UNAVAILABLE']);
      // Over an open WebSocket, the same code as an `error` message.
      const refused = subscription(tab, ROOMS);
      await refused.waitForEnd();
      expect(refused.errorCodes).toEqual(['UNAVAILABLE']);
      // A WebSocket's connection_init gets a retryable close at once.
      const socket = await openRawSocket(server.wsUrl);
      socket.send({ type: 'connection_init', payload: { authToken: reader.token } });
      expect((await socket.closed).code).toBe(CloseCode.TryAgainLater);
      // The subscriber connection, silent by nature, is PINGed: one that does not answer is
      // dropped and made again, never left looking alive with its subscriptions deaf.
      await until(() => !held('stalled'), 'the hub gave up its unanswering subscriber connection');
    } finally {
      redis.resume();
    }
    await unconfirmed.waitForEnd();
    expect(unconfirmed.errorCodes).toEqual(['UNAVAILABLE']);
    await until(() => server.app.services.redisHealth.available, 'the instance sees Redis back');
    // Restored, with the gap told, and not deaf.
    await until(() => held('stalled'), 'the channel subscribed again');
    await until(() => stalled.errorCodes.includes('MISSED_MESSAGES'), 'the gap told');
    await redis.client.publish('stalled', '"after the stall"');
    await stalled.waitForEvents(2);
    expect(stalled.events.at(-1)?.data).toEqual({ channel: { message: 'after the stall' } });
    // The SUBSCRIBE that Redis took late was undone: Redis and the hub agree.
    await until(async () => (await numsub(redis.client, ['never.confirmed'])).get('never.confirmed') === 0, 'the late SUBSCRIBE undone');
    expect(hub.confirmedTopics().some((topic) => topic.kind === 'channel' && topic.name === 'never.confirmed')).toBe(false);
    expect((await post(server.httpUrl, ROOMS, {}, { token: reader.token })).status).toBe(200);
    const lines = server.logs.lines.slice(logsBefore);
    // One line per failed operation, with its cause; no empty yoga line, nothing masked as a bug.
    // The two that waited out their timeout, the two refused at once, the unconfirmed subscription.
    expect(lines.filter((line) => line.includes('redis unavailable:'))).toHaveLength(5);
    expect(lines.filter((line) => line.includes('"args":[{}]'))).toEqual([]);
    expect(lines.filter((line) => line.includes('unexpected error in an operation'))).toEqual([]);
    for (const line of lines.filter((entry) => entry.includes('redis unavailable:'))) {
      expect(JSON.parse(line)).toMatchObject({ err: { message: expect.stringMatching(/timed out|within/) } });
    }
    await tab.dispose();
    await server.stop();
  });
});
