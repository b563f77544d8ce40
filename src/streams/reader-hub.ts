import type { Logger } from 'pino';
import { type BlockingPool, PoolClosedError } from '../redis/blocking-pool.js';
import { streamKeys } from '../redis/keys.js';
import { backoffMs, delay } from '../common/delay.js';
import { type StreamEvent, entryBytes, parseEntryList, toStreamEvent } from './entries.js';
import { MIN_ENTRY_ID, compareEntryIds } from './ids.js';
import { replyErrorCode } from './redis-errors.js';
import type { StreamStore } from './store.js';

/** Longest single XREAD BLOCK; a change of the followed streams releases it at once (CLIENT UNBLOCK). */
export const READ_BLOCK_MS = 5000;
/** Most entries one XREAD returns per stream. */
export const READ_BATCH = 100;

/** An entry as the hub hands it out: decoded once, shared by every local subscriber. */
export interface HubEvent {
  event: StreamEvent;
  /** About how many bytes it holds, for each subscriber's queue limit. */
  bytes: number;
}

/** What one local subscriber gives the hub. */
export interface StreamListener {
  /** Entries in stream order, each newer than every entry handed over before. Must not throw. */
  onEvents(events: readonly HubEvent[]): void;
  /** The reader stopped for good (the key now holds another type, or the server is stopping). */
  onEnd(): void;
}

/** A listener's place in the stream. */
export interface StreamSubscription {
  /**
   * The id after which the listener receives every entry: entries up to and including it came
   * before the listener (read them with XRANGE), every later one reaches `onEvents`.
   */
  from: string;
  unsubscribe(): void;
}

/**
 * Follows streams for the whole process: every stream followed by local subscribers is read by one
 * shared loop, one `XREAD BLOCK ... STREAMS s1 s2 ... id1 id2 ...` waiting on all of them at once,
 * on a connection of its own (outside the blocking pool, so that borrowers of the pool, such as
 * `dequeue` waits, can never delay live events). The number of blocking connections therefore does
 * not grow with subscribers or streams: it is the number of read groups, one on a single Redis.
 *
 * Streams are put in read groups by {@link StreamReaderHubOptions.groupOf}; each group has its own
 * loop and connection. On Redis Cluster a multi-key XREAD must name keys of one hash slot, so a
 * cluster deployment groups streams by slot (one XREAD per slot in use, on that slot's master).
 *
 * Each stream continues from the last id delivered, never from `$`: an XREAD with `$` only sees
 * entries added while it is blocked, so entries added between two calls would be lost. When the set
 * of streams changes, the blocked XREAD is released (CLIENT UNBLOCK) and sent again with the new set.
 */
export interface StreamReaderHub {
  /**
   * Adds a listener. Resolves once the reader knows its position, with the id after which this
   * listener gets every entry.
   * @throws AppError BAD_USER_INPUT when the key holds another type; Redis errors as they are.
   */
  subscribe(stream: string, listener: StreamListener): Promise<StreamSubscription>;
  /** Streams followed in this process (for tests and metrics). */
  readerCount(): number;
  /** Streams followed, blocking connections open (one per read group in use), XREADs sent so far. */
  stats(): { streams: number; connections: number; reads: number };
  /** Stops every reader and ends their listeners; later `subscribe` calls reject. */
  close(): Promise<void>;
}

/** Options of {@link createStreamReaderHub}. */
export interface StreamReaderHubOptions {
  store: StreamStore;
  /** The shared pool; the hub takes a dedicated pool of one connection per read group from it. */
  blocking: BlockingPool;
  logger: Logger;
  /** Longest single XREAD BLOCK. Default {@link READ_BLOCK_MS}. */
  blockMs?: number;
  /**
   * The read group of a stream: streams of one group are read by one XREAD. Default: the pool's
   * {@link BlockingPool.shardOf} of the stream's key, which is one group for all on a single Redis
   * and the key's hash slot on Redis Cluster (one XREAD per slot in use, on that slot's master).
   */
  groupOf?: (stream: string) => string;
}

interface Reader {
  stream: string;
  key: string;
  listeners: Set<StreamListener>;
  /** The last id delivered (or the stream's last id when the reader started); null until known. */
  position: string | null;
  /** Where the reader started, for listeners that joined before it knew its position. */
  initial: string | null;
  ready: Promise<void>;
  ended: boolean;
}

