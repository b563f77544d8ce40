import { describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { post, subscription, wsClient } from '../support/graphql.js';
import { until } from '../support/wait.js';
import { commandCalls } from '../support/backend.js';
import { useServers } from '../support/servers.js';
import { CREATE_GROUP, EVENTS as FOLLOW, GROUP_EVENTS } from '../support/operations.js';

// Waiting groupEvents consumers hold no Redis connection: they wait in their instance's wait room,
// woken by the shared stream reader (one XREAD BLOCK), and read with a non-blocking XREADGROUP.

const USERS = 5;
const PER_USER = 10;

const { redis, server, users: everyone } = useServers({
  users: [...Array.from({ length: USERS }, (_, index) => `waiter${index}`), 'watcher'] as string[],
  config: { maxBlockingOperationsPerUser: PER_USER },
});
const users = everyone.slice(0, USERS);
const watcherUser = everyone[USERS]!;

type Sub = ReturnType<typeof subscription<{ groupEvents: { id: string; data: unknown } }>>;

const ids = (sub: Sub) => sub.events.map((event) => event.data?.groupEvents.id as string);

/** Redis's connected clients, and those blocked in XREADGROUP, from CLIENT LIST. */
async function redisClients(): Promise<{ connected: number; blockedGroupReads: number }> {
  const lines = ((await redis.client.client('LIST')) as string).split('\n').filter(Boolean);
  return { connected: lines.length, blockedGroupReads: lines.filter((line) => /\bflags=\S*b/.test(line) && /\bcmd=xreadgroup\b/.test(line)).length };
}

async function createGroup(stream: string, group: string) {
  const response = await post(server.httpUrl, CREATE_GROUP, { stream, group }, { token: users[0]!.token });
  expect(response.body).toEqual({ data: { createConsumerGroup: true } });
}

/** `PER_USER` consumers of `group` for each user, one socket per user; resolves once every one holds its slot. */
async function openConsumers(stream: string, group: string): Promise<{ sockets: Client[]; subs: Sub[] }> {
  const sockets = users.map((user) => wsClient(server.wsUrl, user.token));
  const subs = users.flatMap((user, u) =>
    Array.from({ length: PER_USER }, (_, i) => subscription(sockets[u]!, GROUP_EVENTS, { stream, group, consumer: `${user.username}-c${i}` })),
  );
  await until(() => users.every((user) => server.app.services.blockingLimiter.held(user.id) === PER_USER), 'every consumer to start');
  return { sockets, subs };
}

const delivered = (subs: Sub[]) => subs.reduce((sum, sub) => sum + sub.events.length, 0);

function expectExactlyOnce(subs: Sub[], added: string[]) {
  const received = subs.flatMap(ids);
  expect(new Set(received).size).toBe(received.length);
  expect([...received].sort()).toEqual([...added].sort());
  for (const sub of subs) expect(sub.errorCodes).toEqual([]);
}

describe('fifty groupEvents consumers of five users on one instance', () => {
  it('hold no Redis connection while they wait, and get each entry of a plain XADD exactly once', async () => {
    const stream = 'shared-wait';
    await createGroup(stream, 'g');
    // The baseline: the instance already follows the stream live (its one shared XREAD is open).
    const watcher = wsClient(server.wsUrl, watcherUser.token);
    const follower = subscription(watcher, FOLLOW, { stream });
    await until(() => server.app.services.streamReaders.stats().connections === 1, 'the shared reader');
    const first = (await redis.client.xadd(stream, '*', 'warm', 'up')) as string;
    const before = await redisClients();

    const { sockets, subs } = await openConsumers(stream, 'g');
    // Once an entry has gone through, every consumer has read its pending entries and waits.
    await until(() => delivered(subs) === 1, 'the first entry');
    // (Before this change each waited in its own XREADGROUP BLOCK: 32 connections, the pool's size.)
    const during = await redisClients();
    expect(during.blockedGroupReads).toBe(0);
    expect(during.connected).toBe(before.connected);
    await until(() => server.app.services.groupWaits.stats().waiting === USERS * PER_USER, 'every consumer waiting');
    expect(await redisClients()).toEqual(before);

    // One entry at a time, from another client: each wakes one consumer, not all fifty.
    const added = [first];
    const readsBefore = await commandCalls(redis, 'xreadgroup');
    for (let i = 0; i < 20; i++) {
      added.push((await redis.client.xadd(stream, '*', 'one', String(i))) as string);
      await until(() => delivered(subs) === added.length, `entry ${i}`);
    }
    await until(() => server.app.services.groupWaits.stats().waiting === USERS * PER_USER, 'every consumer waiting again');
    const readsPerEntry = ((await commandCalls(redis, 'xreadgroup')) - readsBefore) / 20;
    // The woken one reads its entry (and, its read not full and nothing announced since, waits again without a read).
    expect(readsPerEntry).toBeLessThan(2);
    console.log(`xreadgroup calls per entry, one at a time: ${readsPerEntry}`);

    // A burst from plain clients, several at once.
    const burst = await Promise.all(Array.from({ length: 300 }, (_, i) => redis.client.xadd(stream, '*', 'burst', String(i)) as Promise<string>));
    added.push(...burst);
    await until(() => delivered(subs) >= added.length, 'the burst');
    expectExactlyOnce(subs, added);
    expect((await redisClients()).connected).toBe(before.connected);
    // Not all on one consumer: the wake-ups spread the burst.
    expect(subs.filter((sub) => sub.events.length > 0).length).toBeGreaterThan(1);

    await Promise.all([...sockets, watcher].map((socket) => socket.dispose()));
    expect(follower.errorCodes).toEqual([]);
    await until(() => server.app.services.groupWaits.stats().consumers === 0, 'the consumers to leave their room');
  });

  it('still hands a returning consumer its own pending entries first', async () => {
    const stream = 'shared-wait-return';
    await createGroup(stream, 'g');
    const taken = [];
    for (let i = 0; i < 3; i++) taken.push((await redis.client.xadd(stream, '*', 'n', String(i))) as string);
    const socket = wsClient(server.wsUrl, users[1]!.token);
    const before = subscription(socket, GROUP_EVENTS, { stream, group: 'g', consumer: 'returner' });
    await before.waitForEvents(3);
    await socket.dispose();
    await until(() => server.app.services.groupWaits.stats().consumers === 0, 'the consumer to leave');
    const later = (await redis.client.xadd(stream, '*', 'n', 'later')) as string;
    const again = wsClient(server.wsUrl, users[1]!.token);
    const after = subscription(again, GROUP_EVENTS, { stream, group: 'g', consumer: 'returner' });
    await after.waitForEvents(4);
    expect(ids(after)).toEqual([...taken, later]);
    await again.dispose();
  });

  it('strands nothing when the shared reader’s connection is killed, nor when the group is moved back (XGROUP SETID)', async () => {
    const stream = 'shared-wait-kill';
    await createGroup(stream, 'g');
    const { sockets, subs } = await openConsumers(stream, 'g');
    await until(() => server.app.services.groupWaits.stats().waiting === USERS * PER_USER, 'every consumer waiting');
    // "Waiting" is the consumers' state; the shared XREAD may be between two blocks (sent again
    // when its set of streams changed or its block ran out), so look until it is blocked.
    const blockedReader = async () => ((await redis.client.client('LIST')) as string).split('\n').find((line) => /\bcmd=xread\b/.test(line) && /\bflags=\S*b/.test(line));
    let reader: string | undefined;
    await until(async () => (reader = await blockedReader()) !== undefined, 'the shared reader blocked in its XREAD');
    expect(reader).toBeDefined();
    const readerId = /\bid=(\d+)/.exec(reader as string)?.[1] as string;
    await redis.client.client('KILL', 'ID', readerId);
    // Added while the reader reconnects: the reader goes on from its last id, the probe is the net.
    const added = await Promise.all(Array.from({ length: 40 }, (_, i) => redis.client.xadd(stream, '*', 'during', String(i)) as Promise<string>));
    await until(() => delivered(subs) >= added.length, 'the entries added while the reader was away');
    await until(async () => ((await redis.client.client('LIST')) as string).split('\n').some((line) => /\bcmd=xread\b/.test(line) && !line.includes(`id=${readerId} `)), 'a new reader');
    added.push((await redis.client.xadd(stream, '*', 'after', 'kill')) as string);
    await until(() => delivered(subs) >= added.length, 'an entry after the reconnect');
    expectExactlyOnce(subs, added);

    // Entries that become new again without any XADD (nothing announces them): the probe finds them.
    await redis.client.xack(stream, 'g', ...added);
    await until(() => server.app.services.groupWaits.stats().waiting === USERS * PER_USER, 'every consumer waiting');
    await redis.client.xgroup('SETID', stream, 'g', '0');
    await until(() => delivered(subs) >= 2 * added.length, 'the entries after SETID', 10_000);
    expect(subs.flatMap(ids).sort()).toEqual([...added, ...added].sort());
    await Promise.all(sockets.map((socket) => socket.dispose()));
  });
});
