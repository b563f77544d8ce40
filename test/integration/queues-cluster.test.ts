import { type Cluster, Redis } from 'ioredis';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBlockingPool } from '../../src/redis/blocking-pool.js';
import { QUEUE_REGISTRY_KEY } from '../../src/redis/keys.js';
import { createJobStore, type JobStore } from '../../src/queues/store.js';
import type { TestCluster } from '../support/redis-cluster.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';

// Every queue script on a real Redis Cluster: a script that touched a key outside its queue's slot
// would fail here ("non local key" / CROSSSLOT), so this shows that each one keeps to one slot.

const bed = useServers({ backend: 'cluster', servers: 0, cluster: { masters: 3, replicasPerMaster: 0 } });
let cluster: TestCluster;
let client: Cluster;
let store: JobStore;

beforeAll(() => {
  ({ cluster, client } = bed.redis);
  const logger = pino({ level: 'silent' });
  store = createJobStore({
    // The store uses only single-slot commands and scripts, which a cluster client routes by key.
    redis: client as unknown as Redis,
    blocking: createBlockingPool({ url: cluster.nodes[0]!.url, maxConnections: 1, control: cluster.nodes[0]!.client, logger }),
    visibilityTimeoutMs: 200,
    maxAttempts: 3,
    maxPayloadBytes: 65_536,
  });
});

describe.each([['jobs'], ['{orders}:high'], ['reports.{tenant-7}']])('the queue %s on Redis Cluster', (queue) => {
  it('runs every script in the queue’s slot: enqueue with options, take, progress, complete, fail, backoff, reap, pause', async () => {
    await client.lpush(queue, 'plain');
    const keyed = await store.enqueue(queue, { n: 1 }, { priority: 'high', key: 'k1', backoff: { type: 'fixed', delayMs: 50 } });
    expect((await store.enqueue(queue, { n: 1 }, { key: 'k1' })).created).toBe(false);
    const delayed = await store.enqueue(queue, { n: 2 }, { delaySeconds: 1 });
    expect(delayed.job.state).toBe('delayed');

    const first = await store.takeNow(queue, 2);
    expect(first.jobs.map((job) => job.payload)).toEqual([{ n: 1 }, 'plain']);
    const [high, plain] = first.jobs as [NonNullable<(typeof first.jobs)[0]>, NonNullable<(typeof first.jobs)[0]>];
    expect(await store.progress(queue, high.id, '{"p":50}')).toBe(true);
    expect(await store.fail(queue, high.id, 'retry me')).toBe('returned');
    expect((await store.job(queue, high.id))?.state).toBe('failed');
    const acked = await store.complete(queue, plain.id, '{"ok":true}', 1);
    expect(acked.acked).toBe(true);

    // The backoff and the delay pass; the reaper's script moves both back.
    await until(async () => (await store.reap(queue)).delayed === 0, 'the delayed jobs to be due');
    expect((await store.counts(queue)).waiting).toBe(2);

    await store.pause(queue);
    expect((await store.takeNow(queue, 1)).paused).toBe(true);
    await store.resume(queue);
    const again = await store.takeNow(queue, 2);
    expect(again.jobs.map((job) => job.payload)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(again.jobs[0]?.attempts).toBe(1);
    const done = await store.completeMany(
      queue,
      again.jobs.map((job) => ({ id: job.id, resultText: null })),
      0,
    );
    expect(done.acked).toEqual([true, true]);
    expect((await store.job(queue, keyed.job.id))?.state).toBe('completed');

    // A lease that ends is returned by the reaper's script.
    await client.lpush(queue, 'slow');
    const slow = (await store.takeNow(queue, 1)).jobs[0];
    await until(async () => (await store.reap(queue)).returned === 1, 'the lease to end');
    expect((await store.job(queue, slow?.id as string))?.failedReason).toBe('visibility timeout');

    // The blocking take, on a connection to the node that holds the queue's slot.
    const master = await cluster.masterOf(queue);
    const connection = new Redis(master.url);
    try {
      const taken = await store.blockingTake(connection, queue, 1);
      expect(taken.jobs[0]?.payload).toBe('slow');
      expect(await store.ack(queue, taken.jobs[0]?.id as string)).toBe(true);
    } finally {
      connection.disconnect();
    }
    expect(await store.counts(queue)).toEqual({ waiting: 0, processing: 0, dead: 0, delayed: 0, paused: false });
    expect(await client.zscore(QUEUE_REGISTRY_KEY, queue)).not.toBeNull();
  });
});
