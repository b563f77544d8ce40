import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { BlockingPool } from '../redis/blocking-pool.js';
import { streamKeys } from '../redis/keys.js';
import { luaScript, runLua } from '../redis/lua.js';
import { backoffMs, delay } from '../common/delay.js';
import type { GroupWaiter, GroupWaits } from './group-waits.js';
import { type RawEntry, type StreamEvent, parseEntryList, parseReadReply, toStreamEvent } from './entries.js';
import { MIN_ENTRY_ID, compareEntryIds } from './ids.js';
import { notAStream, replyErrorCode, unknownGroup } from './redis-errors.js';

/** Most entries taken from Redis ahead of what the consumer has asked for. */
export const DEFAULT_READ_AHEAD = 10;
/** Longest single XREADGROUP BLOCK; a stop normally releases it at once (CLIENT UNBLOCK). */
export const GROUP_BLOCK_MS = 5000;
/** Longest wait in a wait room when no claim sweep is due (the room's probe normally ends it first). */
const SHARED_WAIT_MAX_MS = 60_000;
/** Most pending entries one heartbeat refreshes per round trip. */
const HEARTBEAT_BATCH = 100;
/** Most idle entries one look of the claim sweep notes for taking over (XPENDING IDLE). */
const CLAIM_LOOK_BATCH = 100;

/**
 * Keeps a live consumer's pending entries fresh: XCLAIMs them to the same consumer with JUSTID,
 * which resets their idle time without counting a delivery. One script, so only entries that
 * this consumer still holds are touched (another instance may have just claimed one), and one key,
 * so it runs on Redis Cluster. The min idle is half a heartbeat period, so every heartbeat
 * refreshes what the one before refreshed: with a whole period, a beat that came a moment early
 * by Redis's clock would skip them and leave them twice as long.
 * KEYS[1] stream; ARGV group, consumer, min idle ms, count, start id (`-` or `(id`).
 * Returns { refreshed, last id, 1 when the consumer holds any pending entry at all, else 0 }.
 */
const HEARTBEAT_SCRIPT = luaScript('group_heartbeat', `
if #redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2]) == 0 then return {0, '', 0} end
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], 'IDLE', ARGV[3], ARGV[5], '+', ARGV[4], ARGV[2])
if #pending == 0 then return {0, '', 1} end
local command = {'XCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3]}
for _, entry in ipairs(pending) do command[#command + 1] = entry[1] end
command[#command + 1] = 'JUSTID'
redis.call(unpack(command))
return {#pending, pending[#pending][1], 1}
`);

/** Options of {@link createGroupConsumer}. */
export interface GroupConsumerOptions {
  /** The command connection: non-blocking reads, the claim sweep and the heartbeat run here. */
  redis: Redis | Cluster;
  /**
   * How the consumer waits for new entries, one of two:
   * - `waits` (the server's `groupEvents`): in the instance's wait room of the stream and group,
   *   holding no connection; woken by the shared stream reader, it reads with a non-blocking
   *   XREADGROUP on `redis`;
   * - `blocking` (a worker process, one consumer): XREADGROUP BLOCK on a connection of the pool,
   *   so that the command connection never blocks.
   * `waits` wins when both are given.
   */
  waits?: Pick<GroupWaits, 'join'>;
  blocking?: BlockingPool;
  stream: string;
  group: string;
  consumer: string;
  /**
   * An entry idle this long is claimed from its consumer by whichever live consumer of the group
   * asks for work next; 0 turns claiming off. Live consumers refresh their own pending entries
   * every third of this time, so only entries of a consumer that is gone (crashed, disconnected,
   * stopped, or a plain Redis client that does not refresh) ever get that idle. The sweep takes an
   * entry over only when it is still that idle a heartbeat period after it was first seen so (see
   * {@link GroupConsumer}), so a holder that was merely held up for a moment keeps it.
   */
  claimIdleMs: number;
  /** Most entries read ahead of `next()` calls. Default {@link DEFAULT_READ_AHEAD}. */
  readAhead?: number;
  /** Longest single blocking read (`blocking` only). Default {@link GROUP_BLOCK_MS}. */
  blockMs?: number;
  logger: Logger;
}

