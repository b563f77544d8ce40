import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** Options of {@link createBlockingPool}. */
export interface BlockingPoolOptions {
  url: string;
  /** Most connections open at once; callers beyond wait their turn (FIFO). */
  maxConnections: number;
  /** Used to release a blocked connection early with CLIENT UNBLOCK. Must not be a pool member. */
  control: Redis;
  logger: Logger;
}

/** A connection lent by the pool, with the id Redis knows it by. */
export interface BlockingConnection {
  redis: Redis;
  /**
   * Read once when the connection opens. It stays true for the connection's life because pooled
   * connections never reconnect: a reconnect would get a new id, and CLIENT UNBLOCK would miss.
   */
  clientId: number;
}

/**
 * Connections for blocking reads (XREAD BLOCK, XREADGROUP BLOCK, BLMOVE), so that a blocked read
 * never stalls the command client or another reader. Connections are opened on first use and
 * reused; none is opened at construction. A connection that drops or fails to open is closed and
 * forgotten, never reconnected; the next caller gets a new one.
 */
export interface BlockingPool {
  /**
   * Lends a connection to `work` and takes it back when `work` settles. When `signal` aborts, a
   * command blocked on the connection is released at once with CLIENT UNBLOCK (it then returns
   * as if its timeout had passed), and a caller still waiting for a connection is rejected.
   * @throws the signal's reason when aborted before a connection was free; whatever `work` throws.
   */
  run<T>(work: (connection: BlockingConnection) => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Connections open now / lent now / callers waiting. */
  stats(): { open: number; busy: number; waiting: number };
  /** Releases every blocked command and closes every connection; later `run` calls reject. */
  close(): Promise<void>;
  /**
   * A new pool of its own `maxConnections` on the same Redis, outside this pool's count: for a
   * reader that must never wait behind this pool's borrowers (the shared stream reader). Close it
   * separately. Opens nothing until used.
   */
  dedicated(maxConnections: number): BlockingPool;
}

/** How often CLIENT UNBLOCK is repeated for an aborted work that has not ended yet. */
const UNBLOCK_RETRY_MS = 50;

export class PoolClosedError extends Error {
  override name = 'PoolClosedError';
  constructor() {
    super('the blocking connection pool is closed');
  }
}

export function createBlockingPool(options: BlockingPoolOptions): BlockingPool {
  const idle: BlockingConnection[] = [];
  const all = new Set<BlockingConnection>();
  const busy = new Set<BlockingConnection>();
  const waiting: Array<{ resolve: (connection: BlockingConnection) => void; reject: (error: unknown) => void }> = [];
  let opening = 0;
  let closed = false;

  async function open(): Promise<BlockingConnection> {
    opening++;
    try {
      const redis = new Redis(options.url, {
        lazyConnect: true,
        connectionName: 'switchboard:blocking',
        // A blocking command must not be retried after a reconnect: it may have taken data.
        maxRetriesPerRequest: 0,
        enableOfflineQueue: false,
        // Never reconnect, neither after a drop nor on an error reply: a reconnected connection
        // has a new CLIENT ID, so CLIENT UNBLOCK with the one read below would miss it (or, after
        // a Redis restart, hit a stranger) and an aborted read would wait out its timeout. A
        // dropped connection ends instead ('end' below forgets it) and the pool opens a new one.
        retryStrategy: () => null,
        reconnectOnError: null,
      });
      redis.on('error', (error: Error) => options.logger.debug({ err: error.message }, 'blocking connection error'));
      let clientId: number;
      try {
        await redis.connect();
        clientId = Number(await redis.client('ID'));
      } catch (error) {
        // The client is not in the pool yet, so close() would never reach it: close it here.
        redis.disconnect();
        throw error;
      }
      const connection = { redis, clientId };
      all.add(connection);
      redis.once('end', () => {
        all.delete(connection);
        busy.delete(connection);
        const index = idle.indexOf(connection);
        if (index >= 0) idle.splice(index, 1);
      });
      return connection;
    } finally {
      opening--;
    }
  }

  /**
   * A slot was freed without a connection coming back (one failed to open, or a lent one was
   * dropped): callers waiting for a slot would otherwise wait for a release that never comes.
   * Opens a connection for the first of them; when that fails, the caller gets the error, as
   * it would have opening one itself, and the slot goes to the next.
   */
  function refill(): void {
    if (closed || waiting.length === 0 || all.size + opening >= options.maxConnections) return;
    open().then(release, (error: unknown) => {
      waiting.shift()?.reject(error);
      refill();
    });
  }

  async function acquire(signal?: AbortSignal): Promise<BlockingConnection> {
    if (closed) throw new PoolClosedError();
    signal?.throwIfAborted();
    const ready = idle.pop();
    if (ready) return ready;
    if (all.size + opening < options.maxConnections) {
      return open().catch((error: unknown) => {
        refill();
        throw error;
      });
    }
    return new Promise<BlockingConnection>((resolve, reject) => {
      const entry = {
        resolve: (connection: BlockingConnection) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(connection);
        },
        reject: (error: unknown) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      const onAbort = () => {
        const index = waiting.indexOf(entry);
        if (index >= 0) waiting.splice(index, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      waiting.push(entry);
    });
  }

  function release(connection: BlockingConnection): void {
    busy.delete(connection);
    if (!all.has(connection)) {
      // It ended while lent ('end' forgot it): nothing comes back, so its slot is free.
      refill();
      return;
    }
    if (closed) {
      connection.redis.disconnect();
      return;
    }
    const next = waiting.shift();
    if (next) {
      busy.add(connection);
      next.resolve(connection);
    } else {
      idle.push(connection);
    }
  }

  const unblock = (connection: BlockingConnection) =>
    options.control.client('UNBLOCK', connection.clientId).catch((error: unknown) => {
      // The control connection is down: drop the blocked connection instead.
      options.logger.debug({ err: error }, 'CLIENT UNBLOCK failed; disconnecting');
      connection.redis.disconnect();
    });

  return {
    async run(work, signal) {
      const connection = await acquire(signal);
      busy.add(connection);
      // The signal may have aborted while a new connection was opening: its listener would
      // never fire, so the work must not start.
      if (signal?.aborted) {
        release(connection);
        throw signal.reason;
      }
      // CLIENT UNBLOCK only releases a command that is already blocked; one still on its way
      // to Redis would wait out its timeout. So it is sent again until the work has ended.
      let retry: NodeJS.Timeout | undefined;
      const onAbort = () => {
        void unblock(connection);
        retry = setInterval(() => void unblock(connection), UNBLOCK_RETRY_MS);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        return await work(connection);
      } finally {
        signal?.removeEventListener('abort', onAbort);
        clearInterval(retry);
        release(connection);
      }
    },
    stats: () => ({ open: all.size, busy: busy.size, waiting: waiting.length }),
    dedicated: (maxConnections) => createBlockingPool({ ...options, maxConnections }),
    async close() {
      closed = true;
      for (const entry of waiting.splice(0)) entry.reject(new PoolClosedError());
      await Promise.all([...busy].map(unblock));
      for (const connection of [...all]) connection.redis.disconnect();
      idle.length = 0;
    },
  };
}
