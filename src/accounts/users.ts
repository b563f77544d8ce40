import { AppError, ErrorCode } from '../errors/app-error.js';
import type { RedisClient } from '../redis/client.js';
import { chatKeys } from '../redis/keys.js';
import type { PasswordHasher } from './passwords.js';

/** A user as the API sees it: never the password hash. */
export interface UserRecord {
  id: string;
  username: string;
}

/** The seed demo hashes with `bcrypt.gensalt(10)`; we keep its cost. */
export const BCRYPT_COST = 10;
/**
 * Compared against when the username does not exist, so that timing does not reveal it: a bcrypt
 * hash of cost {@link BCRYPT_COST} (of a throwaway text), fixed so that nothing is hashed at import.
 */
const DUMMY_HASH = '$2b$10$dsDc55OLE3G/X0mrlOKLQ.wXXJDuXaU7Itp3jVpagNv00/NeIn/f.';

const USER_ID = /^[0-9]+$/;

/** Whether `id` can be a user's id: decimal digits, as `total_users`' INCR hands them out. */
export const isUserId = (id: string): boolean => USER_ID.test(id);

/**
 * `username:{name}` holds `"user:{id}"` in the seed's code and a bare id in its docs; both are read.
 * Anything else (written by another client) counts as no user.
 */
export function parseUserReference(value: string | null): string | null {
  if (value === null) return null;
  const id = value.startsWith('user:') ? value.slice('user:'.length) : value;
  return isUserId(id) ? id : null;
}

/** Users in the seed chat layout: `total_users`, `username:{name}`, `user:{id}`, `user:{id}:rooms`. */
export interface UserStore {
  /**
   * Creates a user in General (room 0). @throws AppError CONFLICT when the name is taken (found
   * before any hashing, so a taken name costs no hash), also when another sign-up for it races
   * this one: exactly one wins. @throws AppError RATE_LIMITED when the password hasher's queue is full.
   */
  create(username: string, password: string): Promise<UserRecord>;
  /** The user when the password matches, else null. Takes the same time whether or not the user exists. */
  verify(username: string, password: string): Promise<UserRecord | null>;
  findById(id: string): Promise<UserRecord | null>;
}

/**
 * Most ids tried for one sign-up. An id is skipped when its `user:{id}` already exists, which
 * happens after a failover lost INCRs of `total_users` that its replica never got while the users
 * written under those ids (on other shards) survived: each lost INCR costs one retry.
 */
export const MAX_ID_ATTEMPTS = 1000;

const taken = (username: string) =>
  new AppError(ErrorCode.Conflict, `The username "${username}" is already taken.`, { field: 'username' });

/** @param passwords hashes new passwords and checks given ones (off the event loop, bounded). */
export function createUserStore(redis: RedisClient, passwords: PasswordHasher): UserStore {
  /**
   * A fresh id whose `user:{id}` this call now owns: INCR, then HSETNX of `username`, which writes
   * only when the hash has no user yet. `total_users` and `user:{id}` live on different shards, so a
   * failover can hand out an id again; HSETNX makes that a retry instead of an overwritten user.
   */
  async function claimId(username: string, hash: string): Promise<string> {
    for (let attempt = 0; attempt < MAX_ID_ATTEMPTS; attempt++) {
      const id = String(await redis.incr(chatKeys.totalUsers));
      if ((await redis.hsetnx(chatKeys.user(id), 'username', username)) === 1) {
        await redis.hset(chatKeys.user(id), 'password', hash);
        return id;
      }
    }
    throw new Error(`no free user id after ${MAX_ID_ATTEMPTS} attempts: total_users is far behind the user:{id} hashes`);
  }

  return {
    async create(username, password) {
      // A taken name is refused before paying for a hash; the SET NX below still decides races.
      if (await redis.exists(chatKeys.username(username))) throw taken(username);
      const hash = await passwords.hash(password);
      // Write the user under a fresh id first, then claim the name with SET NX: the claim is the
      // single atomic step, and nothing ever points at a half-written user. Each command touches
      // one key, so this also holds on Redis Cluster.
      const id = await claimId(username, hash);
      await redis.sadd(chatKeys.userRooms(id), '0');
      const claimed = await redis.set(chatKeys.username(username), `user:${id}`, 'NX');
      if (claimed !== 'OK') {
        await Promise.all([redis.del(chatKeys.user(id)), redis.del(chatKeys.userRooms(id))]);
        throw taken(username);
      }
      return { id, username };
    },

    async verify(username, password) {
      const id = parseUserReference(await redis.get(chatKeys.username(username)));
      const stored = id ? await redis.hmget(chatKeys.user(id), 'username', 'password') : [null, null];
      const [storedName, hash] = stored;
      const matches = await passwords.verify(password, hash ?? DUMMY_HASH);
      if (!id || !hash || !matches) return null;
      return { id, username: storedName ?? username };
    },

    async findById(id) {
      if (!isUserId(id)) return null;
      const username = await redis.hget(chatKeys.user(id), 'username');
      return username === null ? null : { id, username };
    },
  };
}
