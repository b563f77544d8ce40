/**
 * Every Redis key and channel name Switchboard uses, and the rules that keep user-chosen names
 * (channels, patterns, streams, queues) away from them. No key string is written anywhere else.
 *
 * The chat keeps the layout of the redis-developer chat demo, so a database it created works as is.
 * Everything else of ours lives under {@link INTERNAL_PREFIX}.
 */
import { globMatches, globMayMatchPrefix, parseGlob } from './glob.js';

/** Namespace of every key and channel that Switchboard adds beyond the seed chat layout. */
export const INTERNAL_PREFIX = 'switchboard:';

/** Keys of the seed chat demo's layout. */
export const chatKeys = {
  /** INCR counter of user ids. */
  totalUsers: 'total_users',
  /** String `"user:{id}"`. */
  username: (name: string) => `username:${name}`,
  /** Hash with `username` and `password` (bcrypt). */
  user: (id: string) => `user:${id}`,
  /** Set of room ids the user belongs to. */
  userRooms: (id: string) => `user:${id}:rooms`,
  /** String: the room's display name (`General` for room 0). */
  roomName: (roomId: string) => `room:${roomId}:name`,
  /** Sorted set of message JSON, scored by date in seconds. */
  room: (roomId: string) => `room:${roomId}`,
  /** Set of ids of users that are online. */
  onlineUsers: 'online_users',
} as const;

/** Keys that are ours alone. */
export const internalKeys = {
  /** Hash `{ userId, createdAt }` of a session, keyed by the SHA-256 of its token; has a TTL. */
  session: (tokenHash: string) => `${INTERNAL_PREFIX}session:${tokenHash}`,
  /**
   * Fixed-window counter of failed sign-ins for one username from one client address (its
   * `addressBucket`). The `{address}` hash tag keeps every counter of an address in one cluster
   * slot, so that one script can take an attempt from the address's and the pair's together.
   */
  signInAttempts: (address: string, username: string) => `${INTERNAL_PREFIX}rate:{${address}}:sign-in:${username}`,
  /** Fixed-window counter of failed sign-ins from one client address, whatever the username. */
  signInAttemptsByAddress: (address: string) => `${INTERNAL_PREFIX}rate:{${address}}:sign-in`,
  /** Fixed-window counter of `signUp` calls from one client address. */
  signUps: (address: string) => `${INTERNAL_PREFIX}rate:{${address}}:sign-up`,
  /**
   * Sorted set of a user's open connections (any instance), scored by heartbeat expiry (ms). The
   * `{id}` hash tag keeps it in one cluster slot with {@link internalKeys.presenceVersion}.
   */
  presence: (userId: string) => `${INTERNAL_PREFIX}presence:{${userId}}`,
  /** Counter of a user's presence edges, so that events from several instances can be ordered. */
  presenceVersion: (userId: string) => `${INTERNAL_PREFIX}presence-version:{${userId}}`,
  /** Held by the one instance that writes the chat demo data on first start. */
  demoSeedLock: `${INTERNAL_PREFIX}demo-seed-lock`,
  /** Set of the roles an account has besides `user` (`npm run roles -- grant <username> admin`). */
  userRoles: (userId: string) => `${INTERNAL_PREFIX}user-roles:${userId}`,
  /** Hash `{ id, name, roles, createdAt }` of an API key, keyed by the SHA-256 of the key. */
  apiKey: (keyHash: string) => `${INTERNAL_PREFIX}api-key:${keyHash}`,
  /** Hash: API key id -> JSON `{ name, roles, createdAt, hash }`, for listing and revoking by id. */
  apiKeyIndex: `${INTERNAL_PREFIX}api-keys`,
  /**
   * String: the chat user id of a JWT user, keyed by the SHA-256 of `issuer` + NUL + `sub`.
   * Claimed with SET NX, so that instances seeing a new user at once agree on its id.
   */
  jwtSubject: (subjectHash: string) => `${INTERNAL_PREFIX}jwt-subject:${subjectHash}`,
  /**
   * Hash: instance id -> JSON of that instance's counters and when it wrote them
   * (`{ at, webSockets, sseStreams, subscriptions, connections, deliveries, deliveriesPerSecond, ... }`),
   * written by every instance every STATS_INTERVAL_MS: the cluster's figures of the `stats`
   * subscription are their sum. One key, so one slot on a cluster.
   */
  instanceStats: `${INTERNAL_PREFIX}ops:instances`,
  /**
   * Hash: consumer name -> the user id that owns it, for one consumer group of one stream
   * (lengths first, so that no two (stream, group) pairs share a key).
   */
  consumerOwners: (stream: string, group: string) => `${INTERNAL_PREFIX}consumer-owners:${stream.length}:${stream}:${group}`,
} as const;

