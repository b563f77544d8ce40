import { badInput } from '../errors/app-error.js';

/**
 * 2 to 32 characters: letters, digits, `_`, `.` or `-`, starting with a letter or digit (the seed
 * demo's Pablo, Joe, Mary and Alex included). Checked by `signUp` and `signIn` alike before Redis
 * is touched, since a username becomes part of Redis keys.
 */
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{1,31}$/;
export const PASSWORD_MIN_LENGTH = 8;
/** bcrypt reads at most 72 bytes; longer passwords would be silently cut, so they are refused. */
export const PASSWORD_MAX_BYTES = 72;

/**
 * Most bytes of a password `signIn` accepts. Longer than sign-up's limit on purpose: users written
 * by the seed demo may have longer passwords, which bcrypt reads to 72 bytes; this only bounds the input.
 */
export const SIGN_IN_PASSWORD_MAX_BYTES = 1024;

/**
 * Checks a username for sign-up and sign-in. @throws AppError BAD_USER_INPUT saying what is allowed
 * (quoting at most 40 characters of what came).
 */
export function assertValidUsername(username: string): void {
  if (!USERNAME_PATTERN.test(username)) {
    throw badInput(
      `Username must be 2 to 32 characters: letters, digits, "_", "." or "-", starting with a letter or digit; got ${JSON.stringify(username.slice(0, 40))}.`,
      'username',
    );
  }
}

/** Checks a password for sign-up. @throws AppError BAD_USER_INPUT saying what is required. */
export function assertValidPassword(password: string): void {
  // Counted in characters as a person sees them, not UTF-16 units (an emoji is one).
  if ([...password].length < PASSWORD_MIN_LENGTH) {
    throw badInput(`Password must be at least ${PASSWORD_MIN_LENGTH} characters long.`, 'password');
  }
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) {
    throw badInput(`Password must be at most ${PASSWORD_MAX_BYTES} bytes long (UTF-8).`, 'password');
  }
  if (password.trim().length === 0) {
    throw badInput('Password must not be only spaces.', 'password');
  }
}

/** Checks a password given to `signIn`: only its size. @throws AppError BAD_USER_INPUT. */
export function assertSignInPassword(password: string): void {
  if (Buffer.byteLength(password, 'utf8') > SIGN_IN_PASSWORD_MAX_BYTES) {
    throw badInput(`Password must be at most ${SIGN_IN_PASSWORD_MAX_BYTES} bytes long (UTF-8).`, 'password');
  }
}
