import { Cluster, Redis } from 'ioredis';
import { type ClusterNatMap, type ClusterSeeds, ClusterSettingError, parseClusterNatMap, parseClusterNodes } from '../redis/cluster-nodes.js';

/** How long the commands wait for Redis to accept a connection before giving up. */
const CONNECT_TIMEOUT_MS = 5000;

/** REDIS_URL / REDIS_CLUSTER_NODES / REDIS_CLUSTER_NAT_MAP is missing or malformed. */
export class RedisSettingError extends Error {}

/** The server's parse of a cluster setting, its error named after the setting. */
function setting<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ClusterSettingError) throw new RedisSettingError(`${name}: ${error.message}.`);
    throw error;
  }
}

/** Where the commands' Redis is, as the environment says. */
export type RedisTarget =
  | { kind: 'standalone'; url: string }
  | { kind: 'cluster'; seeds: ClusterSeeds; natMap: ClusterNatMap | undefined };

/**
 * Reads REDIS_CLUSTER_NODES (with REDIS_CLUSTER_NAT_MAP) for Redis Cluster, with the server's own
 * parser (`redis://[:password@]host:port` or `rediss://` seeds; a bare `host:port` is taken as
 * `redis://host:port`), else REDIS_URL (`redis://` or `rediss://`).
 * @throws RedisSettingError when neither is set or the one set is malformed.
 */
export function redisTargetFromEnvironment(env: NodeJS.ProcessEnv): RedisTarget {
  const nodes = env.REDIS_CLUSTER_NODES?.trim();
  if (nodes) {
    const withScheme = nodes
      .split(',')
      .map((entry) => entry.trim())
      .map((entry) => (entry === '' || /^[a-z]+:\/\//i.test(entry) ? entry : `redis://${entry}`))
      .join(',');
    const natMap = env.REDIS_CLUSTER_NAT_MAP?.trim();
    return {
      kind: 'cluster',
      seeds: setting('REDIS_CLUSTER_NODES', () => parseClusterNodes(withScheme)),
      natMap: natMap ? setting('REDIS_CLUSTER_NAT_MAP', () => parseClusterNatMap(natMap)) : undefined,
    };
  }
  const url = env.REDIS_URL?.trim();
  if (!url) {
    throw new RedisSettingError(
      'REDIS_URL is required (or REDIS_CLUSTER_NODES for Redis Cluster): set it to the Redis your Switchboard servers use, e.g. REDIS_URL=redis://127.0.0.1:6379.',
    );
  }
  if (!/^rediss?:\/\//.test(url)) throw new RedisSettingError(`REDIS_URL: expected a redis:// or rediss:// URL; got ${JSON.stringify(url)}.`);
  return { kind: 'standalone', url };
}

/** Options of {@link connectFromEnvironment}. */
export interface CommandRedisOptions {
  /** `CLIENT SETNAME` of the connection(s), as `CLIENT LIST` shows them. Default: none. */
  connectionName?: string;
  /**
   * A command fails after this many reconnect attempts instead of waiting for ever. Default 1: an
   * admin command run by hand should fail fast; long-running workers pass more.
   */
  maxRetriesPerRequest?: number;
}

/**
 * The Redis of the commands (`apikey`, `roles`, `consumer`, `worker`): a Cluster client for
 * REDIS_CLUSTER_NODES, else a Redis client for REDIS_URL (see {@link redisTargetFromEnvironment}).
 * Not connected yet (`lazyConnect`): the first command, or `connect()`, connects. The commands use
 * single-key (or same-slot) commands only, which a Cluster client takes as a Redis client does,
 * hence the one type.
 * @throws RedisSettingError when neither is set or one is malformed.
 */
export function connectFromEnvironment(env: NodeJS.ProcessEnv, options: CommandRedisOptions = {}): Redis {
  const target = redisTargetFromEnvironment(env);
  const common = {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: options.maxRetriesPerRequest ?? 1,
    ...(options.connectionName ? { connectionName: options.connectionName } : {}),
  };
  if (target.kind === 'cluster') {
    const { seeds, natMap } = target;
    return new Cluster(seeds.nodes, {
      lazyConnect: true,
      ...(natMap ? { natMap } : {}),
      // TLS certificates name hosts, and the slot table gives addresses: keep the hostname.
      ...(seeds.tls ? { dnsLookup: (address: string, callback: (error: null, address: string) => void) => callback(null, address) } : {}),
      redisOptions: {
        ...common,
        ...(seeds.username ? { username: seeds.username } : {}),
        ...(seeds.password ? { password: seeds.password } : {}),
        ...(seeds.tls ? { tls: {} } : {}),
      },
    }) as unknown as Redis;
  }
  return new Redis(target.url, common);
}
