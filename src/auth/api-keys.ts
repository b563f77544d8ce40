import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { announceEnded } from '../accounts/sessions.js';
import { internalKeys } from '../redis/keys.js';
import { API_KEY_IDENTITY_PREFIX, type Identity } from './identity.js';

/** Every API key starts with this, so that a leaked one is easy to recognise (and to scan for). */
export const API_KEY_PREFIX = 'sbk_';
/** `sbk_` and 32 random bytes, base64url. */
const API_KEY_PATTERN = /^sbk_[A-Za-z0-9_-]{43}$/;
/** Role names: letters, digits, `_`, `-`, `.`, `:`; 1 to 64 characters. */
export const ROLE_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
/** Key names: 1 to 64 printable characters. */
const NAME_PATTERN = /^[\x21-\x7e][\x20-\x7e]{0,63}$/;

/** An API key as listed: never the key itself, which is shown once, at creation. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  roles: string[];
  /** Epoch milliseconds. */
  createdAt: number;
}

/** What is wrong with a new key's name or roles, or null. */
export function apiKeyInputProblem(name: string, roles: readonly string[]): string | null {
  if (!NAME_PATTERN.test(name)) return `the name must be 1 to 64 printable ASCII characters, not starting with a space; got ${JSON.stringify(name.slice(0, 80))}`;
  if (roles.length === 0) return 'give the key at least one role (e.g. service)';
  const bad = roles.find((role) => !ROLE_PATTERN.test(role));
  if (bad !== undefined) return `a role is 1 to 64 letters, digits, "_", "-", "." or ":"; got ${JSON.stringify(bad.slice(0, 80))}`;
  return null;
}

/**
 * The stored form of a key. SHA-256, not bcrypt: the key is 256 random bits, so no dictionary
 * or brute force can find it from its hash however fast the hash is; a slow hash protects
 * low-entropy passwords, and here would only cost CPU on every request a backend makes.
 */
export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** API keys for backend services, in Redis, stored hashed. */
export interface ApiKeyStore {
  /**
   * Makes a key; the key text is returned once and only its hash is kept.
   * @throws Error when the name or roles are invalid (see {@link apiKeyInputProblem}).
   */
  create(name: string, roles: readonly string[]): Promise<{ key: string; record: ApiKeyRecord }>;
  /** Every key, oldest first. */
  list(): Promise<ApiKeyRecord[]>;
  /** Revokes a key and tells every instance, so that its open subscriptions end. False when there is no such key. */
  revoke(id: string): Promise<boolean>;
  /** The identity of a key, or null when it is malformed or unknown (revoked). */
  resolve(key: string): Promise<Identity | null>;
  /** Whether the keys of these identity ids (`apikey:<id>`) still exist. */
  stillLive(identityIds: string[]): Promise<boolean[]>;
}

const parseIndexEntry = (id: string, text: string): (ApiKeyRecord & { hash: string }) | null => {
  try {
    const value = JSON.parse(text) as { name?: unknown; roles?: unknown; createdAt?: unknown; hash?: unknown };
    if (typeof value.name !== 'string' || typeof value.hash !== 'string' || !Array.isArray(value.roles)) return null;
    return { id, name: value.name, roles: value.roles.filter((role): role is string => typeof role === 'string'), createdAt: Number(value.createdAt) || 0, hash: value.hash };
  } catch {
    return null;
  }
};

/** API keys in Redis: `switchboard:api-key:<sha256>` per key and the `switchboard:api-keys` index. Opens nothing. */
export function createApiKeyStore(redis: Redis): ApiKeyStore {
  return {
    async create(name, roles) {
      const problem = apiKeyInputProblem(name, roles);
      if (problem) throw new Error(problem);
      const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
      const hash = hashApiKey(key);
      const record: ApiKeyRecord = { id: randomBytes(8).toString('hex'), name, roles: [...new Set(roles)], createdAt: Date.now() };
      // The key works once its own hash exists; the index is for listing and revoking. Two keys,
      // two commands (Cluster: different slots); the key's hash is written first.
      await redis.hset(internalKeys.apiKey(hash), { id: record.id, name, roles: JSON.stringify(record.roles), createdAt: record.createdAt });
      await redis.hset(internalKeys.apiKeyIndex, record.id, JSON.stringify({ name, roles: record.roles, createdAt: record.createdAt, hash }));
      return { key, record };
    },

    async list() {
      const entries = await redis.hgetall(internalKeys.apiKeyIndex);
      return Object.entries(entries)
        .map(([id, text]) => parseIndexEntry(id, text))
        .filter((entry): entry is ApiKeyRecord & { hash: string } => entry !== null)
        .map(({ id, name, roles, createdAt }) => ({ id, name, roles, createdAt }))
        .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    },

    async revoke(id) {
      const text = await redis.hget(internalKeys.apiKeyIndex, id);
      const entry = text === null ? null : parseIndexEntry(id, text);
      if (!entry) return false;
      await redis.del(internalKeys.apiKey(entry.hash));
      await redis.hdel(internalKeys.apiKeyIndex, id);
      // As a sign-out: every instance ends the key's connections and subscriptions.
      await announceEnded(redis, `${API_KEY_IDENTITY_PREFIX}${id}`);
      return true;
    },

    async resolve(key) {
      if (!API_KEY_PATTERN.test(key)) return null;
      const stored = await redis.hmget(internalKeys.apiKey(hashApiKey(key)), 'id', 'name', 'roles');
      const [id, name, rolesText] = stored;
      if (!id || !name || !rolesText) return null;
      let roles: string[] = [];
      try {
        const parsed: unknown = JSON.parse(rolesText);
        if (Array.isArray(parsed)) roles = parsed.filter((role): role is string => typeof role === 'string');
      } catch {
        return null;
      }
      const identityId = `${API_KEY_IDENTITY_PREFIX}${id}`;
      return { id: identityId, userId: identityId, expiresAt: Infinity, kind: 'apiKey', roles, name };
    },

    async stillLive(identityIds) {
      const ids = identityIds.map((identityId) => identityId.slice(API_KEY_IDENTITY_PREFIX.length));
      const present = await Promise.all(ids.map((id) => redis.hexists(internalKeys.apiKeyIndex, id)));
      return present.map((count) => count === 1);
    },
  };
}
