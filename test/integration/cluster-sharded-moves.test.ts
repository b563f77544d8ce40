import calculateSlot from 'cluster-key-slot';
import { Cluster, Redis } from 'ioredis';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { type PubSubGap, createPubSubHub, subscriberConnectionOptions } from '../../src/redis/pubsub-hub.js';
import { createShardedPubSub } from '../../src/redis/pubsub-shards.js';
import type { ClusterNode } from '../support/redis-cluster.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';

// Sharded pub/sub when a channel's slot migrates to another master (CLUSTER SETSLOT, as a
// resharding does), on a real 3-master + 3-replica cluster, driving the hubs directly: an
// SSUBSCRIBE answered MOVED (which ioredis never settles, it only emits `moved`) holds no other
// topic's restore back, makes the sharded layer look the slot up again, and a subscribe waiting
// on a move that cannot finish fails with UNAVAILABLE within the confirmation bound.

// No failover while a master is paused on purpose.
const bed = useServers({ backend: 'cluster', servers: 0, cluster: { nodeTimeoutMs: 30_000 } });
const logger = pino({ level: 'silent' });
const CONFIRM_MS = 500;

const nodeId = async (node: ClusterNode) => String(await node.client.call('CLUSTER', 'MYID'));

/**
 * Moves the (empty) slot of `channel` from `from` to `to` as a resharding does, on every node;
 * `beforeRelease` runs once `to` owns it, just before `from` gives it up (and pushes sunsubscribe).
 */
async function migrate(channel: string, from: ClusterNode, to: ClusterNode, beforeRelease?: () => void): Promise<void> {
  const slot = calculateSlot(channel);
  const [fromId, toId] = [await nodeId(from), await nodeId(to)];
  await to.client.call('CLUSTER', 'SETSLOT', slot, 'IMPORTING', fromId);
  await from.client.call('CLUSTER', 'SETSLOT', slot, 'MIGRATING', toId);
  await to.client.call('CLUSTER', 'SETSLOT', slot, 'NODE', toId);
  beforeRelease?.();
  await from.client.call('CLUSTER', 'SETSLOT', slot, 'NODE', toId);
  for (const node of bed.redis.cluster.nodes) {
    if (node !== to && node !== from) await node.client.call('CLUSTER', 'SETSLOT', slot, 'NODE', toId).catch(() => undefined);
  }
  // Asked of `from` (`to` may be paused).
  await until(async () => {
    const slots = (await from.client.call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number]]>;
    return slots.find(([first, last]) => slot >= first && slot <= last)?.[2][1] === to.port;
  }, `slot ${slot} on ${to.port}`);
}

/** A channel name (`prefix-N`) whose slot `master` serves now. */
async function channelOn(master: ClusterNode, prefix: string): Promise<string> {
  for (let index = 0; ; index++) {
    const name = `${prefix}-${index}`;
    if ((await bed.redis.cluster.masterOf(name)).port === master.port) return name;
  }
}

async function twoMasters(): Promise<[ClusterNode, ClusterNode]> {
  await bed.redis.cluster.waitHealthy(30_000);
  const [a, b] = await bed.redis.cluster.masters();
  return [a!, b!];
}

/** A cluster client of the test's own that never reloads its slot table unless asked (or told MOVED). */
function staleCluster(): Cluster {
  const [first] = bed.redis.cluster.nodes;
  return new Cluster([{ host: '127.0.0.1', port: first!.port }], { lazyConnect: true, slotsRefreshInterval: 3_600_000 });
}

