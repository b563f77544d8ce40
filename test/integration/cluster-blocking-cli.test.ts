import { beforeAll, describe, expect, it } from 'vitest';
import { queueKeys } from '../../src/redis/keys.js';
import { keysPerMaster, namedClients } from '../support/cluster-stats.js';
import type { ClusterNode } from '../support/redis-cluster.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';

// `npm run consumer` and `npm run worker` against a Redis Cluster (REDIS_CLUSTER_NODES), as any
// other service on the bus would run them: their blocking reads (XREADGROUP BLOCK, BLMOVE) block on
// the master of the stream's or the queue's slot, not on the first seed, and they process and
// acknowledge everything.

const BLOCKING = 'switchboard:blocking';

const { redis, startCommand } = useServers({ backend: 'cluster', servers: 0, cluster: { masters: 3, replicasPerMaster: 0 } });
/** A key on a master that is not the first seed's node. */
let far: { node: ClusterNode; key: string };

beforeAll(async () => {
  const seed = redis.cluster.nodes[0]!;
  const keys = await keysPerMaster(redis.cluster, 'cli');
  far = keys.find(({ node }) => node !== seed)!;
});

// Generous: on a cluster a command's first commands wait for the slot map; its start itself is awaited with `ready()`.
const waitFor = (predicate: () => boolean | Promise<boolean>, what: string) => until(predicate, what, 30_000);

describe('the commands on Redis Cluster', () => {
  it('npm run consumer: blocks on the stream’s master, prints and acknowledges every entry, stops on SIGTERM', async () => {
    const stream = `${far.key}:events`;
    const owner = await redis.cluster.masterOf(stream);
    const consumer = startCommand('consumer', ['--stream', stream, '--group', 'cli-group', '--name', 'w1']);
    await consumer.ready();
    await waitFor(async () => (await namedClients(owner.client, BLOCKING)).blocked === 1, `the consumer's XREADGROUP on ${owner.port}`);
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) ids.push(String(await redis.client.xadd(stream, '*', 'n', String(n))));
    const processed = () => consumer.lines.map((line) => /Processing (\d+-\d+):/.exec(line)?.[1]).filter(Boolean);
    await waitFor(() => processed().length === 5, `five entries processed; stderr: ${consumer.stderr()}`);
    expect(processed()).toEqual(ids);
    await waitFor(async () => ((await redis.client.xpending(stream, 'cli-group')) as [number])[0] === 0, 'every entry acknowledged');
    consumer.child.kill('SIGTERM');
    expect(await consumer.exited).toBe(0);
    expect((await namedClients(owner.client, BLOCKING)).open).toBe(0);
  }, 90_000);

  it('npm run worker: blocks on the queue’s master, takes and acknowledges every job, stops on SIGTERM', async () => {
    const queue = `{${far.key}}:jobs`;
    const owner = await redis.cluster.masterOf(queue);
    const worker = startCommand('worker', ['--queue', queue]);
    await worker.ready();
    await waitFor(async () => (await namedClients(owner.client, BLOCKING)).blocked === 1, `the worker's BLMOVE on ${owner.port}`);
    for (let n = 0; n < 5; n++) await redis.client.lpush(queue, JSON.stringify({ n }));
    await waitFor(() => worker.lines.length === 5, `five jobs done; stderr: ${worker.stderr()}`);
    expect(worker.lines.map((line) => (JSON.parse(line) as { payload: unknown }).payload)).toEqual([0, 1, 2, 3, 4].map((n) => ({ n })));
    await waitFor(async () => (await redis.client.hlen(queueKeys(queue).inflight)) === 0 && (await redis.client.llen(queueKeys(queue).processing)) === 0, 'every job acknowledged');
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect((await namedClients(owner.client, BLOCKING)).open).toBe(0);
  }, 90_000);
});
