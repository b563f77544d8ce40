import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { RedisClient } from '../redis/client.js';
import { chatKeys, internalKeys } from '../redis/keys.js';
import { luaScript, runLua } from '../redis/lua.js';
import type { ChatBus } from './chat-bus.js';

/** Options of {@link createPresence}. */
export interface PresenceOptions {
  redis: RedisClient;
  bus: ChatBus;
  logger: Logger;
  /** How often this instance renews its connections and sweeps expired ones. */
  heartbeatMs: number;
  /** How long a connection counts without a heartbeat: a crashed instance's users go offline after it. */
  expiryMs: number;
}

/**
 * Who is online, across instances. Each open connection is a member of the user's
 * `switchboard:presence:{id}` sorted set, scored by when it expires; every instance renews its own
 * connections each heartbeat, so a crashed instance's connections simply expire. A user is online
 * while the set has a live member: two tabs count once, and events fire only on the edges (the
 * first connection, the last disconnection or expiry). The seed's `online_users` set is kept in
 * step for the demo's own servers.
 */
export interface Presence {
  /** Counts a connection of the user; resolves with the function that uncounts it. */
  connect(userId: string): Promise<() => Promise<void>>;
  /** Starts the heartbeat and the sweeper. */
  start(): void;
  /** Stops them and waits for pending presence writes (call before Redis closes). */
  stop(): Promise<void>;
  /** Renews this instance's connections and expires others' dead ones now (tests, shutdown). */
  tick(): Promise<void>;
  /** Ids of the users online now (the seed's `online_users` set). */
  onlineUserIds(): Promise<string[]>;
}

// Each script touches one user's two keys, which share a hash tag, so it runs on Redis Cluster
// too; `online_users` (another slot) is written after it. Every edge (first connection, last one
// gone) takes the next number of the user's version counter, atomically with the decision, and
// the events carry it: receivers drop an event older than one they already had, so edges decided
// on different instances cannot arrive in the wrong order.
const EDGE_VERSION_TTL_MS = 24 * 3600 * 1000;
// CONNECT: ARGV = now, expiry, key TTL, then one or more connection ids (a heartbeat renews all
// of a user's connections on this instance in one call). Returns {connections before, version}.
const CONNECT = luaScript('presence_connect', `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local before = redis.call('ZCARD', KEYS[1])
for i = 4, #ARGV do redis.call('ZADD', KEYS[1], ARGV[2], ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
local version = 0
if before == 0 then
  version = redis.call('INCR', KEYS[2])
  redis.call('PEXPIRE', KEYS[2], ${EDGE_VERSION_TTL_MS})
end
return {before, version}`);
// DISCONNECT: ARGV = now, connection id. SWEEP: ARGV = now. Both return {removed, left, version}.
const DISCONNECT = luaScript('presence_disconnect', `
local removed = redis.call('ZREM', KEYS[1], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local left = redis.call('ZCARD', KEYS[1])
local version = 0
if removed == 1 and left == 0 then version = redis.call('INCR', KEYS[2]) end
return {removed, left, version}`);
const SWEEP = luaScript('presence_sweep', `
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1, 0, 0} end
local removed = redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local left = redis.call('ZCARD', KEYS[1])
local version = 0
if removed > 0 and left == 0 then version = redis.call('INCR', KEYS[2]) end
return {removed, left, version}`);

export function createPresence(options: PresenceOptions): Presence {
  const { redis, bus, logger, heartbeatMs, expiryMs } = options;
  const local = new Map<string, string>(); // connection id -> user id
  const pending = new Set<Promise<unknown>>();
  let timer: NodeJS.Timeout | null = null;

  const track = <T>(promise: Promise<T>) => {
    pending.add(promise);
    void promise.finally(() => pending.delete(promise)).catch(() => undefined);
    return promise;
  };

  const keysOf = (userId: string) => [internalKeys.presence(userId), internalKeys.presenceVersion(userId)] as const;

  async function register(userId: string, connectionIds: string[]): Promise<void> {
    const now = Date.now();
    const [before, version] = (await runLua(redis, CONNECT, keysOf(userId), [now, now + expiryMs, expiryMs * 2, ...connectionIds])) as [
      number,
      number,
    ];
    if (before === 0) {
      await redis.sadd(chatKeys.onlineUsers, userId);
      await bus.publish({ type: 'presence', userId, online: true, version });
    }
  }

  /** The user's last connection went; `online_users` follows unless one came back meanwhile. */
  async function wentOffline(userId: string, version: number): Promise<void> {
    await redis.srem(chatKeys.onlineUsers, userId);
    const [, left] = (await runLua(redis, SWEEP, keysOf(userId), [Date.now()])) as [number, number, number];
    if (left > 0) await redis.sadd(chatKeys.onlineUsers, userId);
    // Published even then: the newer "online" edge carries a higher version and wins.
    await bus.publish({ type: 'presence', userId, online: false, version });
  }

  async function tick(): Promise<void> {
    const byUser = new Map<string, string[]>();
    for (const [connectionId, userId] of local) {
      const ids = byUser.get(userId);
      if (ids) ids.push(connectionId);
      else byUser.set(userId, [connectionId]);
    }
    await Promise.all([...byUser].map(([userId, connectionIds]) => register(userId, connectionIds)));
    const online = await redis.smembers(chatKeys.onlineUsers);
    const now = Date.now();
    await Promise.all(
      online.map(async (userId) => {
        const [removed, left, version] = (await runLua(redis, SWEEP, keysOf(userId), [now])) as [number, number, number];
        // -1: no presence set, the user is tracked by the seed demo's servers; leave it alone.
        if (removed > 0 && left === 0) await wentOffline(userId, version);
      }),
    );
  }

  return {
    async connect(userId) {
      const connectionId = randomUUID();
      local.set(connectionId, userId);
      try {
        await track(register(userId, [connectionId]));
      } catch (error) {
        // Redis is away: the connection does not count, and no heartbeat will add it later.
        local.delete(connectionId);
        logger.warn({ err: error, userId }, 'could not record a connection for presence');
        return () => Promise.resolve();
      }
      let done = false;
      return () => {
        if (done) return Promise.resolve();
        done = true;
        local.delete(connectionId);
        return track(
          (async () => {
            const [removed, left, version] = (await runLua(redis, DISCONNECT, keysOf(userId), [Date.now(), connectionId])) as [
              number,
              number,
              number,
            ];
            if (removed === 1 && left === 0) await wentOffline(userId, version);
          })().catch((error: unknown) => {
            // The connection expires on its own after the heartbeat TTL.
            logger.warn({ err: error, userId }, 'could not record a disconnection for presence');
          }),
        );
      };
    },
    start() {
      timer ??= setInterval(() => {
        tick().catch((error: unknown) => logger.warn({ err: error }, 'presence heartbeat failed'));
      }, heartbeatMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await Promise.allSettled([...pending]);
    },
    tick,
    onlineUserIds: () => redis.smembers(chatKeys.onlineUsers),
  };
}