/**
 * One consumer of a consumer group, pull-based: it takes entries from Redis only when asked for
 * the next one and holds at most `readAhead` that were not asked for yet, so a slow consumer never
 * takes work that a faster one could do. In order it hands out:
 * 1. its own pending entries (XREADGROUP from id 0: what it was given before a crash or a
 *    disconnect and never acknowledged);
 * 2. entries claimed from gone consumers (see `claimIdleMs`), swept for every half `claimIdleMs`
 *    in two steps: a look (XPENDING IDLE) notes the entries idle past `claimIdleMs` at other
 *    consumers, and a heartbeat period later XCLAIM with that min idle takes those still idle. A
 *    holder whose heartbeat was only late (its process or Redis stalled: a loaded machine) has had
 *    its turn to refresh them by then, so they stay with it; one that is gone never refreshes;
 * 3. new entries (XREADGROUP `>`), each given by Redis to exactly one consumer of the group.
 *    With `waits` each such read is non-blocking and, between reads, the consumer waits in its
 *    instance's wait room holding no connection (see group-waits.ts); with `blocking`, in an
 *    XREADGROUP BLOCK on a pooled connection.
 * It never acknowledges: the caller does (XACK) once it has processed an entry. Entries taken but
 * not processed when it stops stay pending in Redis, so they are never lost.
 */
export interface GroupConsumer {
  /**
   * Checks that the group exists and reads the first of this consumer's pending entries.
   * @throws AppError NOT_FOUND for an unknown group (or stream), BAD_USER_INPUT when the key is not a stream.
   */
  start(): Promise<void>;
  /**
   * The next entry for this consumer; waits for one. Resolves null once stopped. Retries transient
   * Redis errors with backoff.
   * @throws AppError NOT_FOUND when the group was deleted meanwhile.
   */
  next(): Promise<StreamEvent | null>;
  /** Stops: a blocked read is released at once, read-ahead entries stay pending in Redis. */
  stop(): void;
  readonly stopped: boolean;
}

