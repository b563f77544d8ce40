import DataLoader from 'dataloader';
import type { Redis } from 'ioredis';
import { chatKeys } from '../redis/keys.js';
import { type UserRecord, isUserId } from './users.js';

/** A user with its presence, as `User` fields resolve it. */
export interface LoadedUser extends UserRecord {
  online: boolean;
}

export type UserLoader = DataLoader<string, LoadedUser | null>;

/**
 * Batches user look-ups of one tick into one round trip: an HGET per distinct id and one
 * SMISMEMBER for presence, however many messages or rooms asked. Nothing is cached, because a
 * subscription's context lives for hours and usernames and presence change; duplicates within a
 * batch are still looked up once.
 */
export function createUserLoader(redis: Redis): UserLoader {
  return new DataLoader<string, LoadedUser | null>(
    async (ids) => {
      const distinct = [...new Set(ids.filter(isUserId))];
      if (distinct.length === 0) return ids.map(() => null);
      const [names, online] = await Promise.all([
        Promise.all(distinct.map((id) => redis.hget(chatKeys.user(id), 'username'))),
        redis.smismember(chatKeys.onlineUsers, ...distinct),
      ]);
      const byId = new Map<string, LoadedUser>();
      distinct.forEach((id, i) => {
        const username = names[i];
        if (username != null) byId.set(id, { id, username, online: online[i] === 1 });
      });
      return ids.map((id) => byId.get(id) ?? null);
    },
    { cache: false },
  );
}
