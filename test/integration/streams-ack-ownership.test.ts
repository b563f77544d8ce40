import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/policy/policy.js';
import { createStreamStore } from '../../src/streams/store.js';
import { codes, post, postData, refusedSubscriptionCodes, subscription } from '../support/graphql.js';
import { suiteBackend } from '../support/backend.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';
import { ACK_EVENTS as ACK, ADD_EVENT as ADD, CREATE_GROUP, GROUP_EVENTS } from '../support/operations.js';

// Standalone here; cluster-streams-ack-ownership-suite.test.ts runs these same tests on a Redis Cluster.
// Claiming is slow here, so that entries stay with the consumer that took them for the whole test.
const bed = useServers({
  backend: suiteBackend(),
  servers: 2,
  config: { streamClaimIdleMs: 60_000 },
  users: ['alice', 'bob', { name: 'admin', roles: ['admin'] }],
});
const { redis, servers: [a, b], users: [alice, bob, admin] } = bed;

/** The group's pending entries as [id, consumer] pairs (XPENDING from a plain client). */
async function pending(stream: string, group: string): Promise<Array<[string, string]>> {
  const rows = (await redis.client.xpending(stream, group, '-', '+', 1000)) as Array<[string, string]>;
  return rows.map(([id, consumer]) => [id, consumer]);
}

const ack = (server: typeof a, token: string, stream: string, group: string, ids: string[]) => post(server.httpUrl, ACK, { stream, group, ids }, { token });
const acked = async (server: typeof a, token: string, stream: string, group: string, ids: string[]) => (await postData(server.httpUrl, ACK, { stream, group, ids }, token)).ackEvents;

/** Group consumers of both instances waiting for new entries (in their wait rooms, holding no connection). */
const waitingConsumers = () => a.app.services.groupWaits.stats().waiting + b.app.services.groupWaits.stats().waiting;
/** Group consumers open on both instances. */
const openConsumers = () => a.app.services.groupWaits.stats().consumers + b.app.services.groupWaits.stats().consumers;

/**
 * Creates the group (when missing), adds `count` entries and lets `user` take them all as
 * `consumer` through `groupEvents`, then closes that subscription and waits until its consumer has
 * stopped reading (so that it takes nothing more). No other group consumer may be open meanwhile.
 */
async function taken(stream: string, group: string, user: typeof alice, consumer: string, count: number): Promise<string[]> {
  await postData(a.httpUrl, CREATE_GROUP, { stream, group }, user.token);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await postData(a.httpUrl, ADD, { stream, data: { n: String(i) } }, user.token)).addEvent.id);
  const client = bed.wsClient(a, user.token);
  const sub = subscription(client, GROUP_EVENTS, { stream, group, consumer });
  await sub.waitForEvents(count);
  expect(sub.events.map((event) => event.data?.groupEvents.id)).toEqual(ids);
  await until(() => waitingConsumers() === 1, `${consumer} waiting for new entries`);
  await client.dispose();
  await until(() => openConsumers() === 0, `${consumer} stopped`);
  return ids;
}

