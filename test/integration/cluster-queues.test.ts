import { beforeAll, describe, expect, it } from 'vitest';
import { post, subscription, wsClient } from '../support/graphql.js';
import { keysPerMaster, namedClients } from '../support/cluster-stats.js';
import type { TestServer } from '../support/server.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';

// The queues suite's scenarios on a real 3-master + 3-replica Redis Cluster, through two
// Switchboard servers in cluster mode: queues on every master, FIFO across servers, dequeue waits
// blocked (BLMOVE) on the queue's own master and shared per queue, `jobs` subscribers, acks.

const BLOCKING = 'switchboard:blocking';
const ENQUEUE = 'mutation Enqueue($q: String!, $p: JSON!) { enqueue(queue: $q, payload: $p) { id queue payload attempts } }';
const DEQUEUE = 'mutation Dequeue($q: String!, $t: Float) { dequeue(queue: $q, timeoutSeconds: $t) { id queue payload attempts } }';
const ACK = 'mutation Ack($q: String!, $id: ID!) { ackJob(queue: $q, id: $id) }';
const STATS = 'query Stats($q: String!) { queueLength(queue: $q) queueStats(queue: $q) { waiting processing dead } }';
const JOBS = 'subscription Jobs($q: String!) { jobs(queue: $q) { id payload attempts } }';

interface JobShape {
  id: string;
  queue: string;
  payload: unknown;
  attempts: number;
}

const { redis, servers: [a, b], user } = useServers({ backend: 'cluster', servers: 2, config: { maxBlockingOperationsPerUser: 32 }, users: ['clqueues'] });
let token: string;
/** A queue name on each master, with the master. */
let queues: Awaited<ReturnType<typeof keysPerMaster>>;

beforeAll(async () => {
  token = user.token;
  queues = await keysPerMaster(redis.cluster, 'cl-queue');
});

async function data<T>(server: TestServer, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await post<T>(server.httpUrl, query, variables, { token });
  if (!response.body.data) throw new Error(JSON.stringify(response.body));
  return response.body.data;
}

const enqueue = async (server: TestServer, queue: string, payload: unknown) => (await data<{ enqueue: JobShape }>(server, ENQUEUE, { q: queue, p: payload })).enqueue;
const dequeue = async (server: TestServer, queue: string, timeoutSeconds?: number) =>
  (await data<{ dequeue: JobShape | null }>(server, DEQUEUE, { q: queue, t: timeoutSeconds })).dequeue;

describe('queues on Redis Cluster, two servers', () => {
  it('keeps FIFO order across servers and plain LPUSHes, for queues on every master', async () => {
    for (const { key: queue } of queues) {
      const first = await enqueue(a, queue, { n: 1 });
      await redis.client.lpush(queue, '{"n":2}');
      await enqueue(b, queue, { n: 3 });
      const taken = [await dequeue(b, queue), await dequeue(a, queue), await dequeue(b, queue)] as JobShape[];
      expect(taken.map((job) => job.payload)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
      expect(taken[0]?.id).toBe(first.id);
      expect(await data(a, STATS, { q: queue })).toEqual({ queueLength: 0, queueStats: { waiting: 0, processing: 3, dead: 0 } });
      for (const job of taken) expect(await data(a, ACK, { q: queue, id: job.id })).toEqual({ ackJob: true });
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
      const jobs = (await Promise.all(waits)) as JobShape[];
      expect(jobs.map((job) => job.payload).sort()).toEqual(['plain', 'second', 'third']);
      for (const job of jobs) expect(await data(b, ACK, { q: queue, id: job.id })).toEqual({ ackJob: true });
    }
  });

  it('hands each job to one `jobs` subscriber, on every master', async () => {
    const ws = [wsClient(a.wsUrl, token), wsClient(b.wsUrl, token)];
    try {
      for (const { key } of queues) {
        const queue = `${key}:subscribed`;
        const subs = ws.map((connection) => subscription<{ jobs: JobShape }>(connection, JOBS, { q: queue }));
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
              expect(await data(b, ACK, { q: queue, id })).toEqual({ ackJob: true });
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
