import { Cluster, type Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobDispatcher } from '../../src/queues/dispatcher.js';
import { createJobReaper } from '../../src/queues/reaper.js';
import { createJobStore, type JobStore } from '../../src/queues/store.js';
import { createBlockingPool, type BlockingPool } from '../../src/redis/blocking-pool.js';
import { createGroupConsumer } from '../../src/streams/group-consumer.js';
import { createStreamReaderHub } from '../../src/streams/reader-hub.js';
import { compareEntryIds } from '../../src/streams/ids.js';
import { createStreamStore, type StreamStore } from '../../src/streams/store.js';
import { namedClients } from '../support/cluster-stats.js';
import { post, subscription as graphqlSubscription } from '../support/graphql.js';
import type { ClusterNode, TestCluster } from '../support/redis-cluster.js';
import { ADD_EVENT as ADD, EVENTS as FOLLOW } from '../support/operations.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';

// Failover of the master that holds a stream and a queue while writers, a live reader, a consumer
// group and job workers run: once with CLUSTER FAILOVER on its replica, once with SIGKILL of the
// master. Nothing acknowledged is lost, the live feed has no duplicate, and every blocking read
// (XREAD, XREADGROUP, BLMOVE) is blocked on the new master afterwards.

const logger = pino({ level: process.env.TEST_LOG ?? 'silent' });
const BLOCKING = 'switchboard:blocking';
/** The stream and the queue share a hash tag: one master holds both, one failover moves both. */
const STREAM = '{failover}events';
const QUEUE = '{failover}jobs';
const GROUP = 'workers';
/** How many writes each phase waits for before and after the failover. */
const WRITES_PER_PHASE = 30;
/** Every acknowledged write is confirmed by this many replicas (WAIT) before it counts. */
const REPLICA_ACKS = { replicas: 1, timeoutMs: 2000 };

// 3 masters + 3 replicas, with a short node timeout so that a killed master is replaced within a
// few seconds, and one server in cluster mode whose writes wait for a replica (REDIS_WAIT_REPLICAS).
const bed = useServers({
  backend: 'cluster',
  servers: 1,
  config: { redisWaitReplicas: 1, redisWaitTimeoutMs: 2000 },
  users: ['failover'],
  cluster: { masters: 3, replicasPerMaster: 1, nodeTimeoutMs: 1000 },
});
let cluster: TestCluster;
let client: Cluster;
let pool: BlockingPool;
let streams: StreamStore;
let jobs: JobStore;

beforeAll(async () => {
  cluster = bed.redis.cluster;
  client = new Cluster(
    cluster.nodes.map((node) => ({ host: '127.0.0.1', port: node.port })),
    { slotsRefreshInterval: 250, retryDelayOnFailover: 100, retryDelayOnClusterDown: 100, retryDelayOnTryAgain: 100, redisOptions: { maxRetriesPerRequest: 2, connectTimeout: 1000 } },
  );
  client.on('error', () => undefined);
  await until(() => client.status === 'ready', 'the cluster client');
  pool = createBlockingPool({ control: client, maxConnections: 8, logger });
  streams = createStreamStore(client, { maxEventBytes: 65_536, replicaAcks: REPLICA_ACKS });
  jobs = createJobStore({ redis: client as unknown as Redis, blocking: pool, visibilityTimeoutMs: 1500, maxAttempts: 100, maxPayloadBytes: 65_536, replicaAcks: REPLICA_ACKS });
  await streams.createGroup(STREAM, GROUP, '0');
});

afterAll(async () => {
  await pool?.close();
  client?.disconnect();
});

interface Workload {
  /** Entry ids XADD returned (and WAIT confirmed), and those `addEvent` returned through the server. */
  added: string[];
  /** Entry ids the live reader delivered, in order. */
  delivered: string[];
  /** Entry ids the server's `events` subscription delivered over graphql-ws, in order. */
  subscribed: string[];
  /** Error messages the subscription got; whether it ended. */
  subscriptionErrors: string[];
  subscriptionEnded: boolean;
  /** Entry ids the consumer group's consumer handed out (then acknowledged). */
  processed: string[];
  /** Job ids enqueue returned. */
  enqueued: string[];
  /** Job ids completed by the workers (complete answered `acked`). */
  completed: string[];
  stopWriting(): Promise<void>;
  stop(): Promise<void>;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retries an idempotent command (XACK, a job's completion) until Redis answers. */
async function persist<T>(work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await work();
    } catch {
      await pause(50);
    }
  }
}