/**
 * Event streams (`addEvent`, `events`, consumer groups). A stream's key is its public name, as is,
 * so that plain XADD / XREAD clients and GraphQL clients share it; `assertPublicKeyName` keeps
 * those names off the reserved keys. Every stream command names one key only (Cluster-safe).
 */
export const streamKeys = {
  stream: (name: string) => name,
  /**
   * Hash of one time bucket's `addEvent` write tokens (token -> entry id), in the stream's slot,
   * so that an add run twice (a resend after a reconnect) is recognised; null for a name that no
   * key of ours can share a slot with.
   */
  addTokens: (name: string, bucket: number) => {
    const tag = slotTagOf(name);
    return tag === null ? null : `${INTERNAL_PREFIX}stream-adds:{${tag}}:${name}:${bucket}`;
  },
} as const;

/** Pub/sub channels. */
export const channels = {
  /** The seed chat's channel between servers: `{"serverId","type","data"}`. */
  chatMessages: 'MESSAGES',
  /** A signed-out session's token hash, so that every instance ends its subscriptions. */
  sessionEnded: `${INTERNAL_PREFIX}session-ended`,
} as const;

/**
 * The hash tag that puts our keys of a public key (a queue's list, a stream) in that key's cluster
 * slot: BLMOVE and the queue scripts touch the list and our keys together, as the stream add
 * script does the stream and its write tokens, and Redis Cluster refuses a multi-key command
 * across slots. A name with a hash tag (`{orders}:high`) hashes on its tag; any other name hashes
 * whole, so the whole name becomes our tag. null: the name has a `}` but no hash tag, so no key
 * of ours could share its slot (such names are refused as queues).
 */
export function slotTagOf(name: string): string | null {
  const open = name.indexOf('{');
  if (open >= 0) {
    const close = name.indexOf('}', open + 1);
    if (close > open + 1) return name.slice(open + 1, close);
  }
  return name.includes('}') ? null : name;
}

/**
 * Keys that go with a work queue. The queue itself is the Redis list named by the user (so that
 * plain LPUSH / BRPOP clients share it); these live beside it, in its cluster slot (see
 * {@link slotTagOf}), as `switchboard:queue:{<tag>}:<queue>:<part>`.
 */
export const queueKeys = (queue: string) => {
  const tag = slotTagOf(queue);
  if (tag === null) throw new Error(`queue name ${JSON.stringify(queue)} has no usable cluster slot tag`);
  const base = `${INTERNAL_PREFIX}queue:{${tag}}:${queue}`;
  return {
    /** List of jobs taken and not yet acknowledged (BLMOVE pushes on its left). */
    processing: `${base}:processing`,
    /** Sorted set of in-flight job ids, scored by the time (ms, Redis clock) their visibility ends. */
    leases: `${base}:leases`,
    /** Hash: in-flight job id -> the exact item text in `processing` (for LREM). */
    inflight: `${base}:inflight`,
    /** List of jobs that ran out of attempts (LPUSH: newest on the left). */
    dead: `${base}:dead`,
    /** Hash: item text -> count of items found in `processing` with no lease at the last sweep. */
    suspects: `${base}:suspects`,
    /** String: when (ms, Redis clock) `processing` was last swept for items with no lease. */
    sweptAt: `${base}:swept-at`,
    /** Sorted set of job ids waiting for their time (`delaySeconds`, retry backoff), scored by when they are due (ms, Redis clock). */
    delayed: `${base}:delayed`,
    /** String, present while the queue is paused (`pauseQueue`). */
    paused: `${base}:paused`,
    /** Hash, present while the queue has a rate limit (`setQueueRateLimit`): `max`, `duration` (ms), and `seq`, which numbers the takes. */
    rateLimit: `${base}:rate-limit`,
    /** Sorted set of the jobs started within the rate limit's last `duration` ms, scored by when (ms, Redis clock): the sliding window. */
    started: `${base}:started`,
    /**
     * Lists of the jobs waiting at the priority levels other than the default one, which waits in
     * the queue's own list (so plain LPUSH items keep the default level).
     */
    level: (level: string) => `${base}:level:${level}`,
    /** Prefix of the per-job hashes (state, attempts, progress, result...): `<jobPrefix><id>`. */
    jobPrefix: `${base}:job:`,
    /** Hash of one job: its state, attempts, priority, backoff, progress, result, and so on. */
    job: (id: string) => `${base}:job:${id}`,
    /** Prefix of the idempotency keys: `<idempotencyPrefix><key>` holds the id of the job that owns the key. */
    idempotencyPrefix: `${base}:key:`,
    /** String: the id of the job that holds an idempotency key. */
    idempotency: (key: string) => `${base}:key:${key}`,
  };
};

