import { badInput } from '../errors/app-error.js';
import { assertPublicKeyName } from '../redis/key-names.js';
import { parseEntryId } from './ids.js';

/** Longest consumer group or consumer name. */
export const GROUP_NAME_MAX_LENGTH = 256;
/** Printable characters only: no spaces or control characters. */
const NAME_CHARACTERS = /^[^\s\p{Cc}]+$/u;

/**
 * Checks a stream name: 1 to 256 printable characters, never one of the chat's keys or ours.
 * The stream's Redis key is the name itself, so plain clients use the same name.
 * @throws AppError BAD_USER_INPUT.
 */
export function assertStreamName(name: string, field = 'stream'): void {
  assertPublicKeyName(name, 'Stream', field);
}

function assertShortName(name: string, what: string, field: string): void {
  if (name.length === 0 || name.length > GROUP_NAME_MAX_LENGTH || !NAME_CHARACTERS.test(name)) {
    throw badInput(
      `${what} name must be 1 to ${GROUP_NAME_MAX_LENGTH} characters with no spaces or control characters; got ${JSON.stringify(name.slice(0, 60))}.`,
      field,
    );
  }
}

/** @throws AppError BAD_USER_INPUT for a malformed consumer group name. */
export function assertGroupName(name: string, field = 'group'): void {
  assertShortName(name, 'Consumer group', field);
}

/** @throws AppError BAD_USER_INPUT for a malformed consumer name. */
export function assertConsumerName(name: string, field = 'consumer'): void {
  assertShortName(name, 'Consumer', field);
}

/** Where a new group starts when `createConsumerGroup` gets no `startId`: the whole stream, as in the seed. */
export const DEFAULT_GROUP_START_ID = '0';

/**
 * Checks where a new consumer group starts: `$` (entries added from now on), `0` (the whole
 * stream) or an entry id (the entries after it).
 * @throws AppError BAD_USER_INPUT for anything else.
 */
export function parseGroupStartId(startId: string, field = 'startId'): string {
  if (startId === '$' || startId === '0') return startId;
  try {
    return parseEntryId(startId, field);
  } catch {
    throw badInput(
      `"${field}" must be "$" (only new entries), "0" (the whole stream) or an entry id such as "1712345678901-0"; got ${JSON.stringify(startId.slice(0, 60))}.`,
      field,
    );
  }
}