describe('ackEvents acknowledges only entries pending for the caller', () => {
  it("another member's entries stay pending for it (on any instance), its own are acknowledged, and the owner can still acknowledge its", async () => {
    const stream = 'acks.orders';
    const group = 'workers';
    const alices = await taken(stream, group, alice, 'alice-1', 2);

    // Bob takes the next entry under a name of his own.
    const third = (await postData(a.httpUrl, ADD, { stream, data: { n: '2' } }, alice.token)).addEvent.id;
    const bobClient = bed.wsClient(b, bob.token);
    const bobs = subscription(bobClient, GROUP_EVENTS, { stream, group, consumer: 'bob-1' });
    await bobs.waitForEvents(1);
    expect(bobs.events[0]!.data?.groupEvents.id).toBe(third);
    await until(() => waitingConsumers() === 1, 'bob-1 waiting for new entries');
    await bobClient.dispose();
    await until(() => openConsumers() === 0, 'bob-1 stopped');
    expect(await pending(stream, group)).toEqual([[alices[0], 'alice-1'], [alices[1], 'alice-1'], [third, 'bob-1']]);

    // Bob acknowledges all three, on either instance: only his own entry counts and goes.
    expect(await acked(a, bob.token, stream, group, [...alices, third])).toBe(1);
    expect(await acked(b, bob.token, stream, group, [alices[0]!])).toBe(0);
    expect(await pending(stream, group)).toEqual([[alices[0], 'alice-1'], [alices[1], 'alice-1']]);

    // Alice, on the other instance and with no subscription open, acknowledges hers.
    expect(await acked(b, alice.token, stream, group, alices)).toBe(2);
    expect(await pending(stream, group)).toEqual([]);
  });

  it("entries of a plain Redis client's consumer cannot be acknowledged by a user, but can by an admin or a service, as any member's", async () => {
    const stream = 'acks.cleanup';
    const group = 'g';
    // A plain client (a worker of its own, outside Switchboard) takes one entry, then Alice one.
    await redis.client.xgroup('CREATE', stream, group, '$', 'MKSTREAM');
    const plain = (await redis.client.xadd(stream, '*', 'k', 'v')) as string;
    await redis.client.xreadgroup('GROUP', group, 'backend-1', 'COUNT', 10, 'STREAMS', stream, '>');
    const alices = await taken(stream, group, alice, 'alice-1', 1);
    expect(await pending(stream, group)).toEqual([[plain, 'backend-1'], [alices[0], 'alice-1']]);

    expect(await acked(b, bob.token, stream, group, [plain, ...alices])).toBe(0);
    expect(await acked(a, alice.token, stream, group, [plain])).toBe(0);
    expect(await pending(stream, group)).toEqual([[plain, 'backend-1'], [alices[0], 'alice-1']]);

    // The admin cleans up after both (say, consumers that are gone for good).
    expect(await acked(b, admin.token, stream, group, [plain, ...alices])).toBe(2);
    expect(await pending(stream, group)).toEqual([]);

    // So does a service, such as a backend that takes over a dead worker's entries.
    const next = (await redis.client.xadd(stream, '*', 'k', 'w')) as string;
    await redis.client.xreadgroup('GROUP', group, 'backend-2', 'COUNT', 10, 'STREAMS', stream, '>');
    const serviceKey = (await a.app.services.apiKeys.create('cleanup', ['service'])).key;
    expect(await acked(a, serviceKey, stream, group, [next])).toBe(1);
    expect(await pending(stream, group)).toEqual([]);
  });

  it('ids that are not pending count for nothing; an unknown group or stream is still NOT_FOUND, a key of another type BAD_USER_INPUT', async () => {
    const stream = 'acks.errors';
    const alices = await taken(stream, 'g', alice, 'alice-1', 1);
    expect(await acked(a, alice.token, stream, 'g', [alices[0]!, alices[0]!, '1-0'])).toBe(1);
    expect(await acked(a, alice.token, stream, 'g', alices)).toBe(0);

    expect(codes(await ack(a, bob.token, stream, 'nope', alices))).toEqual(['NOT_FOUND']);
    expect(codes(await ack(a, bob.token, 'acks.missing', 'g', alices))).toEqual(['NOT_FOUND']);
    await redis.client.set('acks.string', 'x');
    expect(codes(await ack(a, bob.token, 'acks.string', 'g', alices))).toEqual(['BAD_USER_INPUT']);
    // The admin's path (a plain XACK) says the same.
    expect(codes(await ack(a, admin.token, stream, 'nope', alices))).toEqual(['NOT_FOUND']);
    expect(codes(await ack(a, admin.token, 'acks.string', 'g', alices))).toEqual(['BAD_USER_INPUT']);
  });

  it('with consumers.bindToCaller off (anyone may read as any name), anyone may acknowledge any entry', async () => {
    const stream = 'acks.unbound';
    const alices = await taken(stream, 'g', alice, 'alice-1', 1);
    const open = parsePolicy({ rules: [{ resources: '*', names: ['*'], roles: '*', actions: '*' }], consumers: { bindToCaller: false } }, 'an open test policy');
    const unbound = await bed.startServer({ policy: open });
    expect(await acked(unbound, bob.token, stream, 'g', alices)).toBe(1);
    expect(await pending(stream, 'g')).toEqual([]);
  });
});

