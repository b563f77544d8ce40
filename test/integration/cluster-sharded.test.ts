import { describe, expect, it } from 'vitest';
import { jobSettledChannel } from '../../src/redis/keys.js';
import { post, postData, subscription } from '../support/graphql.js';
import type { ClusterNode } from '../support/redis-cluster.js';
import { useServers } from '../support/servers.js';
import { ACK_JOB, CHANNEL_NAMED as CHANNEL, DEQUEUE, ENQUEUE, PATTERN, PUBLISH } from '../support/operations.js';
import { until } from '../support/wait.js';

// PUBSUB_MODE=sharded on a real 3-master + 3-replica cluster: `publish` / `channel` on SPUBLISH /
// SSUBSCRIBE in the channel's shard, `channelPattern` classic, the queue-settled channel SPUBLISHed
// by the queue scripts in the queue's slot, and sharded subscriptions that follow their slot to
// the new master after CLUSTER FAILOVER and after a SIGKILL (never left deaf).

const bed = useServers({ backend: 'cluster', config: { pubsubMode: 'sharded' }, users: ['shard'] });
const { server } = bed;


const count = (reply: unknown) => Number((reply as [string, number])[1] ?? 0);

/** Sharded subscribers of `channel` on its master now, and classic ones on every node. */
async function subscribers(channel: string): Promise<{ sharded: number; classic: number }> {
  const master = await bed.redis.cluster.masterOf(channel);
  const sharded = count(await master.client.call('PUBSUB', 'SHARDNUMSUB', channel).catch(() => []));
  const classic = await Promise.all(bed.redis.cluster.nodes.map((node) => node.client.pubsub('NUMSUB', channel).then(count, () => 0)));
  return { sharded, classic: classic.reduce((sum, value) => sum + value, 0) };
}

const messagesOf = (events: Array<{ data?: unknown }>) =>
  events.filter((event) => event.data).map((event) => (event.data as { channel: { message: unknown } }).channel.message);

describe('PUBSUB_MODE=sharded on a cluster', () => {
  it('runs `channel` on SSUBSCRIBE in the channel’s shard and `publish` on SPUBLISH', async () => {
    const client = bed.wsClient(server, bed.user.token);
    const sub = subscription(client, CHANNEL, { name: 'sharded-news' });
    await until(async () => (await subscribers('sharded-news')).sharded === 1, 'a sharded subscriber on the channel’s master');
    expect((await subscribers('sharded-news')).classic).toBe(0);
    expect((await post(server.httpUrl, PUBLISH, { channel: 'sharded-news', message: 1 }, { token: bed.user.token })).body).toEqual({ data: { publish: true } });
    // What a plain client must send in sharded mode: SPUBLISH.
    await bed.redis.client.spublish('sharded-news', '2');
    await sub.waitForEvents(2);
    expect(messagesOf(sub.events)).toEqual([1, 2]);
  });

  it('keeps `channelPattern` classic (PSUBSCRIBE, plain PUBLISH)', async () => {
    const client = bed.wsClient(server, bed.user.token);
    const sub = subscription(client, PATTERN, { p: 'sharded-pat.*' });
    await until(async () => {
      const counts = await Promise.all(bed.redis.cluster.nodes.map((node) => node.client.call('PUBSUB', 'NUMPAT').then(Number, () => 0)));
      return counts.some((value) => value > 0);
    }, 'a classic pattern subscriber');
    await bed.redis.cluster.nodes[2]!.client.publish('sharded-pat.a', '"classic"');
    await sub.waitForEvents(1);
    expect(sub.events[0]).toEqual({ data: { channelPattern: { channel: 'sharded-pat.a', message: 'classic' } } });
  });

  it('SPUBLISHes queue-settled from the queue scripts, in the queue’s own slot', async () => {
    const channel = jobSettledChannel('jobs');
    const master = await bed.redis.cluster.masterOf('jobs');
    expect(await master.client.call('CLUSTER', 'KEYSLOT', channel)).toBe(await master.client.call('CLUSTER', 'KEYSLOT', 'jobs'));
    const listener = master.client.duplicate();
    const settled: string[] = [];
    listener.on('smessage', (_channel: string, id: string) => settled.push(id));
    await listener.ssubscribe(channel);
    const enqueued = await postData(server.httpUrl, ENQUEUE, { q: 'jobs', p: { n: 1 } }, bed.user.token);
    const { dequeue: taken } = await postData(server.httpUrl, DEQUEUE, { q: 'jobs' }, bed.user.token);
    expect(taken?.id).toBe(enqueued.enqueue.id);
    expect(await postData(server.httpUrl, ACK_JOB, { q: 'jobs', id: taken!.id }, bed.user.token)).toEqual({ ackJob: true });
    await until(() => settled.includes(taken!.id), 'the settled announcement');
    listener.disconnect();
  });
});

/** Subscribes `channel`, then runs `fail` on its master, and checks the subscription was never left deaf. */
async function survives(channel: string, fail: (master: ClusterNode) => Promise<void>): Promise<void> {
  const client = bed.wsClient(server, bed.user.token);
  const sub = subscription(client, CHANNEL, { name: channel });
  await until(async () => (await subscribers(channel)).sharded === 1, 'a sharded subscriber on the channel’s master');
  await bed.redis.client.spublish(channel, '"before"');
  await sub.waitForEvents(1);
  const master = await bed.redis.cluster.masterOf(channel);
  await fail(master);
  // The slot has another master now, and the subscription is there.
  await until(async () => (await bed.redis.cluster.masterOf(channel).catch(() => master)).port !== master.port, 'a new master for the slot', 30_000);
  await until(async () => (await subscribers(channel)).sharded === 1, 'the sharded subscriber on the new master', 30_000);
  // The listeners heard that they may have missed messages, and hear what comes next.
  await sub.waitForEvents(2, 30_000);
  expect(sub.events[1]?.errors?.[0]?.extensions?.code).toBe('MISSED_MESSAGES');
  await until(async () => {
    await bed.redis.client.spublish(channel, '"after"').catch(() => 0);
    return messagesOf(sub.events).includes('after');
  }, 'a message after the failover', 30_000);
  expect(messagesOf(sub.events)[0]).toBe('before');
  await client.dispose();
  await bed.redis.cluster.waitHealthy(30_000);
}

describe('sharded subscriptions through failovers', () => {
  it('follow their slot to the new master after CLUSTER FAILOVER (the old master’s sunsubscribe push)', async () => {
    await survives('sharded-failover', async (master) => {
      const replica = bed.redis.cluster.nodes.find((node) => node.port !== master.port && node.client.status === 'ready' && node !== master);
      const replicas = [];
      for (const node of bed.redis.cluster.nodes) {
        const role = (await node.client.call('ROLE')) as [string, string, number];
        if (role[0] === 'slave' && role[2] === master.port) replicas.push(node);
      }
      expect(replicas.length, `a replica of ${replica?.port}`).toBe(1);
      await replicas[0]!.client.call('CLUSTER', 'FAILOVER');
    });
  });

  it('follow their slot to the promoted replica after SIGKILL of the master', async () => {
    await survives('sharded-kill', async (master) => {
      await master.kill();
      // Back as a replica once the failover is done, for the rest of the suite.
      await until(async () => (await bed.redis.cluster.masterOf('sharded-kill').catch(() => master)).port !== master.port, 'the failover', 30_000);
      await master.restart();
    });
  });
});
