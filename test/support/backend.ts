// Suites that run on both backends, and the direct Redis checks they make, written once for both:
// on standalone Redis a check asks the one server, on a cluster every node (or every master).
//
// A suite runs as its own test file on standalone Redis; a cluster-*.test.ts file runs the same
// tests on a 3-master + 3-replica cluster with `await runSuiteOn('cluster', () => import('./suite.test.js'))`.
// useServers() takes the backend from SWITCHBOARD_TEST_BACKEND, which runSuiteOn sets while the
// suite is collected, when the suite names none (or passes `backend: suiteBackend()`). Each test file
// has its own module registry and is collected alone, so the choice stays within that file.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type Cluster, Redis } from 'ioredis';
import type { Backend, BedRedis, ClusterRedis, StandaloneRedis } from './servers.js';

const run = promisify(execFile);

/** The variable useServers() reads for its backend when a suite names none. */
export const BACKEND_VARIABLE = 'SWITCHBOARD_TEST_BACKEND';

/**
 * The backend of the suite being collected: `standalone` unless a file runs it through
 * {@link runSuiteOn}. Typed as standalone so that a suite's plain-client calls (`redis.client.xadd`)
 * keep Redis's types; a Cluster client takes the same single-key commands.
 */
export const suiteBackend = (): 'standalone' => (process.env[BACKEND_VARIABLE] ?? 'standalone') as 'standalone';

/** Collects the suite `load` imports with `backend` as its backend. */
export async function runSuiteOn(backend: Backend, load: () => Promise<unknown>): Promise<void> {
  const before = process.env[BACKEND_VARIABLE];
  process.env[BACKEND_VARIABLE] = backend;
  try {
    await load();
  } finally {
    if (before === undefined) delete process.env[BACKEND_VARIABLE];
    else process.env[BACKEND_VARIABLE] = before;
  }
}

type AnyRedis = BedRedis<'standalone'> | StandaloneRedis | ClusterRedis;

const isCluster = (redis: AnyRedis): redis is ClusterRedis => redis.backend === 'cluster';

/**
 * `ask`'s answer from every node (from the one server on standalone Redis). A cluster node the
 * test took down (`ClusterNode.down()`: killed, or paused) is skipped, before asking or when it
 * went down meanwhile; any other failure is thrown, so that an INFO or PUBSUB that failed never
 * reads as "nothing there".
 */
async function askEveryNode<T>(redis: AnyRedis, ask: (client: Redis) => Promise<T>): Promise<T[]> {
  if (!isCluster(redis)) return [await ask(redis.client)];
  const answers = await Promise.all(
    redis.cluster.nodes.map(async (node): Promise<T[]> => {
      if (node.down()) return [];
      try {
        return [await ask(node.client)];
      } catch (error) {
        if (node.down()) return [];
        throw error;
      }
    }),
  );
  return answers.flat();
}

/** Keys matching a glob on every node (KEYS; tests only), without repeats. */
export async function keysMatching(redis: AnyRedis, pattern: string): Promise<string[]> {
  const found = await askEveryNode(redis, (client) => client.keys(pattern));
  return [...new Set(found.flat())];
}

/** CLIENT KILL TYPE pubsub on every node: every subscriber connection drops. */
export async function killPubSubClients(redis: AnyRedis): Promise<void> {
  await askEveryNode(redis, (client) => client.client('KILL', 'TYPE', 'pubsub'));
}

/**
 * Calls of one command so far (INFO commandstats; a subcommand as `client|unblock`, `xinfo|groups`):
 * on one node's client, or summed over every node of a bed's Redis.
 */
export async function commandCalls(target: AnyRedis | Redis, name: string): Promise<number> {
  const calls = async (client: Redis) => {
    const line = (await client.info('commandstats')).split('\n').find((row) => row.startsWith(`cmdstat_${name}:`));
    return Number(/calls=(\d+)/.exec(line ?? '')?.[1] ?? 0);
  };
  if (target instanceof Redis) return calls(target);
  return (await askEveryNode(target, calls)).reduce((sum, count) => sum + count, 0);
}