describe('consumer names the group already has', () => {
  it('a name a service read as cannot be taken by a user, even while it holds nothing', async () => {
    const stream = 'acks.service';
    const serviceKey = (await a.app.services.apiKeys.create('backend', ['service'])).key;
    const ids = await taken(stream, 'g', { ...alice, token: serviceKey }, 'svc-1', 1);
    expect(await acked(b, serviceKey, stream, 'g', ids)).toBe(1);
    expect(await pending(stream, 'g')).toEqual([]);

    const refused = await refusedSubscriptionCodes(b.wsUrl, bob.token, GROUP_EVENTS, { stream, group: 'g', consumer: 'svc-1' });
    expect(refused.codes).toEqual(['FORBIDDEN']);
    expect(refused.messages[0]).toMatch(/consumer "svc-1".*in use by a client outside Switchboard or a service/);
  });

  it('npm run consumer acknowledges on Redis as before; a user can neither acknowledge what it holds nor take its name', async () => {
    const stream = 'acks.cli';
    const group = 'cli-group';
    const worker = bed.startCommand('consumer', ['--stream', stream, '--group', group, '--name', 'worker1', '--batch', '1', '--work-ms', '4000']);
    await worker.ready();
    const id = (await postData(a.httpUrl, ADD, { stream, data: { order: '1' } }, alice.token)).addEvent.id;
    await until(async () => (await pending(stream, group)).length === 1, 'the worker holding the entry');
    expect(await pending(stream, group)).toEqual([[id, 'worker1']]);

    // While the worker processes it (4 s), Bob cannot acknowledge it away.
    expect(await acked(b, bob.token, stream, group, [id])).toBe(0);
    expect(await pending(stream, group)).toEqual([[id, 'worker1']]);

    // The worker prints and acknowledges it itself, straight on Redis.
    await until(() => worker.lines.some((line) => line.startsWith(`[worker1] Processing ${id}:`)), 'the worker processing the entry');
    await until(async () => (await pending(stream, group)).length === 0, "the worker's acknowledgement");

    // Holding nothing now, its name is still not free for a user.
    const refused = await refusedSubscriptionCodes(a.wsUrl, bob.token, GROUP_EVENTS, { stream, group, consumer: 'worker1' });
    expect(refused.codes).toEqual(['FORBIDDEN']);

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  });
});

describe('StreamStore.ackOwn', () => {
  it('checks who holds each entry again in the script that acknowledges it: an entry taken over meanwhile is not acknowledged', async () => {
    const stream = 'acks.race';
    const store = createStreamStore(redis.client, { maxEventBytes: 1024 });
    await redis.client.xgroup('CREATE', stream, 'g', '$', 'MKSTREAM');
    const ids = [(await redis.client.xadd(stream, '*', 'n', '0')) as string, (await redis.client.xadd(stream, '*', 'n', '1')) as string];
    await redis.client.xreadgroup('GROUP', 'g', 'mine', 'COUNT', 10, 'STREAMS', stream, '>');
    const asked: string[][] = [];
    const count = await store.ackOwn(stream, 'g', ids, async (consumers) => {
      asked.push([...consumers]);
      // While the caller's names are looked up, another consumer takes over the first entry.
      await redis.client.xclaim(stream, 'g', 'theirs', 0, ids[0]!);
      return ['mine'];
    });
    expect(asked).toEqual([['mine']]);
    expect(count).toBe(1);
    expect(await pending(stream, 'g')).toEqual([[ids[0], 'theirs']]);
  });
});
