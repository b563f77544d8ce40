import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { unavailable } from '../errors/app-error.js';
import { afterDeadline, isRedisUnavailableError } from './unavailable.js';

/** A channel name, or a PSUBSCRIBE glob. */
export type Topic = { kind: 'channel'; name: string } | { kind: 'pattern'; pattern: string };

/** What a listener gets: the channel it was published on and the raw text. */
export interface PubSubMessage {
  channel: string;
  payload: string;
}

export type PubSubListener = (message: PubSubMessage) => void;

/**
 * A span of time in which a topic's Redis subscription was not in place: whatever was published
 * on it meanwhile did not reach this process. Epoch milliseconds.
 */
export interface PubSubGap {
  /** When the subscriber connection was found lost (everything before was delivered). */
  since: number;
  /** When Redis confirmed the subscription again (everything after is delivered). */
  until: number;
}

/** Options of one {@link PubSubHub.subscribe} call. */
export interface SubscribeOptions {
  /**
   * Called once the topic is subscribed again after its subscription was interrupted (the
   * connection dropped, Redis restarted, `CLIENT KILL`, an output-buffer limit): after every
   * message received before the loss, and before any message received after the restore.
   * Storage-backed feeds re-read what they missed here; pure pub/sub ones tell their subscriber.
   * Default: nothing.
   */
  onGap?: (gap: PubSubGap) => void;
}

/**
 * One Redis SUBSCRIBE (or PSUBSCRIBE) per topic per process, however many local listeners it has.
 * `subscribe` resolves only once Redis has confirmed the subscription, so anything published after
 * that is delivered: the lazy-subscribe gap of graphql-redis-subscriptions cannot happen here.
 *
 * The hub, not ioredis, restores subscriptions: it never writes SUBSCRIBE into a connection that
 * is not ready (a SUBSCRIBE sent during the handshake would switch the connection to subscriber
 * mode and break its ready check), and after every `ready` it subscribes everything it holds, so
 * its view and Redis's agree whatever the timing. A listener whose topic was interrupted hears of
 * it through `onGap`; the whole process can watch {@link PubSubHub.onRestored}.
 */
export interface PubSubHub {
  /**
   * Adds a listener; resolves with its remover once Redis confirms the topic is subscribed.
   * @throws AppError UNAVAILABLE when Redis cannot confirm within `confirmTimeoutMs` (retryable);
   *   a refusal as Redis gave it. Nothing is left registered then.
   */
  subscribe(topic: Topic, listener: PubSubListener, options?: SubscribeOptions): Promise<() => void>;
  /**
   * The process-wide "connection lost / back" signal: `listener` runs once per restore, after
   * every interrupted topic has been subscribed again and its listeners' `onGap` ran.
   * Returns the function that stops listening.
   */
  onRestored(listener: (gap: PubSubGap) => void): () => void;
  /** How many Redis subscriptions this process holds (for tests and metrics). */
  topicCount(): number;
  /** The topics this process holds and Redis confirmed on the current connection (tests, metrics). */
  confirmedTopics(): Topic[];
  /** Stops reconciling (call before the connection closes). */
  close(): void;
}

/** Options of {@link createPubSubHub}. */
export interface PubSubHubOptions {
  /** A connection used for subscriber mode only; built with {@link subscriberConnectionOptions}. */
  subscriber: Redis;
  /** Where restores, interrupted restores and failed listeners are logged. */
  logger: Logger;
  /** How long `subscribe` waits for Redis to confirm before it fails with UNAVAILABLE; also how long a PING may take. */
  confirmTimeoutMs: number;
  /** How often the connection is PINGed. Default {@link SUBSCRIBER_PING_MS}. */
  pingMs?: number;
  /**
   * Which channels are sharded (PUBSUB_MODE=sharded): those get SSUBSCRIBE / SUNSUBSCRIBE and
   * arrive as `smessage`; the others, and every pattern, stay classic. A name is one or the other
   * for the life of the process. Default: none (everything classic).
   */
  isSharded?: (channel: string) => boolean;
}

interface Member {
  listener: PubSubListener;
  onGap: ((gap: PubSubGap) => void) | undefined;
}

