import { createHash } from 'node:crypto';
import type { SessionStore } from '../accounts/sessions.js';
import { API_KEY_PREFIX, type ApiKeyStore } from './api-keys.js';
import { API_KEY_IDENTITY_PREFIX, type Identity, JWT_IDENTITY_PREFIX } from './identity.js';
import type { JwtUserDirectory } from './jwt-users.js';
import { type JwtVerifier, looksLikeJwt } from './jwt.js';

/** Options of {@link createIdentityResolver}. */
export interface IdentityResolverOptions {
  sessions: SessionStore;
  apiKeys: ApiKeyStore;
  /** null when no JWTs are accepted (neither AUTH_JWT_SECRET nor AUTH_JWKS_URL set). */
  jwt: JwtVerifier | null;
  jwtUsers: JwtUserDirectory;
}

/**
 * Turns any token a client sends (a session token, a JWT, an API key: as
 * `Authorization: Bearer <token>`, the session cookie or `authToken` in `connection_init`) into
 * the caller's identity, the same way on every transport.
 */
export interface IdentityResolver {
  /**
   * The identity of a token, or null when it is not valid: malformed, unknown, expired, revoked,
   * or a JWT that fails verification.
   * @throws when Redis or the identity provider's key set cannot be reached (retryable).
   */
  resolve(token: string): Promise<Identity | null>;
  /** Which of these identity ids are still valid (the session watcher's periodic check). */
  stillLive(identityIds: string[]): Promise<boolean[]>;
}

/** Builds the resolver: API keys by their `sbk_` prefix, JWTs by their shape, anything else as a session token. */
export function createIdentityResolver(options: IdentityResolverOptions): IdentityResolver {
  const { sessions, apiKeys, jwt, jwtUsers } = options;
  return {
    async resolve(token) {
      if (token.startsWith(API_KEY_PREFIX)) return apiKeys.resolve(token);
      if (looksLikeJwt(token)) {
        if (!jwt) return null;
        const verified = await jwt.verify(token);
        if (!verified) return null;
        const userId = await jwtUsers.userIdOf(verified.issuer, verified.subject, verified.name);
        const granted = await jwtUsers.grantedRoles(userId);
        const roles = granted.length === 0 ? verified.roles : [...new Set([...verified.roles, ...granted.sort()])];
        return {
          id: `${JWT_IDENTITY_PREFIX}${createHash('sha256').update(token).digest('hex')}`,
          userId,
          expiresAt: verified.expiresAt,
          kind: 'jwt',
          roles,
          name: verified.name,
        };
      }
      return sessions.resolve(token);
    },

    async stillLive(identityIds) {
      const result = new Array<boolean>(identityIds.length).fill(true);
      const sessionIndexes: number[] = [];
      const keyIndexes: number[] = [];
      identityIds.forEach((id, i) => {
        // A JWT cannot be revoked here: it ends at its `exp`, which the watcher's timer handles.
        if (id.startsWith(JWT_IDENTITY_PREFIX)) return;
        (id.startsWith(API_KEY_IDENTITY_PREFIX) ? keyIndexes : sessionIndexes).push(i);
      });
      const [sessionLive, keyLive] = await Promise.all([
        sessionIndexes.length ? sessions.stillLive(sessionIndexes.map((i) => identityIds[i]!)) : Promise.resolve([]),
        keyIndexes.length ? apiKeys.stillLive(keyIndexes.map((i) => identityIds[i]!)) : Promise.resolve([]),
      ]);
      sessionIndexes.forEach((index, i) => (result[index] = sessionLive[i]!));
      keyIndexes.forEach((index, i) => (result[index] = keyLive[i]!));
      return result;
    },
  };
}
