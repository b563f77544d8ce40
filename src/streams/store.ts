import type { Redis } from 'ioredis';
import type { PageRequest } from '../paging/page-request.js';
import { streamKeys } from '../redis/keys.js';
import { type RawEntry, type StreamEvent, encodeEventData, parseEntryList, toStreamEvent } from './entries.js';
import { MAX_ENTRY_ID, MIN_ENTRY_ID, compareEntryIds } from './ids.js';
import { replyErrorCode, rethrowStreamError, unknownGroup } from './redis-errors.js';

/** Most entries `pendingEvents` lists (oldest first); XPENDING's extended form needs a count. */
export const PENDING_LIST_LIMIT = 1000;

/** One entry delivered to a consumer of a group and not acknowledged yet (`PendingEvent`). */
export interface PendingEntry {
  id: string;
  consumer: string;
  idleMs: number;
  deliveries: number;
}

/** A page of `events`, oldest first. */
export interface EventPage {
  events: StreamEvent[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/**
 * The non-blocking stream commands (XADD, XRANGE, XREVRANGE, XGROUP, XACK, XPENDING) on the command
 * connection. Every command names one stream key only, so all of this works on Redis Cluster.
 * Names and ids are validated by the caller (the schema); Redis errors a client can cause come out
 * as AppErrors (unknown group: NOT_FOUND; a key of another type: BAD_USER_INPUT).
 */
export interface StreamStore {
  /** XADD; with `maxLength`, trims to about that many entries (`MAXLEN ~`). */
  add(stream: string, data: unknown, maxLength: number | null): Promise<StreamEvent>;
  /** A page of a Relay connection over XRANGE / XREVRANGE; `after`/`before` are entry ids (exclusive). */
  page(stream: string, request: PageRequest): Promise<EventPage>;
  /** Up to `count` entries after `after` (exclusive) and up to `upTo` (inclusive), oldest first. */
  range(stream: string, after: string, upTo: string, count: number): Promise<StreamEvent[]>;
  /** The id of the newest entry, or null when the stream is empty or missing. */
  lastEntryId(stream: string): Promise<string | null>;
  /** XGROUP CREATE ... MKSTREAM. Resolves true when made, false when the group already existed. */
  createGroup(stream: string, group: string, startId: string): Promise<boolean>;
  /** XACK; resolves with how many of `ids` were pending. @throws NOT_FOUND for an unknown group. */
  ack(stream: string, group: string, ids: string[]): Promise<number>;
  /** XPENDING (extended form), oldest first, at most {@link PENDING_LIST_LIMIT}. */
  pending(stream: string, group: string): Promise<PendingEntry[]>;
}

/** Options of {@link createStreamStore}. */
export interface StreamStoreOptions {
  /** Largest event `add` accepts, as field names plus values (or JSON text), in bytes. */
  maxEventBytes: number;
}

const present = (stream: string) => (entry: RawEntry): StreamEvent | null =>
  entry.fields === null ? null : toStreamEvent(stream, { id: entry.id, fields: entry.fields });

function events(stream: string, reply: unknown): StreamEvent[] {
  return parseEntryList(reply)
    .map(present(stream))
    .filter((event): event is StreamEvent => event !== null);
}

export function createStreamStore(redis: Redis, options: StreamStoreOptions): StreamStore {
  const xrange = async (stream: string, start: string, end: string, count: number) => {
    try {
      return events(stream, await redis.call('XRANGE', streamKeys.stream(stream), start, end, 'COUNT', count));
    } catch (error) {
      return rethrowStreamError(error, stream);
    }
  };
  const xrevrange = async (stream: string, end: string, start: string, count: number) => {
    try {
      return events(stream, await redis.call('XREVRANGE', streamKeys.stream(stream), end, start, 'COUNT', count));
    } catch (error) {
      return rethrowStreamError(error, stream);
    }
  };

  async function groupExists(stream: string, group: string): Promise<boolean> {
    let reply: unknown;
    try {
      reply = await redis.call('XINFO', 'GROUPS', streamKeys.stream(stream));
    } catch (error) {
      // "ERR no such key": no stream, so no group either.
      if (replyErrorCode(error) === 'ERR') return false;
      return rethrowStreamError(error, stream);
    }
    if (!Array.isArray(reply)) return false;
    return reply.some((info: unknown) => Array.isArray(info) && info[0] === 'name' && info[1] === group);
  }

  return {
    async add(stream, data, maxLength) {
      const fields = encodeEventData(data, options.maxEventBytes);
      const trim = maxLength === null ? [] : ['MAXLEN', '~', maxLength];
      let id: unknown;
      try {
        id = await redis.call('XADD', streamKeys.stream(stream), ...trim, '*', ...fields);
      } catch (error) {
        return rethrowStreamError(error, stream);
      }
      if (typeof id !== 'string') throw new Error('XADD returned no id');
      return { id, stream, data };
    },

    async page(stream, request) {
      const { after, before, count } = request;
      // `(` ranges are exclusive; nothing lies after the largest id or before the smallest.
      const empty =
        after === MAX_ENTRY_ID || before === MIN_ENTRY_ID || (after !== null && before !== null && compareEntryIds(after, before) >= 0);
      const start = after === null ? '-' : `(${after}`;
      const end = before === null ? '+' : `(${before}`;
      if (request.direction === 'forward') {
        const [rows, previous] = await Promise.all([
          empty ? [] : xrange(stream, start, end, count + 1),
          after === null ? [] : xrevrange(stream, after, '-', 1),
        ]);
        return { events: rows.slice(0, count), hasNextPage: rows.length > count, hasPreviousPage: previous.length > 0 };
      }
      const [rows, next] = await Promise.all([
        empty ? [] : xrevrange(stream, end, start, count + 1),
        before === null ? [] : xrange(stream, before, '+', 1),
      ]);
      return { events: rows.slice(0, count).reverse(), hasNextPage: next.length > 0, hasPreviousPage: rows.length > count };
    },

    async range(stream, after, upTo, count) {
      if (after === MAX_ENTRY_ID || compareEntryIds(after, upTo) >= 0) return [];
      return xrange(stream, `(${after}`, upTo, count);
    },

    async lastEntryId(stream) {
      const [last] = await xrevrange(stream, '+', '-', 1);
      return last?.id ?? null;
    },

    async createGroup(stream, group, startId) {
      try {
        await redis.call('XGROUP', 'CREATE', streamKeys.stream(stream), group, startId, 'MKSTREAM');
        return true;
      } catch (error) {
        if (replyErrorCode(error) === 'BUSYGROUP') return false;
        return rethrowStreamError(error, stream, group);
      }
    },

    async ack(stream, group, ids) {
      let acknowledged: unknown;
      try {
        acknowledged = await redis.call('XACK', streamKeys.stream(stream), group, ...ids);
      } catch (error) {
        return rethrowStreamError(error, stream, group);
      }
      // XACK answers 0 for a group that does not exist; tell the client instead.
      if (acknowledged === 0 && !(await groupExists(stream, group))) throw unknownGroup(stream, group);
      return Number(acknowledged);
    },

    async pending(stream, group) {
      let reply: unknown;
      try {
        reply = await redis.call('XPENDING', streamKeys.stream(stream), group, '-', '+', PENDING_LIST_LIMIT);
      } catch (error) {
        return rethrowStreamError(error, stream, group);
      }
      if (!Array.isArray(reply)) throw new Error('malformed XPENDING reply');
      return reply.map((row: unknown) => {
        if (!Array.isArray(row) || row.length < 4) throw new Error('malformed XPENDING row');
        return { id: String(row[0]), consumer: String(row[1]), idleMs: Number(row[2]), deliveries: Number(row[3]) };
      });
    },
  };
}