interface TopicEntry {
  topic: Topic;
  members: Set<Member>;
  /** The connection epoch in which Redis confirmed it; -1: not (yet) on this connection. */
  confirmedIn: number;
  /** Set when the subscription was lost: when. Cleared when the gap has been reported. */
  lostAt: number | null;
  /** Callers of `subscribe` waiting for the confirmation. */
  waiters: Set<() => void>;
  /** Messages that came after a restore but before its gap was reported; dispatched right after. */
  held: PubSubMessage[];
  /** Held messages dropped for {@link HELD_LIMIT} since the last report. */
  dropped: number;
}

/**
 * An event the subscriber connection's owner may emit on it, with the epoch milliseconds since
 * when messages may have been lost although the connection itself stayed up (on a cluster: a
 * cluster bus link into the subscriber's node was made again, and classic messages published on
 * the other end while it was down never reached this node; see bus-links.ts). The hub reports it as
 * a gap of every topic subscribed on the connection, as it does a reconnect.
 */
export const SUBSCRIBER_MISSED_EVENT = 'switchboard:missed';

/**
 * Most messages one topic holds between its restore and the report of its gap; beyond, the
 * oldest are dropped (they fall within the gap its listeners are told of).
 */
export const HELD_LIMIT = 10_000;
/** Most channels per SUBSCRIBE command while restoring. */
const RESTORE_BATCH = 1000;
/**
 * How often the hub PINGs its subscriber connection. A subscriber only listens, so a connection
 * that died silently (a half-open TCP connection behind a NAT or a partition) would otherwise look
 * alive for ever, and every subscription on it deaf. One that does not answer within
 * `confirmTimeoutMs` is dropped and made again, which restores its topics and reports the gap.
 */
export const SUBSCRIBER_PING_MS = 1000;

const topicKey = (topic: Topic) => (topic.kind === 'channel' ? `c\u0000${topic.name}` : `p\u0000${topic.pattern}`);

/**
 * Options every subscriber connection needs for {@link createPubSubHub}: the hub restores
 * subscriptions itself, so ioredis must not (it would resubscribe only what it knew, possibly
 * during the handshake), must not resend an interrupted SUBSCRIBE, and must not queue one while
 * the connection is down.
 */
export const subscriberConnectionOptions = {
  autoResubscribe: false,
  // Every drop rejects what was in flight (a SUBSCRIBE is never left pending for ever).
  maxRetriesPerRequest: 0,
  autoResendUnfulfilledCommands: false,
  enableOfflineQueue: false,
} as const;

