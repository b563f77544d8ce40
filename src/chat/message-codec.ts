import { createHash, randomBytes } from 'node:crypto';
import { isUserId } from '../accounts/users.js';
import { badInput } from '../errors/app-error.js';

/** A chat message as the API sees it. `score` is its sorted-set score: the date in seconds. */
export interface ChatMessage {
  id: string;
  roomId: string;
  fromId: string;
  text: string;
  /** Seconds since the epoch, fractional. */
  score: number;
}

/**
 * Message ids sort like the messages: `<date in microseconds, 16 digits>-<12 hex>`. The id is
 * also the message's cursor, so a live message can be resumed from without asking for an edge.
 */
const MESSAGE_ID = /^([0-9]{16})-([0-9a-f]{12})$/;

const micros = (seconds: number) => Math.round(seconds * 1e6);
const idFor = (score: number, suffix: string) => `${String(micros(score)).padStart(16, '0')}-${suffix}`;

let lastMicros = 0;
/**
 * The score for a message sent now: the date in seconds with microseconds, strictly increasing
 * within this process, so two messages sent in the same millisecond keep their order.
 */
export function nextScore(nowMs = Date.now()): number {
  lastMicros = Math.max(nowMs * 1000, lastMicros + 1);
  return lastMicros / 1e6;
}

/** A fresh id for a message with this score. */
export const newMessageId = (score: number) => idFor(score, randomBytes(6).toString('hex'));

/**
 * The cursor before every message: `messageAdded(after: "0")` replays a room from its first
 * message, as `events(after: "0")` does a stream. A client that holds no message yet resumes from
 * it without forging an id of its own.
 */
export const BEFORE_FIRST_CURSOR = '0';

/** The score a message id encodes, or null for anything that is not one (never throws). */
export function messageScore(id: string): number | null {
  const match = MESSAGE_ID.exec(id);
  return match ? Number(match[1]) / 1e6 : null;
}

/**
 * The score a message id (= cursor) encodes; 0 for {@link BEFORE_FIRST_CURSOR}.
 * @throws AppError BAD_USER_INPUT when malformed.
 */
export function scoreOfCursor(cursor: string, field = 'after'): number {
  if (cursor === BEFORE_FIRST_CURSOR) return 0;
  const score = messageScore(cursor);
  if (score === null) {
    throw badInput(
      `${JSON.stringify(cursor.slice(0, 60))} is not a message cursor: expected a message id such as "1700000000000000-0123456789ab", or "0" for before the first message.`,
      field,
    );
  }
  return score;
}

/**
 * The stored form: the seed demo's JSON fields (`from`, `date`, `message`, `roomId`) plus `id`.
 * `from` is written as a number, as the demo writes it; `date` is fractional seconds.
 */
export function encodeMessage(message: ChatMessage): string {
  return JSON.stringify({
    id: message.id,
    from: Number(message.fromId),
    date: message.score,
    message: message.text,
    roomId: message.roomId,
  });
}

function field(record: Record<string, unknown>, name: string): unknown {
  if (name in record) return record[name];
  const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : record[key];
}

/**
 * Reads a sorted-set member written by us, by the seed demo (no `id`; `from` an int or a string;
 * `date` an int or a float; keys capitalised in some of its docs), or by anyone else. Returns null
 * for a member that is not a message (it is skipped, never fatal). Messages without an id get a
 * stable one derived from their content.
 */
export function decodeMessage(member: string, score: number, roomIdOfKey: string): ChatMessage | null {
  let record: unknown;
  try {
    record = JSON.parse(member);
  } catch {
    return null;
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return null;
  const data = record as Record<string, unknown>;
  const from = field(data, 'from');
  const text = field(data, 'message');
  if ((typeof from !== 'number' && typeof from !== 'string') || !isUserId(String(from))) return null;
  if (typeof text !== 'string') return null;
  const id = field(data, 'id');
  return {
    id: typeof id === 'string' && MESSAGE_ID.test(id) ? id : idFor(score, createHash('sha1').update(member).digest('hex').slice(0, 12)),
    roomId: roomIdOfKey,
    fromId: String(from),
    text,
    score,
  };
}

/** The date a message was sent. */
export const messageDate = (message: ChatMessage) => new Date(Math.round(message.score * 1000));
