import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createBlockingPool } from '../../src/redis/blocking-pool.js';
import { createGroupConsumer } from '../../src/streams/group-consumer.js';
import { compareEntryIds } from '../../src/streams/ids.js';
import { post, subscription, wsClient } from '../support/graphql.js';
import { until } from '../support/wait.js';
import { clientListOf, suiteBackend } from '../support/backend.js';
import { useServers } from '../support/servers.js';
import { ACK_EVENTS as ACK, ADD_EVENT as ADD, CREATE_GROUP, GROUP_EVENTS } from '../support/operations.js';

/** Short, so that recovery by XAUTOCLAIM shows within a test. */
const CLAIM_IDLE_MS = 600;

// Standalone here; cluster-streams-groups-suite.test.ts runs these same tests on a Redis Cluster.
const { redis, servers: [a, b], users: [grouper] } = useServers({ backend: suiteBackend(), servers: 2, config: { streamClaimIdleMs: CLAIM_IDLE_MS }, users: ['grouper'] });

type Delivered = { groupEvents: { id: string; data: unknown } };

/** Clients blocked in XREADGROUP right now. */
async function blockedGroupReads(): Promise<number> {
  const list = await clientListOf(redis);
  return list.split('\n').filter((line) => /\bflags=\S*b/.test(line) && /\bcmd=xreadgroup\b/.test(line)).length;
}

/** `groupEvents` consumers of both instances waiting for new entries (in their wait rooms, holding no connection). */
const waitingConsumers = () => a.app.services.groupWaits.stats().waiting + b.app.services.groupWaits.stats().waiting;
/** `groupEvents` consumers open on both instances. */
const openConsumers = () => a.app.services.groupWaits.stats().consumers + b.app.services.groupWaits.stats().consumers;

/** XPENDING's extended form as [id, consumer, idle, deliveries] rows. */
async function pending(stream: string, group: string): Promise<Array<{ id: string; consumer: string; idle: number; deliveries: number }>> {
  const rows = (await redis.client.xpending(stream, group, '-', '+', 1000)) as Array<[string, string, number, number]>;
  return rows.map(([id, consumer, idle, deliveries]) => ({ id, consumer, idle, deliveries }));
}

const ids = (sub: { events: Array<{ data?: Delivered | null }> }) => sub.events.map((event) => event.data?.groupEvents.id as string);

async function createGroup(stream: string, group: string) {
  const response = await post(a.httpUrl, CREATE_GROUP, { stream, group }, { token: grouper.token });
  expect(response.body).toEqual({ data: { createConsumerGroup: true } });
}

describe('two consumers of one group on two instances', () => {
  it('split the entries between them: each entry to exactly one, none lost, none twice', async () => {
    const stream = 'split';
    await createGroup(stream, 'workers');
    const clientA = wsClient(a.wsUrl, grouper.token);
    const clientB = wsClient(b.wsUrl, grouper.token);
    const one = subscription(clientA, GROUP_EVENTS, { stream, group: 'workers', consumer: 'one' });
    const two = subscription(clientB, GROUP_EVENTS, { stream, group: 'workers', consumer: 'two' });

    // While both wait, one entry at a time goes to exactly one of them.
    const added: string[] = [];
    for (let i = 0; i < 10; i++) {
      await until(() => waitingConsumers() === 2, 'both consumers waiting');
      added.push((await redis.client.xadd(stream, '*', 'step', String(i))) as string);
      await until(() => one.events.length + two.events.length === i + 1, `entry ${i}`);
    }
    expect(one.events.length).toBeGreaterThan(0);
    expect(two.events.length).toBeGreaterThan(0);

    // Then a burst from plain clients and the API at once.
    const burst = await Promise.all([
      ...Array.from({ length: 150 }, (_, i) => redis.client.xadd(stream, '*', 'burst', String(i)) as Promise<string>),
      ...Array.from({ length: 30 }, async (_, i) => {
        const response = await post(b.httpUrl, ADD, { stream, data: { api: i } }, { token: grouper.token });
        return response.body.data?.addEvent.id as string;
      }),
    ]);
    added.push(...burst);
    await until(() => one.events.length + two.events.length >= added.length, 'every entry to be delivered');

    const received = [...ids(one), ...ids(two)];
    expect(new Set(received).size).toBe(received.length);
    expect([...received].sort()).toEqual([...added].sort());
    // Each consumer gets its share in stream order.
    for (const sub of [one, two]) {
      const mine = ids(sub);
      expect(mine).toEqual([...mine].sort(compareEntryIds));
    }
    // Every entry is pending at the consumer that got it, once; acknowledging clears them all.
    const held = await pending(stream, 'workers');
    expect(held.filter((row) => row.consumer === 'one').map((row) => row.id).sort()).toEqual([...ids(one)].sort());
    expect(held.filter((row) => row.consumer === 'two').map((row) => row.id).sort()).toEqual([...ids(two)].sort());
    expect(held.every((row) => row.deliveries === 1)).toBe(true);
    const acked = await post(a.httpUrl, ACK, { stream, group: 'workers', ids: received }, { token: grouper.token });
    expect(acked.body.data?.ackEvents).toBe(received.length);
    expect(await pending(stream, 'workers')).toEqual([]);
    await Promise.all([clientA.dispose(), clientB.dispose()]);
    await until(async () => openConsumers() === 0 && (await blockedGroupReads()) === 0, 'the consumers to stop reading');
  });
});

