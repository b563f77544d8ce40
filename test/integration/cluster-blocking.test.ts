import { type Server, type Socket, connect, createServer } from 'node:net';
import { Cluster, type Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobDispatcher } from '../../src/queues/dispatcher.js';
import { createJobStore } from '../../src/queues/store.js';
import { createBlockingPool, type BlockingPool } from '../../src/redis/blocking-pool.js';
import type { StreamEvent } from '../../src/streams/entries.js';
import { createGroupConsumer } from '../../src/streams/group-consumer.js';
import { type HubEvent, createStreamReaderHub } from '../../src/streams/reader-hub.js';
import { createStreamStore } from '../../src/streams/store.js';
import { commandCalls } from '../support/backend.js';
import { errorCount, keysPerMaster, namedClients, nodeId } from '../support/cluster-stats.js';
import type { ClusterNode, TestCluster } from '../support/redis-cluster.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';

// The blocking side of Switchboard on a real 3-master Redis Cluster: the pool's connections per
// master, CLIENT UNBLOCK on the right node, redirects, XINFO GROUPS by key, the live reader's one
// XREAD per slot, consumer groups and queue waits on every master.

const logger = pino({ level: process.env.TEST_LOG ?? 'silent' });
const BLOCKING = 'switchboard:blocking';

// Only Redis: three masters, no replica (no failover here).
const bed = useServers({ backend: 'cluster', servers: 0, cluster: { masters: 3, replicasPerMaster: 0 } });
let cluster: TestCluster;
let client: Cluster;
let pool: BlockingPool;
/** One key per master, in the masters' port order. */
let keys: Array<{ node: ClusterNode; key: string }>;

beforeAll(async () => {
  cluster = bed.redis.cluster;
  // No periodic slot refresh: the redirect test needs the client's map to stay stale until a
  // redirect makes the pool refresh it.
  client = new Cluster(
    cluster.nodes.map((node) => ({ host: '127.0.0.1', port: node.port })),
    { slotsRefreshInterval: 0 },
  );
  await until(() => client.status === 'ready', 'the cluster client');
  pool = createBlockingPool({ control: client, maxConnections: 4, logger });
  keys = await keysPerMaster(cluster, 'blocking');
});

afterAll(async () => {
  await pool?.close();
  client?.disconnect();
});

const blockedOn = async (node: ClusterNode) => (await namedClients(node.client, BLOCKING)).blocked;

