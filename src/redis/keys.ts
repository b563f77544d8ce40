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
  /** Fixed-window counter of sign-in attempts for one username. */
  signInAttempts: (username: string) => `${INTERNAL_PREFIX}rate:sign-in:${username}`,
  /** Sorted set of a user's open connections (any instance), scored by heartbeat expiry (ms). */
  presence: (userId: string) => `${INTERNAL_PREFIX}presence:${userId}`,
  /** Held by the one instance that writes the chat demo data on first start. */
  demoSeedLock: `${INTERNAL_PREFIX}demo-seed-lock`,
} as const;

/** Pub/sub channels. */
export const channels = {
  /** The seed chat's channel between servers: `{"serverId","type","data"}`. */
  chatMessages: 'MESSAGES',
  /** A signed-out session's token hash, so that every instance ends its subscriptions. */
  sessionEnded: `${INTERNAL_PREFIX}session-ended`,
} as const;

const RESERVED_EXACT_KEYS: readonly string[] = [chatKeys.totalUsers, chatKeys.onlineUsers, channels.chatMessages];
const RESERVED_KEY_PREFIXES: readonly string[] = ['username:', 'user:', 'room:', INTERNAL_PREFIX];
const RESERVED_EXACT_CHANNELS: readonly string[] = [channels.chatMessages];
const RESERVED_CHANNEL_PREFIXES: readonly string[] = [INTERNAL_PREFIX];

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