export function createGroupConsumer(options: GroupConsumerOptions): GroupConsumer {
  const { redis, blocking, waits, stream, group, consumer, claimIdleMs, logger } = options;
  if (!waits && !blocking) throw new Error('a group consumer needs `waits` or `blocking` to wait for new entries');
  const readAhead = options.readAhead ?? DEFAULT_READ_AHEAD;
  const blockMs = options.blockMs ?? GROUP_BLOCK_MS;
  const key = streamKeys.stream(stream);
  const controller = new AbortController();
  const { signal } = controller;
  const buffer: StreamEvent[] = [];
  const claimIntervalMs = Math.max(50, Math.floor(claimIdleMs / 2));
  const heartbeatMs = Math.max(20, Math.floor(claimIdleMs / 3));
  /** How long after a look of the claim sweep its entries may be taken over: one heartbeat period. */
  const confirmMs = heartbeatMs;
  /** Next id of our own pending entries to read; null once they are all handed out. */
  let pendingCursor: string | null = MIN_ENTRY_ID;
  /**
   * The highest id this consumer has taken so far (own pending, claimed or new). Entries that a
   * new-entry read gave this consumer in a reply that never arrived (the connection dropped, the
   * node failed over) are pending at this consumer with higher ids than every one taken before.
   */
  let highestTaken = MIN_ENTRY_ID;
  /** Where the claim sweep under way looks next (an XPENDING start); null: no sweep under way. */
  let claimFrom: string | null = null;
  /** Entries the last look found idle at other consumers, not taken over yet. */
  let candidates: string[] = [];
  /** When the candidates may be taken over (if they are still idle then). */
  let confirmAt = 0;
  let nextClaimAt = 0;
  let heartbeat: NodeJS.Timeout | null = null;
  let stopped = false;
  /**
   * Whether this consumer may hold pending entries: false once a heartbeat found it holding none
   * and it has taken nothing since, so that an idle consumer's heartbeats cost Redis nothing.
   */
  let mayHold = true;
  /** Reads that gave this consumer entries, so far. */
  let takes = 0;
  /** This consumer's place in its wait room (`waits` only), from `start` on. */
  let waiter: GroupWaiter | null = null;
  /** The room's mark before the last read of new entries, when that read was not full (`waits` only). */
  let quietSince: number | null = null;
  /** The room woke this consumer to run its claim sweep (`waits` only). */
  let claimWoken = false;

  const take = (entries: RawEntry[]) => {
    if (entries.length > 0) {
      takes++;
      mayHold = true;
    }
    for (const entry of entries) {
      if (compareEntryIds(entry.id, highestTaken) > 0) highestTaken = entry.id;
      // An entry deleted while pending has no fields: nothing to hand out.
      if (entry.fields) buffer.push(toStreamEvent(stream, { id: entry.id, fields: entry.fields }));
    }
  };

  async function readOwnPending(): Promise<void> {
    const reply = await redis.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', readAhead, 'STREAMS', key, pendingCursor ?? MIN_ENTRY_ID);
    const entries = parseReadReply(reply);
    take(entries);
    pendingCursor = entries.length > 0 ? (entries.at(-1) as RawEntry).id : null;
  }

  /**
   * The claim sweep's first step: notes the entries idle past `claimIdleMs` at other consumers
   * (this consumer's own are its heartbeat's business, and handing them out again would deliver
   * them twice). Taking them over waits a heartbeat period ({@link claimCandidates}).
   */
  async function lookForIdle(): Promise<void> {
    const reply = await redis.call('XPENDING', key, group, 'IDLE', claimIdleMs, claimFrom ?? '-', '+', CLAIM_LOOK_BATCH);
    if (!Array.isArray(reply)) throw new Error('malformed XPENDING reply');
    const rows = reply.map((row: unknown) => {
      if (!Array.isArray(row) || typeof row[0] !== 'string' || typeof row[1] !== 'string') throw new Error('malformed XPENDING reply');
      return { id: row[0], consumer: row[1] };
    });
    candidates = rows.filter((row) => row.consumer !== consumer).map((row) => row.id);
    // Counted from the answer: the holders' time to refresh is time this instance was running.
    confirmAt = Date.now() + confirmMs;
    // A full look continues at the next ask once its candidates are handled; a finished sweep
    // waits for the next round.
    const last = rows.at(-1);
    claimFrom = rows.length >= CLAIM_LOOK_BATCH && last ? `(${last.id}` : null;
    if (claimFrom === null) nextClaimAt = Date.now() + claimIntervalMs;
  }

  /**
   * The claim sweep's second step, a heartbeat period after the look: XCLAIM (min idle
   * `claimIdleMs`) takes over the candidates still idle; one refreshed meanwhile stays with its
   * live holder. At most a read-ahead's worth per ask.
   */
  async function claimCandidates(): Promise<void> {
    const batch = candidates.splice(0, readAhead);
    const reply = await redis.call('XCLAIM', key, group, consumer, claimIdleMs, ...batch);
    // Redis 6.2 answers nil for an entry deleted while pending (7.0 drops it from the reply).
    const claimed = parseEntryList(Array.isArray(reply) ? reply.filter((item: unknown) => item !== null) : reply);
    if (claimed.length > 0) logger.info({ stream, group, consumer, count: claimed.length }, 'claimed entries idle at a gone consumer');
    take(claimed);
  }

  /** When this consumer next has claim work to do: taking over its candidates, or the next sweep. */
  const claimWorkAt = () => (candidates.length > 0 ? confirmAt : nextClaimAt);

  /** How long a blocking wait for new entries may last: until claim work is due. */
  const waitLimitMs = (longest: number) => (claimIdleMs > 0 ? Math.min(longest, Math.max(10, claimWorkAt() - Date.now())) : longest);

  /**
   * Whether a new claim sweep is due: this consumer's own schedule with `blocking`; with
   * `waits`, the room's (one sweep per room and interval), or the room woke it for one.
   */
  function claimDue(): boolean {
    if (!waiter) return Date.now() >= nextClaimAt;
    if (claimWoken) {
      claimWoken = false;
      return true;
    }
    return waiter.claimTurn();
  }

  /**
   * New entries without a blocked connection: a non-blocking read, then (when it found none) a
   * wait in the room until the shared reader announces entries, the room's claim sweep is due,
   * or the room's probe comes round. The mark taken before the read catches an announcement that
   * came while the read was under way.
   */
  async function readNewShared(room: GroupWaiter): Promise<void> {
    let mark: number;
    if (quietSince !== null && quietSince === room.mark()) {
      // The last read found the group's new entries all taken, and nothing was announced since
      // that no waiter took: another read would find nothing either.
      mark = quietSince;
    } else {
      mark = room.mark();
      const reply = await redis.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', readAhead, 'STREAMS', key, '>');
      const entries = parseReadReply(reply);
      take(entries);
      const full = entries.length >= readAhead;
      room.done(full);
      quietSince = full ? null : mark;
      if (entries.length > 0 || stopped) return;
    }
    // Until the reader announces entries (or the probe comes round, or the sweep is due, or this
    // consumer's claim candidates may be taken over): the bound only keeps timers finite.
    const waitMs = candidates.length > 0 ? Math.min(SHARED_WAIT_MAX_MS, Math.max(10, confirmAt - Date.now())) : SHARED_WAIT_MAX_MS;
    const outcome = await room.wait(mark, waitMs, signal);
    // Woken: read (the wake-up is owed a read). A time-out leaves the mark as it was.
    if (outcome === 'woken') quietSince = null;
    if (outcome === 'claim') claimWoken = true;
  }

  async function readNew(): Promise<void> {
    if (waiter) return readNewShared(waiter);
    if (!blocking) throw new Error('the group consumer has not started');
    const waitMs = waitLimitMs(blockMs);
    let sent = false;
    const reply = await blocking.run(
      ({ redis: connection }) => {
        if (signal.aborted) return Promise.resolve(null);
        if (sent) {
          // The pool runs this again after a failure (a redirect, a failover, a lost node). The
          // read that failed may have given this consumer entries in a reply that never came:
          // read its own pending entries first (from the command connection), then new ones.
          pendingCursor = highestTaken;
          return Promise.resolve(null);
        }
        sent = true;
        return connection.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', readAhead, 'BLOCK', waitMs, 'STREAMS', key, '>');
      },
      signal,
      key,
    );
    take(parseReadReply(reply));
  }

  async function refreshPending(): Promise<void> {
    let start = '-';
    const takenBefore = takes;
    for (;;) {
      const reply = await runLua(redis, HEARTBEAT_SCRIPT, [key], [group, consumer, Math.max(1, Math.floor(heartbeatMs / 2)), HEARTBEAT_BATCH, start]);
      // Holding nothing, and nothing taken meanwhile: no heartbeat until it takes an entry again.
      if (Array.isArray(reply) && Number(reply[2]) === 0 && takes === takenBefore) mayHold = false;
      if (!Array.isArray(reply) || Number(reply[0]) < HEARTBEAT_BATCH || stopped) return;
      start = `(${String(reply[1])}`;
    }
  }

  function startHeartbeat(): void {
    if (claimIdleMs <= 0 || heartbeat || stopped) return;
    let refreshing = false;
    heartbeat = setInterval(() => {
      if (refreshing || !mayHold) return;
      refreshing = true;
      refreshPending()
        .catch((error: unknown) => logger.warn({ err: error, stream, group, consumer }, 'could not refresh pending entries'))
        .finally(() => {
          refreshing = false;
        });
    }, heartbeatMs);
    heartbeat.unref();
  }

  /** Client errors end the consumer; anything else (a lost connection) is retried. */
  function fatal(error: unknown): Error | null {
    const code = replyErrorCode(error);
    if (code === 'NOGROUP') return unknownGroup(stream, group);
    if (code === 'WRONGTYPE') return notAStream(stream);
    return null;
  }

  const self: GroupConsumer = {
    async start() {
      try {
        await readOwnPending();
      } catch (error) {
        throw fatal(error) ?? error;
      }
      if (waits) {
        // Joined before the first read of new entries: from then on no entry goes unannounced.
        const joined = await waits.join(stream, group, readAhead, claimIdleMs > 0 ? claimIntervalMs : 0);
        if (stopped) joined.leave();
        else waiter = joined;
      }
      startHeartbeat();
    },

    async next() {
      let failures = 0;
      for (;;) {
        if (stopped) return null;
        const ready = buffer.shift();
        if (ready) return ready;
        let readingNew = false;
        try {
          if (pendingCursor !== null) await readOwnPending();
          else if (candidates.length > 0 && Date.now() >= confirmAt) await claimCandidates();
          else if (claimIdleMs > 0 && candidates.length === 0 && (claimFrom !== null || claimDue())) await lookForIdle();
          else {
            readingNew = true;
            await readNew();
          }
          failures = 0;
        } catch (error) {
          if (stopped) return null;
          const clientError = fatal(error);
          if (clientError) {
            self.stop();
            throw clientError;
          }
          // The read may have given this consumer entries whose reply was lost: they are pending
          // here, past every id taken before, and would never come back on their own (the
          // heartbeat keeps them from being claimed). Read them first once Redis answers again.
          if (readingNew) {
            pendingCursor = highestTaken;
            mayHold = true;
          }
          failures++;
          logger.warn({ err: error, stream, group, consumer, failures }, 'consumer group read failed; retrying');
          await delay(backoffMs(failures), signal);
        }
      }
    },

    stop() {
      if (stopped) return;
      stopped = true;
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = null;
      buffer.length = 0;
      controller.abort();
      waiter?.leave();
    },

    get stopped() {
      return stopped;
    },
  };
  return self;
}
