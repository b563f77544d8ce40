import { badInput } from '../errors/app-error.js';
import { RESERVED_KEYS_DESCRIPTION, isReservedKey } from './keys.js';

export const KEY_NAME_MAX_LENGTH = 256;
/** Printable characters only: no spaces or control characters. */
const KEY_CHARACTERS = /^[^\s\p{Cc}]+$/u;

/**
 * Checks a user-chosen Redis key name (a stream, a queue): 1 to 256 printable characters, and
 * never one of the chat's keys or ours.
 * @throws AppError BAD_USER_INPUT saying what is allowed.
 */
export function assertPublicKeyName(name: string, what: string, field: string): void {
  if (name.length === 0 || name.length > KEY_NAME_MAX_LENGTH || !KEY_CHARACTERS.test(name)) {
    throw badInput(
      `${what} name must be 1 to ${KEY_NAME_MAX_LENGTH} characters with no spaces or control characters; got ${JSON.stringify(name.slice(0, 60))}.`,
      field,
    );
  }
  if (isReservedKey(name)) {
    throw badInput(`${what} name "${name}" is reserved: ${RESERVED_KEYS_DESCRIPTION} belong to the chat and to Switchboard itself.`, field);
  }
}
