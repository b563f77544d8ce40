import { randomUUID } from 'node:crypto';
import { badInput } from '../errors/app-error.js';

/**
 * Wire format of the items in a queue list.
 *
 * `enqueue` pushes an envelope, so that a job keeps its id and attempt count however many times
 * it is taken and returned:
 *
 *     {"switchboard":"job/1","id":"<id>","attempts":<n>,"payload":<payload JSON>}
 *
 * Anything else in the list (what `LPUSH queue hello` from another client leaves) is a plain
 * item: its payload is the text, parsed when it is JSON. It gets an id when it is first taken and
 * is an envelope from then on (in processing, when returned to the queue, when dead-lettered).
 *
 * An item is an envelope only when its text is exactly this shape, key order included, so that
 * a JSON object a producer happens to push with similar keys stays a plain payload. The Lua
 * scripts rely on the same fixed prefix to raise `attempts` without re-encoding the payload
 * (Redis's cjson would turn `[]` into `{}` and round big numbers).
 */

/** Where a job is in its life, as its record says. */
export type JobState = 'waiting' | 'delayed' | 'active' | 'failed' | 'completed' | 'dead';

/** A job as clients see it. */
export interface Job {
  id: string;
  queue: string;
  payload: unknown;
  /** Earlier deliveries of this job that were not acknowledged in time (0 on its first delivery). */
  attempts: number;
  /** What its record says; absent when the job was read from a list without its record. */
  state?: JobState;
  /** Its priority level (`normal` when absent). */
  priority?: string;
  /** When it is due to run (ms since the epoch, Redis clock): delayed jobs and retries waiting for their backoff. */
  runAt?: number | null;
  /** The last progress reported, as JSON text. */
  progressText?: string | null;
  /** The result given to `ackJob`, as JSON text. */
  resultText?: string | null;
  /** Why the last attempt failed (`failJob`'s reason, or "visibility timeout"). */
  failedReason?: string | null;
  /** Its idempotency key. */
  key?: string | null;
  /** When it was enqueued (ms since the epoch, Redis clock); null for a plain item. */
  createdAt?: number | null;
  /** When its latest attempt began. */
  startedAt?: number | null;
  /** When it completed or died. */
  finishedAt?: number | null;
  /** The record's version: it goes up by one with every change. */
  version?: number;
}

/**
 * A payload text read back from Redis: JSON, or (for an item the scripts could not read as JSON)
 * the text itself as a string.
 */
export function parsePayloadText(text: string): unknown {
  try {
    const value = JSON.parse(text) as unknown;
    return value === null ? 'null' : value;
  } catch {
    return text;
  }
}

/** A list item, read back. */
export type DecodedItem =
  | { kind: 'envelope'; id: string; attempts: number; payload: unknown; payloadText: string }
  | { kind: 'plain'; payload: unknown; payloadText: string };

export const ENVELOPE_TAG = 'job/1';
/** Ids we accept in an envelope: what randomUUID makes, and what the Lua patterns match. */
const JOB_ID = /^[A-Za-z0-9_-]{1,64}$/;
const ENVELOPE = /^\{"switchboard":"job\/1","id":"([A-Za-z0-9_-]{1,64})","attempts":(0|[1-9][0-9]{0,8}),"payload":([\s\S]*)\}$/;

/** A fresh job id. */
export const newJobId = (): string => randomUUID();

export const isJobId = (id: string): boolean => JOB_ID.test(id);

/** The envelope text of a job whose payload is already JSON text (kept byte for byte). */
export function encodeEnvelope(id: string, attempts: number, payloadText: string): string {
  return `{"switchboard":"${ENVELOPE_TAG}","id":"${id}","attempts":${attempts},"payload":${payloadText}}`;
}

/**
 * Serialises a payload for `enqueue`.
 * @throws AppError BAD_USER_INPUT when it is larger than `maxBytes` as JSON text.
 */
export function encodePayload(payload: unknown, maxBytes: number): string {
  const text = JSON.stringify(payload);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) throw badInput(`Job payload is ${bytes} bytes as JSON; the limit is ${maxBytes}.`, 'payload');
  return text;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * Reads an item that anyone may have pushed. Never throws: what is not an envelope is a plain
 * payload. JSON `null` is kept as the string "null" (`payload` is non-null in the contract); the
 * JSON text of a plain item is kept as it came, so that a redelivered job carries the same bytes.
 */
export function decodeItem(text: string): DecodedItem {
  const match = ENVELOPE.exec(text);
  if (match) {
    const [, id = '', attempts = '0', payloadText = ''] = match;
    const whole = parseJson(text);
    const payload = parseJson(payloadText);
    if (whole.ok && payload.ok && payload.value !== null && isExactEnvelope(whole.value, id)) {
      return { kind: 'envelope', id, attempts: Number(attempts), payload: payload.value, payloadText };
    }
  }
  const parsed = parseJson(text);
  if (parsed.ok && parsed.value !== null) return { kind: 'plain', payload: parsed.value, payloadText: text };
  return { kind: 'plain', payload: text, payloadText: JSON.stringify(text) };
}

/** The parsed text has our four keys and nothing else (a duplicate key would hide in the payload). */
function isExactEnvelope(value: unknown, id: string): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return Object.keys(record).length === 4 && record.switchboard === ENVELOPE_TAG && record.id === id;
}
