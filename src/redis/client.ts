import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** The connections one Switchboard process holds. */
export interface RedisConnections {
  /** Ordinary commands; never used for blocking reads or SUBSCRIBE. */
  command: Redis;
  /** Subscriber mode only (SUBSCRIBE / PSUBSCRIBE), shared by every local subscription. */
  subscriber: Redis;
  /** Connects both; resolves when both are ready. */
  connect(): Promise<void>;
  /** Resolves true when Redis answers PING within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<boolean>;
  /** Closes both, letting queued commands finish first. */
  close(): Promise<void>;
}

/**
 * Opens nothing until `connect()`: construction is free of side effects so that `createApp` can
 * build everything first and `start()` can connect in one place.
 */
export function createRedisConnections(url: string, logger: Logger): RedisConnections {
  const make = (role: string) => {
    const client = new Redis(url, {
      lazyConnect: true,
      connectionName: `switchboard:${role}`,
      // Fail commands after a few reconnect attempts instead of queueing them for ever.
      maxRetriesPerRequest: 3,
      enableAutoPipelining: role === 'command',
    });
    let lastError = '';
    client.on('error', (error: Error) => {
      if (error.message === lastError) return;
      lastError = error.message;
      logger.warn({ role, err: error.message }, 'redis connection error');
    });
    client.on('ready', () => {
      if (lastError) logger.info({ role }, 'redis connection restored');
      lastError = '';
    });
    return client;
  };
  const command = make('command');
  const subscriber = make('subscriber');

  return {
    command,
    subscriber,
    async connect() {
      await Promise.all([command.connect(), subscriber.connect()]);
    },
    async ping(timeoutMs = 1000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      try {
        return await Promise.race([command.ping().then((reply) => reply === 'PONG', () => false), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await Promise.allSettled([command.quit(), subscriber.quit()]);
      command.disconnect();
      subscriber.disconnect();
    },
  };
}