/** How redis-cli reaches this Redis: `-p PORT`, or `-c -p PORT` (follow redirects) on a cluster. */
export function redisCliArgs(redis: AnyRedis): string[] {
  return redis.backend === 'cluster' ? ['-c', '-p', String(redis.cluster.nodes[0]!.port)] : ['-p', String(redis.port)];
}

/** Classic subscribers of a channel, summed over every node (PUBSUB NUMSUB: each node counts its own clients). */
export async function channelSubscribers(redis: AnyRedis, channel: string): Promise<number> {
  const counts = await askEveryNode(redis, (client) => client.pubsub('NUMSUB', channel));
  return counts.reduce<number>((sum, reply) => sum + Number((reply as [string, number])[1] ?? 0), 0);
}

/** Pattern subscriptions, summed over every node (PUBSUB NUMPAT). */
export async function patternSubscriptions(redis: AnyRedis): Promise<number> {
  const counts = await askEveryNode(redis, (client) => client.pubsub('NUMPAT'));
  return counts.reduce<number>((sum, count) => sum + Number(count), 0);
}

/**
 * A plain client whose PUBLISHes arrive in the order sent: the standalone client, or one node's
 * connection on a cluster (a cluster client sends each keyless PUBLISH to a random node, and two of
 * them can overtake each other on the cluster bus).
 */
export function orderedPublisher(redis: AnyRedis): Redis | Cluster {
  if (!isCluster(redis)) return redis.client;
  return (redis.cluster.nodes.find((node) => node.client.status === 'ready') ?? redis.cluster.nodes[0]!).client;
}

/**
 * PUBLISHes `message` on every node, one after the other (on standalone Redis, once). On a cluster
 * the copy published on a subscriber's own node reaches it without crossing the cluster bus, whose
 * links drop messages when they are made again (bus-links.ts): for a test whose subject is what
 * the server does with a message, not whether the bus delivered it. Copies after the first must
 * be harmless to the receiver (an event it drops as already seen).
 */
export async function publishOnEveryNode(redis: AnyRedis, channel: string, message: string): Promise<void> {
  if (!isCluster(redis)) {
    await redis.client.publish(channel, message);
    return;
  }
  for (const node of redis.cluster.nodes) {
    if (node.down()) continue;
    await node.client.publish(channel, message).catch((error: unknown) => {
      if (!node.down()) throw error;
    });
  }
}

/** Runs `redis-cli` against the bed's Redis (`-c`, following redirects, on a cluster); resolves with its stdout. */
export async function redisCli(redis: AnyRedis, ...args: string[]): Promise<string> {
  const target = isCluster(redis) ? ['-c', '-p', String(redis.cluster.nodes[0]!.port)] : ['-p', String(redis.port)];
  return (await run('redis-cli', [...target, ...args])).stdout;
}

/** Clients blocked in a command (BLMOVE, XREAD BLOCK, ...), over every master on a cluster. */
export async function blockedClientsOf(redis: AnyRedis): Promise<number> {
  const count = async (client: Redis) => Number(/blocked_clients:(\d+)/.exec(await client.info('clients'))?.[1] ?? 0);
  if (!isCluster(redis)) return count(redis.client);
  const counts = await Promise.all((await redis.cluster.masters()).map((node) => count(node.client)));
  return counts.reduce((sum, value) => sum + value, 0);
}

/** `CLIENT LIST` of the bed's Redis: of every master, one after the other, on a cluster. */
export async function clientListOf(redis: AnyRedis): Promise<string> {
  if (!isCluster(redis)) return String(await redis.client.client('LIST'));
  const lists = await Promise.all((await redis.cluster.masters()).map(async (node) => String(await node.client.client('LIST'))));
  return lists.join('\n');
}
