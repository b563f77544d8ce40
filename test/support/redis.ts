import { type AddressInfo, createServer } from 'node:net';
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

/**
 * A loopback address where no Redis listens (a port that was free a moment ago): every connection
 * to it is refused, as to a Redis that is down.
 */
export async function refusedRedis(): Promise<{ port: number; url: string }> {
  const port = await new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port: taken } = server.address() as AddressInfo;
      server.close(() => resolve(taken));
    });
  });
  return { port, url: `redis://127.0.0.1:${port}` };
}
