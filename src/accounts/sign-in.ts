import { unauthenticated } from '../errors/app-error.js';
import { assertSignInPassword, assertValidPassword, assertValidUsername } from './credentials.js';
import type { AccountsServices } from './services.js';
import type { UserRecord } from './users.js';

/** What signing up and in use. */
export type SignInDeps = Pick<AccountsServices, 'users' | 'signInLimiter'>;

/**
 * `signUp`: checks the name and password (before Redis is touched: the username becomes part of
 * keys), takes one of the address's sign-ups, then creates the user.
 * @param address the client address (per-address limits count its /64 for IPv6).
 * @throws AppError BAD_USER_INPUT for a name or password that is not allowed, RATE_LIMITED when
 *   the address used up its sign-ups, CONFLICT when the name is taken.
 */
export async function signUp(deps: SignInDeps, address: string, username: string, password: string): Promise<UserRecord> {
  assertValidUsername(username);
  assertValidPassword(password);
  await deps.signInLimiter.consumeSignUp(address);
  return deps.users.create(username, password);
}

/**
 * `signIn`: the user when the password matches; never creates one. The attempt is counted before
 * the password is checked, so that concurrent guesses cannot all pass a check made before any of
 * them was counted; a success gives it back, and so does a check that could not be made.
 * @throws AppError UNAUTHENTICATED on a wrong username or password, BAD_USER_INPUT on a username
 *   no account can have, RATE_LIMITED after too many failures from the address or for the name.
 */
export async function signIn(deps: SignInDeps, address: string, username: string, password: string): Promise<UserRecord> {
  const { users, signInLimiter } = deps;
  // Checked before anything touches Redis: the username becomes part of keys.
  assertValidUsername(username);
  assertSignInPassword(password);
  await signInLimiter.consumeSignIn(address, username);
  let user;
  try {
    user = await users.verify(username, password);
  } catch (error) {
    // Not checked (the server was too busy hashing, or Redis failed): not a failure either.
    await signInLimiter.refundSignIn(address, username).catch(() => undefined);
    throw error;
  }
  if (!user) throw unauthenticated('Wrong username or password.');
  await signInLimiter.refundSignIn(address, username);
  return user;
}
