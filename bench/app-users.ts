// Distinct chat users for the app scenarios, written straight into Redis in the seed chat layout
// (what `signUp` writes) with a session each from the app's own session store. `signUp` itself
// would spend a bcrypt hash of cost 10 per user (5,000 users: minutes of both cores); these users
// never sign in with a password, so they share one fixed hash.
import type { Redis } from 'ioredis';
import { createSessionStore } from '../src/accounts/sessions.js';
import { GENERAL_ROOM_ID } from '../src/chat/room-ids.js';
import { chatKeys } from '../src/redis/keys.js';

/** A bcrypt hash (cost 10) of a throwaway text: nobody signs in with it. */
const UNUSED_HASH = '$2b$10$dsDc55OLE3G/X0mrlOKLQ.wXXJDuXaU7Itp3jVpagNv00/NeIn/f.';
/** Users written per round of commands. */
const BATCH = 500;

export interface BenchUser {
  id: string;
  username: string;
  /** A session token, for `connection_init`'s `authToken` or `Authorization: Bearer`. */
  token: string;
}

/**
 * Makes `count` users in General, each with a session (one hour), as `signUp` would. Each
 * command names one key, so this works on a standalone Redis and on a Cluster client alike.
 */
export async function createBenchUsers(redis: Redis, count: number, prefix = 'b'): Promise<BenchUser[]> {
  const sessions = createSessionStore(redis, 3600);
  const run = `${prefix}${Date.now().toString(36)}`;
  const users: BenchUser[] = [];
  for (let start = 0; start < count; start += BATCH) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(BATCH, count - start) }, async (_, k) => {
        const id = String(await redis.incr(chatKeys.totalUsers));
        const username = `${run}-${start + k}`;
        await Promise.all([
          redis.hset(chatKeys.user(id), { username, password: UNUSED_HASH }),
          redis.sadd(chatKeys.userRooms(id), GENERAL_ROOM_ID),
          redis.set(chatKeys.username(username), `user:${id}`),
        ]);
        const { token } = await sessions.create(id);
        return { id, username, token };
      }),
    );
    users.push(...batch);
  }
  return users;
}
