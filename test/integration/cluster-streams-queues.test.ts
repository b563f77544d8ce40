import { beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { type Operation, codes, post, postData, subscription, wsClient } from '../support/graphql.js';
import {
  ACK_EVENTS as ACK,
  ACK_JOB,
  ADD_EVENT as ADD,
  CREATE_GROUP,
  DEQUEUE,
  ENQUEUE,
  FOLLOW,
  GROUP_EVENTS,
  JOBS,
  PENDING_EVENTS as PENDING,
  QUEUE_LENGTH_STATS as STATS,
} from '../support/operations.js';
import { keysPerMaster, namedClients } from '../support/cluster-stats.js';
import type { TestServer } from '../support/server.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';

// Streams and queues on a real 3-master + 3-replica Redis Cluster, through two Switchboard servers
// in cluster mode (REDIS_CLUSTER_NODES), beyond what the suites run there (cluster-*-suite):
// entries on every master, history then live without gap or duplicate, one XREAD BLOCK per slot in
// use (never one per subscriber), consumer groups with XREADGROUP BLOCK on each stream's master,
// XINFO by key; queues on every master, FIFO across servers, dequeue waits blocked (BLMOVE) on the
// queue's own master and shared per queue, `jobs` subscribers.

const BLOCKING = 'switchboard:blocking';
const EVENTS = graphql(`
  query ClusterStreamsEvents($stream: String!) {
    events(stream: $stream, first: 100) {
      edges {
        node {
          id
          data
        }
      }
    }
  }
`);

// Twelve subscriptions of one user at once in the sharing test.
const { redis, servers: [a, b], user } = useServers({ backend: 'cluster', servers: 2, config: { maxBlockingOperationsPerUser: 32 }, users: ['clstreams'] });
/** A queue name on each master, with the master. */
let queues: Awaited<ReturnType<typeof keysPerMaster>>;
/** A stream name on each master. */
let names: string[];
let token: string;

beforeAll(async () => {
  token = user.token;
  names = (await keysPerMaster(redis.cluster, 'cl-stream')).map(({ key }) => key);
  queues = await keysPerMaster(redis.cluster, 'cl-queue');
});

async function addEvent(server: TestServer, stream: string, data: unknown): Promise<string> {
  return (await postData(server.httpUrl, ADD, { stream, data }, token)).addEvent.id;
}

/** Blocked pooled connections over every master. */
async function blockedReads(): Promise<number> {
  const counts = await Promise.all((await redis.cluster.masters()).map((node) => namedClients(node.client, BLOCKING)));
  return counts.reduce((sum, count) => sum + count.blocked, 0);
}

describe('streams on Redis Cluster, two servers', () => {
  it('adds and pages entries of streams on every master', async () => {
    for (const name of names) {
      const ids = [await addEvent(a, name, { n: 1 }), await addEvent(b, name, { n: 2 })];
      const response = await post(b.httpUrl, EVENTS, { stream: name }, { token });
      expect(response.body.data?.events.edges.map(({ node }) => node)).toEqual([
        { id: ids[0], data: { n: 1 } },
        { id: ids[1], data: { n: 2 } },
      ]);
      expect((await redis.client.xrange(name, '-', '+')).map(([id]) => id)).toEqual(ids);
    }
  });

  it('replays with `after`, then follows live entries written through the other server, on every master', async () => {
    const ws = wsClient(b.wsUrl, token);
    try {
      const subs = [];
      const first: string[] = [];
      for (const name of names) {
        const stream = `${name}:live`;
        first.push(await addEvent(a, stream, { n: 0 }));
        subs.push(subscription(ws, FOLLOW, { stream, after: '0' }));
      }
      for (const sub of subs) await sub.waitForEvents(1);
      await until(() => b.app.services.streamReaders.readerCount() === names.length, 'a reader per stream');
      const second: string[] = [];
      for (const name of names) second.push(await addEvent(a, `${name}:live`, { n: 1 }));
      for (const [index, sub] of subs.entries()) {
        await sub.waitForEvents(2);
        expect(sub.events.map((event) => event.data?.events.id)).toEqual([first[index], second[index]]);
      }
    } finally {
      await ws.dispose();
    }
  });

  it('shares one XREAD BLOCK among the streams of one slot and among all their subscribers', async () => {
    await until(async () => b.app.services.streamReaders.readerCount() === 0 && (await blockedReads()) === 0, 'the earlier readers to stop');
    const ws = [wsClient(b.wsUrl, token), wsClient(b.wsUrl, token)];
    try {
      // Four streams in the slot of {shared}, two in that of {other}; two subscribers each.
      const streams = ['{shared}1', '{shared}2', '{shared}3', '{shared}4', '{other}1', '{other}2'];
      const subs = streams.flatMap((stream) => ws.map((connection) => ({ stream, sub: subscription(connection, FOLLOW, { stream }) })));
      await until(() => b.app.services.streamReaders.readerCount() === streams.length, 'the readers');
      await until(async () => (await blockedReads()) === 2, 'one blocked XREAD per slot');
      expect(b.app.services.streamReaders.stats().connections).toBe(2);
      const ids = new Map<string, string>();
      for (const stream of streams) ids.set(stream, await addEvent(a, stream, { stream }));
      for (const { stream, sub } of subs) {
        await sub.waitForEvents(1);
        expect(sub.events, JSON.stringify(sub.events)).toEqual([{ data: { events: { id: ids.get(stream), data: { stream } } } }]);
      }
      // Each read's XREAD is sent again once its reply is dispatched: look until both are back.
      await until(async () => (await blockedReads()) === 2, 'one blocked XREAD per slot again');
      expect(b.app.services.streamReaders.stats().connections).toBe(2);
    } finally {
      await Promise.all(ws.map((connection) => connection.dispose()));
    }
    await until(async () => b.app.services.streamReaders.readerCount() === 0 && (await blockedReads()) === 0, 'the reads to end');
  });

  it('runs consumer groups on each stream’s master: groupEvents, ackEvents, pendingEvents', async () => {
    const ws = wsClient(b.wsUrl, token);
    try {
      for (const name of names) {
        const stream = `${name}:jobs`;
        const created = await post(a.httpUrl, CREATE_GROUP, { stream, group: 'workers', startId: '$' }, { token });
        expect(created.body.errors).toBeUndefined();
        const sub = subscription(ws, GROUP_EVENTS, { stream, group: 'workers', consumer: 'w1' });
        const owner = await redis.cluster.masterOf(stream);
        await until(async () => (await namedClients(owner.client, BLOCKING)).blocked >= 1, `the XREADGROUP on ${owner.port}`);
        const id = await addEvent(a, stream, { job: stream });
        await sub.waitForEvents(1);
        expect(sub.events[0]?.data?.groupEvents).toEqual({ id, data: { job: stream } });
        const pending = await post(a.httpUrl, PENDING, { stream, group: 'workers' }, { token });
        expect(pending.body.data?.pendingEvents.map((entry) => ({ id: entry.id, consumer: entry.consumer }))).toEqual([{ id, consumer: 'w1' }]);
        const acked = await post(b.httpUrl, ACK, { stream, group: 'workers', ids: [id] }, { token });
        expect(acked.body.data?.ackEvents).toBe(1);
        // Nothing pending, and acknowledging again (XINFO GROUPS, routed by key) says 0, not an error.
        const again = await post(b.httpUrl, ACK, { stream, group: 'workers', ids: [id] }, { token });
        expect(again.body.data?.ackEvents).toBe(0);
        const unknown = await post(b.httpUrl, ACK, { stream, group: 'nobody', ids: [id] }, { token });
        expect(codes(unknown)).toEqual(['NOT_FOUND']);
      }
    } finally {
      await ws.dispose();
    }
  });
});

const data = <T, V>(server: TestServer, query: Operation<T, V>, variables: V) => postData(server.httpUrl, query, variables, token);

const enqueue = async (server: TestServer, queue: string, payload: unknown) => (await data(server, ENQUEUE, { q: queue, p: payload })).enqueue;
const dequeue = async (server: TestServer, queue: string, timeoutSeconds?: number) => (await data(server, DEQUEUE, { q: queue, t: timeoutSeconds })).dequeue;

describe('queues on Redis Cluster, two servers', () => {
  it('keeps FIFO order across servers and plain LPUSHes, for queues on every master', async () => {
    for (const { key: queue } of queues) {
      const first = await enqueue(a, queue, { n: 1 });
      await redis.client.lpush(queue, '{"n":2}');
      await enqueue(b, queue, { n: 3 });
      const taken = [(await dequeue(b, queue))!, (await dequeue(a, queue))!, (await dequeue(b, queue))!];
      expect(taken.map((job) => job.payload)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
      expect(taken[0]?.id).toBe(first.id);
      expect(await data(a, STATS, { q: queue })).toEqual({ queueLength: 0, queueStats: { waiting: 0, processing: 3, dead: 0 } });
      for (const job of taken) expect(await data(a, ACK_JOB, { q: queue, id: job.id })).toEqual({ ackJob: true });
      expect(await data(b, STATS, { q: queue })).toEqual({ queueLength: 0, queueStats: { waiting: 0, processing: 0, dead: 0 } });
    }
  });

  it('blocks dequeue waits on the queue’s own master, one BLMOVE per queue however many wait', async () => {
    for (const { key, node } of queues) {
      const queue = `${key}:waits`;
      const owner = await redis.cluster.masterOf(queue);
      const before = (await namedClients(owner.client, BLOCKING)).blocked;
      const waits = [dequeue(b, queue, 20), dequeue(b, queue, 20), dequeue(b, queue, 20)];
      await until(() => b.app.services.queues.dispatcher.waiting === 3, `three waits on ${queue} (${node.port})`);
      await until(async () => (await namedClients(owner.client, BLOCKING)).blocked === before + 1, 'one BLMOVE on the queue’s master');
      expect(b.app.services.queues.dispatcher.blockingConnections).toBe(1);
      // A plain client's LPUSH and two enqueues through the other server wake all three.
      await redis.client.lpush(queue, '"plain"');
      await enqueue(a, queue, 'second');
      await enqueue(a, queue, 'third');
      const jobs = (await Promise.all(waits)).map((job) => job!);
      expect(jobs.map((job) => job.payload).sort()).toEqual(['plain', 'second', 'third']);
      for (const job of jobs) expect(await data(b, ACK_JOB, { q: queue, id: job.id })).toEqual({ ackJob: true });
    }
  });

  it('hands each job to one `jobs` subscriber, on every master', async () => {
    const ws = [wsClient(a.wsUrl, token), wsClient(b.wsUrl, token)];
    try {
      for (const { key } of queues) {
        const queue = `${key}:subscribed`;
        const subs = ws.map((connection) => subscription(connection, JOBS, { q: queue }));
        await until(() => a.app.services.queues.dispatcher.waiting + b.app.services.queues.dispatcher.waiting >= 2, 'both subscribers waiting');
        const sent = [];
        for (let n = 0; n < 6; n++) sent.push((await enqueue(a, queue, { n })).id);
        // Each subscriber holds one job at a time (concurrency 1): it acknowledges each as it comes.
        const acked = new Set<string>();
        await until(async () => {
          for (const event of subs.flatMap((sub) => sub.events)) {
            const id = event.data?.jobs.id;
            if (id && !acked.has(id)) {
              acked.add(id);
              expect(await data(b, ACK_JOB, { q: queue, id })).toEqual({ ackJob: true });
            }
          }
          return acked.size === 6;
        }, 'every job delivered and acknowledged');
        const received = subs.flatMap((sub) => sub.events.map((event) => event.data?.jobs.id));
        expect(received.sort()).toEqual([...sent].sort());
        for (const sub of subs) sub.dispose();
      }
    } finally {
      await Promise.all(ws.map((connection) => connection.dispose()));
    }
  });
});
