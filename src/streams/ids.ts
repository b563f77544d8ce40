import { badInput } from '../errors/app-error.js';

/**
 * Redis stream entry ids: `<milliseconds>-<sequence>`, two unsigned 64-bit numbers. They are the
 * cursors of `events`, the `after` of the `events` subscription and what `ackEvents` takes.
 */

/** The smallest id: "before every entry". */
export const MIN_ENTRY_ID = '0-0';
/** The largest id Redis can hold; nothing comes after it. */
export const MAX_ENTRY_ID = '18446744073709551615-18446744073709551615';

const UINT64_MAX = 18446744073709551615n;
const ID_SHAPE = /^(\d{1,20})(?:-(\d{1,20}))?$/;

/** An id split into its two numbers, for comparison. */
type IdParts = readonly [bigint, bigint];

function parts(id: string): IdParts | null {
  const match = ID_SHAPE.exec(id);
  if (!match) return null;
  const ms = BigInt(match[1] as string);
  const seq = BigInt(match[2] ?? '0');
  if (ms > UINT64_MAX || seq > UINT64_MAX) return null;
  return [ms, seq];
}

/** Whether `id` is a complete, valid entry id (`1712345678901-0`). */
export function isEntryId(id: string): boolean {
  return id.includes('-') && parts(id) !== null;
}

/**
 * Checks an entry id from a client and returns it in full form. `1712345678901` (no sequence)
 * means `1712345678901-0`, as in Redis.
 * @throws AppError BAD_USER_INPUT naming `field` for anything else.
 */
export function parseEntryId(id: string, field: string): string {
  const parsed = parts(id);
  if (!parsed) {
    throw badInput(
      `"${field}" must be a stream entry id such as "1712345678901-0" (two numbers joined by "-"); got ${JSON.stringify(id.slice(0, 60))}.`,
      field,
    );
  }
  return `${parsed[0]}-${parsed[1]}`;
}

/**
 * Orders two valid entry ids as Redis does: negative when `a` comes first, 0 when equal.
 * Ids read back from Redis are always valid; a malformed one sorts first so it is never delivered
 * twice by the "newer than the last delivered" checks.
 */
export function compareEntryIds(a: string, b: string): number {
  const left = parts(a) ?? [-1n, -1n];
  const right = parts(b) ?? [-1n, -1n];
  if (left[0] !== right[0]) return left[0] < right[0] ? -1 : 1;
  if (left[1] !== right[1]) return left[1] < right[1] ? -1 : 1;
  return 0;
}

/** The later of two ids. */
export const laterEntryId = (a: string, b: string): string => (compareEntryIds(a, b) >= 0 ? a : b);
