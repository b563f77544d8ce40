import type { UserStore } from '../accounts/users.js';
import type { Config } from '../config.js';
import type { ApiKeyStore } from './api-keys.js';
import type { JwtUserDirectory } from './jwt-users.js';

/** What the identity resolvers use of the process: their part of `Services`, wired by app.ts. */
export interface AuthServices {
  /** API keys for backend services. */
  apiKeys: ApiKeyStore;
  /** Chat users of JWT subjects (issuer + `sub`). */
  jwtUsers: JwtUserDirectory;
  users: Pick<UserStore, 'findById'>;
  config: Pick<Config, 'authJwtIssuer'>;
}

/** The identity services of a request: resolvers reach nothing else. */
export const authOf = (context: { services: AuthServices }): AuthServices => context.services;
