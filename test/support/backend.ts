// Direct Redis checks that a suite makes, written once for both backends, so that one suite runs
// against a standalone redis-server and against a Redis Cluster (on a cluster: every node asked).
import type { Cluster, Redis } from 'ioredis';
import type { ClusterRedis, StandaloneRedis } from './servers.js';

type AnyRedis = StandaloneRedis | ClusterRedis;

/** A plain client of every node (a standalone server's one client). */
const nodeClients = (redis: AnyRedis): Array<Redis | Cluster> => (redis.backend === 'cluster' ? redis.cluster.nodes.map((node) => node.client) : [redis.client]);

/** Keys matching a glob on every node (KEYS; tests only), without repeats. */
export async function keysMatching(redis: AnyRedis, pattern: string): Promise<string[]> {
  const found = await Promise.all(nodeClients(redis).map((client) => client.keys(pattern).catch(() => [] as string[])));
  return [...new Set(found.flat())];
}

/** CLIENT KILL TYPE pubsub on every node: every subscriber connection drops. */
export async function killPubSubClients(redis: AnyRedis): Promise<void> {
  await Promise.all(nodeClients(redis).map((client) => client.client('KILL', 'TYPE', 'pubsub').catch(() => 0)));
}

/** Calls of one command so far, summed over every node (INFO commandstats). */
export async function commandCalls(redis: AnyRedis, name: string): Promise<number> {
  const stats = await Promise.all(nodeClients(redis).map((client) => client.info('commandstats').catch(() => '')));
  return stats.reduce((sum, text) => sum + Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(text)?.[1] ?? 0), 0);
}

/** How redis-cli reaches this Redis: `-p PORT`, or `-c -p PORT` (follow redirects) on a cluster. */
export function redisCliArgs(redis: AnyRedis): string[] {
  return redis.backend === 'cluster' ? ['-c', '-p', String(redis.cluster.nodes[0]!.port)] : ['-p', String(redis.port)];
}

/** Classic subscribers of a channel, summed over every node (PUBSUB NUMSUB: each node counts its own clients). */
export async function channelSubscribers(redis: AnyRedis, channel: string): Promise<number> {
  const counts = await Promise.all(nodeClients(redis).map((client) => client.pubsub('NUMSUB', channel).catch(() => [channel, 0])));
  return counts.reduce<number>((sum, reply) => sum + Number((reply as [string, number])[1] ?? 0), 0);
}

/** Pattern subscriptions, summed over every node (PUBSUB NUMPAT). */
export async function patternSubscriptions(redis: AnyRedis): Promise<number> {
  const counts = await Promise.all(nodeClients(redis).map((client) => client.pubsub('NUMPAT').catch(() => 0)));
  return counts.reduce<number>((sum, count) => sum + Number(count), 0);
}

/**
 * A plain client whose PUBLISHes arrive in the order sent: the standalone client, or one node's
 * connection on a cluster (a cluster client sends each keyless PUBLISH to a random node, and two of
 * them can overtake each other on the cluster bus).
 */
export function orderedPublisher(redis: AnyRedis): Redis | Cluster {
  if (redis.backend !== 'cluster') return redis.client;
  return (redis.cluster.nodes.find((node) => node.client.status === 'ready') ?? redis.cluster.nodes[0]!).client;
}
