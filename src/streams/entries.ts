import { badInput } from '../errors/app-error.js';

/**
 * How event data maps to stream entry fields, both ways, so that plain Redis clients and GraphQL
 * clients see the same entries:
 * - a flat object of strings (`{"sensor": "temp", "value": "21"}`) is stored as the entry's fields,
 *   verbatim, and read back as the same object (the one exception: a lone `json` field whose text
 *   is JSON, which would read back parsed, is stored as JSON text like any other value);
 * - any other JSON value (numbers, nesting, arrays, ...) is stored as JSON text in the single field
 *   {@link JSON_FIELD} and read back parsed;
 * - an entry another client wrote is read back as an object of strings, unless it is exactly one
 *   {@link JSON_FIELD} field holding valid JSON (other than `null`).
 */

/** The one field that holds an event stored as JSON text. */
export const JSON_FIELD = 'json';
/** Most fields of one event written as a flat object. */
export const MAX_FIELDS = 1000;
/** Longest field name of an event written as a flat object. */
export const FIELD_NAME_MAX_LENGTH = 256;

/** One stream entry as clients see it (`StreamEvent`). */
export interface StreamEvent {
  /** The Redis entry id. */
  id: string;
  stream: string;
  data: unknown;
}

/** A raw entry as Redis returns it; `fields` is null for an entry deleted while pending in a group. */
export interface RawEntry {
  id: string;
  fields: string[] | null;
}

function isFlatStringObject(data: unknown): data is Record<string, string> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return false;
  const values = Object.values(data);
  return values.length > 0 && values.every((value) => typeof value === 'string');
}

/**
 * The XADD field/value list of an event.
 * @throws AppError BAD_USER_INPUT when the event is larger than `maxBytes`, has too many fields or
 *   a field name that is empty or too long.
 */
export function encodeEventData(data: unknown, maxBytes: number): string[] {
  let fields: string[];
  const entries = isFlatStringObject(data) ? Object.entries(data) : null;
  // `{"json": "[1,2]"}` stored verbatim would read back as [1, 2]: store such an object as JSON text.
  const misread = entries?.length === 1 && entries[0]?.[0] === JSON_FIELD && parseStoredJson(entries[0][1]) !== undefined;
  if (entries && !misread) {
    if (entries.length > MAX_FIELDS) {
      throw badInput(`An event may have at most ${MAX_FIELDS} fields; this one has ${entries.length}.`, 'data');
    }
    for (const [name] of entries) {
      if (name.length === 0 || name.length > FIELD_NAME_MAX_LENGTH) {
        throw badInput(
          `Field names must be 1 to ${FIELD_NAME_MAX_LENGTH} characters; got ${JSON.stringify(name.slice(0, 60))} (${name.length} characters).`,
          'data',
        );
      }
    }
    fields = entries.flat();
  } else {
    fields = [JSON_FIELD, JSON.stringify(data)];
  }
  const bytes = fields.reduce((total, text) => total + Buffer.byteLength(text, 'utf8'), 0);
  if (bytes > maxBytes) {
    throw badInput(`The event is ${bytes} bytes (field names and values); the limit is ${maxBytes}.`, 'data');
  }
  return fields;
}

/** The value of a {@link JSON_FIELD} field, or undefined when it is not JSON (or is `null`). */
function parseStoredJson(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    // `data` is non-null in the contract: a stored JSON null stays the text "null".
    return value === null ? undefined : value;
  } catch {
    // Not JSON: an ordinary field that happens to be called `json`.
    return undefined;
  }
}

/** The data of an entry's fields, as {@link encodeEventData} wrote it or as any client did. */
export function decodeEventFields(fields: readonly string[]): unknown {
  if (fields.length === 2 && fields[0] === JSON_FIELD) {
    const value = parseStoredJson(fields[1] as string);
    if (value !== undefined) return value;
  }
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < fields.length; i += 2) pairs.push([fields[i] as string, fields[i + 1] as string]);
  // fromEntries defines own properties, so a field called `__proto__` is data, not a prototype.
  // A repeated field name (possible with plain XADD) keeps its last value, as redis-py does.
  return Object.fromEntries(pairs);
}

/** About how many bytes an entry holds, for the per-subscriber queue limit. */
export function entryBytes(entry: RawEntry): number {
  return entry.id.length + (entry.fields ?? []).reduce((total, text) => total + text.length, 0);
}

export const toStreamEvent = (stream: string, entry: RawEntry & { fields: string[] }): StreamEvent => ({
  id: entry.id,
  stream,
  data: decodeEventFields(entry.fields),
});

/**
 * Reads an XRANGE / XREVRANGE / XCLAIM entry list. Redis is the integration bus, so the shape
 * is checked rather than trusted.
 * @throws Error when the reply is not a list of entries (a bug or a protocol mismatch).
 */
export function parseEntryList(reply: unknown): RawEntry[] {
  if (!Array.isArray(reply)) throw new Error(`expected a list of stream entries, got ${typeof reply}`);
  return reply.map((item: unknown) => {
    if (!Array.isArray(item) || typeof item[0] !== 'string') throw new Error('malformed stream entry in a Redis reply');
    const fields: unknown = item[1];
    if (fields === null) return { id: item[0], fields: null };
    if (!Array.isArray(fields) || !fields.every((field): field is string => typeof field === 'string')) {
      throw new Error('malformed stream entry fields in a Redis reply');
    }
    return { id: item[0], fields };
  });
}

/**
 * Reads an XREAD / XREADGROUP reply for one stream: null (timeout) or `[[stream, entries]]`.
 * In RESP2 the reply is a list of `[name, entries]` pairs.
 */
export function parseReadReply(reply: unknown): RawEntry[] {
  if (reply === null) return [];
  if (!Array.isArray(reply)) throw new Error('malformed XREAD reply');
  return reply.flatMap((item: unknown) => {
    if (!Array.isArray(item)) throw new Error('malformed XREAD reply');
    return parseEntryList(item[1]);
  });
}
