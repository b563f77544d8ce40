import { Cluster, Redis } from 'ioredis';

/** How long the commands wait for Redis to accept a connection before giving up. */
const CONNECT_TIMEOUT_MS = 5000;

const parseUrl = (text: string): URL | null => {
  try {
    return new URL(text);
  } catch {
    return null;
  }
};

/** REDIS_URL / REDIS_CLUSTER_NODES is missing or malformed. */
export class RedisSettingError extends Error {}

/** Where the commands' Redis is, as the environment says. */
export type RedisTarget =
  | { kind: 'standalone'; url: string }
  | { kind: 'cluster'; nodes: Array<{ host: string; port: number }>; password: string | undefined };

/**
 * Reads REDIS_CLUSTER_NODES (`redis://host:port,...`, or `host:port,...`) for Redis Cluster, else
 * REDIS_URL (`redis://` or `rediss://`).
 * @throws RedisSettingError when neither is set or the one set is malformed.
 */
export function redisTargetFromEnvironment(env: NodeJS.ProcessEnv): RedisTarget {
  const nodes = env.REDIS_CLUSTER_NODES?.trim();
  if (nodes) {
    let password: string | undefined;
    const startupNodes = nodes.split(',').map((entry) => {
      const node = entry.trim();
      const url = parseUrl(/^rediss?:\/\//.test(node) ? node : `redis://${node}`);
      if (!url || !url.hostname || !/^[0-9]{1,5}$/.test(url.port)) {
        throw new RedisSettingError(`REDIS_CLUSTER_NODES: expected redis://host:port (or host:port) entries separated by commas; got ${JSON.stringify(node)}.`);
      }
      if (url.password) password = decodeURIComponent(url.password);
      return { host: url.hostname, port: Number(url.port) };
    });
    return { kind: 'cluster', nodes: startupNodes, password };
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
  return connectTo(redisTargetFromEnvironment(env), options);
}

/** A client for `target`, not connected yet; see {@link connectFromEnvironment}. */
export function connectTo(target: RedisTarget, options: CommandRedisOptions = {}): Redis {
  const common = {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: options.maxRetriesPerRequest ?? 1,
    ...(options.connectionName ? { connectionName: options.connectionName } : {}),
  };
  if (target.kind === 'cluster') {
    return new Cluster(target.nodes, {
      lazyConnect: true,
      redisOptions: { ...common, ...(target.password ? { password: target.password } : {}) },
    }) as unknown as Redis;
  }
  return new Redis(target.url, common);
}