/**
 * Channel announcing changes of one job (its version number): `jobUpdates` subscribes to it. It
 * carries the queue's hash tag, so the scripts that publish it touch only their own slot; it stays
 * a classic channel under PUBSUB_MODE=sharded ({@link isShardedChannel}).
 */
export const jobUpdatesChannel = (queue: string, id: string) => `${INTERNAL_PREFIX}job-updates:{${slotTagOf(queue) ?? ''}}:${queue}:${id}`;
/** Prefix of {@link jobUpdatesChannel} for a queue, for the scripts: `<prefix><id>`. */
export const jobUpdatesChannelPrefix = (queue: string) => `${INTERNAL_PREFIX}job-updates:{${slotTagOf(queue) ?? ''}}:${queue}:`;
/** Channel on which a queue announces that jobs may be ready (resumed, prioritised, due): takers waiting on it look again. */
export const queueWakeChannel = (queue: string) => `${INTERNAL_PREFIX}queue-wake:${queue}`;

/** Sorted set of queue names that hold or held real jobs (the reaper's work list), scored by the last enqueue or take seen (ms, Redis clock). */
export const QUEUE_REGISTRY_KEY = `${INTERNAL_PREFIX}queues`;

/** Prefix of every {@link jobSettledChannel}. */
const JOB_SETTLED_PREFIX = `${INTERNAL_PREFIX}queue-settled:`;
/**
 * Channel on which the ids of a queue's jobs are announced when they leave processing. The queue's
 * hash tag puts it in the queue's slot, where the scripts that publish it run: a proxy that forbids
 * a script to touch a channel outside its slot accepts it, and SPUBLISH (PUBSUB_MODE=sharded),
 * which Redis refuses in a script for another slot, works.
 */
export const jobSettledChannel = (queue: string) => `${JOB_SETTLED_PREFIX}{${slotTagOf(queue) ?? ''}}:${queue}`;

/**
 * Whether PUBSUB_MODE=sharded moves a channel to SPUBLISH / SSUBSCRIBE: every public channel
 * (`publish` and `channel`; plain clients then SPUBLISH too) and the internal topics whose names
 * carry their slot ({@link jobSettledChannel}). The chat's `MESSAGES`, the session ends and the
 * rest stay classic, as does every pattern (`channelPattern`).
 */
export function isShardedChannel(name: string): boolean {
  return name.startsWith(JOB_SETTLED_PREFIX) || !isReservedChannel(name);
}

const RESERVED_EXACT_KEYS: readonly string[] = [chatKeys.totalUsers, chatKeys.onlineUsers, channels.chatMessages];
const RESERVED_KEY_PREFIXES: readonly string[] = ['username:', 'user:', 'room:', INTERNAL_PREFIX];
/** Channels user patterns may never receive: these names exactly, and every name with these prefixes. */
export const RESERVED_EXACT_CHANNELS: readonly string[] = [channels.chatMessages];
export const RESERVED_CHANNEL_PREFIXES: readonly string[] = [INTERNAL_PREFIX];

/** Human-readable list of what user-chosen names may not reach, for error messages. */
export const RESERVED_KEYS_DESCRIPTION = `${RESERVED_EXACT_KEYS.join(', ')} and names starting with ${RESERVED_KEY_PREFIXES.join(', ')}`;
export const RESERVED_CHANNELS_DESCRIPTION = `${RESERVED_EXACT_CHANNELS.join(', ')} and channels starting with ${RESERVED_CHANNEL_PREFIXES.join(', ')}`;

/** Whether a user-chosen key name (a stream, a queue) would touch the chat's or our own keys. */
export function isReservedKey(name: string): boolean {
  return RESERVED_EXACT_KEYS.includes(name) || RESERVED_KEY_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** Whether a channel belongs to the chat or to Switchboard itself. */
export function isReservedChannel(name: string): boolean {
  return RESERVED_EXACT_CHANNELS.includes(name) || RESERVED_CHANNEL_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/**
 * Whether a PSUBSCRIBE pattern could deliver a reserved channel. Exact: the pattern is run as an
 * automaton against each reserved name and prefix, so `*`, `M*`, `[A-Z]ESSAGES` and `sw?tch*` are
 * all caught. @throws GlobSyntaxError for a malformed pattern.
 */
export function patternMayMatchReservedChannel(pattern: string): boolean {
  const tokens = parseGlob(pattern);
  return (
    RESERVED_EXACT_CHANNELS.some((name) => globMatches(tokens, name)) ||
    RESERVED_CHANNEL_PREFIXES.some((prefix) => globMayMatchPrefix(tokens, prefix))
  );
}
