import { badInput } from '../errors/app-error.js';
import { GlobSyntaxError, parseGlob, wildcardCount } from '../redis/glob.js';
import {
  RESERVED_CHANNELS_DESCRIPTION,
  isReservedChannel,
  patternMayMatchReservedChannel,
} from '../redis/keys.js';

export const CHANNEL_NAME_MAX_LENGTH = 256;
/** Matching cost grows with the number of wildcards; this keeps it small (MAX_PATTERN_WILDCARDS's default). */
export const PATTERN_MAX_WILDCARDS = 16;
/** Printable characters only: no spaces or control characters. */
const CHANNEL_CHARACTERS = /^[^\s\p{Cc}]+$/u;

function assertShape(value: string, what: 'Channel name' | 'Pattern', field: string): void {
  if (value.length === 0 || value.length > CHANNEL_NAME_MAX_LENGTH || !CHANNEL_CHARACTERS.test(value)) {
    throw badInput(
      `${what} must be 1 to ${CHANNEL_NAME_MAX_LENGTH} characters with no spaces or control characters; got ${JSON.stringify(value.slice(0, 60))}.`,
      field,
    );
  }
}

/** @throws AppError BAD_USER_INPUT for a malformed or reserved channel name. */
export function assertPublicChannel(name: string, field = 'channel'): void {
  assertShape(name, 'Channel name', field);
  if (isReservedChannel(name)) {
    throw badInput(`Channel "${name}" is reserved: ${RESERVED_CHANNELS_DESCRIPTION} belong to Switchboard itself.`, field);
  }
}

/**
 * @param maxWildcards the most `*`, `?` and classes allowed (MAX_PATTERN_WILDCARDS). Default {@link PATTERN_MAX_WILDCARDS}.
 * @throws AppError BAD_USER_INPUT for a malformed pattern, one with too many wildcards, or one
 *   that could match a reserved channel (a bare `*` does).
 */
export function assertPublicPattern(pattern: string, field = 'pattern', maxWildcards = PATTERN_MAX_WILDCARDS): void {
  assertShape(pattern, 'Pattern', field);
  let tokens;
  try {
    tokens = parseGlob(pattern);
  } catch (error) {
    if (error instanceof GlobSyntaxError) throw badInput(`Pattern ${JSON.stringify(pattern)} is malformed: ${error.message}.`, field);
    throw error;
  }
  if (wildcardCount(tokens) > maxWildcards) {
    throw badInput(`Pattern may use at most ${maxWildcards} wildcards.`, field);
  }
  if (patternMayMatchReservedChannel(pattern)) {
    throw badInput(
      `Pattern ${JSON.stringify(pattern)} could match reserved channels (${RESERVED_CHANNELS_DESCRIPTION}); narrow it, for example "news.*" instead of "*".`,
      field,
    );
  }
}
