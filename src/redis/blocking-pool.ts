import calculateSlot from 'cluster-key-slot';
import { delay } from '../common/delay.js';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

/** Options of {@link createBlockingPool}. */
export interface BlockingPoolOptions {
  /**
   * The Redis that pooled connections open on a single node (`redis://` or `rediss://`). Default:
   * the options of `control` itself. Not used when `control` is a Cluster: connections then open
   * to each slot's master, with the Cluster's `redisOptions` (password, TLS) and its `natMap`.
   */
  url?: string;
  /**
   * Most connections open at once (over every node of a cluster); callers beyond wait their
   * turn (FIFO). On a cluster, an idle connection to another node is closed to make room.
   */
  maxConnections: number;
  /**
   * The command client. A single Redis: CLIENT UNBLOCK is sent through it (it must not be a pool
   * member). A Cluster: its slot map routes each blocking command to the master of its key's
   * slot, and CLIENT UNBLOCK goes through its own connection to the node that holds the blocked
   * connection (client ids are per node).
   */
  control: Redis | Cluster;
  /** Where connection errors and cluster retries are logged (debug level). */
  logger: Logger;
  /**
   * On a cluster, how many times one `run` sends its work: again after a `MOVED` or `ASK`
   * redirect, an `UNBLOCKED` (the node became a replica, a failover), `TRYAGAIN`, `CLUSTERDOWN`
   * or a node that closed or refused the connection, each after a refresh of the slot map.
   * Default {@link DEFAULT_CLUSTER_ATTEMPTS}. Unused on a single Redis, where the error goes to
   * the caller at once (callers retry with their own backoff).
   */
  clusterAttempts?: number;
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
 *
 * On Redis Cluster the pool holds connections per master: each `run` names the key its command
 * reads, and gets a connection to the master that serves the key's slot now. A blocking command
 * on the Cluster client itself would stall every other command to that node (ioredis has one
 * connection per node), hence a pool of its own here too.
 */
export interface BlockingPool {
  /**
   * Lends a connection to `work` and takes it back when `work` settles. When `signal` aborts, a
   * command blocked on the connection is released at once with CLIENT UNBLOCK (it then returns
   * as if its timeout had passed), and a caller still waiting for a connection is rejected.
   *
   * `key` is the key the blocking command reads (every key of a multi-key command shares its
   * slot, see {@link BlockingPool.shardOf}). Required on a cluster, where the connection lent is
   * one to the master of the key's slot, and where `work` runs again on a new connection after a
   * redirect, a failover or a lost node (see {@link BlockingPoolOptions.clusterAttempts}): a
   * blocking command that failed so took nothing, so `work` must be safe to repeat.
   * @throws the signal's reason when aborted before a connection was free; whatever `work` throws;
   *   an Error when `key` is missing on a cluster.
   */
  run<T>(work: (connection: BlockingConnection) => Promise<T>, signal?: AbortSignal, key?: string): Promise<T>;
  /**
   * Which keys one multi-key blocking command may name together: the same string for every key on
   * a single Redis (`all`), the key's hash slot on a cluster (a multi-key command across slots is
   * refused there with CROSSSLOT).
   */
  shardOf(key: string): string;
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
/** Default of {@link BlockingPoolOptions.clusterAttempts}. */
export const DEFAULT_CLUSTER_ATTEMPTS = 5;
/** Pause before the next attempt after a failover-like error on a cluster, doubled each time. */
const CLUSTER_RETRY_BASE_MS = 100;
/** The node name of every connection on a single Redis. */
const SINGLE_NODE = 'single';
/** What {@link BlockingPool.shardOf} answers on a single Redis. */
const SINGLE_SHARD = 'all';

/** What `run` rejects with once the pool is closed (and what callers still waiting get). */
export class PoolClosedError extends Error {
  override name = 'PoolClosedError';
  constructor() {
    super('the blocking connection pool is closed');
  }
}

interface Pooled extends BlockingConnection {
  /** `host:port` of the node it is open to (as the Cluster's slot map names it), or SINGLE_NODE. */
  node: string;
}

interface Waiter {
  node: string;
  /** Hands the connection over; false when the caller gave up meanwhile (it must be released). */
  resolve(connection: Pooled): boolean;
  reject(error: unknown): void;
}

/** Why a cluster attempt failed in a way that a new attempt may fix. */
type Recovery = { kind: 'ask'; node: string } | { kind: 'refresh'; pause: boolean };

const replyPrefix = (error: unknown): string | null =>
  // ioredis types its ReplyError as `any`; its name is reliable.
  error instanceof Error && error.name === 'ReplyError' ? (error.message.split(' ', 1)[0] ?? null) : null;

/** `host:port` of a node key, IPv6 hosts included (the port follows the last colon). */
function splitNode(node: string): { host: string; port: number } {
  const colon = node.lastIndexOf(':');
  return { host: node.slice(0, colon), port: Number(node.slice(colon + 1)) };
}

export function createBlockingPool(options: BlockingPoolOptions): BlockingPool {
  const { control, logger } = options;
  const cluster = control instanceof Cluster ? control : null;
  const attempts = Math.max(1, options.clusterAttempts ?? DEFAULT_CLUSTER_ATTEMPTS);
  const idle = new Map<string, Pooled[]>();
  const all = new Set<Pooled>();
  const busy = new Set<Pooled>();
  const waiting: Waiter[] = [];
  let opening = 0;
  let closed = false;

  const connectionOptions: RedisOptions = {
    lazyConnect: true,
    connectionName: 'switchboard:blocking',
    // A blocked read lasts as long as its own timeout says: no command timeout cuts it short.
    commandTimeout: undefined,
    // A blocking command must not be retried after a reconnect: it may have taken data.
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    enableAutoPipelining: false,
    // Never reconnect, neither after a drop nor on an error reply: a reconnected connection
    // has a new CLIENT ID, so CLIENT UNBLOCK with the one read below would miss it (or, after
    // a Redis restart, hit a stranger) and an aborted read would wait out its timeout. A
    // dropped connection ends instead ('end' below forgets it) and the pool opens a new one.
    retryStrategy: () => null,
    reconnectOnError: null,
  };

  function client(node: string): Redis {
    if (cluster) {
      // The Cluster's redisOptions carry the password and TLS of every node; the node key comes
      // from its slot map, where natMap has already been applied.
      return new Redis({ ...cluster.options.redisOptions, ...splitNode(node), ...connectionOptions });
    }
    if (options.url) return new Redis(options.url, connectionOptions);
    return (control as Redis).duplicate(connectionOptions);
  }

  function forget(connection: Pooled): void {
    all.delete(connection);
    busy.delete(connection);
    const list = idle.get(connection.node);
    const index = list?.indexOf(connection) ?? -1;
    if (list && index >= 0) list.splice(index, 1);
    if (list?.length === 0) idle.delete(connection.node);
  }

  async function open(node: string): Promise<Pooled> {
    opening++;
    try {
      const redis = client(node);
      redis.on('error', (error: Error) => logger.debug({ err: error.message, node }, 'blocking connection error'));
      let clientId: number;
      try {
        await redis.connect();
        clientId = Number(await redis.client('ID'));
      } catch (error) {
        // The client is not in the pool yet, so close() would never reach it: close it here.
        redis.disconnect();
        throw error;
      }
      // close() ran while it was opening: its loop did not see this one, so it is closed here.
      if (closed) {
        redis.disconnect();
        throw new PoolClosedError();
      }
      const connection: Pooled = { redis, clientId, node };
      all.add(connection);
      redis.once('end', () => forget(connection));
      return connection;
    } finally {
      opening--;
    }
  }

  /** Opens a connection for a caller that waited for a slot; its error is that caller's. */
  function openFor(waiter: Waiter): void {
    open(waiter.node).then(
      (connection) => {
        busy.add(connection);
        if (!waiter.resolve(connection)) release(connection);
      },
      (error: unknown) => {
        waiter.reject(error);
        refill();
      },
    );
  }

  /**
   * A slot was freed without a connection coming back (one failed to open, or a lent one was
   * dropped): callers waiting for a slot would otherwise wait for a release that never comes.
   * Opens a connection for the first of them; when that fails, the caller gets the error, as
   * it would have opening one itself, and the slot goes to the next.
   */
  function refill(): void {
    if (closed || waiting.length === 0 || all.size + opening >= options.maxConnections) return;
    openFor(waiting.shift() as Waiter);
  }

  /** An idle connection to any node but `node`, to close for room. */
  function spareIdle(node: string): Pooled | undefined {
    for (const [other, list] of idle) if (other !== node && list.length > 0) return list[list.length - 1];
    return undefined;
  }

  const refreshSlots = () =>
    new Promise<void>((resolve) => {
      if (!cluster) return resolve();
      cluster.refreshSlotsCache(() => resolve());
    });

  /**
   * The master that serves `key`'s slot now, as the Cluster's slot map says (refreshed when it
   * names none). Synchronous when the map knows, so that a caller queues for a connection in the
   * same tick as its `run` (callers are served in the order they called).
   */
  function nodeFor(key: string | undefined): string | Promise<string> {
    if (!cluster) return SINGLE_NODE;
    const slot = calculateSlot(key as string);
    const owner = cluster.slots[slot]?.[0];
    if (owner) return owner;
    return refreshSlots().then(() => {
      const refreshed = cluster.slots[slot]?.[0];
      if (!refreshed) throw new Error(`no Redis Cluster master serves slot ${slot} (key ${JSON.stringify(key)}) now`);
      return refreshed;
    });
  }

  async function acquire(node: string, signal?: AbortSignal): Promise<Pooled> {
    if (closed) throw new PoolClosedError();
    signal?.throwIfAborted();
    const list = idle.get(node);
    const ready = list?.pop();
    if (list?.length === 0) idle.delete(node);
    if (ready) return ready;
    if (all.size + opening >= options.maxConnections) {
      // Full, but with a connection to another node doing nothing: it makes room.
      const spare = spareIdle(node);
      if (spare) {
        forget(spare);
        spare.redis.disconnect();
      }
    }
    if (all.size + opening < options.maxConnections) {
      return open(node).catch((error: unknown) => {
        refill();
        throw error;
      });
    }
    return new Promise<Pooled>((resolve, reject) => {
      let settled = false;
      const entry: Waiter = {
        node,
        resolve: (connection) => {
          if (settled) return false;
          settled = true;
          signal?.removeEventListener('abort', onAbort);
          resolve(connection);
          return true;
        },
        reject: (error) => {
          if (settled) return;
          settled = true;
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      const onAbort = () => {
        const index = waiting.indexOf(entry);
        if (index >= 0) waiting.splice(index, 1);
        entry.reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      waiting.push(entry);
    });
  }

  function release(connection: Pooled): void {
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
    if (!next) {
      const list = idle.get(connection.node) ?? [];
      list.push(connection);
      idle.set(connection.node, list);
      return;
    }
    if (next.node === connection.node) {
      busy.add(connection);
      if (!next.resolve(connection)) release(connection);
      return;
    }
    // The next caller needs another master: this connection's slot goes to one opened there.
    forget(connection);
    connection.redis.disconnect();
    openFor(next);
  }

  /** Releases the command blocked on `connection`, through a connection to the same node. */
  function unblock(connection: Pooled): Promise<unknown> {
    let through: Redis | Cluster | undefined = control;
    if (cluster) {
      through = cluster.nodes('all').find((node) => `${node.options.host}:${node.options.port}` === connection.node);
      if (through?.status !== 'ready') through = undefined;
    }
    if (!through) {
      // The Cluster has no connection to that node now (it left the slot map, or is down): the
      // blocked connection is dropped instead, which ends its command too.
      connection.redis.disconnect();
      return Promise.resolve();
    }
    return through.client('UNBLOCK', connection.clientId).catch((error: unknown) => {
      // The control connection is down: drop the blocked connection instead.
      logger.debug({ err: error, node: connection.node }, 'CLIENT UNBLOCK failed; disconnecting');
      connection.redis.disconnect();
    });
  }

  /** What to do before the next cluster attempt after `error`, or null when the error is the caller's. */
  function recovery(error: unknown, connection: Pooled | null): Recovery | null {
    const prefix = replyPrefix(error);
    if (prefix === 'ASK') {
      const target = String((error as Error).message.split(' ')[2] ?? '');
      return target ? { kind: 'ask', node: target } : { kind: 'refresh', pause: false };
    }
    if (prefix === 'MOVED') return { kind: 'refresh', pause: false };
    if (prefix === 'UNBLOCKED' || prefix === 'TRYAGAIN' || prefix === 'CLUSTERDOWN' || prefix === 'READONLY') return { kind: 'refresh', pause: true };
    if (prefix !== null) return null;
    // Not a reply: the node closed the connection (or refused a new one) when the connection is
    // gone; an error of `work`'s own (an AppError, a parse error) leaves it open.
    if (connection === null || connection.redis.status === 'end' || connection.redis.status === 'close') return { kind: 'refresh', pause: true };
    return null;
  }

  async function attempt<T>(connection: Pooled, work: (connection: BlockingConnection) => Promise<T>, signal: AbortSignal | undefined, asking: boolean): Promise<T> {
    busy.add(connection);
    // Closed while the connection was being acquired: the work must not start (release()
    // disconnects it).
    if (closed) {
      release(connection);
      throw new PoolClosedError();
    }
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
      // ASKING lets the next command through on a node that is importing the key's slot.
      if (asking) await connection.redis.asking();
      return await work(connection);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      clearInterval(retry);
      release(connection);
    }
  }

  return {
    async run(work, signal, key) {
      if (cluster && key === undefined) throw new Error('a blocking command on Redis Cluster needs the key it reads, to reach the master of its slot');
      let askNode: string | null = null;
      for (let round = 1; ; round++) {
        let connection: Pooled | null = null;
        let failure: unknown;
        try {
          const route = askNode ?? nodeFor(key);
          connection = await acquire(typeof route === 'string' ? route : await route, signal);
          return await attempt(connection, work, signal, askNode !== null);
        } catch (error) {
          failure = error;
        }
        // Aborted, closed, out of attempts, on a single Redis, or the work's own error: the caller's.
        const next = cluster && round < attempts && !closed && !signal?.aborted && !(failure instanceof PoolClosedError) ? recovery(failure, connection) : null;
        if (!next) throw failure;
        logger.debug({ err: failure, key, round, next }, 'blocking command redirected or its node lost; trying again');
        askNode = null;
        if (next.kind === 'ask') {
          askNode = next.node;
          continue;
        }
        if (next.pause) await delay(CLUSTER_RETRY_BASE_MS * 2 ** (round - 1), signal);
        await refreshSlots();
      }
    },
    shardOf: (key) => (cluster ? String(calculateSlot(key)) : SINGLE_SHARD),
    stats: () => ({ open: all.size, busy: busy.size, waiting: waiting.length }),
    dedicated: (maxConnections) => createBlockingPool({ ...options, maxConnections }),
    async close() {
      closed = true;
      for (const entry of waiting.splice(0)) entry.reject(new PoolClosedError());
      await Promise.all([...busy].map(unblock));
      for (const connection of [...all]) connection.redis.disconnect();
      idle.clear();
    },
  };
}
