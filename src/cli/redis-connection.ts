import { Cluster, Redis } from 'ioredis';

/** How long the admin commands wait for Redis before giving up. */
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

/**
 * The Redis of the admin commands (`apikey`, `roles`): REDIS_CLUSTER_NODES (`redis://host:port,...`) for
 * Redis Cluster, else REDIS_URL. Not connected yet (`lazyConnect`): call `connect()`. The commands
 * use single-key commands only, which a Cluster client takes as a Redis client does, hence the
 * one type.
 * @throws RedisSettingError when neither is set or one is malformed.
 */
export function connectFromEnvironment(env: NodeJS.ProcessEnv): Redis {
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
    return new Cluster(startupNodes, {
      lazyConnect: true,
      redisOptions: { connectTimeout: CONNECT_TIMEOUT_MS, ...(password ? { password } : {}) },
    }) as unknown as Redis;
  }
  const url = env.REDIS_URL?.trim();
  if (!url) throw new RedisSettingError('REDIS_URL (or REDIS_CLUSTER_NODES) is required: set it to the Redis your Switchboard servers use.');
  if (!/^rediss?:\/\//.test(url)) throw new RedisSettingError(`REDIS_URL: expected a redis:// or rediss:// URL; got ${JSON.stringify(url)}.`);
  return new Redis(url, { lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, maxRetriesPerRequest: 1 });
}