describe('the blocking pool on Redis Cluster', () => {
  it('sends each blocking command to the master of its key’s slot, on a connection of its own', async () => {
    for (const { node, key } of keys) {
      const read = pool.run(({ redis }) => redis.brpop(key, 20), undefined, key);
      await until(async () => (await blockedOn(node)) === 1, `a blocked read on ${node.port}`);
      // The Cluster's own connection to that node is not behind the blocked read.
      expect(await client.set(`${key}:other`, 'x')).toBe('OK');
      await client.lpush(key, 'job');
      expect(await read).toEqual([key, 'job']);
    }
    for (const { node } of keys) expect((await namedClients(node.client, BLOCKING)).open).toBe(1);
    expect(pool.stats()).toEqual({ open: 3, busy: 0, waiting: 0 });
  });

  it('refuses a blocking command without its key, which it could not route', async () => {
    await expect(pool.run(({ redis }) => redis.ping())).rejects.toThrow('needs the key');
  });

  it('keeps one limit over every master: an idle connection to another master makes room', async () => {
    const own = createBlockingPool({ control: client, maxConnections: 1, logger });
    try {
      for (const { node, key } of keys) {
        expect(await own.run(({ redis }) => redis.call('BLMOVE', key, `{${key}}:to`, 'RIGHT', 'LEFT', '0.01'), undefined, key)).toBeNull();
        expect(own.stats().open).toBe(1);
        await until(async () => (await namedClients(node.client, BLOCKING)).open === 2, `the connection to ${node.port}`);
      }
      // A caller for another master waits for the busy one, then gets a connection there.
      const [first, second] = keys as [(typeof keys)[0], (typeof keys)[0]];
      const held = new AbortController();
      const holding = own.run(({ redis }) => redis.brpop(first.key, 30), held.signal, first.key);
      await until(async () => (await blockedOn(first.node)) === 1, 'the held read');
      const waiting = own.run(({ redis }) => redis.brpop(second.key, 30), undefined, second.key);
      expect(own.stats()).toMatchObject({ open: 1, busy: 1, waiting: 1 });
      held.abort();
      expect(await holding).toBeNull();
      await until(async () => (await blockedOn(second.node)) === 1, 'the waiting read on its own master');
      await client.lpush(second.key, 'late');
      expect(await waiting).toEqual([second.key, 'late']);
      expect(own.stats()).toEqual({ open: 1, busy: 0, waiting: 0 });
    } finally {
      await own.close();
    }
  });

  it('sends CLIENT UNBLOCK to the node that holds the blocked connection', async () => {
    // Client ids are per node: on any other node, the id names nobody (or a stranger).
    for (const { node, key } of keys) {
      const before = await Promise.all(keys.map(({ node: other }) => commandCalls(other.client, 'client|unblock')));
      const controller = new AbortController();
      // A read far longer than the test's timeout: only CLIENT UNBLOCK on its node ends it in time.
      const read = pool.run(({ redis }) => redis.call('XREAD', 'BLOCK', 600_000, 'STREAMS', key, '$'), controller.signal, key);
      await until(async () => (await blockedOn(node)) === 1, `a blocked XREAD on ${node.port}`);
      controller.abort();
      expect(await read).toBeNull();
      const after = await Promise.all(keys.map(({ node: other }) => commandCalls(other.client, 'client|unblock')));
      keys.forEach(({ node: other }, index) => {
        const sent = (after[index] as number) - (before[index] as number);
        if (other === node) expect(sent).toBeGreaterThanOrEqual(1);
        else expect(sent, `CLIENT UNBLOCK sent to ${other.port}, which does not hold the read`).toBe(0);
      });
      expect(await blockedOn(node)).toBe(0);
    }
  }, 30_000);

  it('follows ASK while a slot migrates and MOVED after it moved, refreshing the slot map', async () => {
    const [source, target] = keys as [(typeof keys)[0], (typeof keys)[0]];
    // A key of its own slot on the source, so that moving the (empty) slot touches nothing else.
    const key = `{moving}${source.key}`;
    const slot = Number(await source.node.client.call('CLUSTER', 'KEYSLOT', key));
    const ownerBefore = await cluster.masterOf(key);
    const from = ownerBefore;
    const to = ownerBefore === target.node ? source.node : target.node;
    const [fromId, toId] = await Promise.all([nodeId(from), nodeId(to)]);
    // A connection to the slot's owner is in the pool before the move.
    expect(await pool.run(async ({ redis }) => redis.options.port, undefined, key)).toBe(from.port);

    await to.client.call('CLUSTER', 'SETSLOT', slot, 'IMPORTING', fromId);
    await from.client.call('CLUSTER', 'SETSLOT', slot, 'MIGRATING', toId);
    const asksBefore = await errorCount(from.client, 'ASK');
    const during = await pool.run(
      // One key: a multi-key command on a slot being imported answers TRYAGAIN while keys are missing.
      async ({ redis }) => ({ port: redis.options.port, reply: await redis.brpop(key, 0.01) }),
      undefined,
      key,
    );
    expect(during).toEqual({ port: to.port, reply: null });
    expect(await errorCount(from.client, 'ASK')).toBe(asksBefore + 1);

    // The move ends: every master is told, the client's map is still the old one.
    await to.client.call('CLUSTER', 'SETSLOT', slot, 'NODE', toId);
    await from.client.call('CLUSTER', 'SETSLOT', slot, 'NODE', toId);
    for (const master of await cluster.masters()) await master.client.call('CLUSTER', 'SETSLOT', slot, 'NODE', toId);
    await until(async () => (await cluster.masterOf(key)) === to, 'the slot to have moved');
    const movedBefore = await errorCount(from.client, 'MOVED');
    await to.client.lpush(key, 'moved');
    const after = await pool.run(async ({ redis }) => ({ port: redis.options.port, reply: await redis.brpop(key, 5) }), undefined, key);
    expect(after).toEqual({ port: to.port, reply: [key, 'moved'] });
    expect(await errorCount(from.client, 'MOVED')).toBe(movedBefore + 1);
    // The map was refreshed: the next command goes straight to the new owner.
    await pool.run(({ redis }) => redis.call('BLMOVE', key, `${key}:to`, 'RIGHT', 'LEFT', '0.01'), undefined, key);
    expect(await errorCount(from.client, 'MOVED')).toBe(movedBefore + 1);
  }, 30_000);
});

