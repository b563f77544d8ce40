import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { API_KEY_IDENTITY_PREFIX, type Identity } from '../auth/identity.js';
import { Role } from '../policy/actions.js';
import { channels, internalKeys } from '../redis/keys.js';

/**
 * A signed-in caller (see {@link Identity}). For a Switchboard session, `id` is the SHA-256 of
 * the token (the token itself is never stored) and `kind` is `account`, with role `user` and the
 * roles granted to the account (`npm run roles -- grant <username> <role>`).
 */
export type Session = Identity;

/** Roles every Switchboard account has; more are granted with `npm run roles` (read on every resolve). */
const ACCOUNT_ROLES: readonly string[] = [Role.User];

/** 32 random bytes, base64url: 43 characters. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Tells every instance that a credential ended (a session signed out, a JWT's connections
 * signed out, an API key revoked), by its identity id: each ends the connections and
 * subscriptions that use it (see SessionWatcher). The one place that announces it.
 */
export async function announceEnded(redis: Redis, identityId: string): Promise<void> {
  await redis.publish(channels.sessionEnded, identityId);
}

/** Sessions in Redis, each a hash with a TTL. */
export interface SessionStore {
  /** Starts a session; the token is returned once and only its hash is kept. */
  create(userId: string): Promise<{ token: string; session: Session }>;
  /** The live session of a token with the account's current roles, or null when it is malformed, unknown or expired. */
  resolve(token: string): Promise<Session | null>;
  /**
   * Ends a session and tells every instance, so that its open subscriptions end too. For a JWT it
   * ends the token's open subscriptions (the token itself stays valid until `exp`); for an API
   * key it does nothing (revoke the key instead).
   */
  end(session: Pick<Session, 'id'>): Promise<void>;
  /** Which of these sessions still exist (one round trip). */
  stillLive(sessionIds: string[]): Promise<boolean[]>;
}

export function createSessionStore(redis: Redis, ttlSeconds: number): SessionStore {
  return {
    async create(userId) {
      const token = randomBytes(32).toString('base64url');
      const id = hashToken(token);
      const key = internalKeys.session(id);
      await redis.multi().hset(key, { userId, createdAt: Date.now() }).expire(key, ttlSeconds).exec();
      return { token, session: { id, userId, expiresAt: Date.now() + ttlSeconds * 1000, kind: 'account', roles: ACCOUNT_ROLES } };
    },

    async resolve(token) {
      if (!TOKEN_PATTERN.test(token)) return null;
      const id = hashToken(token);
      const key = internalKeys.session(id);
      const [userId, ttlMs] = await Promise.all([redis.hget(key, 'userId'), redis.pttl(key)]);
      if (!userId || ttlMs <= 0) return null;
      const granted = await redis.smembers(internalKeys.userRoles(userId));
      const roles = granted.length === 0 ? ACCOUNT_ROLES : [...ACCOUNT_ROLES, ...granted.filter((role) => !ACCOUNT_ROLES.includes(role)).sort()];
      return { id, userId, expiresAt: Date.now() + ttlMs, kind: 'account', roles };
    },

    async end(session) {
      // An API key is ended by revoking it, not by one of its callers signing out.
      if (session.id.startsWith(API_KEY_IDENTITY_PREFIX)) return;
      await redis.del(internalKeys.session(session.id));
      await announceEnded(redis, session.id);
    },

    async stillLive(sessionIds) {
      // One EXISTS per key (auto-pipelined): the keys may sit in different cluster slots.
      const counts = await Promise.all(sessionIds.map((id) => redis.exists(internalKeys.session(id))));
      return counts.map((count) => count === 1);
    },
  };
}