interface ReadGroup {
  name: string;
  /** Readers by stream key. */
  readers: Map<string, Reader>;
  pool: BlockingPool;
  /** Aborted to release the XREAD in flight (the set of streams changed, or the group stopped). */
  current: AbortController | null;
  /** Wakes the loop while it waits for a reader to know its position. */
  wake: (() => void) | null;
  running: boolean;
  done: Promise<void>;
}

export class StreamHubClosedError extends Error {
  override name = 'StreamHubClosedError';
  constructor() {
    super('the stream reader hub is closed');
  }
}

/** `[[key, entries], ...]`, or null when the block timed out or was released. */
function parseMultiReadReply(reply: unknown): Array<{ key: string; entries: ReturnType<typeof parseEntryList> }> {
  if (reply === null) return [];
  if (!Array.isArray(reply)) throw new Error('malformed XREAD reply');
  return reply.map((item: unknown) => {
    if (!Array.isArray(item) || (typeof item[0] !== 'string' && !Buffer.isBuffer(item[0]))) throw new Error('malformed XREAD reply');
    return { key: String(item[0]), entries: parseEntryList(item[1]) };
  });
}

/** Builds the hub; it opens its connection with the first subscriber and closes it with the last. */
export function createStreamReaderHub(options: StreamReaderHubOptions): StreamReaderHub {
  const { store, blocking, logger } = options;
  const blockMs = options.blockMs ?? READ_BLOCK_MS;
  const groupOf = options.groupOf ?? ((stream: string) => blocking.shardOf(streamKeys.stream(stream)));
  const readers = new Map<string, Reader>();
  const groups = new Map<string, ReadGroup>();
  let reads = 0;
  let closed = false;

  function interrupt(group: ReadGroup): void {
    group.current?.abort();
    group.wake?.();
  }

  function end(reader: Reader): void {
    if (reader.ended) return;
    reader.ended = true;
    if (readers.get(reader.stream) === reader) readers.delete(reader.stream);
    const group = groups.get(groupOf(reader.stream));
    if (group?.readers.get(reader.key) === reader) group.readers.delete(reader.key);
    for (const listener of [...reader.listeners]) listener.onEnd();
    reader.listeners.clear();
    if (group) interrupt(group);
  }

  function dispatch(reader: Reader, events: HubEvent[]): void {
    for (const listener of [...reader.listeners]) {
      try {
        listener.onEvents(events);
      } catch (error) {
        logger.error({ err: error, stream: reader.stream }, 'stream listener failed');
      }
    }
  }

  /** After a WRONGTYPE for the whole XREAD: ends the readers whose key is no longer a stream. */
  async function endWrongTypes(batch: Reader[]): Promise<void> {
    await Promise.all(
      batch.map((reader) =>
        store.lastEntryId(reader.stream).then(
          () => undefined,
          (error: unknown) => {
            logger.warn({ stream: reader.stream, err: error }, 'stream reader stopped');
            end(reader);
          },
        ),
      ),
    );
  }

  async function loop(group: ReadGroup): Promise<void> {
    let failures = 0;
    while (!closed && group.readers.size > 0) {
      const batch = [...group.readers.values()].filter((reader) => reader.position !== null && !reader.ended);
      if (batch.length === 0) {
        // Every reader is still reading its position: wait for one to be ready (or to leave).
        await new Promise<void>((resolve) => {
          group.wake = resolve;
        });
        group.wake = null;
        continue;
      }
      const controller = new AbortController();
      group.current = controller;
      const { signal } = controller;
      const keys = batch.map((reader) => reader.key);
      const positions = batch.map((reader) => reader.position as string);
      let reply: unknown;
      try {
        reads++;
        reply = await group.pool.run(
          ({ redis }) =>
            signal.aborted ? Promise.resolve(null) : redis.call('XREAD', 'COUNT', READ_BATCH, 'BLOCK', blockMs, 'STREAMS', ...keys, ...positions),
          signal,
          // Every key of a group shares its slot: the first one routes the read on a cluster.
          keys[0],
        );
        failures = 0;
      } catch (error) {
        if (closed) break;
        if (error instanceof PoolClosedError) {
          for (const reader of batch) end(reader);
          break;
        }
        // Released before the XREAD was sent (the set of streams changed): read again.
        if (signal.aborted && replyErrorCode(error) === null) continue;
        if (replyErrorCode(error) === 'WRONGTYPE') {
          await endWrongTypes(batch);
          continue;
        }
        failures++;
        logger.warn({ group: group.name, err: error, failures }, 'stream read failed; retrying from the last delivered ids');
        await delay(backoffMs(failures), signal);
        continue;
      } finally {
        if (group.current === controller) group.current = null;
      }
      for (const { key, entries } of parseMultiReadReply(reply)) {
        const reader = group.readers.get(key);
        if (!reader || reader.ended) continue;
        const events: HubEvent[] = [];
        for (const entry of entries) {
          // A read sent for an earlier reader of the same stream may return what this one has passed.
          if (reader.position !== null && compareEntryIds(entry.id, reader.position) <= 0) continue;
          reader.position = entry.id;
          if (entry.fields) events.push({ event: toStreamEvent(reader.stream, { id: entry.id, fields: entry.fields }), bytes: entryBytes(entry) });
        }
        if (events.length > 0) dispatch(reader, events);
      }
    }
  }

  function groupFor(stream: string): ReadGroup {
    const name = groupOf(stream);
    let group = groups.get(name);
    if (!group) {
      const created: ReadGroup = { name, readers: new Map(), pool: blocking.dedicated(1), current: null, wake: null, running: false, done: Promise.resolve() };
      groups.set(name, created);
      group = created;
    }
    return group;
  }

  /** Starts the group's loop when it is not running; stops its connection when the loop ends empty. */
  function ensureLoop(group: ReadGroup): void {
    if (group.running) return;
    group.running = true;
    group.done = loop(group)
      .catch((error: unknown) => logger.error({ err: error, group: group.name }, 'stream read loop failed'))
      .finally(() => {
        group.running = false;
        if (group.readers.size > 0 && !closed) {
          ensureLoop(group);
          return;
        }
        if (groups.get(group.name) === group) groups.delete(group.name);
        void group.pool.close();
      });
  }

  function start(stream: string): Reader {
    const reader: Reader = { stream, key: streamKeys.stream(stream), listeners: new Set(), position: null, initial: null, ready: Promise.resolve(), ended: false };
    const group = groupFor(stream);
    readers.set(stream, reader);
    group.readers.set(reader.key, reader);
    // The position is a concrete id read before any listener is told where it stands, so that
    // the listener's history read (up to that id) and the live entries (after it) meet exactly.
    reader.ready = store.lastEntryId(stream).then(
      (last) => {
        reader.position = reader.initial = last ?? MIN_ENTRY_ID;
        // Read it from now on: the XREAD in flight is sent again with this stream in it.
        interrupt(group);
      },
      (error: unknown) => {
        reader.ended = true;
        if (readers.get(stream) === reader) readers.delete(stream);
        if (group.readers.get(reader.key) === reader) group.readers.delete(reader.key);
        interrupt(group);
        throw error;
      },
    );
    ensureLoop(group);
    return reader;
  }

  return {
    async subscribe(stream, listener) {
      if (closed) throw new StreamHubClosedError();
      const existing = readers.get(stream);
      const reader = existing && !existing.ended ? existing : start(stream);
      // Read synchronously with the add: a listener added now gets every entry after `position`.
      const from = reader.position;
      reader.listeners.add(listener);
      try {
        await reader.ready;
      } catch (error) {
        reader.listeners.delete(listener);
        throw error;
      }
      let removed = false;
      return {
        from: from ?? reader.initial ?? MIN_ENTRY_ID,
        unsubscribe() {
          if (removed) return;
          removed = true;
          reader.listeners.delete(listener);
          if (reader.listeners.size === 0 && !reader.ended) {
            // The last local subscriber left: the stream leaves the shared XREAD.
            reader.ended = true;
            if (readers.get(stream) === reader) readers.delete(stream);
            const group = groups.get(groupOf(stream));
            if (group?.readers.get(reader.key) === reader) {
              group.readers.delete(reader.key);
              // With other streams left, the XREAD in flight may keep waiting on this one too (its
              // entries are ignored); with none left, it is released so that nothing stays blocked.
              if (group.readers.size === 0) interrupt(group);
            }
          }
        },
      };
    },
    readerCount: () => readers.size,
    stats: () => ({ streams: readers.size, connections: [...groups.values()].reduce((sum, group) => sum + group.pool.stats().open, 0), reads }),
    async close() {
      closed = true;
      const all = [...groups.values()];
      for (const reader of [...readers.values()]) end(reader);
      for (const group of all) interrupt(group);
      await Promise.allSettled(all.map((group) => group.done));
      await Promise.allSettled(all.map((group) => group.pool.close()));
    },
  };
}