describe('streams on Redis Cluster', () => {
  it('sends XGROUP CREATE and XINFO GROUPS to the stream’s master, not to a random node (no MOVED, no slot refresh)', async () => {
    const store = createStreamStore(client, { maxEventBytes: 65_536 });
    for (const { node, key } of keys) {
      const creates = await Promise.all(keys.map(({ node: other }) => commandCalls(other.client, 'xgroup|create')));
      const movedByCreate = await Promise.all(keys.map(({ node: other }) => errorCount(other.client, 'MOVED')));
      expect(await store.createGroup(key, 'g', '0')).toBe(true);
      for (let round = 0; round < 5; round++) expect(await store.createGroup(key, 'g', '0')).toBe(false);
      const createsAfter = await Promise.all(keys.map(({ node: other }) => commandCalls(other.client, 'xgroup|create')));
      keys.forEach(({ node: other }, index) => {
        expect((createsAfter[index] as number) - (creates[index] as number), `XGROUP CREATE calls on ${other.port}`).toBe(other === node ? 6 : 0);
      });
      expect(await Promise.all(keys.map(({ node: other }) => errorCount(other.client, 'MOVED')))).toEqual(movedByCreate);
      const before = await Promise.all(keys.map(({ node: other }) => commandCalls(other.client, 'xinfo|groups')));
      const moved = await Promise.all(keys.map(({ node: other }) => errorCount(other.client, 'MOVED')));
      // XACK of an id nobody holds answers 0, so the store asks XINFO GROUPS whether the group exists.
      for (let round = 0; round < 9; round++) expect(await store.ack(key, 'g', ['1-1'])).toBe(0);
      await expect(store.ack(key, 'no-such-group', ['1-1'])).rejects.toThrow('has no consumer group "no-such-group"');
      const after = await Promise.all(keys.map(({ node: other }) => commandCalls(other.client, 'xinfo|groups')));
      const movedAfter = await Promise.all(keys.map(({ node: other }) => errorCount(other.client, 'MOVED')));
      keys.forEach(({ node: other }, index) => {
        const calls = (after[index] as number) - (before[index] as number);
        expect(calls, `XINFO GROUPS calls on ${other.port}`).toBe(other === node ? 10 : 0);
      });
      expect(movedAfter).toEqual(moved);
    }
  });

  it('follows streams with one XREAD BLOCK per slot in use, however many streams and subscribers', async () => {
    const hub = createStreamReaderHub({ store: createStreamStore(client, { maxEventBytes: 65_536 }), blocking: pool, logger, blockMs: 2000 });
    // Three streams share the slot of {alpha}, two that of {beta}, one stands alone.
    const streams = ['{alpha}a', '{alpha}b', '{alpha}c', '{beta}a', '{beta}b', 'lonely'];
    const slots = new Set(await Promise.all(streams.map(async (name) => Number(await client.call('CLUSTER', 'KEYSLOT', name)))));
    expect(slots.size).toBe(3);
    const seen = new Map<string, string[]>();
    const subscriptions = [];
    for (const stream of streams) {
      // Two subscribers per stream: still one read.
      for (let copy = 0; copy < 2; copy++) {
        subscriptions.push(
          await hub.subscribe(stream, {
            onEvents: (events: readonly HubEvent[]) => {
              const list = seen.get(`${stream}#${copy}`) ?? [];
              list.push(...events.map(({ event }) => event.id));
              seen.set(`${stream}#${copy}`, list);
            },
            onEnd: () => undefined,
          }),
        );
      }
    }
    const masters = await cluster.masters();
    const blockedReads = async () => (await Promise.all(masters.map((node) => namedClients(node.client, BLOCKING)))).reduce((sum, c) => sum + c.blocked, 0);
    await until(async () => (await blockedReads()) === 3, 'one blocked XREAD per slot');
    expect(hub.stats()).toMatchObject({ streams: 6, connections: 3 });
    const added = new Map<string, string>();
    for (const stream of streams) added.set(stream, String(await client.xadd(stream, '*', 'n', stream)));
    await until(() => streams.every((stream) => seen.get(`${stream}#0`)?.length === 1 && seen.get(`${stream}#1`)?.length === 1), 'every entry to every subscriber');
    for (const stream of streams) expect(seen.get(`${stream}#0`)).toEqual([added.get(stream)]);
    expect(hub.stats().connections).toBe(3);
    for (const subscription of subscriptions) subscription.unsubscribe();
    await hub.close();
    await until(async () => (await blockedReads()) === 0, 'the reads to end');
  });

  it('runs a consumer group’s blocking reads on the master of each stream', async () => {
    const store = createStreamStore(client, { maxEventBytes: 65_536 });
    for (const { node, key } of keys) {
      const stream = `${key}:group`;
      // Same slot? Not necessarily: route by the stream's own key.
      await store.createGroup(stream, 'workers', '$');
      const consumer = createGroupConsumer({ redis: client, blocking: pool, stream, group: 'workers', consumer: 'c1', claimIdleMs: 0, blockMs: 20_000, logger });
      await consumer.start();
      const next = consumer.next();
      const owner = await cluster.masterOf(stream);
      await until(async () => (await blockedOn(owner)) === 1, `the XREADGROUP on ${owner.port} (${node.port})`);
      const id = await client.xadd(stream, '*', 'job', '1');
      expect((await next)?.id).toBe(id);
      consumer.stop();
    }
  });
});

