import type { RedisClient } from '../redis/client.js';
import type { Logger } from 'pino';
import type { Announcement } from '../live/engine.js';
import { chatKeys, channels, internalKeys } from '../redis/keys.js';
import { luaScript, runLua } from '../redis/lua.js';
import type { PubSubGap, PubSubHub } from '../redis/pubsub-hub.js';
import { type ReplicaAcks, runLuaReplicated } from '../redis/replica-acks.js';
import { type ChatMessage, decodeMessage, encodeMessage, messageScore } from './message-codec.js';
import type { MessageStore } from './message-store.js';
import { privateRoomMembers } from './room-ids.js';

/** What travels between servers on the seed's `MESSAGES` channel, decoded. */
export type ChatEvent =
  | { type: 'message'; message: ChatMessage }
  | { type: 'presence'; userId: string; online: boolean; version?: number }
  | { type: 'room'; roomId: string; memberIds: [string, string] };

type Listener<T> = (event: T, bytes: number) => void;

/** The seed envelope's `type` for each event, as the demo's own servers send and expect them. */
const WIRE_TYPE = {
  message: 'message',
  connected: 'user.connected',
  disconnected: 'user.disconnected',
  room: 'show.room',
} as const;

/**
 * The chat's traffic between servers: one process-wide subscription to `MESSAGES`, in the seed's
 * envelope `{"serverId","type","data"}`, so that the original demo's servers and ours can share a
 * Redis. Every instance, the sender included, delivers what arrives here to its local
 * subscribers, so each message reaches each subscriber exactly once.
 */
export interface ChatBus {
  /**
   * Subscribes to `MESSAGES`; resolves once Redis confirms. Whenever that subscription is
   * interrupted and restored, the bus re-reads what its listeners missed (see {@link createChatBus}).
   */
  start(): Promise<void>;
  stop(): void;
  publish(event: ChatEvent, usernames?: [string, string]): Promise<void>;
  /**
   * Stores a new message in its room and publishes it, in one Lua script: it is either both
   * stored and announced or neither, whatever fails (a timeout may leave the client unsure which,
   * never with a message that history has and live subscribers never got). With
   * {@link ChatBusOptions.replicaAcks} it resolves only once the replicas of the room's master
   * it asks for have the message too (WAIT), so that a message acknowledged to its sender
   * survives a SIGKILL of that master and the failover. When they do not confirm in time, a
   * strict rule fails it with UNAVAILABLE and `auto` resolves (reported as late); the message
   * is stored and published either way, and may or may not survive a failover. Sent again (a
   * resend after a reconnect), it is stored once and delivered by every feed once.
   */
  send(message: ChatMessage): Promise<void>;
  /** New messages of one room. */
  onRoomMessage(roomId: string, listener: Listener<ChatMessage>): () => void;
  /** Private rooms opened with one user. */
  onRoomAdded(userId: string, listener: Listener<string>): () => void;
  /** Presence edges of every user. */
  onPresence(listener: Listener<{ userId: string; online: boolean }>): () => void;
  /**
   * Where the room's feed stands with a message: `announced` to its listeners (it never
   * delivers one twice), `never` (older than anything a re-read can reach), or `may-come`
   * (also for a room not followed here, or an id that is not a message id). What a resumed
   * subscriber keeps a replayed message's id for.
   */
  announcement(roomId: string, messageId: string): Announcement;
  /** Resolves once the re-reads of every gap reported so far are done (tests, metrics). */
  settled(): Promise<void>;
}