describe('a shard subscriber connection restoring after a slot migrated away', () => {
  it('reports and delivers the topics that were confirmed; the one answered MOVED holds none back', async () => {
    const [owner, other] = await twoMasters();
    const stay = await channelOn(owner, 'stay');
    const go = await channelOn(owner, 'go');
    const subscriber = new Redis({ host: '127.0.0.1', port: owner.port, ...subscriberConnectionOptions, connectionName: 'moves-test' });
    const hub = createPubSubHub({ subscriber, logger, confirmTimeoutMs: CONFIRM_MS, isSharded: () => true });
    bed.defer(() => {
      hub.close();
      subscriber.disconnect();
    });
    const received: string[] = [];
    const gaps: PubSubGap[] = [];
    const restores: PubSubGap[] = [];
    hub.onRestored((gap) => restores.push(gap));
    await hub.subscribe({ kind: 'channel', name: stay }, ({ payload }) => received.push(payload), { onGap: (gap) => gaps.push(gap) });
    await hub.subscribe({ kind: 'channel', name: go }, () => undefined);
    await migrate(go, owner, other);
    // Whether or not the old owner's sunsubscribe push already did: the connection is made again,
    // and the restore sends SSUBSCRIBE `go` (MOVED now) and SSUBSCRIBE `stay` (still served).
    await owner.client.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await until(() => gaps.length > 0, 'the gap of the confirmed topic', 10_000);
    // Once the restore settled (the MOVED one counted as failed after the bound).
    await until(() => restores.length > 0, 'the process-wide restore signal', 10_000);
    await until(async () => {
      await owner.client.spublish(stay, `after-${received.length}`);
      return received.some((payload) => payload.startsWith('after-'));
    }, 'a message on the confirmed topic after the restore', 10_000);
  });
});

/** The sharded layer on a cluster client whose slot table is never refreshed by itself (stale). */
async function openSharded() {
  const cluster = staleCluster();
  await cluster.connect();
  const sharded = createShardedPubSub({ cluster, logger, confirmTimeoutMs: CONFIRM_MS });
  bed.defer(() => {
    sharded.close();
    cluster.disconnect();
  });
  return { cluster, sharded };
}

describe('the sharded layer (createShardedPubSub) when a slot migrated', () => {
  it('looks the slot up again when an SSUBSCRIBE is answered MOVED, so the next subscribe reaches the new master', async () => {
    const [owner, other] = await twoMasters();
    const channel = await channelOn(owner, 'moved');
    const { cluster, sharded } = await openSharded();
    await migrate(channel, owner, other);
    const slot = calculateSlot(channel);
    expect(cluster.slots[slot]?.[0]).toBe(`127.0.0.1:${owner.port}`);
    // The stale slot table names the old owner: SSUBSCRIBE there is answered MOVED.
    await expect(sharded.subscribe({ kind: 'channel', name: channel }, () => undefined)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await until(() => cluster.slots[slot]?.[0] === `127.0.0.1:${other.port}`, 'the slot table reloaded after MOVED', 10_000);
    const received: string[] = [];
    await sharded.subscribe({ kind: 'channel', name: channel }, ({ payload }) => received.push(payload));
    await other.client.spublish(channel, 'here');
    await until(() => received.includes('here'), 'a message from the new master');
  });

  it('fails a subscribe that waits on a move in progress with UNAVAILABLE within the bound', async () => {
    const [owner, other] = await twoMasters();
    const channel = await channelOn(owner, 'homing');
    const { cluster, sharded } = await openSharded();
    await sharded.subscribe({ kind: 'channel', name: channel }, () => undefined);
    // The new master hangs once it owns the slot: the move (started by the old owner's
    // sunsubscribe push) gets no answer to its SSUBSCRIBE there, and keeps trying.
    try {
      await migrate(channel, owner, other, () => other.pause());
      await until(() => cluster.slots[calculateSlot(channel)]?.[0] === `127.0.0.1:${other.port}`, 'the move started (slot table names the new master)', 10_000);
      const outcome = await sharded.subscribe({ kind: 'channel', name: channel }, () => undefined).then(
        () => 'subscribed',
        (error: { code?: string }) => error.code,
      );
      expect(outcome).toBe('UNAVAILABLE');
    } finally {
      other.resume();
    }
  });
});
