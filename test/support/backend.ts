// Runs one suite file against standalone Redis and against a Redis Cluster. A suite passes
// `backend: suiteBackend()` to useServers; it runs on standalone Redis as its own test file, and a
// cluster-*.test.ts file runs the same tests on a cluster with `await runSuiteOn('cluster', () => import('./suite.test.js'))`.
// Each test file has its own module registry, so the choice stays within that file.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Redis } from 'ioredis';
import type { BedRedis, Backend, ClusterRedis, StandaloneRedis } from './servers.js';

const run = promisify(execFile);

let current: Backend = 'standalone';

/**
 * The backend of the suite being collected: `standalone` unless a file runs it through
 * {@link runSuiteOn}. Typed as standalone so that a suite's plain-client calls (`redis.client.xadd`)
 * keep Redis's types; a Cluster client takes the same single-key commands.
 */
export const suiteBackend = (): 'standalone' => current as 'standalone';

/** Collects the suite `load` imports with `backend` as its {@link suiteBackend}. */
export async function runSuiteOn(backend: Backend, load: () => Promise<unknown>): Promise<void> {
  current = backend;
  try {
    await load();
  } finally {
    current = 'standalone';
  }
}

type AnyBedRedis = BedRedis<'standalone'> | StandaloneRedis | ClusterRedis;

const isCluster = (redis: AnyBedRedis): redis is ClusterRedis => redis.backend === 'cluster';

/** Runs `redis-cli` against the bed's Redis (`-c`, following redirects, on a cluster); resolves with its stdout. */
export async function redisCli(redis: AnyBedRedis, ...args: string[]): Promise<string> {
  const target = isCluster(redis) ? ['-c', '-p', String(redis.cluster.nodes[0]!.port)] : ['-p', String(redis.port)];
  return (await run('redis-cli', [...target, ...args])).stdout;
}

/** Clients blocked in a command (BLMOVE, XREAD BLOCK, ...), over every master on a cluster. */
export async function blockedClientsOf(redis: AnyBedRedis): Promise<number> {
  const count = async (client: Redis) => Number(/blocked_clients:(\d+)/.exec(await client.info('clients'))?.[1] ?? 0);
  if (!isCluster(redis)) return count(redis.client);
  const counts = await Promise.all((await redis.cluster.masters()).map((node) => count(node.client)));
  return counts.reduce((sum, value) => sum + value, 0);
}

/** `CLIENT LIST` of the bed's Redis: of every master, one after the other, on a cluster. */
export async function clientListOf(redis: AnyBedRedis): Promise<string> {
  if (!isCluster(redis)) return String(await redis.client.client('LIST'));
  const lists = await Promise.all((await redis.cluster.masters()).map(async (node) => String(await node.client.client('LIST'))));
  return lists.join('\n');
}
