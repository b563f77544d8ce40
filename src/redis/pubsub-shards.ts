import { type Cluster, Command, Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { unavailable } from '../errors/app-error.js';
import {
  HELD_LIMIT,
  type PubSubGap,
  type PubSubHub,
  type PubSubListener,
  type PubSubMessage,
  type SubscribeOptions,
  type Topic,
  createPubSubHub,
  isServerUnsubscribe,
  subscriberConnectionOptions,
} from './pubsub-hub.js';
import { afterDeadline } from './unavailable.js';

/** Options of {@link createShardedPubSub}. */
export interface ShardedPubSubOptions {
  /** The command client: its slot table says which master serves a channel's slot. */
  cluster: Cluster;
  /** Where moves, refusals and failed listeners are logged. */
  logger: Logger;
  /** How long a subscribe waits for a shard to confirm; also each shard connection's PING bound. */
  confirmTimeoutMs: number;
  /**
   * The address to dial for a node as the cluster client's slot table names it (`host:port`, which
   * ioredis has already put through its natMap). Default: as named.
   */
  resolve?: (nodeKey: string) => { host: string; port: number };
  /** Connection options of every shard connection (credentials, TLS); host, port and the subscriber options are set here. */
  redisOptions?: RedisOptions;
}

/** Backoff between attempts at subscribing a moved channel on its new master. */
const MOVE_RETRY_MS = [50, 100, 200, 400, 800, 1600] as const;
/** Slot table refreshes after a `sunsubscribe` push, for the gossip to reach the node asked. */
const PUSH_REFRESH_DELAYS_MS = [0, 200, 500, 1000, 2000] as const;

interface Member {
  listener: PubSubListener;
  onGap: ((gap: PubSubGap) => void) | undefined;
}

/** One master's sharded subscriber: its own connection and hub. */
interface ShardHome {
  key: string;
  redis: Redis;
  hub: PubSubHub;
  /** When its connection was last found lost; null while it is up. */
  downSince: number | null;
}

/** A sharded channel this process listens to, and where. */
interface RoutedChannel {
  name: string;
  /** Its hash slot (computed once: every slot-table refresh looks it up). */
  slot: number;
  members: Set<Member>;
  home: ShardHome | null;
  remove: (() => void) | null;
  /** Homing in progress (the first subscribe, or a move). */
  homing: Promise<void> | null;
  /** Messages that came on the new home before the move's gap was reported. */
  held: PubSubMessage[] | null;
}

/** The slot of a channel, as Redis Cluster hashes it (hash tags included). */
const slotOf = (channel: string) => new Command('ssubscribe', [channel]).getSlot();

/**
 * Sharded pub/sub on a Redis Cluster (PUBSUB_MODE=sharded): SSUBSCRIBE must go to a node of the
 * shard that serves the channel's slot, so this holds one subscriber connection per master that
 * serves a listened channel, each a {@link createPubSubHub} of its own (confirmations, PINGs,
 * restores and gaps as for classic pub/sub). When the slot table moves a channel's slot to another
 * master (a failover, a resharding; learnt from the cluster client's refreshes, and at once after a
 * `sunsubscribe` push from the old one), the channel is subscribed on the new master, its
 * listeners are told of the gap, and messages after it follow. Connections left with no channel
 * are closed. Handles only `{ kind: 'channel' }` topics; combine it with a classic hub through
 * {@link combineHubs}.
 */
export function createShardedPubSub(options: ShardedPubSubOptions): PubSubHub {
  const { cluster, logger, confirmTimeoutMs } = options;
  const resolve =
    options.resolve ??
    ((key: string) => {
      const at = key.lastIndexOf(':');
      return { host: key.slice(0, at), port: Number(key.slice(at + 1)) };
    });
  const homes = new Map<string, ShardHome>();
  const channels = new Map<string, RoutedChannel>();
  const restoredListeners = new Set<(gap: PubSubGap) => void>();
  let closed = false;

  function notifyRestored(gap: PubSubGap): void {
    for (const listener of [...restoredListeners]) {
      try {
        listener(gap);
      } catch (error) {
        logger.error({ err: error }, 'pub/sub restore listener failed');
      }
    }
  }

  const ownerOf = (routed: RoutedChannel): string | null => cluster.slots[routed.slot]?.[0] ?? null;

  const refreshSlots = () =>
    new Promise<void>((done) => {
      cluster.refreshSlotsCache(() => done());
    });

  function homeFor(key: string): ShardHome {
    const existing = homes.get(key);
    if (existing) return existing;
    const { host, port } = resolve(key);
    const redis = new Redis({
      ...options.redisOptions,
      ...subscriberConnectionOptions,
      host,
      port,
      lazyConnect: true,
      connectionName: 'switchboard:shard-subscriber',
      commandTimeout: undefined,
      retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times - 1, 6), 2000),
    });
    const home: ShardHome = {
      key,
      redis,
      hub: createPubSubHub({ subscriber: redis, logger, confirmTimeoutMs, isSharded: () => true }),
      downSince: null,
    };
    home.hub.onRestored(notifyRestored);
    let lastError = '';
    redis.on('error', (error: Error) => {
      if (isServerUnsubscribe(error)) {
        // The node gave up a slot: find where it went now rather than at the next refresh.
        home.downSince ??= Date.now();
        void followPush();
        return;
      }
      if (error.message !== lastError) logger.warn({ node: key, err: error.message }, 'sharded pub/sub connection error');
      lastError = error.message;
    });
    // An SSUBSCRIBE answered MOVED (this node does not serve the channel's slot any more, e.g. on a
    // restore after a slot migration): ioredis only emits this, so find the slot's owner now.
    redis.on('moved', () => {
      home.downSince ??= Date.now();
      void followPush();
    });
    redis.on('close', () => (home.downSince ??= Date.now()));
    redis.on('ready', () => {
      home.downSince = null;
      lastError = '';
    });
    redis.connect().catch(() => undefined);
    homes.set(key, home);
    return home;
  }

  function retire(home: ShardHome): void {
    if (home.hub.topicCount() > 0 || homes.get(home.key) !== home) return;
    homes.delete(home.key);
    home.hub.close();
    home.redis.disconnect();
  }

  function deliver(routed: RoutedChannel, message: PubSubMessage): void {
    if (routed.held) {
      routed.held.push(message);
      // Bounded as the hub's: the oldest go, within the gap the move reports.
      if (routed.held.length > HELD_LIMIT) routed.held.shift();
      return;
    }
    for (const member of [...routed.members]) {
      try {
        member.listener(message);
      } catch (error) {
        logger.error({ err: error, channel: message.channel }, 'pub/sub listener failed');
      }
    }
  }

  function reportGap(routed: RoutedChannel, gap: PubSubGap): void {
    for (const member of [...routed.members]) {
      try {
        member.onGap?.(gap);
      } catch (error) {
        logger.error({ err: error }, 'pub/sub gap handler failed');
      }
    }
  }

  /** Subscribes the channel on the master that serves its slot now. @throws when that fails. */
  async function home(routed: RoutedChannel): Promise<void> {
    let key = ownerOf(routed);
    if (!key) {
      await refreshSlots();
      key = ownerOf(routed);
    }
    if (!key) throw unavailable(`No master serves the slot of channel "${routed.name}" now.`);
    const target = homeFor(key);
    let remove: () => void;
    try {
      remove = await target.hub.subscribe({ kind: 'channel', name: routed.name }, (message) => deliver(routed, message), {
        // The shard's own connection dropped and came back (same master).
        onGap: (gap) => reportGap(routed, gap),
      });
    } catch (error) {
      // A connection opened for this channel alone is not kept.
      retire(target);
      throw error;
    }
    if (closed || routed.members.size === 0 || channels.get(routed.name) !== routed) {
      remove();
      retire(target);
      return;
    }
    routed.home = target;
    routed.remove = remove;
  }

  /** The channel's slot went to another master: subscribe there, then report the gap. */
  function move(routed: RoutedChannel, since: number): void {
    if (routed.homing) return;
    const old = routed.home;
    routed.remove?.();
    routed.remove = null;
    routed.home = null;
    if (old) retire(old);
    routed.held = [];
    routed.homing = (async () => {
      for (let attempt = 0; !closed && routed.members.size > 0 && channels.get(routed.name) === routed; attempt++) {
        try {
          await home(routed);
          break;
        } catch (error) {
          logger.debug({ err: error, channel: routed.name, attempt }, 'sharded channel not subscribed on its new master yet');
          await new Promise((done) => setTimeout(done, MOVE_RETRY_MS[Math.min(attempt, MOVE_RETRY_MS.length - 1)]).unref());
          await refreshSlots();
        }
      }
      const gap = { since, until: Date.now() };
      reportGap(routed, gap);
      const held = routed.held ?? [];
      routed.held = null;
      for (const message of held) deliver(routed, message);
      logger.info({ channel: routed.name, to: routed.home?.key, gapMs: gap.until - gap.since }, 'sharded channel moved to its new master');
      notifyRestored(gap);
    })().finally(() => {
      routed.homing = null;
    });
  }

  /** Moves every channel whose slot's master is no longer the one it is subscribed on. */
  function reconcile(): void {
    if (closed) return;
    for (const routed of channels.values()) {
      if (!routed.home || routed.homing) continue;
      const owner = ownerOf(routed);
      if (owner && owner !== routed.home.key) move(routed, routed.home.downSince ?? Date.now());
    }
  }

  let following = false;
  async function followPush(): Promise<void> {
    if (following) return;
    following = true;
    try {
      for (const delay of PUSH_REFRESH_DELAYS_MS) {
        if (closed) return;
        if (delay > 0) await new Promise((done) => setTimeout(done, delay).unref());
        await refreshSlots();
        reconcile();
      }
    } finally {
      following = false;
    }
  }

  const onRefresh = () => reconcile();
  cluster.on('refresh', onRefresh);

  return {
    async subscribe(topic: Topic, listener, subscribeOptions: SubscribeOptions = {}) {
      if (topic.kind !== 'channel') throw new Error('sharded pub/sub has no patterns: PSUBSCRIBE stays classic');
      let routed = channels.get(topic.name);
      if (!routed) {
        routed = { name: topic.name, slot: slotOf(topic.name), members: new Set(), home: null, remove: null, homing: null, held: null };
        channels.set(topic.name, routed);
      }
      const current = routed;
      const member: Member = { listener, onGap: subscribeOptions.onGap };
      current.members.add(member);
      const release = () => {
        current.members.delete(member);
        if (current.members.size > 0 || channels.get(current.name) !== current) return;
        channels.delete(current.name);
        current.remove?.();
        current.remove = null;
        if (current.home) retire(current.home);
        current.home = null;
      };
      // One bound for the whole wait, a move in progress included (its retries go on while the
      // channel has listeners): the caller gets UNAVAILABLE, as PubSubHub.subscribe says.
      let cancelDeadline: (() => void) | undefined;
      const deadline = new Promise<'timeout'>((resolve) => {
        cancelDeadline = afterDeadline(confirmTimeoutMs, () => resolve('timeout'));
      });
      try {
        while (!current.remove) {
          const homing =
            current.homing ??
            (current.homing = home(current).finally(() => {
              current.homing = null;
            }));
          if ((await Promise.race([homing, deadline])) === 'timeout') {
            throw unavailable(`Redis did not confirm the subscription within ${confirmTimeoutMs} ms.`);
          }
          if (!current.remove && (closed || !current.members.has(member))) break;
        }
      } catch (error) {
        release();
        throw error;
      } finally {
        cancelDeadline?.();
      }
      let removed = false;
      return () => {
        if (removed) return;
        removed = true;
        release();
      };
    },
    onRestored(listener) {
      restoredListeners.add(listener);
      return () => void restoredListeners.delete(listener);
    },
    topicCount: () => channels.size,
    confirmedTopics: () => [...channels.values()].filter((routed) => routed.remove !== null).map((routed) => ({ kind: 'channel' as const, name: routed.name })),
    close() {
      closed = true;
      cluster.off('refresh', onRefresh);
      for (const shard of homes.values()) {
        shard.hub.close();
        shard.redis.disconnect();
      }
      homes.clear();
    },
  };
}

/**
 * One hub over a classic one and a sharded one: channels for which `isSharded` holds go to
 * `sharded`, every other channel and every pattern to `classic`. `onRestored` hears both.
 */
export function combineHubs(classic: PubSubHub, sharded: PubSubHub, isSharded: (channel: string) => boolean): PubSubHub {
  const pick = (topic: Topic) => (topic.kind === 'channel' && isSharded(topic.name) ? sharded : classic);
  return {
    subscribe: (topic, listener, subscribeOptions) => pick(topic).subscribe(topic, listener, subscribeOptions),
    onRestored(listener) {
      const offs = [classic.onRestored(listener), sharded.onRestored(listener)];
      return () => offs.forEach((off) => off());
    },
    topicCount: () => classic.topicCount() + sharded.topicCount(),
    confirmedTopics: () => [...classic.confirmedTopics(), ...sharded.confirmedTopics()],
    close() {
      classic.close();
      sharded.close();
    },
  };
}