export function createPubSubHub(options: PubSubHubOptions): PubSubHub {
  const { subscriber, logger, confirmTimeoutMs } = options;
  const isSharded = options.isSharded ?? (() => false);
  const shardedEntry = (entry: TopicEntry) => entry.topic.kind === 'channel' && isSharded(entry.topic.name);
  const topics = new Map<string, TopicEntry>();
  const restoredListeners = new Set<(gap: PubSubGap) => void>();
  /** Incremented on every `ready`: a confirmation counts only for the connection it came on. */
  let epoch = 0;
  let closed = false;
  let pinger: NodeJS.Timeout | null = null;
  let pinging = false;

  async function checkAlive(): Promise<void> {
    if (pinging || closed || !isReady() || topics.size === 0) return;
    pinging = true;
    const pingEpoch = epoch;
    let cancel: (() => void) | undefined;
    try {
      const answered = await Promise.race([
        subscriber.ping().then(
          () => true,
          () => true, // The connection dropped meanwhile: its close already does what is needed.
        ),
        new Promise<boolean>((resolve) => {
          cancel = afterDeadline(confirmTimeoutMs, () => resolve(false));
        }),
      ]);
      if (!answered && !closed && pingEpoch === epoch && isReady()) {
        logger.warn({ timeoutMs: confirmTimeoutMs }, 'pub/sub connection does not answer PING; reconnecting');
        subscriber.disconnect(true);
      }
    } finally {
      cancel?.();
      pinging = false;
    }
  }

  const dispatch = (key: string, channel: string, payload: string) => {
    const entry = topics.get(key);
    if (!entry) return;
    // Restored, but its listeners have not heard of the gap yet: they get this right after.
    if (entry.lostAt !== null) {
      entry.held.push({ channel, payload });
      // Bounded: the oldest go (they fall within the gap reported before the rest is delivered).
      if (entry.held.length > HELD_LIMIT) {
        entry.held.shift();
        entry.dropped++;
      }
      return;
    }
    deliver(entry, channel, payload);
  };
  const flushHeld = (entry: TopicEntry) => {
    if (entry.dropped > 0) logger.warn({ topic: entry.topic, dropped: entry.dropped, limit: HELD_LIMIT }, 'pub/sub messages held during a restore dropped (limit reached); within the reported gap');
    entry.dropped = 0;
    for (const message of entry.held.splice(0)) deliver(entry, message.channel, message.payload);
  };
  const deliver = (entry: TopicEntry, channel: string, payload: string) => {
    for (const member of entry.members) {
      try {
        member.listener({ channel, payload });
      } catch (error) {
        logger.error({ err: error, channel }, 'pub/sub listener failed');
      }
    }
  };
  subscriber.on('message', (channel: string, payload: string) => dispatch(`c\u0000${channel}`, channel, payload));
  subscriber.on('pmessage', (pattern: string, channel: string, payload: string) =>
    dispatch(`p\u0000${pattern}`, channel, payload),
  );
  subscriber.on('smessage', (channel: string, payload: string) => dispatch(`c\u0000${channel}`, channel, payload));
  // A server that stops serving a slot (a failover, a slot migration) unsubscribes its clients
  // from the slot's sharded channels with a `sunsubscribe` push, which ioredis, expecting no such
  // reply, reports as a command queue error: the connection's state is no longer to be trusted, so
  // it is made again (which restores every topic and reports the gap).
  subscriber.on('error', (error: Error) => {
    if (!closed && isServerUnsubscribe(error)) {
      logger.warn('sharded subscription dropped by the server (slot moved); reconnecting');
      subscriber.disconnect(true);
    }
  });

  const isReady = () => subscriber.status === 'ready';

  const confirm = (entry: TopicEntry, inEpoch: number) => {
    if (inEpoch !== epoch || !isReady() || topics.get(topicKey(entry.topic)) !== entry) return;
    entry.confirmedIn = inEpoch;
    for (const wake of [...entry.waiters]) wake();
    entry.waiters.clear();
  };

  /**
   * Bounds one send by `confirmTimeoutMs`: a send may never settle (ioredis drops an SSUBSCRIBE
   * answered MOVED from its queue without settling it, emitting only `moved`), and a restore that
   * waited for it would never end. The send itself still confirms its topics if it succeeds late.
   */
  const bounded = (send: Promise<void>, what: string): Promise<void> => {
    let cancel: (() => void) | undefined;
    const timeout = new Promise<never>((_, reject) => {
      // "Command timed out": an unavailability (isRedisUnavailableError), not a refusal.
      cancel = afterDeadline(confirmTimeoutMs, () => reject(new Error(`Command timed out: ${what} not confirmed within ${confirmTimeoutMs} ms`)));
    });
    return Promise.race([send, timeout]).finally(() => cancel?.());
  };

  /**
   * Writes SUBSCRIBE / PSUBSCRIBE for these entries, on a ready connection only; `confirmed` runs
   * for each entry as soon as Redis confirms it (late ones included).
   * @throws the first failure once every send settled or timed out.
   */
  async function issue(entries: TopicEntry[], confirmed?: (entry: TopicEntry) => void): Promise<void> {
    const inEpoch = epoch;
    const confirmAll = (batch: TopicEntry[]) => {
      for (const entry of batch) {
        confirm(entry, inEpoch);
        confirmed?.(entry);
      }
    };
    const shardedOf = entries.filter(shardedEntry);
    const channelsOf = entries.filter((entry) => entry.topic.kind === 'channel' && !shardedEntry(entry));
    const patternsOf = entries.filter((entry) => entry.topic.kind === 'pattern');
    const sends: Array<Promise<void>> = [];
    // Every send settles (or times out) before this does, so that a failure of one does not hide the others'.
    for (let i = 0; i < channelsOf.length; i += RESTORE_BATCH) {
      const batch = channelsOf.slice(i, i + RESTORE_BATCH);
      if (!isReady()) break;
      sends.push(bounded(subscriber.subscribe(...batch.map((entry) => (entry.topic as { name: string }).name)).then(() => confirmAll(batch)), 'SUBSCRIBE'));
    }
    for (let i = 0; i < patternsOf.length; i += RESTORE_BATCH) {
      const batch = patternsOf.slice(i, i + RESTORE_BATCH);
      if (!isReady()) break;
      sends.push(bounded(subscriber.psubscribe(...batch.map((entry) => (entry.topic as { pattern: string }).pattern)).then(() => confirmAll(batch)), 'PSUBSCRIBE'));
    }
    // One SSUBSCRIBE per channel: a cluster node refuses one whose channels are in several slots.
    for (const entry of shardedOf) {
      if (!isReady()) break;
      sends.push(bounded(subscriber.ssubscribe((entry.topic as { name: string }).name).then(() => confirmAll([entry])), 'SSUBSCRIBE'));
    }
    const results = await Promise.allSettled(sends);
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  }

  // Messages lost upstream of a connection that stayed up: a gap for every topic confirmed on it
  // (those being restored report their own gap once restored).
  subscriber.on(SUBSCRIBER_MISSED_EVENT, (since: number) => {
    if (closed) return;
    const gap = { since, until: Date.now() };
    let reported = 0;
    for (const entry of [...topics.values()]) {
      if (entry.confirmedIn !== epoch || entry.lostAt !== null) continue;
      reported++;
      for (const member of [...entry.members]) {
        try {
          member.onGap?.(gap);
        } catch (error) {
          logger.error({ err: error }, 'pub/sub gap handler failed');
        }
      }
    }
    if (reported === 0) return;
    logger.warn({ topics: reported, gapMs: gap.until - gap.since }, 'pub/sub messages may have been lost upstream of the subscriber connection; reported as a gap');
    for (const listener of [...restoredListeners]) {
      try {
        listener(gap);
      } catch (error) {
        logger.error({ err: error }, 'pub/sub restore listener failed');
      }
    }
  });

  // The connection went: nothing is subscribed any more, whatever the hub had.
  subscriber.on('close', () => {
    const now = Date.now();
    for (const entry of topics.values()) {
      if (entry.confirmedIn >= 0 && entry.lostAt === null) entry.lostAt = now;
      entry.confirmedIn = -1;
    }
  });

  // A fresh connection holds no subscription: subscribe everything the hub holds, then report the
  // gaps. Runs on every ready, so a restore interrupted by another drop is simply done again.
  subscriber.on('ready', () => {
    if (closed) return;
    epoch++;
    if (!pinger) {
      pinger = setInterval(() => void checkAlive(), options.pingMs ?? SUBSCRIBER_PING_MS);
      pinger.unref();
    }
    const inEpoch = epoch;
    const entries = [...topics.values()];
    if (entries.length === 0) return;
    // The gap of the topics reported so far and not yet told to the onRestored listeners.
    let pending = { since: Infinity, until: 0, topics: 0 };
    let settled = false;
    let notifying: NodeJS.Immediate | null = null;
    const notify = () => {
      notifying = null;
      if (inEpoch !== epoch || closed || pending.topics === 0) return;
      const { since, until, topics: restored } = pending;
      pending = { since: Infinity, until: 0, topics: 0 };
      logger.info({ topics: restored, gapMs: until - since }, 'pub/sub subscriptions restored');
      for (const listener of [...restoredListeners]) {
        try {
          listener({ since, until });
        } catch (error) {
          logger.error({ err: error }, 'pub/sub restore listener failed');
        }
      }
    };
    // Each topic is reported as soon as its own send confirms: one that never does (an SSUBSCRIBE
    // answered MOVED, a slow SUBSCRIBE) holds no other back.
    const report = (entry: TopicEntry) => {
      if (inEpoch !== epoch || closed || entry.lostAt === null || entry.confirmedIn !== inEpoch) return;
      const gap = { since: entry.lostAt, until: Date.now() };
      entry.lostAt = null;
      for (const member of [...entry.members]) {
        try {
          member.onGap?.(gap);
        } catch (error) {
          logger.error({ err: error }, 'pub/sub gap handler failed');
        }
      }
      flushHeld(entry);
      pending = { since: Math.min(pending.since, gap.since), until: Math.max(pending.until, gap.until), topics: pending.topics + 1 };
      // Confirmed after the restore settled (late): told on its own, batched per turn of the loop.
      if (settled) notifying ??= setImmediate(notify);
    };
    issue(entries, report)
      .catch((error: unknown) =>
        // Dropped again while restoring (the next ready restores the rest), a topic refused, or
        // one not confirmed in time (reported when it is; a moved shard is followed by its owner).
        logger.warn({ err: error instanceof Error ? error.message : error }, 'pub/sub restore incomplete'),
      )
      .then(() => {
        settled = true;
        notify();
      });
  });

  const redisUnsubscribe = (topic: Topic) => {
    // Nothing to undo on a connection that is not ready: a new one starts with nothing.
    if (!isReady()) return;
    const done =
      topic.kind === 'pattern'
        ? subscriber.punsubscribe(topic.pattern)
        : isSharded(topic.name)
          ? subscriber.sunsubscribe(topic.name)
          : subscriber.unsubscribe(topic.name);
    done.catch((error: unknown) => logger.debug({ err: error, topic }, 'unsubscribe failed'));
  };

  const release = (key: string, entry: TopicEntry, member: Member) => {
    entry.members.delete(member);
    if (entry.members.size === 0 && topics.get(key) === entry) {
      topics.delete(key);
      for (const wake of [...entry.waiters]) wake();
      entry.waiters.clear();
      redisUnsubscribe(entry.topic);
    }
  };

  return {
    async subscribe(topic, listener, subscribeOptions = {}) {
      const key = topicKey(topic);
      let entry = topics.get(key);
      const member: Member = { listener, onGap: subscribeOptions.onGap };
      if (!entry) {
        entry = { topic, members: new Set(), confirmedIn: -1, lostAt: null, waiters: new Set(), held: [], dropped: 0 };
        topics.set(key, entry);
        entry.members.add(member);
        // Commands on one connection run in order, so a SUBSCRIBE sent after a pending
        // UNSUBSCRIBE of the same topic leaves it subscribed. Not ready: the next ready does it.
        if (isReady()) {
          const created = entry;
          issue([created]).catch((error: unknown) => {
            // A refusal (not a dropped connection) fails everyone waiting on this topic.
            if (isReady() && !isRedisUnavailableError(error) && topics.get(key) === created && created.confirmedIn < 0) {
              refused.set(created, error);
              for (const waiting of [...created.members]) release(key, created, waiting);
            }
          });
        }
      } else {
        entry.members.add(member);
      }
      const current = entry;
      if (current.confirmedIn !== epoch) {
        let cancel: (() => void) | undefined;
        const confirmed = await new Promise<boolean>((resolve) => {
          const wake = () => resolve(current.confirmedIn >= 0 && current.members.has(member));
          current.waiters.add(wake);
          cancel = afterDeadline(confirmTimeoutMs, () => {
            current.waiters.delete(wake);
            resolve(false);
          });
        });
        cancel?.();
        if (!confirmed) {
          const refusal = refused.get(current);
          if (current.members.has(member)) release(key, current, member);
          if (refusal !== undefined) throw refusal;
          const error = unavailable(`Redis did not confirm the subscription within ${confirmTimeoutMs} ms.`);
          logger.warn({ err: { message: error.message }, topic }, 'redis unavailable: subscription failed with UNAVAILABLE');
          throw error;
        }
      }
      let removed = false;
      return () => {
        if (removed) return;
        removed = true;
        release(key, current, member);
      };
    },
    onRestored(listener) {
      restoredListeners.add(listener);
      return () => void restoredListeners.delete(listener);
    },
    topicCount: () => topics.size,
    confirmedTopics: () => [...topics.values()].filter((entry) => entry.confirmedIn === epoch).map((entry) => entry.topic),
    close() {
      closed = true;
      if (pinger) clearInterval(pinger);
      pinger = null;
    },
  };
}

/**
 * Whether an ioredis error event is a `sunsubscribe` push it did not ask for (its DataHandler
 * finds no command waiting for the reply and says so in this message).
 */
export function isServerUnsubscribe(error: Error): boolean {
  return error.message.startsWith('Command queue state error') && error.message.includes('Last reply: sunsubscribe');
}

/** Errors Redis gave when refusing a topic, for the callers waiting on it. */
const refused = new WeakMap<TopicEntry, unknown>();
