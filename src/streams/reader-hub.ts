import type { Logger } from 'pino';
import { type BlockingPool, PoolClosedError } from '../redis/blocking-pool.js';
import { streamKeys } from '../redis/keys.js';
import { backoffMs, delay } from './delay.js';
import { type StreamEvent, entryBytes, parseReadReply, toStreamEvent } from './entries.js';
import { MIN_ENTRY_ID } from './ids.js';
import { replyErrorCode } from './redis-errors.js';
import type { StreamStore } from './store.js';

/** Longest single XREAD BLOCK; a stop normally releases it at once (CLIENT UNBLOCK), this bounds the rare race. */
export const READ_BLOCK_MS = 5000;
/** Most entries one XREAD returns. */
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
 * One blocking XREAD loop per stream per process, shared by every local subscriber of that
 * stream. The loop runs on a connection from the blocking pool (never the command client), starts
 * with the first subscriber and stops when the last one leaves.
 *
 * It always continues from the last id it delivered, never from `$`: an XREAD with `$` only sees
 * entries added while it is blocked, so entries added between two calls would be lost.
 */
export interface StreamReaderHub {
  /**
   * Adds a listener. Resolves once the reader knows its position, with the id after which this
   * listener gets every entry.
   * @throws AppError BAD_USER_INPUT when the key holds another type; Redis errors as they are.
   */
  subscribe(stream: string, listener: StreamListener): Promise<StreamSubscription>;
  /** Streams with a running reader in this process (for tests and metrics). */
  readerCount(): number;
  /** Stops every reader and ends their listeners; later `subscribe` calls reject. */
  close(): Promise<void>;
}

/** Options of {@link createStreamReaderHub}. */
export interface StreamReaderHubOptions {
  store: StreamStore;
  blocking: BlockingPool;
  logger: Logger;
  /** Longest single XREAD BLOCK. Default {@link READ_BLOCK_MS}. */
  blockMs?: number;
}

interface Reader {
  stream: string;
  listeners: Set<StreamListener>;
  /** The last id delivered (or the stream's last id when the reader started); null until known. */
  position: string | null;
  /** Where the reader started, for listeners that joined before it knew its position. */
  initial: string | null;
  ready: Promise<void>;
  controller: AbortController;
  done: Promise<void>;
}

export class StreamHubClosedError extends Error {
  override name = 'StreamHubClosedError';
  constructor() {
    super('the stream reader hub is closed');
  }
}

export function createStreamReaderHub(options: StreamReaderHubOptions): StreamReaderHub {
  const { store, blocking, logger } = options;
  const blockMs = options.blockMs ?? READ_BLOCK_MS;
  const readers = new Map<string, Reader>();
  let closed = false;

  function end(reader: Reader): void {
    reader.controller.abort();
    if (readers.get(reader.stream) === reader) readers.delete(reader.stream);
    for (const listener of [...reader.listeners]) listener.onEnd();
    reader.listeners.clear();
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

  // One stream per XREAD (not one XREAD for all streams): a multi-key XREAD would fail on Redis
  // Cluster when the streams hash to different slots.
  async function loop(reader: Reader): Promise<void> {
    const { signal } = reader.controller;
    const key = streamKeys.stream(reader.stream);
    let failures = 0;
    while (!signal.aborted) {
      let reply: unknown;
      try {
        reply = await blocking.run(
          ({ redis }) =>
            signal.aborted
              ? Promise.resolve(null)
              : redis.call('XREAD', 'COUNT', READ_BATCH, 'BLOCK', blockMs, 'STREAMS', key, reader.position ?? MIN_ENTRY_ID),
          signal,
        );
        failures = 0;
      } catch (error) {
        if (signal.aborted) break;
        if (error instanceof PoolClosedError || replyErrorCode(error) === 'WRONGTYPE') {
          logger.warn({ stream: reader.stream, err: error }, 'stream reader stopped');
          end(reader);
          return;
        }
        failures++;
        logger.warn({ stream: reader.stream, err: error, failures }, 'stream read failed; retrying from the last delivered id');
        await delay(backoffMs(failures), signal);
        continue;
      }
      const events: HubEvent[] = [];
      for (const entry of parseReadReply(reply)) {
        reader.position = entry.id;
        if (entry.fields) events.push({ event: toStreamEvent(reader.stream, { id: entry.id, fields: entry.fields }), bytes: entryBytes(entry) });
      }
      if (events.length > 0) dispatch(reader, events);
    }
  }

  function start(stream: string): Reader {
    const reader: Reader = {
      stream,
      listeners: new Set(),
      position: null,
      initial: null,
      ready: Promise.resolve(),
      controller: new AbortController(),
      done: Promise.resolve(),
    };
    // The position is a concrete id read before any listener is told where it stands, so that
    // the listener's history read (up to that id) and the live entries (after it) meet exactly.
    reader.ready = store.lastEntryId(stream).then((last) => {
      reader.position = reader.initial = last ?? MIN_ENTRY_ID;
    });
    reader.done = reader.ready.then(
      () => loop(reader),
      () => {
        if (readers.get(stream) === reader) readers.delete(stream);
      },
    );
    readers.set(stream, reader);
    return reader;
  }

  return {
    async subscribe(stream, listener) {
      if (closed) throw new StreamHubClosedError();
      const reader = readers.get(stream) ?? start(stream);
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
          if (reader.listeners.size === 0 && !reader.controller.signal.aborted) {
            // The last local subscriber left: release the blocked XREAD and its connection.
            reader.controller.abort();
            if (readers.get(stream) === reader) readers.delete(stream);
          }
        },
      };
    },
    readerCount: () => readers.size,
    async close() {
      closed = true;
      const all = [...readers.values()];
      for (const reader of all) end(reader);
      await Promise.allSettled(all.map((reader) => reader.done));
    },
  };
}
