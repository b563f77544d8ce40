import type { SessionStore } from './sessions.js';
import type { SignInLimiter } from './sign-in-limiter.js';
import type { UserStore } from './users.js';

/** What the accounts' resolvers use of the process: their part of `Services`, wired by app.ts. */
export interface AccountsServices {
  users: UserStore;
  sessions: SessionStore;
  signInLimiter: SignInLimiter;
}

/** The accounts' services of a request: resolvers reach nothing else. */
export const accountsOf = (context: { services: AccountsServices }): AccountsServices => context.services;