describe('crash recovery', () => {
  it('gives a consumer that left without acknowledging its pending entries back first when it returns, on any instance', async () => {
    const stream = 'recover-self';
    await createGroup(stream, 'g');
    const first = [1, 2, 3].map(() => '');
    for (let i = 0; i < 3; i++) first[i] = (await redis.client.xadd(stream, '*', 'n', String(i))) as string;
    const clientA = wsClient(a.wsUrl, grouper.token);
    const before = subscription(clientA, GROUP_EVENTS, { stream, group: 'g', consumer: 'w1' });
    await before.waitForEvents(3);
    expect(ids(before)).toEqual(first);
    // It "crashes": the connection goes away with nothing acknowledged.
    await clientA.dispose();
    await until(() => openConsumers() === 0, 'the consumer to stop');
    const later = (await redis.client.xadd(stream, '*', 'n', 'later')) as string;

    const clientB = wsClient(b.wsUrl, grouper.token);
    const after = subscription(clientB, GROUP_EVENTS, { stream, group: 'g', consumer: 'w1' });
    await after.waitForEvents(4);
    expect(ids(after)).toEqual([...first, later]);
    expect((await pending(stream, 'g')).map(({ id, consumer, deliveries }) => [id, consumer, deliveries])).toEqual([
      [first[0], 'w1', 2],
      [first[1], 'w1', 2],
      [first[2], 'w1', 2],
      [later, 'w1', 1],
    ]);
    await clientB.dispose();
  });

  it("never claims a live consumer's unacknowledged entries, and hands a gone consumer's entries to a live one (XAUTOCLAIM)", async () => {
    const stream = 'recover-other';
    await createGroup(stream, 'g');
    const clientA = wsClient(a.wsUrl, grouper.token);
    const clientB = wsClient(b.wsUrl, grouper.token);
    const slowpoke = subscription(clientA, GROUP_EVENTS, { stream, group: 'g', consumer: 'slowpoke' });
    await until(() => waitingConsumers() === 1, 'the first consumer waiting');
    const taken: string[] = [];
    for (let i = 0; i < 3; i++) taken.push((await redis.client.xadd(stream, '*', 'n', String(i))) as string);
    await slowpoke.waitForEvents(3);
    const other = subscription(clientB, GROUP_EVENTS, { stream, group: 'g', consumer: 'other' });
    await until(() => waitingConsumers() === 2, 'both consumers waiting');

    // The property is about a span of time: for three claim periods the live holder keeps its
    // entries (it refreshes them) although it acknowledges nothing and another consumer asks for work.
    const watchUntil = Date.now() + 3 * CLAIM_IDLE_MS;
    while (Date.now() < watchUntil) {
      const rows = await pending(stream, 'g');
      expect(rows.map((row) => row.consumer)).toEqual(['slowpoke', 'slowpoke', 'slowpoke']);
      expect(rows.every((row) => row.idle < CLAIM_IDLE_MS)).toBe(true);
      expect(other.events).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    // Gone: its entries reach the live consumer once they have been idle for the claim time.
    await clientA.dispose();
    await other.waitForEvents(3, 5000);
    // (How soon after the holder is gone they move depends on when the holder last refreshed them, up to a
    // third of the claim time earlier, later still on a loaded machine; the loop above is what
    // shows a live holder keeps them.)
    expect(ids(other)).toEqual(taken);
    expect((await pending(stream, 'g')).map(({ id, consumer, deliveries }) => [id, consumer, deliveries])).toEqual(
      taken.map((id) => [id, 'other', 2]),
    );
    // And new entries keep coming to it after the claimed ones.
    const fresh = (await redis.client.xadd(stream, '*', 'n', 'fresh')) as string;
    await other.waitForEvents(4);
    expect(ids(other)).toEqual([...taken, fresh]);
    const acked = await post(b.httpUrl, ACK, { stream, group: 'g', ids: ids(other) }, { token: grouper.token });
    expect(acked.body.data?.ackEvents).toBe(4);
    await clientB.dispose();
  });

  it('claims the entries of a plain Redis consumer that took them and went away', async () => {
    const stream = 'recover-plain';
    await createGroup(stream, 'g');
    const taken: string[] = [];
    for (let i = 0; i < 2; i++) taken.push((await redis.client.xadd(stream, '*', 'n', String(i))) as string);
    // A seed-style consumer reads with XREADGROUP and dies before its XACK.
    await redis.client.xreadgroup('GROUP', 'g', 'python-worker', 'COUNT', 10, 'STREAMS', stream, '>');
    const client = wsClient(a.wsUrl, grouper.token);
    const sub = subscription(client, GROUP_EVENTS, { stream, group: 'g', consumer: 'rescuer' });
    await sub.waitForEvents(2, 5000);
    expect(ids(sub)).toEqual(taken);
    await client.dispose();
  });
});

describe('the group consumer', () => {
  it("leaves a holder its entries when its refresh comes late, after the sweep saw them idle, and takes them once it never comes", async () => {
    const stream = 'late-refresh';
    await createGroup(stream, 'g');
    const taken: string[] = [];
    for (let i = 0; i < 2; i++) taken.push((await redis.client.xadd(stream, '*', 'n', String(i))) as string);
    // The holder: a plain Redis consumer whose refresh (XCLAIM JUSTID, what a heartbeat does) we send ourselves.
    await redis.client.xreadgroup('GROUP', 'g', 'held-up', 'COUNT', 10, 'STREAMS', stream, '>');
    // Long enough that the refresh below lands well inside the heartbeat period the sweep waits.
    const claimIdleMs = 2400;
    await new Promise((resolve) => setTimeout(resolve, claimIdleMs + 200));

    // The sweeper talks to the real Redis; the proxy only tells when its look (XPENDING IDLE) answered.
    let looked: () => void = () => undefined;
    const lookDone = new Promise<'looked'>((resolve) => (looked = () => resolve('looked')));
    const client = redis.client;
    const watched = new Proxy(client, {
      get(target, property) {
        if (property === 'call') {
          return async (...args: [string, ...Array<string | number>]) => {
            const reply: unknown = await target.call(...args);
            if (args[0] === 'XPENDING') looked();
            return reply;
          };
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const logger = pino({ level: 'silent' });
    const blocking = createBlockingPool({ ...(redis.backend === 'standalone' ? { url: redis.url } : {}), maxConnections: 1, control: redis.client, logger });
    const consumer = createGroupConsumer({ redis: watched, blocking, stream, group: 'g', consumer: 'sweeper', claimIdleMs, logger });
    await consumer.start();
    const next = consumer.next();
    // The sweep saw the entries idle past the claim time; nothing is taken over at that moment.
    expect(await Promise.race([lookDone, next.then(() => 'taken at once')])).toBe('looked');
    // The holder's refresh, late (its process was held up): it keeps its entries.
    const refreshedBy = Date.now();
    await redis.client.xclaim(stream, 'g', 'held-up', 0, ...taken, 'JUSTID');
    await new Promise((resolve) => setTimeout(resolve, claimIdleMs / 2));
    expect((await pending(stream, 'g')).map(({ id, consumer: holder, deliveries }) => [id, holder, deliveries])).toEqual(
      taken.map((id) => [id, 'held-up', 1]),
    );
    // It never refreshes again: after the claim time they move to the sweeper, each delivered once more.
    const first = await next;
    expect(Date.now() - refreshedBy).toBeGreaterThanOrEqual(claimIdleMs);
    expect(first?.id).toBe(taken[0]);
    expect((await consumer.next())?.id).toBe(taken[1]);
    expect((await pending(stream, 'g')).map(({ id, consumer: holder, deliveries }) => [id, holder, deliveries])).toEqual(
      taken.map((id) => [id, 'sweeper', 2]),
    );
    consumer.stop();
    await blocking.close();
  });

  it('takes entries from Redis only as it is asked, holding at most its read-ahead', async () => {
    const stream = 'paced';
    await createGroup(stream, 'g');
    for (let i = 0; i < 10; i++) await redis.client.xadd(stream, '*', 'n', String(i));
    const logger = pino({ level: 'silent' });
    const blocking = createBlockingPool({ ...(redis.backend === 'standalone' ? { url: redis.url } : {}), maxConnections: 1, control: redis.client, logger });
    const consumer = createGroupConsumer({ redis: redis.client, blocking, stream, group: 'g', consumer: 'paced', claimIdleMs: 0, readAhead: 2, logger });
    await consumer.start();
    const first = await consumer.next();
    expect(first?.data).toEqual({ n: '0' });
    // One handed out, one read ahead; the other eight are still for anyone in the group.
    expect((await pending(stream, 'g')).length).toBe(2);
    await consumer.next();
    await consumer.next();
    expect((await pending(stream, 'g')).length).toBe(4);
    // Stopping releases a waiting read at once; what was read ahead stays pending, not lost.
    consumer.stop();
    expect(await consumer.next()).toBeNull();
    expect((await pending(stream, 'g')).length).toBe(4);
    await blocking.close();
  });
});
