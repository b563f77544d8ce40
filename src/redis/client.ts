import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { subscriberConnectionOptions } from './pubsub-hub.js';

import { afterDeadline } from './unavailable.js';

export { isRedisUnavailableError } from './unavailable.js';

/** Whether Redis answers, as the process last saw it. */
export interface RedisHealth {
  /**
   * False from the moment two probe PINGs in a row went unanswered for `REDIS_COMMAND_TIMEOUT_MS`
   * (or failed) until one is answered again: operations then fail at once with UNAVAILABLE instead
   * of each waiting out its timeout. Two, so that one stall of this process (a blocked event loop,
   * a starved CPU), which ioredis's own command timer takes for a timeout, is not an outage.
   */
  readonly available: boolean;
  /** Why the probes failed, while `available` is false. */
  readonly cause: string | null;
}

/** The connections one Switchboard process holds. */
export interface RedisConnections {
  /** Ordinary commands; never used for blocking reads or SUBSCRIBE. */
  command: Redis;
  /** Subscriber mode only (SUBSCRIBE / PSUBSCRIBE), shared by every local subscription. */
  subscriber: Redis;
  /** Whether Redis answers (probed while the process runs). */
  health: RedisHealth;
  /** Connects both; resolves when both are ready. Starts the health probe. */
  connect(): Promise<void>;
  /** Resolves true when Redis answers PING within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<boolean>;
  /** Closes both, letting queued commands finish first. */
  close(): Promise<void>;
}

/** Options of {@link createRedisConnections}. */
export interface RedisConnectionOptions {
  /** `redis://` or `rediss://` URL of the Redis to use. */
  url: string;
  /** Where connection losses, restores and health changes are logged (one line each). */
  logger: Logger;
  /**
   * Every command fails after this long without a reply (`REDIS_COMMAND_TIMEOUT_MS`); also the
   * connect timeout, and how long a health probe waits.
   */
  commandTimeoutMs: number;
  /** How often the health probe runs. Default {@link HEALTH_PROBE_MS}. */
  probeMs?: number;
}

/** How often Redis is pinged to decide whether operations should fail fast. */
export const HEALTH_PROBE_MS = 500;

/**
 * Opens nothing until `connect()`: construction is free of side effects so that `createApp` can
 * build everything first and `start()` can connect in one place.
 */
export function createRedisConnections(options: RedisConnectionOptions): RedisConnections {
  const { url, logger, commandTimeoutMs } = options;
  let closing = false;
  const make = (role: string, extra: RedisOptions) => {
    const client = new Redis(url, {
      lazyConnect: true,
      connectionName: `switchboard:${role}`,
      // Fail commands after a few reconnect attempts instead of queueing them for ever.
      maxRetriesPerRequest: 3,
      commandTimeout: commandTimeoutMs,
      connectTimeout: commandTimeoutMs,
      ...extra,
    });
    let lastError = '';
    client.on('error', (error: Error) => {
      if (error.message === lastError) return;
      lastError = error.message;
      logger.warn({ role, err: error.message }, 'redis connection error');
    });
    client.on('close', () => {
      if (!lastError && !closing) {
        lastError = 'connection closed';
        logger.warn({ role }, 'redis connection lost; reconnecting');
      }
    });
    client.on('ready', () => {
      if (lastError) logger.info({ role }, 'redis connection restored');
      lastError = '';
    });
    return client;
  };
  const command = make('command', { enableAutoPipelining: true });
  // No command timeout on the subscriber: a SUBSCRIBE answered late must still confirm its topic
  // (the hub bounds how long a caller waits instead).
  const subscriber = make('subscriber', { ...subscriberConnectionOptions, commandTimeout: undefined });

  let available = true;
  let probe: NodeJS.Timeout | null = null;
  let probing = false;

  let cause: string | null = null;

  async function ping(timeoutMs = 1000, onError?: (message: string) => void): Promise<boolean> {
    let cancel: (() => void) | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      cancel = afterDeadline(timeoutMs, () => {
        onError?.(`no answer to PING within ${timeoutMs} ms`);
        resolve(false);
      });
    });
    try {
      return await Promise.race([
        command.ping().then(
          (reply) => reply === 'PONG',
          (error: unknown) => {
            onError?.(error instanceof Error ? error.message : String(error));
            return false;
          },
        ),
        timeout,
      ]);
    } finally {
      cancel?.();
    }
  }

  const runProbe = async () => {
    if (probing) return;
    probing = true;
    try {
      let failure = 'no answer';
      let ok = await ping(commandTimeoutMs, (message) => (failure = message));
      // Once more before calling it an outage.
      if (!ok && available) ok = await ping(commandTimeoutMs, (message) => (failure = message));
      if (ok !== available) {
        available = ok;
        cause = ok ? null : failure;
        if (ok) logger.info('redis answers again: operations run normally');
        else logger.warn({ cause, timeoutMs: commandTimeoutMs }, 'redis does not answer: operations fail with UNAVAILABLE until it does');
      }
    } finally {
      probing = false;
    }
  };

  return {
    command,
    subscriber,
    health: {
      get available() {
        return available;
      },
      get cause() {
        return cause;
      },
    },
    async connect() {
      await Promise.all([command.connect(), subscriber.connect()]);
      probe ??= setInterval(() => void runProbe(), options.probeMs ?? HEALTH_PROBE_MS);
      probe.unref();
    },
    ping: (timeoutMs) => ping(timeoutMs),
    async close() {
      closing = true;
      if (probe) clearInterval(probe);
      probe = null;
      await Promise.allSettled([command.quit(), subscriber.quit()]);
      command.disconnect();
      subscriber.disconnect();
    },
  };
}