async function startWorkload(): Promise<Workload> {
  const added: string[] = [];
  const delivered: string[] = [];
  const processed: string[] = [];
  const enqueued: string[] = [];
  const completed: string[] = [];
  let writing = true;
  let running = true;
  const stopping = new AbortController();

  // A GraphQL subscriber of the stream on the server, from now on.
  const ws = bed.wsClient(bed.server, bed.user.token);
  // From the stream's last entry now: the writers may start before the server's reader knows its
  // place, and what they add meanwhile comes from storage, then the rest live.
  const [last] = await client.xrevrange(STREAM, '+', '-', 'COUNT', 1);
  const live = graphqlSubscription(ws, FOLLOW, { stream: STREAM, after: last?.[0] ?? '0' });
  await until(() => bed.server.app.services.streamReaders.readerCount() === 1, 'the server to follow the stream');
  const hub = createStreamReaderHub({ store: streams, blocking: pool, logger, blockMs: 1000 });
  const subscription = await hub.subscribe(STREAM, { onEvents: (events) => delivered.push(...events.map(({ event }) => event.id)), onEnd: () => undefined });
  // Whatever the stream held before this workload is history, not part of the feed.
  const consumer = createGroupConsumer({ redis: client, blocking: pool, stream: STREAM, group: GROUP, consumer: 'c1', claimIdleMs: 0, blockMs: 1000, logger });
  await consumer.start();
  const dispatcher = createJobDispatcher({ store: jobs, logger, blocking: pool, poolSize: 8, blockSeconds: 1, retryMs: 100 });
  const reaper = createJobReaper({ store: jobs, logger, intervalMs: 200 });
  reaper.start();

  const writer = (async () => {
    for (let seq = 0; writing; seq++) {
      try {
        added.push((await streams.add(STREAM, { seq }, null)).id);
      } catch {
        await pause(20);
      }
    }
  })();
  // addEvent through the server: acknowledged once a replica has it (REDIS_WAIT_REPLICAS=1).
  const apiWriter = (async () => {
    for (let seq = 0; writing; seq++) {
      const response = await post(bed.server.httpUrl, ADD, { stream: STREAM, data: { api: seq } }, { token: bed.user.token }).catch(() => null);
      const id = response?.body.data?.addEvent.id;
      if (id) added.push(id);
      else await pause(20);
    }
  })();
  const producer = (async () => {
    for (let seq = 0; writing; seq++) {
      try {
        enqueued.push((await jobs.enqueue(QUEUE, { seq })).job.id);
      } catch {
        await pause(20);
      }
    }
  })();
  const consuming = (async () => {
    for (;;) {
      const event = await consumer.next().catch(() => undefined);
      if (event === null) return;
      if (!event) continue;
      processed.push(event.id);
      await persist(() => streams.ack(STREAM, GROUP, [event.id]));
    }
  })();
  const workers = [0, 1].map(async () => {
    while (running) {
      const job = await dispatcher.next(QUEUE, stopping.signal).catch(() => null);
      if (!job) continue;
      let failedOnce = false;
      const { acked } = await persist(() =>
        jobs.complete(QUEUE, job.id, null, 0).catch((error: unknown) => {
          failedOnce = true;
          throw error;
        }),
      );
      // A completion whose reply died with the master may have run all the same (and reached the
      // replica): its retry finds the job no longer in flight, and its record says completed.
      if (acked || (failedOnce && (await persist(() => jobs.job(QUEUE, job.id)))?.state === 'completed')) completed.push(job.id);
    }
  });

  return {
    added,
    delivered,
    get subscriptionErrors() {
      return live.errorMessages;
    },
    get subscriptionEnded() {
      return live.completed;
    },
    get subscribed() {
      return live.events.map((event) => event.data?.events.id).filter((id): id is string => id !== undefined);
    },
    processed,
    enqueued,
    completed,
    async stopWriting() {
      writing = false;
      await Promise.all([writer, apiWriter, producer]);
    },
    async stop() {
      running = false;
      stopping.abort();
      consumer.stop();
      subscription.unsubscribe();
      live.dispose();
      await Promise.all([consuming, ...workers]);
      await Promise.all([dispatcher.close(), reaper.stop(), hub.close()]);
    },
  };
}

const duplicates = (ids: string[]) => ids.filter((id, index) => ids.indexOf(id) !== index);
const missing = (expected: string[], got: string[]) => {
  const seen = new Set(got);
  return expected.filter((id) => !seen.has(id));
};