/** Options of {@link createChatBus}. */
export interface ChatBusOptions {
  /** The command connection: PUBLISH, and the re-reads after a gap. */
  redis: RedisClient;
  /**
   * Replicas of the room's master that must confirm each sent message before `send` resolves
   * (`REDIS_WAIT_REPLICAS` / `REDIS_WAIT_TIMEOUT_MS`, the rule of stream entries and jobs too;
   * see replicaAcksOf). Default null: resolved once the master holds it.
   */
  replicaAcks?: ReplicaAcks | null;
  /** Where `MESSAGES` is subscribed; its gaps trigger the re-reads. */
  hub: PubSubHub;
  /** The seed envelope's `serverId`. */
  serverId: number;
  /** Where missed messages are re-read from after an interruption. */
  messages: Pick<MessageStore, 'afterPosition'>;
  /** Where undecodable events and failed re-reads are logged. */
  logger: Logger;
  /**
   * Longest a sent message can take from being scored to being stored and published: bounded by
   * the Redis command timeout (`REDIS_COMMAND_TIMEOUT_MS`), after which a command still queued is
   * failed and never sent late. A re-read after a gap reaches this much further back (see
   * {@link RESYNC_LOOKBACK_SECONDS}). Default 0.
   */
  maxSendDelayMs?: number;
}

/**
 * How far before a room's newest delivered message (or the gap's start) a re-read starts, in
 * seconds, at least: a message is scored when it is sent, so one scored a little earlier on
 * another instance can be published after a later one. Ids delivered in this window are
 * remembered so that none is sent twice. The bus adds the longest send delay
 * (`maxSendDelayMs`): a message that waited in a client's queue through a failover is published
 * that much after its score, and a re-read that started later than its score would miss it.
 */
export const RESYNC_LOOKBACK_SECONDS = 2;
/** Most delivered ids remembered per followed room. */
const RECENT_IDS_MAX = 10_000;
/**
 * How far back, in seconds before a room's newest delivered message, its delivered ids are
 * remembered: a re-read never goes further back than they do, so it can never deliver a message
 * twice. A gap can start well before the newest message: on a cluster, a bus link made again
 * reports a gap from when that link was last seen (a peer that was down for a while), while the
 * room's messages kept coming over another link.
 */
const RECENT_RETAIN_SECONDS = 30;
/** Ids are remembered for at least this many times the re-read's lookback. */
const RETAIN_PER_LOOKBACK = 2;
/** Messages read per round trip while re-reading a room. */
const RESYNC_PAGE_SIZE = 200;
/**
 * Failed attempts at re-reading one room before it is logged as an error (it is tried again
 * until it succeeds: giving up would lose what the gap held, silently for its subscribers).
 */
const RESYNC_ATTEMPTS_BEFORE_ERROR = 5;
/** Longest wait between two attempts at re-reading a room (a failover can take seconds). */
const RESYNC_RETRY_MAX_MS = 2000;

/** A followed room: its listeners, what they got, and what waits while the room is re-read. */
interface RoomFeed {
  roomId: string;
  listeners: Set<Listener<ChatMessage>>;
  /** The newest position delivered. */
  last: { score: number; id: string } | null;
  /** Ids delivered recently (with their scores), oldest first. */
  recent: Map<string, number>;
  /** The highest score among the delivered ids no longer in `recent`: a re-read skips up to it. */
  forgotten: number;
  /** When the feed was made (epoch seconds). */
  createdAt: number;
  /** The lowest score a re-read of this feed can start from (see markForResync). */
  rereadFloor: number;
  /** Live messages that came while the room is being re-read. */
  held: Array<[ChatMessage, number]> | null;
  /** Where the pending re-read starts (score); null: none pending. */
  resyncFrom: number | null;
}

const byPosition = (a: { score: number; id: string }, b: { score: number; id: string }) =>
  a.score - b.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

// ZADD of the message to its room, then PUBLISH of its envelope: KEYS[1] = room, ARGV = score,
// member, channel, envelope. PUBLISH is allowed in scripts, on Redis Cluster too. Run again for
// a message already stored (ioredis sends a command in flight again after a reconnect or a
// failover), it publishes again on purpose: the first run's PUBLISH may have died with its master
// before the cluster bus carried it. Feeds drop the second by id; the member is stored once.
const STORE_AND_PUBLISH = luaScript('chat_store_and_publish', `
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
return redis.call('PUBLISH', ARGV[3], ARGV[4])`);