describe('writes confirmed by replicas (REDIS_WAIT_REPLICAS)', () => {
  it('fails an entry or a job that no replica confirmed with UNAVAILABLE, after WAIT on the key’s master', async () => {
    // This cluster's masters have no replica: WAIT 1 can only time out.
    const acks = { replicas: 1, timeoutMs: 50 };
    const [{ node, key }] = keys as [(typeof keys)[0]];
    const waitsBefore = await commandCalls(node.client, 'wait');
    const store = createStreamStore(client, { maxEventBytes: 65_536, replicaAcks: acks });
    await expect(store.add(key, { n: 1 }, null)).rejects.toMatchObject({ extensions: { code: 'UNAVAILABLE' } });
    const queue = `{${key}}:durable`;
    const queues = createJobStore({ redis: client as unknown as Redis, blocking: pool, visibilityTimeoutMs: 30_000, maxAttempts: 3, maxPayloadBytes: 65_536, replicaAcks: acks });
    await expect(queues.enqueue(queue, { n: 1 })).rejects.toThrow('not confirmed by 1 replica(s) within 50 ms');
    // WAIT went to the keys' master, where the writes were (it is keyless for ioredis).
    expect(await commandCalls(node.client, 'wait')).toBe(waitsBefore + 2);
  });

  it('sends no WAIT under auto (the default) to a master without replicas, and reports nothing late', async () => {
    const late: string[] = [];
    const acks = { replicas: 'auto' as const, timeoutMs: 50, late: (key: string) => late.push(key) };
    const [{ node, key }] = keys as [(typeof keys)[0]];
    const waitsBefore = await commandCalls(node.client, 'wait');
    const store = createStreamStore(client, { maxEventBytes: 65_536, replicaAcks: acks });
    await store.add(key, { n: 2 }, null);
    const queues = createJobStore({ redis: client as unknown as Redis, blocking: pool, visibilityTimeoutMs: 30_000, maxAttempts: 3, maxPayloadBytes: 65_536, replicaAcks: acks });
    await queues.enqueue(`{${key}}:auto`, { n: 2 });
    expect(await commandCalls(node.client, 'wait')).toBe(waitsBefore);
    expect(late).toEqual([]);
  });
});

describe('queues on Redis Cluster', () => {
  it('waits for jobs with one BLMOVE on each queue’s master', async () => {
    const store = createJobStore({ redis: client as unknown as Redis, blocking: pool, visibilityTimeoutMs: 30_000, maxAttempts: 3, maxPayloadBytes: 65_536 });
    const dispatcher = createJobDispatcher({ store, logger, blocking: pool, poolSize: 4, blockSeconds: 20 });
    const stop = new AbortController();
    try {
      const queues = keys.map(({ key }) => `{${key}}jobs`);
      const owners = await Promise.all(queues.map((queue) => cluster.masterOf(queue)));
      const waits = queues.map((queue) => dispatcher.next(queue, stop.signal));
      await until(async () => (await Promise.all(owners.map(blockedOn))).every((count) => count === 1), 'a BLMOVE on every queue’s master');
      expect(dispatcher.blockingConnections).toBe(3);
      for (const queue of queues) await client.lpush(queue, JSON.stringify({ queue }));
      const jobs = await Promise.all(waits);
      expect(jobs.map((job) => job?.payload)).toEqual(queues.map((queue) => ({ queue })));
      // The take recorded the job on its master: it is active there.
      for (const [index, queue] of queues.entries()) expect((await store.job(queue, jobs[index]?.id as string))?.state).toBe('active');
    } finally {
      stop.abort();
      await dispatcher.close();
    }
  });
});

