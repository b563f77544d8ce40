import { Redis } from 'ioredis';
import { startEmbeddedRedis, type EmbeddedRedis } from '../../src/redis/embedded-server.js';

/** A private redis-server for one test file, plus a plain client playing "another service". */
export interface TestRedis {
  server: EmbeddedRedis;
  url: string;
  /** A plain ioredis client, as any other service would use. */
  client: Redis;
  stop(): Promise<void>;
}

export async function startTestRedis(): Promise<TestRedis> {
  const server = await startEmbeddedRedis();
  const client = new Redis(server.url);
  return {
    server,
    url: server.url,
    client,
    async stop() {
      client.disconnect();
      await server.stop();
    },
  };
}

/** How many clients Redis reports blocked in a command (BLMOVE, XREAD BLOCK, ...). */
export async function blockedClients(client: Redis): Promise<number> {
  return Number(/blocked_clients:(\d+)/.exec(await client.info('clients'))?.[1] ?? 0);
}
