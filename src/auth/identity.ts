/** How a caller proved who it is. */
export type IdentityKind = 'account' | 'jwt' | 'apiKey';

/**
 * Who is calling, however it signed in: a Switchboard session, a JWT of the app's identity
 * provider, or an API key. Every transport resolves tokens to one of these the same way
 * (see `createIdentityResolver`); it is `context.session` in resolvers.
 */
export interface Identity {
  /**
   * What the session watcher knows it by, unique per credential: the SHA-256 of a session token,
   * `jwt:<SHA-256 of the token>`, or `apikey:<key id>`.
   */
  id: string;
  /**
   * The chat user id (digits) of an account or a JWT user; `apikey:<key id>` for an API key,
   * which is no chat user. `{userId}` in policy rules stands for it.
   */
  userId: string;
  /** Epoch milliseconds after which the credential no longer works; Infinity for API keys. */
  expiresAt: number;
  kind: IdentityKind;
  /** Roles the policy grants by: `user` for accounts; from the JWT's roles claim; an API key's own. */
  roles: readonly string[];
  /** Display name: a JWT user's name claim, an API key's name. Absent for accounts (see `User.username`). */
  name?: string;
}

/** Whether an identity is a chat user (can be online, join rooms, send messages). */
export const isChatUser = (identity: Identity) => identity.kind !== 'apiKey';

/** Prefix of {@link Identity.id} for JWTs. */
export const JWT_IDENTITY_PREFIX = 'jwt:';
/** Prefix of {@link Identity.id} and {@link Identity.userId} for API keys. */
export const API_KEY_IDENTITY_PREFIX = 'apikey:';