/** A TCP proxy to one node that can lose the next reply to a connection that sent XREADGROUP. */
interface ReplyDropper {
  port: number;
  /** The next data from Redis to an XREADGROUP connection is thrown away and that connection cut. */
  arm(): void;
  /** Replies thrown away so far. */
  readonly dropped: number;
  close(): Promise<void>;
}

async function startReplyDropper(targetPort: number): Promise<ReplyDropper> {
  let armed = false;
  let dropped = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((downstream) => {
    const upstream = connect(targetPort, '127.0.0.1');
    let reads = false;
    for (const socket of [downstream, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        downstream.destroy();
        upstream.destroy();
      });
    }
    downstream.on('data', (chunk: Buffer) => {
      if (chunk.includes('XREADGROUP')) reads = true;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (armed && reads) {
        armed = false;
        dropped++;
        downstream.destroy();
        upstream.destroy();
        return;
      }
      downstream.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    arm: () => void (armed = true),
    get dropped() {
      return dropped;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('a consumer whose XREADGROUP reply was lost', () => {
  // Its XREADGROUP BLOCK is served by its master and the reply never arrives: the connection drops
  // on the way (a failover, a network cut). The entries it gave are pending at this consumer, which
  // must hand them out, not leave them pending for ever (its own heartbeat keeps them from being
  // claimed by anyone else).
  let master: ClusterNode;
  let stream: string;
  let dropper: ReplyDropper;
  /** A Cluster client that reaches `master` through the dropper (natMap), for this pool only. */
  let routed: Cluster;
  let routedPool: BlockingPool;

  beforeAll(async () => {
  ({ node: master, key: stream } = (await keysPerMaster(cluster, 'lost-reply'))[1]!);
  dropper = await startReplyDropper(master.port);
  routed = new Cluster(
    cluster.nodes.map((node) => ({ host: '127.0.0.1', port: node.port })),
    { natMap: { [`127.0.0.1:${master.port}`]: { host: '127.0.0.1', port: dropper.port } } },
  );
  routed.on('error', () => undefined);
  await until(() => routed.status === 'ready', 'the routed cluster client');
  routedPool = createBlockingPool({ control: routed, maxConnections: 2, logger });
  });

  afterAll(async () => {
    await routedPool?.close();
    routed?.disconnect();
    await dropper?.close();
  });

  it('hands out the entries that read gave it, once its connection is back', async () => {
    const store = createStreamStore(client, { maxEventBytes: 65_536 });
    await store.createGroup(stream, 'g', '$');
    const consumer = createGroupConsumer({ redis: client, blocking: routedPool, stream, group: 'g', consumer: 'c1', claimIdleMs: 0, blockMs: 30_000, logger });
    await consumer.start();
    let got: StreamEvent | null | undefined;
    void consumer.next().then((event) => (got = event));
    await until(async () => (await namedClients(master.client, 'switchboard:blocking')).blocked === 1, 'the XREADGROUP to block on its master');

    dropper.arm();
    const id = await client.xadd(stream, '*', 'n', 'lost');
    await until(() => dropper.dropped === 1, 'the reply to be lost');
    // Redis gave the entry to c1: it is pending there, delivered once.
    const pending = (await client.xpending(stream, 'g', '-', '+', 10)) as Array<[string, string, number, number]>;
    expect(pending.map(([entry, owner]) => [entry, owner])).toEqual([[id, 'c1']]);

    await until(() => got !== undefined, 'the consumer to hand out the entry of the lost reply', 15_000);
    expect(got?.id).toBe(id);
    // Only that entry, once: nothing else pending, and the next read waits for new entries.
    const next = consumer.next();
    const later = await client.xadd(stream, '*', 'n', 'later');
    expect((await next)?.id).toBe(later);
    consumer.stop();
  });
});
