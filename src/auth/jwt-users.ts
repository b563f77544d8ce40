import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { GENERAL_ROOM_ID } from '../chat/room-ids.js';
import { chatKeys, internalKeys } from '../redis/keys.js';

/** Chat users of JWT identities: one per issuer + `sub`, made on first sight. */
export interface JwtUserDirectory {
  /**
   * The chat user id of a JWT user, making the user (in General, as a sign-up) the first time.
   * Instances that see a new user at the same moment agree on one id. The display name is kept
   * up to date with the token's; null (a backend asking, no token) keeps it, or names a new
   * user after its subject.
   */
  userIdOf(issuer: string, subject: string, name: string | null): Promise<string>;
  /** Roles granted to the user in Redis (`npm run roles -- grant --id <userId> <role>`), besides its token's. */
  grantedRoles(userId: string): Promise<string[]>;
}

/** Users remembered per process, so that a known user costs no round trip. */
const CACHE_MAX = 10_000;

/** The directory of JWT users on the command connection, with a per-process cache of known subjects. */
export function createJwtUserDirectory(redis: Redis): JwtUserDirectory {
  const cache = new Map<string, { id: string; name: string }>();

  const remember = (key: string, id: string, name: string) => {
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(key, { id, name });
  };

  return {
    grantedRoles: (userId) => redis.smembers(internalKeys.userRoles(userId)),
    async userIdOf(issuer, subject, name) {
      const subjectHash = createHash('sha256').update(`${issuer}\u0000${subject}`).digest('hex');
      const cached = cache.get(subjectHash);
      if (cached) {
        if (name !== null && cached.name !== name) {
          await redis.hset(chatKeys.user(cached.id), 'username', name);
          cached.name = name;
        }
        return cached.id;
      }
      const mappingKey = internalKeys.jwtSubject(subjectHash);
      let id = await redis.get(mappingKey);
      if (id === null) {
        // As a sign-up: write the user under a fresh id, then claim the mapping with SET NX. The
        // claim is the one atomic step; whoever loses it (another instance, the same moment)
        // removes its user and takes the winner's id. No `username:` key: a JWT user never signs
        // in with a password, and its name may be anyone's.
        const fresh = String(await redis.incr(chatKeys.totalUsers));
        await Promise.all([
          redis.hset(chatKeys.user(fresh), { username: name ?? subject, issuer, subject }),
          redis.sadd(chatKeys.userRooms(fresh), GENERAL_ROOM_ID),
        ]);
        const claimed = await redis.set(mappingKey, fresh, 'NX');
        if (claimed === 'OK') {
          remember(subjectHash, fresh, name ?? subject);
          return fresh;
        }
        await Promise.all([redis.del(chatKeys.user(fresh)), redis.del(chatKeys.userRooms(fresh))]);
        id = await redis.get(mappingKey);
        if (id === null) throw new Error('a JWT user mapping vanished while it was being claimed');
      }
      const stored = await redis.hget(chatKeys.user(id), 'username');
      if (name !== null && stored !== name) await redis.hset(chatKeys.user(id), 'username', name);
      // A backend's look-up must not make this process think the token's name is current.
      if (name !== null) remember(subjectHash, id, name);
      return id;
    },
  };
}