// One user's presence as the presence module keeps it (same hash tag: one slot). Returns
// {live connections, or -1 when the user has no presence set; version}.
const PRESENCE_STATE = luaScript('chat_presence_state', `
local version = tonumber(redis.call('GET', KEYS[2]) or '0')
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1, version} end
return {redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[1], '+inf'), version}`);

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): () => void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
  return () => {
    set.delete(value);
    if (set.size === 0 && map.get(key) === set) map.delete(key);
  };
}

/**
 * The chat's traffic between servers. When this process's subscription to `MESSAGES` is
 * interrupted (a dropped connection, a Redis restart, `CLIENT KILL TYPE pubsub`), messages
 * published meanwhile never arrive. Once it is restored, the bus: (1) re-reads each listened
 * user's rooms and announces those opened meanwhile; (2) re-reads presence and announces the
 * edges missed; (3) re-reads every followed room from storage after the newest message its
 * listeners got (less {@link RESYNC_LOOKBACK_SECONDS}), holding new live messages of the room
 * until that is done, and delivers what they missed in order, skipping every id already delivered.
 * So every form of `messageAdded` stays gapless and duplicate-free across reconnects.
 */
export function createChatBus(options: ChatBusOptions): ChatBus {
  const { redis, hub, serverId, messages, logger } = options;
  /** How far back a re-read reaches (seconds), and how long delivered ids are remembered. */
  const lookbackSeconds = RESYNC_LOOKBACK_SECONDS + (options.maxSendDelayMs ?? 0) / 1000;
  const retainSeconds = Math.max(RECENT_RETAIN_SECONDS, lookbackSeconds * RETAIN_PER_LOOKBACK);
  const replicaAcks = options.replicaAcks ?? null;
  const roomFeeds = new Map<string, RoomFeed>();
  const roomsAdded = new Map<string, Set<Listener<string>>>();
  /** The rooms each listened user was last known to have, for announcing those missed in a gap. */
  const knownRooms = new Map<string, Set<string>>();
  /** Users whose rooms have been read once (until then a gap cannot tell new rooms from old). */
  const seededRooms = new Set<string>();
  const presence = new Set<Listener<{ userId: string; online: boolean }>>();
  /** The newest presence edge seen per user (one number per user who was ever online). */
  const presenceVersions = new Map<string, number>();
  /** The last presence state seen per user (from edges, or read at start). */
  const knownOnline = new Map<string, boolean>();
  let unsubscribe: (() => void) | null = null;
  /** A gap being handled: new room feeds start held, and re-read from its start. */
  let currentGap: PubSubGap | null = null;
  /**
   * Rooms announced while `currentGap` is handled (re-read rooms, or announced live): a feed made
   * for one of them is re-read from the gap's start; any other feed made meanwhile (a new
   * subscriber's room) only from when it was made, so nobody gets messages from before it came.
   */
  const announcedInGap = new Set<string>();
  let resyncs: Promise<void> = Promise.resolve();
  /** Set by stop(): re-reads still retrying give up. */
  let stopped = false;

  function remember(feed: RoomFeed, message: ChatMessage): void {
    feed.recent.set(message.id, message.score);
    if (!feed.last || byPosition(message, feed.last) > 0) feed.last = { score: message.score, id: message.id };
    const floor = feed.last.score - retainSeconds;
    for (const [id, score] of feed.recent) {
      if (feed.recent.size <= RECENT_IDS_MAX && score >= floor) break;
      feed.recent.delete(id);
      if (score > feed.forgotten) feed.forgotten = score;
    }
  }

  function deliver(feed: RoomFeed, message: ChatMessage, bytes: number): void {
    if (feed.recent.has(message.id)) return;
    remember(feed, message);
    for (const listener of [...feed.listeners]) listener(message, bytes);
  }

  /**
   * @param made true for a feed made while `gap` was being handled (a room announced in the
   *   gap): it is re-read from the gap's start, before the feed existed.
   */
  function markForResync(feed: RoomFeed, gap: PubSubGap, made = false): void {
    let from = (feed.last ? Math.min(feed.last.score, gap.since / 1000) : gap.since / 1000) - lookbackSeconds;
    // Not before the feed was made (a gap can start long before: a cluster bus link made again
    // reports one from when it was last seen), and not before what `recent` covers: further
    // back, what was delivered can no longer be told apart.
    if (!made) from = Math.max(from, feed.createdAt - lookbackSeconds);
    from = Math.max(from, feed.forgotten);
    feed.rereadFloor = Math.min(feed.rereadFloor, from);
    feed.resyncFrom = feed.resyncFrom === null ? from : Math.min(feed.resyncFrom, from);
    feed.held ??= [];
  }

  async function resyncRoom(feed: RoomFeed): Promise<void> {
    while (feed.resyncFrom !== null) {
      let position = { score: feed.resyncFrom, id: '' };
      feed.resyncFrom = null;
      let failures = 0;
      for (;;) {
        let page: ChatMessage[];
        try {
          page = await messages.afterPosition(feed.roomId, position, RESYNC_PAGE_SIZE);
        } catch (error) {
          // Until it succeeds (the room's master is back, a failover has ended), or no one follows
          // the room here any more: its live messages wait in `held` meanwhile.
          if (stopped || roomFeeds.get(feed.roomId) !== feed) break;
          if (++failures % RESYNC_ATTEMPTS_BEFORE_ERROR === 0) {
            logger.error({ err: error, roomId: feed.roomId, failures }, 'could not re-read a room after a pub/sub gap yet; its live messages wait until it can');
          }
          await new Promise((resolve) => setTimeout(resolve, Math.min(RESYNC_RETRY_MAX_MS, 100 * 2 ** failures)));
          continue;
        }
        for (const message of page) if (message.score > feed.forgotten) deliver(feed, message, message.text.length);
        if (page.length < RESYNC_PAGE_SIZE) break;
        const tail = page.at(-1)!;
        position = { score: tail.score, id: tail.id };
      }
    }
    const held = feed.held ?? [];
    feed.held = null;
    for (const [message, bytes] of held) deliver(feed, message, bytes);
  }

  async function reconcileRooms(): Promise<void> {
    await Promise.all(
      [...roomsAdded.keys()].map(async (userId) => {
        const fresh = new Set(await redis.smembers(chatKeys.userRooms(userId)));
        const known = knownRooms.get(userId);
        const seeded = seededRooms.has(userId);
        if (!roomsAdded.has(userId)) return;
        // Rooms are never left, so what is known stays known (rooms announced live during the read too).
        const next = new Set([...(known ?? []), ...fresh]);
        knownRooms.set(userId, next);
        seededRooms.add(userId);
        if (!known || !seeded) return;
        for (const roomId of fresh) {
          if (known.has(roomId)) continue;
          if (currentGap) announcedInGap.add(roomId);
          for (const listener of [...(roomsAdded.get(userId) ?? [])]) listener(roomId, 0);
        }
      }),
    );
  }

  async function reconcilePresence(): Promise<void> {
    if (presence.size === 0) return;
    const candidates = new Set(await redis.smembers(chatKeys.onlineUsers));
    for (const [userId, online] of knownOnline) if (online) candidates.add(userId);
    const now = Date.now();
    await Promise.all(
      [...candidates].map(async (userId) => {
        const [connections, version] = (await runLua(redis, PRESENCE_STATE, [internalKeys.presence(userId), internalKeys.presenceVersion(userId)], [now])) as [
          number,
          number,
        ];
        // -1: tracked by the seed demo's servers only; its edges are theirs to announce.
        if (connections < 0) return;
        const online = connections > 0;
        if (online === (knownOnline.get(userId) ?? false)) return;
        // Only an edge decided since the last one seen (a connection expired but not yet swept is
        // the sweeper's to announce, with its own version).
        const seen = presenceVersions.get(userId);
        if (seen !== undefined && version <= seen) return;
        if (version > 0) presenceVersions.set(userId, version);
        knownOnline.set(userId, online);
        for (const listener of [...presence]) listener({ userId, online }, 0);
      }),
    );
  }

  async function handleGap(gap: PubSubGap): Promise<void> {
    try {
      await reconcileRooms();
    } catch (error) {
      logger.warn({ err: error }, 'could not re-read rooms after a pub/sub gap');
    }
    try {
      await reconcilePresence();
    } catch (error) {
      logger.warn({ err: error }, 'could not re-read presence after a pub/sub gap');
    }
    // Feeds attached meanwhile (rooms just announced) are marked as they are made.
    let pending = [...roomFeeds.values()].filter((feed) => feed.held !== null);
    while (pending.length > 0) {
      await Promise.all(pending.map(resyncRoom));
      pending = [...roomFeeds.values()].filter((feed) => feed.held !== null);
    }
    if (currentGap === gap) {
      currentGap = null;
      announcedInGap.clear();
    }
  }

  function onGap(gap: PubSubGap): void {
    // Synchronously, before any message after the restore is dispatched: hold every room.
    currentGap = gap;
    for (const feed of roomFeeds.values()) markForResync(feed, gap);
    resyncs = resyncs
      .then(() => handleGap(gap))
      .catch((error: unknown) => logger.error({ err: error }, 'could not handle a pub/sub gap; subscribers may miss messages'));
  }

  function receive(payload: string): void {
    let envelope: unknown;
    try {
      envelope = JSON.parse(payload);
    } catch {
      return;
    }
    if (typeof envelope !== 'object' || envelope === null) return;
    const { type, data } = envelope as { type?: unknown; data?: unknown };
    if (typeof data !== 'object' || data === null) return;
    const record = data as Record<string, unknown>;
    const bytes = payload.length;
    if (type === WIRE_TYPE.message) {
      const roomId = record.roomId;
      const date = Number(record.date);
      if (typeof roomId !== 'string' || !Number.isFinite(date)) return;
      const feed = roomFeeds.get(roomId);
      if (!feed) return;
      const message = decodeMessage(JSON.stringify(record), date, roomId);
      if (!message) return;
      if (feed.held) feed.held.push([message, bytes]);
      else deliver(feed, message, bytes);
    } else if (type === WIRE_TYPE.connected || type === WIRE_TYPE.disconnected) {
      const userId = String(record.id ?? '');
      if (!/^[0-9]+$/.test(userId)) return;
      // Edges from several instances can arrive out of order: an older one is dropped. Events
      // without a version (the seed demo's servers) always pass.
      const version = Number(record.version);
      if (Number.isSafeInteger(version) && version > 0) {
        if (version <= (presenceVersions.get(userId) ?? 0)) return;
        presenceVersions.set(userId, version);
      }
      const online = type === WIRE_TYPE.connected;
      knownOnline.set(userId, online);
      for (const listener of presence) listener({ userId, online }, bytes);
    } else if (type === WIRE_TYPE.room) {
      const roomId = String(record.id ?? '');
      const members = privateRoomMembers(roomId);
      if (!members) return;
      if (currentGap) announcedInGap.add(roomId);
      for (const userId of members) {
        knownRooms.get(userId)?.add(roomId);
        for (const listener of roomsAdded.get(userId) ?? []) listener(roomId, bytes);
      }
    }
  }

  const envelope = (type: string, data: unknown) => JSON.stringify({ serverId, type, data });

  return {
    async start() {
      unsubscribe = await hub.subscribe(
        { kind: 'channel', name: channels.chatMessages },
        ({ payload }) => {
          try {
            receive(payload);
          } catch (error) {
            logger.error({ err: error }, 'could not handle a chat event');
          }
        },
        { onGap },
      );
      try {
        for (const userId of await redis.smembers(chatKeys.onlineUsers)) if (!knownOnline.has(userId)) knownOnline.set(userId, true);
      } catch (error) {
        logger.warn({ err: error }, 'could not read who is online');
      }
    },
    stop() {
      stopped = true;
      unsubscribe?.();
      unsubscribe = null;
    },
    async publish(event, usernames) {
      let text: string;
      if (event.type === 'message') {
        text = envelope(WIRE_TYPE.message, JSON.parse(encodeMessage(event.message)));
      } else if (event.type === 'presence') {
        text = envelope(event.online ? WIRE_TYPE.connected : WIRE_TYPE.disconnected, {
          id: event.userId,
          online: event.online,
          ...(event.version ? { version: event.version } : {}),
        });
      } else {
        text = envelope(WIRE_TYPE.room, { id: event.roomId, names: usernames ?? [] });
      }
      await redis.publish(channels.chatMessages, text);
    },
    async send(message) {
      const member = encodeMessage(message);
      const text = envelope(WIRE_TYPE.message, JSON.parse(member));
      const room = chatKeys.room(message.roomId);
      await runLuaReplicated(redis, STORE_AND_PUBLISH, [room], [message.score, member, channels.chatMessages, text], replicaAcks);
    },
    announcement(roomId, messageId) {
      const feed = roomFeeds.get(roomId);
      if (!feed) return 'may-come';
      if (feed.recent.has(messageId)) return 'announced';
      const score = messageScore(messageId);
      if (score === null) return 'may-come';
      // A message is published as it is stored (in one script here). One scored at or below
      // what the feed forgot, or before the feed's first possible re-read start, is skipped by
      // every re-read; pub/sub has delivered it already or would be later than the skew a
      // re-read allows for (its lookback).
      return score > feed.forgotten && score >= feed.rereadFloor ? 'may-come' : 'never';
    },
    onRoomMessage(roomId, listener) {
      let feed = roomFeeds.get(roomId);
      if (!feed) {
        const createdAt = Date.now() / 1000;
        const rereadFloor = createdAt - lookbackSeconds;
        feed = { roomId, listeners: new Set(), last: null, recent: new Map(), forgotten: -Infinity, createdAt, rereadFloor, held: null, resyncFrom: null };
        roomFeeds.set(roomId, feed);
        if (currentGap) markForResync(feed, currentGap, announcedInGap.has(roomId));
      }
      const home = feed;
      home.listeners.add(listener);
      return () => {
        home.listeners.delete(listener);
        if (home.listeners.size === 0 && roomFeeds.get(roomId) === home) roomFeeds.delete(roomId);
      };
    },
    onRoomAdded(userId, listener) {
      if (!roomsAdded.has(userId)) {
        // What the user has now, so that a room opened during a later gap can be told apart.
        // Rooms announced live meanwhile are added to the same set, so the read cannot undo them.
        const known = new Set<string>();
        knownRooms.set(userId, known);
        redis.smembers(chatKeys.userRooms(userId)).then(
          (rooms) => {
            if (knownRooms.get(userId) !== known) return;
            for (const roomId of rooms) known.add(roomId);
            seededRooms.add(userId);
          },
          () => undefined,
        );
      }
      const stop = addTo(roomsAdded, userId, listener);
      return () => {
        stop();
        if (!roomsAdded.has(userId)) {
          knownRooms.delete(userId);
          seededRooms.delete(userId);
        }
      };
    },
    settled: () => resyncs,
    onPresence(listener) {
      presence.add(listener);
      return () => void presence.delete(listener);
    },
  };
}
