import { randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import type { PageRequest } from '../paging/page-request.js';
import { keyedCommand } from '../redis/keyed-command.js';
import { streamKeys } from '../redis/keys.js';
import { luaScript, runLua } from '../redis/lua.js';
import { type ReplicaAcks, callReplicated, runLuaReplicated } from '../redis/replica-acks.js';
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

/**
 * XADD that recognises itself run again: ioredis sends a command in flight again after a
 * reconnect (and the Cluster client one whose connection closed), so an add whose reply was lost
 * would store its entry twice. Each add carries a random token, kept with its entry id in a hash
 * of the time bucket it was sent in (the same key when the very command is sent again), which
 * expires. Redis 7.0 (what this runs on) has no idempotent XADD of its own.
 * KEYS[1] stream, KEYS[2] the bucket's tokens; ARGV token, ttl ms, then XADD's arguments after the key.
 * Returns the entry id (the first run's, when run again). Errors (WRONGTYPE) as Redis gave them.
 */
const ADD_ONCE_SCRIPT = luaScript('stream_add_once', `
local known = redis.call('HGET', KEYS[2], ARGV[1])
if known then return known end
local id = redis.pcall('XADD', KEYS[1], unpack(ARGV, 3))
if type(id) == 'table' and id.err then return id end
redis.call('HSET', KEYS[2], ARGV[1], id)
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return id`);

/**
 * Acknowledges those of some ids that are pending at one of some consumers, and tells who holds
 * the others: the PEL owner of each id is checked and the XACK done in one script, so an entry
 * that moves to another consumer meanwhile (the claim sweep's XCLAIM) is never acknowledged for the wrong one.
 * One key, so it runs on Redis Cluster.
 * KEYS[1] stream; ARGV group, n, n consumer names, then the ids.
 * Returns { acknowledged, { id, consumer, ... } of the pending ids held by other consumers }.
 * Errors (NOGROUP, WRONGTYPE) are returned as Redis gave them, with no script prefix.
 */
const ACK_HELD_SCRIPT = luaScript('stream_ack_held', `
local group = ARGV[1]
local n = tonumber(ARGV[2])
local allowed = {}
for i = 3, n + 2 do allowed[ARGV[i]] = true end
local mine, others = {}, {}
for i = n + 3, #ARGV do
  local rows = redis.pcall('XPENDING', KEYS[1], group, ARGV[i], ARGV[i], 1)
  if rows.err then return rows end
  local row = rows[1]
  if row then
    if allowed[row[2]] then
      mine[#mine + 1] = ARGV[i]
    else
      others[#others + 1] = ARGV[i]
      others[#others + 1] = row[2]
    end
  end
end
local acknowledged = 0
if #mine > 0 then acknowledged = redis.call('XACK', KEYS[1], group, unpack(mine)) end
return {acknowledged, others}
`);

/**
 * Of some consumer names of a group, those whose entries the caller may acknowledge (see
 * `ackableConsumers` in src/policy/consumers.ts).
 */
export type OwnConsumers = (consumers: readonly string[]) => Promise<readonly string[]>;

/** A page of `events`, oldest first. */
export interface EventPage {
  events: StreamEvent[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/**
 * The non-blocking stream commands (XADD, XRANGE, XREVRANGE, XGROUP, XACK, XPENDING, XINFO) on the
 * command connection. Every command names one stream key only, so all of this works on Redis
 * Cluster, each command sent to the master of its key's slot (XINFO and XGROUP through
 * {@link keyedCommand}: ioredis's key table does not know where their key is).
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
  /**
   * XACK of only those of `ids` pending at a consumer that `own` accepts; the others stay pending
   * for whoever holds them. Resolves with how many were acknowledged.
   * @throws NOT_FOUND for an unknown group or stream, BAD_USER_INPUT when the key is not a stream.
   */
  ackOwn(stream: string, group: string, ids: string[], own: OwnConsumers): Promise<number>;
  /** XPENDING (extended form), oldest first, at most {@link PENDING_LIST_LIMIT}. */
  pending(stream: string, group: string): Promise<PendingEntry[]>;
}

/** Options of {@link createStreamStore}. */
export interface StreamStoreOptions {
  /** Largest event `add` accepts, as field names plus values (or JSON text), in bytes. */
  maxEventBytes: number;
  /**
   * Replicas that must confirm each `add` before it resolves (WAIT), so that no acknowledged
   * entry is lost when its master fails over. Default none: acknowledged once the master has it.
   */
  replicaAcks?: ReplicaAcks | null;
  /**
   * How long an `add` sent again (a resend after a reconnect) is still recognised and not stored
   * twice: its token is kept for between this and twice this (ms). Give it at least the longest
   * a command can wait to be sent again (twice REDIS_COMMAND_TIMEOUT_MS). Default none: a plain
   * XADD, which a resend stores again.
   */
  resendWindowMs?: number;
}

const present = (stream: string) => (entry: RawEntry): StreamEvent | null =>
  entry.fields === null ? null : toStreamEvent(stream, { id: entry.id, fields: entry.fields });

function events(stream: string, reply: unknown): StreamEvent[] {
  return parseEntryList(reply)
    .map(present(stream))
    .filter((event): event is StreamEvent => event !== null);
}

export function createStreamStore(redis: Redis | Cluster, options: StreamStoreOptions): StreamStore {
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
      const key = streamKeys.stream(stream);
      // Keyless in ioredis's command table: without the key named, a Cluster client would send it
      // to a random node (a MOVED redirect and a full slot refresh two times in three).
      reply = await keyedCommand(redis, 'xinfo', ['GROUPS', key], key);
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
      const key = streamKeys.stream(stream);
      let id: unknown;
      try {
        // With replica acks, XADD and its WAIT in one pipeline: a WAIT re-sent on another
        // connection after a reconnect could otherwise confirm a write it never followed.
        const window = options.resendWindowMs;
        const tokens = window === undefined ? null : streamKeys.addTokens(stream, Math.floor(Date.now() / window));
        id =
          window === undefined || tokens === null
            ? await callReplicated(redis, key, options.replicaAcks ?? null, 'XADD', [key, ...trim, '*', ...fields])
            : await runLuaReplicated(redis, ADD_ONCE_SCRIPT, [key, tokens], [randomBytes(9).toString('base64'), 2 * window, ...trim, '*', ...fields], options.replicaAcks ?? null);
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
        const key = streamKeys.stream(stream);
        // Keyless in ioredis's command table too (the key follows the subcommand): named here.
        await keyedCommand(redis, 'xgroup', ['CREATE', key, group, startId, 'MKSTREAM'], key);
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

    async ackOwn(stream, group, ids, own) {
      const key = streamKeys.stream(stream);
      const run = async (consumers: readonly string[], of: readonly string[]) => {
        let reply: unknown;
        try {
          reply = await runLua(redis, ACK_HELD_SCRIPT, [key], [group, consumers.length, ...consumers, ...of]);
        } catch (error) {
          return rethrowStreamError(error, stream, group);
        }
        if (!Array.isArray(reply) || !Array.isArray(reply[1])) throw new Error('malformed ack script reply');
        const others = reply[1] as unknown[];
        const heldBy = new Map<string, string>();
        for (let i = 0; i + 1 < others.length; i += 2) heldBy.set(String(others[i]), String(others[i + 1]));
        return { acknowledged: Number(reply[0]), heldBy };
      };
      // First who holds each id (nothing is acknowledged: no consumer is allowed yet), then, of
      // those holders, the caller's; then the atomic check and XACK of what they hold.
      const { heldBy } = await run([], ids);
      if (heldBy.size === 0) return 0;
      const mine = new Set(await own([...new Set(heldBy.values())]));
      if (mine.size === 0) return 0;
      const candidates = [...heldBy].filter(([, consumer]) => mine.has(consumer)).map(([id]) => id);
      return (await run([...mine], candidates)).acknowledged;
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