/** Runs the workload across `failover` and checks what came through. */
async function acrossFailover(failover: (master: ClusterNode) => Promise<void>, exactlyOnce: boolean, afterFailover?: (master: ClusterNode) => Promise<void>) {
  const master = await cluster.masterOf(STREAM);
  const work = await startWorkload();
  try {
    await until(() => work.added.length >= WRITES_PER_PHASE && work.completed.length >= WRITES_PER_PHASE, 'writes before the failover', 20_000);
    await failover(master);
    await until(async () => (await cluster.masterOf(STREAM).catch(() => master)) !== master, 'a new master for the stream and the queue', 30_000);
    const newMaster = await cluster.masterOf(STREAM);
    await afterFailover?.(master);
    const [addedBefore, enqueuedBefore] = [work.added.length, work.enqueued.length];
    await until(
      () => work.added.length >= addedBefore + WRITES_PER_PHASE && work.enqueued.length >= enqueuedBefore + WRITES_PER_PHASE,
      'writes after the failover',
      30_000,
    );
    await work.stopWriting();

    // Everything acknowledged reaches every reader.
    await until(() => missing(work.added, work.delivered).length === 0, 'every added entry in the live feed', 30_000);
    await until(() => missing(work.added, work.subscribed).length === 0, 'every added entry in the server’s events subscription', 30_000).catch((error: unknown) => {
      const server = bed.server.app.services;
      throw new Error(
        `${String(error)}; missing ${JSON.stringify(missing(work.added, work.subscribed))} of ${work.added.length}, last delivered ${work.subscribed.at(-1)}; ` +
          `readers ${JSON.stringify(server.streamReaders.stats())}; errors ${JSON.stringify(work.subscriptionErrors)} ended ${work.subscriptionEnded}; ` +
          `server log: ${bed.server.logs.lines.filter((line) => !line.includes('"level":30')).slice(-15).join('\n')}`,
      );
    });
    await until(() => missing(work.added, work.processed).length === 0, 'every added entry processed by the group', 30_000);
    await until(() => missing(work.enqueued, work.completed).length === 0, 'every enqueued job completed', 30_000);
    // And everything acknowledged is stored on the new master.
    const stored = ((await newMaster.client.call('XRANGE', STREAM, '-', '+')) as Array<[string, string[]]>).map(([id]) => id);
    expect(missing(work.added, stored)).toEqual([]);

    // The storage-backed live feed never repeats an entry, and keeps stream order.
    expect(duplicates(work.delivered)).toEqual([]);
    expect([...work.delivered].sort(compareEntryIds)).toEqual(work.delivered);
    expect(duplicates(work.subscribed)).toEqual([]);
    expect([...work.subscribed].sort(compareEntryIds)).toEqual(work.subscribed);
    // The subscription rode the failover out: no error, not ended.
    expect(work.subscriptionErrors).toEqual([]);
    expect(work.subscriptionEnded).toBe(false);
    if (exactlyOnce) {
      // A failover that loses no write loses no take or acknowledgement either.
      expect(duplicates(work.processed)).toEqual([]);
      expect(duplicates(work.completed)).toEqual([]);
    }

    // The blocking reads are back, blocked on the new master: the live XREADs (this process's
    // and the server's), the group's XREADGROUP and the queue's BLMOVE.
    await until(async () => (await namedClients(newMaster.client, BLOCKING)).blocked >= 4, 'four blocked reads on the new master', 15_000);
  } finally {
    await work.stopWriting();
    await work.stop();
  }
}

describe('failover of the master of a stream and a queue, with writers and readers running', () => {
  it('CLUSTER FAILOVER on its replica: nothing lost, nothing twice, reads resumed on the new master', async () => {
    await acrossFailover(async (master) => {
      const replicas = (await Promise.all(cluster.nodes.map(async (node) => ({ node, role: (await node.client.call('ROLE')) as [string, string, number] })))).filter(
        ({ role }) => role[0] === 'slave' && role[2] === master.port,
      );
      const replica = replicas[0]?.node;
      if (!replica) throw new Error(`no replica of ${master.port}`);
      expect(await replica.client.call('CLUSTER', 'FAILOVER')).toBe('OK');
    }, true);
  }, 120_000);

  it('SIGKILL of the master: nothing acknowledged lost, the live feed without duplicates, reads resumed', async () => {
    await cluster.waitHealthy();
    await acrossFailover(
      (master) => master.kill(),
      false,
      // The new master has no replica left, so writes that need one's confirmation fail until
      // the killed node is back (as a replica of the new master), as they should.
      (master) => master.restart(),
    );
  }, 120_000);
});
