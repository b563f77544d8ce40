import { Cluster, type ClusterNode, type ClusterOptions, type Command, Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { watchBusLinks } from './bus-links.js';
import type { ClusterNatMap, ClusterSeeds } from './cluster-nodes.js';
import { subscriberConnectionOptions } from './pubsub-hub.js';

import { afterDeadline } from './unavailable.js';

export { isRedisUnavailableError } from './unavailable.js';

/**
 * A command client: one server (`Redis`) or a Redis Cluster (`Cluster`, which follows MOVED/ASK
 * and routes each keyed command to the master of its slot). Code that sends only single-slot
 * commands takes this type and works on both.
 */
export type RedisClient = Redis | Cluster;

/** Which Redis to use: one server by URL, or a cluster by its seeds. */
export type RedisTarget =
  | { mode: 'standalone'; url: string }
  | {
      mode: 'cluster';
      seeds: ClusterSeeds;
      /** Announced address -> reachable address, for nodes behind NAT (ioredis `natMap`). */
      natMap?: ClusterNatMap | undefined;
    };

/** Whether Redis answers, as the process last saw it. */
export interface RedisHealth {
  /**
   * False from the moment two probe PINGs in a row went unanswered for `REDIS_COMMAND_TIMEOUT_MS`
   * (or failed) until one is answered again: operations then fail at once with UNAVAILABLE instead
   * of each waiting out its timeout. Two, so that one stall of this process (a blocked event loop,
   * a starved CPU), which ioredis's own command timer takes for a timeout, is not an outage. On a
   * cluster the probe PINGs every master and counts as answered when any does: one master down is
   * a partial outage that its own keys' commands report, not a reason to refuse everything.
   */
  readonly available: boolean;
  /** Why the probes failed, while `available` is false. */
  readonly cause: string | null;
}

/** What `/ready` reports about Redis. */
export interface RedisReadiness {
  /** Standalone: PING answered. Cluster: `cluster_state:ok` and every master answered PING. */
  ready: boolean;
  mode: 'standalone' | 'cluster';
  /** Cluster only: `cluster_state` of CLUSTER INFO (`ok`, `fail`), or `unknown` when no node answered. */
  state?: string;
  /** Cluster only: masters known from the slot table. */
  masters?: number;
  /** Cluster only: masters that answered PING in time. */
  mastersAnswering?: number;
  /** Cluster only: slots served by a master that is not failing (16384 when all are). */
  slotsOk?: number;
}

/** The connections one Switchboard process holds. */
export interface RedisConnections {
  /** Which Redis this is. */
  target: RedisTarget;
  /**
   * Ordinary commands; never used for blocking reads or SUBSCRIBE. On a cluster every classic
   * PUBLISH it sends goes through one pinned master connection (see {@link createRedisConnections}),
   * so one sender's messages arrive in the order they were sent.
   */
  command: RedisClient;
  /**
   * Subscriber mode only (SUBSCRIBE / PSUBSCRIBE, and SSUBSCRIBE on one server), shared by every
   * local subscription. On a cluster it is this process's own connection to one node (classic
   * pub/sub reaches every node), moved to another node whenever it fails; its `close` / `ready`
   * events are the ones the pub/sub hub turns into gaps, and on a cluster it also emits
   * `SUBSCRIBER_MISSED_EVENT` (pubsub-hub.ts) when a cluster bus link into its node was made
   * again (bus-links.ts), which the hub turns into a gap too.
   */
  subscriber: Redis;
  /** Whether Redis answers (probed while the process runs). */
  health: RedisHealth;
  /** Connects both; resolves when both are ready. Starts the health probe. */
  connect(): Promise<void>;
  /** Resolves true when Redis answers PING within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<boolean>;
  /** Redis's state for `/ready`, within `timeoutMs`. */
  readiness(timeoutMs?: number): Promise<RedisReadiness>;
  /** Closes every connection, letting queued commands finish first. */
  close(): Promise<void>;
}

/** Options of {@link createRedisConnections}. */
export interface RedisConnectionOptions {
  /** The Redis to use: `redis://` / `rediss://` URL of one server, or a cluster's seeds. */
  target: RedisTarget;
  /** Where connection losses, restores and health changes are logged (one line each). */
  logger: Logger;
  /**
   * Every command fails after this long without a reply (`REDIS_COMMAND_TIMEOUT_MS`); also the
   * connect timeout, how long a health probe waits, and on a cluster the longest a command may
   * wait in the offline queue or between redirection retries.
   */
  commandTimeoutMs: number;
  /** How often the health probe runs. Default {@link HEALTH_PROBE_MS}. */
  probeMs?: number;
}

/** How often Redis is pinged to decide whether operations should fail fast. */
export const HEALTH_PROBE_MS = 500;

/**
 * How often the cluster client reloads the slot table (CLUSTER SLOTS) on its own, besides after a
 * MOVED: a failover is noticed within this even by an instance that sent nothing to the old master.
 */
export const CLUSTER_SLOTS_REFRESH_MS = 2000;
/** Wait before a command that got MOVED is sent again: right after a failover the nodes may still disagree. */
export const CLUSTER_RETRY_DELAY_ON_MOVED_MS = 50;
/** Wait before a command whose node connection closed (a master that died) is sent again to the refreshed owner. */
export const CLUSTER_RETRY_DELAY_ON_FAILOVER_MS = 200;
/** Wait before a command refused with CLUSTERDOWN (no master for its slot yet) is tried again. */
export const CLUSTER_RETRY_DELAY_ON_CLUSTER_DOWN_MS = 200;
/** Most commands that wait while the cluster client has no usable connection; beyond, a command fails at once. */
export const CLUSTER_OFFLINE_QUEUE_LIMIT = 10_000;

/** Hash slots of a Redis Cluster. */
const CLUSTER_SLOTS = 16_384;

/** The error a command gets when the cluster client's offline queue is full. */
export const OFFLINE_QUEUE_FULL_MESSAGE = 'Cluster offline queue is full';

/**
 * A Cluster whose offline queue is bounded, in time (a command that has no answer within
 * `boundMs`, queued, redirected or retried, fails with "Command timed out", which is UNAVAILABLE)
 * and in size ({@link CLUSTER_OFFLINE_QUEUE_LIMIT}). ioredis's own Cluster honours neither
 * `commandTimeout` nor `maxRetriesPerRequest` while a command waits in its offline queue or its
 * retry queue: without this a GET could wait for ever during an outage.
 *
 * It also pins classic PUBLISH: a keyless command goes to a random node, so two PUBLISHes of one
 * sender could take different paths through the cluster bus and arrive out of order. Every
 * PUBLISH of this client is written to one master's connection, re-chosen only when that one
 * leaves the slot table or closes.
 */
class BoundedCluster extends Cluster {
  private pinnedPublisher: Redis | null = null;

  constructor(
    startupNodes: ClusterNode[],
    options: ClusterOptions,
    private readonly boundMs: number,
  ) {
    super(startupNodes, options);
  }

  override sendCommand(command: Command, stream?: never, node?: never): unknown {
    // Timed out while it waited: whoever sent it has its error; never send it late.
    if (abandoned.has(command)) return command.promise;
    // CLUSTER commands are the client's own slot refreshes and ready checks.
    if (!command.isResolved && command.name !== 'cluster') {
      if (this.status !== 'ready') {
        const queue = (this as unknown as { offlineQueue: OfflineQueue }).offlineQueue;
        if (queue.length >= CLUSTER_OFFLINE_QUEUE_LIMIT) pruneSettled(queue);
        if (queue.length >= CLUSTER_OFFLINE_QUEUE_LIMIT) {
          command.reject(new Error(`${OFFLINE_QUEUE_FULL_MESSAGE} (${CLUSTER_OFFLINE_QUEUE_LIMIT} commands wait for the cluster)`));
          return command.promise;
        }
        command.promise.catch(() => abandoned.add(command));
      }
      // A no-op when already set; the node connection's own commandTimeout then finds it set.
      command.setTimeout(this.boundMs);
    }
    if (command.name === 'publish' && node === undefined && this.status === 'ready') {
      const target = this.publisher();
      if (target) return target.sendCommand(command);
    }
    return (super.sendCommand as (command: Command, stream?: never, node?: never) => unknown)(command, stream, node);
  }

  /** The master connection every classic PUBLISH goes through, while it is in the slot table and open. */
  private publisher(): Redis | null {
    const masters = this.nodes('master');
    const current = this.pinnedPublisher;
    if (current && masters.includes(current) && current.status !== 'end' && current.status !== 'close') return current;
    const open = masters.filter((redis) => redis.status === 'ready');
    const choice = (open.length > 0 ? open : masters)[Math.floor(Math.random() * (open.length || masters.length))] ?? null;
    this.pinnedPublisher = choice;
    return choice;
  }
}

/** The part of ioredis's offline queue (a denque) that the bound uses. */
interface OfflineQueue {
  length: number;
  toArray(): Array<{ command: Command }>;
  clear(): void;
  push(item: { command: Command }): number;
}

/** Commands that failed (timed out) while they waited in a cluster client's offline queue. */
const abandoned = new WeakSet<Command>();

/** Drops from the offline queue the commands that already failed, keeping the others in order. */
function pruneSettled(queue: OfflineQueue): void {
  const waiting = queue.toArray().filter((item) => !abandoned.has(item.command));
  queue.clear();
  for (const item of waiting) queue.push(item);
}

/** An address a node connection of the cluster client uses (after natMap). */
const addressOf = (redis: Redis) => ({ host: String(redis.options.host), port: Number(redis.options.port) });

/**
 * Opens nothing until `connect()`: construction is free of side effects so that `createApp` can
 * build everything first and `start()` can connect in one place.
 */
export function createRedisConnections(options: RedisConnectionOptions): RedisConnections {
  const { target, logger, commandTimeoutMs } = options;
  let closing = false;
  const watch = <T extends Redis | Cluster>(client: T, role: string): T => {
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
  const baseOptions = (role: string): RedisOptions => ({
    lazyConnect: true,
    connectionName: `switchboard:${role}`,
    // Fail commands after a few reconnect attempts instead of queueing them for ever.
    maxRetriesPerRequest: 3,
    commandTimeout: commandTimeoutMs,
    connectTimeout: commandTimeoutMs,
  });
  // No command timeout on the subscriber: a SUBSCRIBE answered late must still confirm its topic
  // (the hub bounds how long a caller waits instead).
  const subscriberOptions = (): RedisOptions => ({ ...baseOptions('subscriber'), ...subscriberConnectionOptions, commandTimeout: undefined });

  let command: RedisClient;
  let subscriber: Redis;
  let connectSubscriber: () => Promise<void>;
  /** Cluster only: starts watching the subscriber node's bus links (see bus-links.ts); returns the stop. */
  let watchBus: () => () => void = () => () => undefined;
  let stopBusWatch: (() => void) | null = null;
  if (target.mode === 'standalone') {
    command = watch(new Redis(target.url, { ...baseOptions('command'), enableAutoPipelining: true }), 'command');
    subscriber = watch(new Redis(target.url, subscriberOptions()), 'subscriber');
    connectSubscriber = () => subscriber.connect();
  } else {
    const { seeds, natMap } = target;
    const nodeOptions: RedisOptions = { ...baseOptions('command'), ...clusterNodeOptions(seeds) };
    const cluster = new BoundedCluster(
      seeds.nodes.map(({ host, port }) => ({ host, port })),
      {
        lazyConnect: true,
        scaleReads: 'master',
        slotsRefreshInterval: CLUSTER_SLOTS_REFRESH_MS,
        slotsRefreshTimeout: commandTimeoutMs,
        retryDelayOnMoved: CLUSTER_RETRY_DELAY_ON_MOVED_MS,
        retryDelayOnFailover: CLUSTER_RETRY_DELAY_ON_FAILOVER_MS,
        retryDelayOnClusterDown: CLUSTER_RETRY_DELAY_ON_CLUSTER_DOWN_MS,
        // Bounded by BoundedCluster (time and size), not left to wait for ever.
        enableOfflineQueue: true,
        enableAutoPipelining: true,
        // PUBLISH is keyless: auto-pipelining would batch it by its channel's slot; it is pinned instead.
        autoPipeliningIgnoredCommands: ['publish'],
        ...(natMap ? { natMap } : {}),
        // TLS certificates name hosts, and the slot table gives addresses: keep the hostname.
        ...(seeds.tls ? { dnsLookup: (address: string, callback: (error: null, address: string) => void) => callback(null, address) } : {}),
        redisOptions: nodeOptions,
      },
      commandTimeoutMs,
    );
    command = watch(cluster, 'command');
    // The process's own classic subscriber: one node of the cluster (classic messages reach every
    // node through the cluster bus), a different one after each failure. Not the Cluster's
    // internal subscriber, whose moves after a failover are silent (no event to report a gap by).
    let current = seeds.nodes[Math.floor(Math.random() * seeds.nodes.length)]!;
    const candidates = () => {
      const known = cluster.status === 'ready' ? cluster.nodes('all').map(addressOf) : [];
      return known.length > 0 ? known : seeds.nodes.map((node) => natMap?.[`${node.host}:${node.port}`] ?? node);
    };
    const moveTo = (next: { host: string; port: number }) => {
      current = next;
      subscriber.options.host = next.host;
      subscriber.options.port = next.port;
    };
    subscriber = watch(
      new Redis({
        ...subscriberOptions(),
        host: current.host,
        port: current.port,
        ...clusterNodeOptions(seeds),
        // Called before every reconnect: go to another node than the one that failed.
        retryStrategy: (times) => {
          const others = candidates().filter((node) => node.host !== current.host || node.port !== current.port);
          const next = others[Math.floor(Math.random() * others.length)];
          if (next) {
            logger.info({ from: `${current.host}:${current.port}`, to: `${next.host}:${next.port}` }, 'pub/sub connection moves to another cluster node');
            moveTo(next);
          }
          return Math.min(50 * 2 ** Math.min(times - 1, 6), 2000);
        },
      }),
      'subscriber',
    );
    connectSubscriber = async () => {
      // Start on a random node of the cluster's current view (spreads instances over the nodes).
      const all = candidates();
      moveTo(all[Math.floor(Math.random() * all.length)] ?? current);
      await subscriber.connect();
    };
    // Classic messages cross the cluster bus to reach the subscriber's node; a bus link dropped
    // and made again loses some while the subscriber connection stays up.
    watchBus = () => watchBusLinks({ cluster, subscriber, currentNode: () => current, logger, timeoutMs: commandTimeoutMs });
  }

  let available = true;
  let probe: NodeJS.Timeout | null = null;
  let probing = false;

  let cause: string | null = null;

  /** Resolves with `work`'s result, or `fallback` once `timeoutMs` passed (calling `onTimeout`). */
  async function within<T>(work: Promise<T>, timeoutMs: number, fallback: T, onTimeout?: () => void): Promise<T> {
    let cancel: (() => void) | undefined;
    const timeout = new Promise<T>((resolve) => {
      cancel = afterDeadline(timeoutMs, () => {
        onTimeout?.();
        resolve(fallback);
      });
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      cancel?.();
    }
  }

  const pingOne = (client: Redis | Cluster, onError?: (message: string) => void) =>
    client.ping().then(
      (reply) => reply === 'PONG',
      (error: unknown) => {
        onError?.(error instanceof Error ? error.message : String(error));
        return false;
      },
    );

  const masters = (): Redis[] => (command instanceof Cluster ? command.nodes('master') : []);

  async function ping(timeoutMs = 1000, onError?: (message: string) => void): Promise<boolean> {
    const timedOut = () => onError?.(`no answer to PING within ${timeoutMs} ms`);
    if (!(command instanceof Cluster)) return within(pingOne(command, onError), timeoutMs, false, timedOut);
    const nodes = masters();
    if (nodes.length === 0) return within(pingOne(command, onError), timeoutMs, false, timedOut);
    // Any master answering means Redis is there (see RedisHealth.available).
    const answers = nodes.map((node) => pingOne(node, onError).then((ok) => (ok ? true : Promise.reject(new Error('no PONG')))));
    return within(
      Promise.any(answers).then(
        () => true,
        () => false,
      ),
      timeoutMs,
      false,
      timedOut,
    );
  }

  async function readiness(timeoutMs = 1000): Promise<RedisReadiness> {
    if (!(command instanceof Cluster)) return { mode: 'standalone', ready: await ping(timeoutMs) };
    // The masters the slot table names (a master whose connection died is still one of them
    // until a failover replaces it), each PINGed over the client's own connection to it.
    const owners = new Set<string>();
    let covered = 0;
    for (const nodes of command.slots) {
      if (!nodes?.[0]) continue;
      covered++;
      owners.add(nodes[0]);
    }
    const connected = new Map(command.nodes('master').map((node) => [`${node.options.host}:${node.options.port}`, node]));
    const expected = [...owners].map((key) => connected.get(key) ?? null);
    const [answers, info] = await Promise.all([
      Promise.all(expected.map((node) => (node ? within(pingOne(node), timeoutMs, false) : false))),
      within(
        (async () => {
          for (const node of expected) {
            if (!node) continue;
            try {
              return String(await node.call('CLUSTER', 'INFO'));
            } catch {
              // The next master may answer.
            }
          }
          return '';
        })(),
        timeoutMs,
        '',
      ),
    ]);
    const state = /cluster_state:(\w+)/.exec(info)?.[1] ?? 'unknown';
    const slotsOk = Number(/cluster_slots_ok:(\d+)/.exec(info)?.[1] ?? 0);
    const mastersAnswering = answers.filter(Boolean).length;
    return {
      mode: 'cluster',
      ready: state === 'ok' && covered === CLUSTER_SLOTS && expected.length > 0 && mastersAnswering === expected.length,
      state,
      masters: expected.length,
      mastersAnswering,
      slotsOk,
    };
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
    target,
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
      // The cluster's slot table first: the subscriber picks its node from it.
      await command.connect();
      await connectSubscriber();
      stopBusWatch ??= watchBus();
      probe ??= setInterval(() => void runProbe(), options.probeMs ?? HEALTH_PROBE_MS);
      probe.unref();
    },
    ping: (timeoutMs) => ping(timeoutMs),
    readiness,
    async close() {
      closing = true;
      stopBusWatch?.();
      stopBusWatch = null;
      if (probe) clearInterval(probe);
      probe = null;
      await Promise.allSettled([command.quit(), subscriber.quit()]);
      command.disconnect();
      subscriber.disconnect();
    },
  };
}

/** Credentials and TLS every connection to a node of the cluster needs. */
export function clusterNodeOptions(seeds: ClusterSeeds): RedisOptions {
  return {
    ...(seeds.username ? { username: seeds.username } : {}),
    ...(seeds.password ? { password: seeds.password } : {}),
    ...(seeds.tls ? { tls: {} } : {}),
  };
}

/** The target a configuration names: REDIS_CLUSTER_NODES (cluster) when set, else the given URL. */
export function redisTargetOf(config: {
  redisUrl?: string | undefined;
  redisClusterNodes?: ClusterSeeds | undefined;
  redisClusterNatMap?: ClusterNatMap | undefined;
}): RedisTarget {
  if (config.redisClusterNodes) return { mode: 'cluster', seeds: config.redisClusterNodes, natMap: config.redisClusterNatMap };
  if (!config.redisUrl) throw new Error('no Redis configured: set REDIS_URL or REDIS_CLUSTER_NODES');
  return { mode: 'standalone', url: config.redisUrl };
}

/** The Redis of a target for logs, without passwords. */
export function describeTarget(target: RedisTarget): string {
  if (target.mode === 'cluster') return `cluster ${target.seeds.nodes.map(({ host, port }) => `${host}:${port}`).join(',')}`;
  try {
    const parsed = new URL(target.url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'redis';
  }
}
