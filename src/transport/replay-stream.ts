import type { EventQueue } from './event-queue.js';

/** How many of the newest replayed ids are kept to recognise them if they also arrive live. */
const DEDUPLICATION_WINDOW = 1000;

/** One page of stored history, oldest first. */
export interface HistoryPage<T> {
  events: T[];
  /** Whether more history may follow the last event of this page. */
  more: boolean;
}

/**
 * Resume without a gap or a duplicate: `live` must already be attached to its source (buffering)
 * before this is called. History is then read page by page as the consumer pulls (so a long
 * replay never piles up in memory), and afterwards the live events, skipping any that history
 * already delivered (those stored between attaching and reading).
 *
 * Written as a plain iterator rather than an async generator, so that `return()` ends it at once
 * even while a `next()` is waiting for a live event.
 *
 * @param loadPage reads the history after `last` (null: after the resume point).
 * @param keyOf identifies an event, for the de-duplication.
 */
export function replayThenLive<T>(
  live: EventQueue<T>,
  loadPage: (last: T | null) => Promise<HistoryPage<T>>,
  keyOf: (event: T) => string,
): AsyncIterableIterator<T> {
  // Only recent history can come again live (stored just before it was published), so the ids
  // kept for de-duplication are the newest few, not all of a long replay.
  const delivered = new Set<string>();
  const remember = (key: string) => {
    delivered.add(key);
    if (delivered.size > DEDUPLICATION_WINDOW) delivered.delete(delivered.values().next().value as string);
  };
  let buffered: T[] = [];
  let last: T | null = null;
  let more = true;
  let historyDone = false;

  const iterator: AsyncIterableIterator<T> = {
    async next() {
      while (!historyDone && !live.isFinished) {
        const event = buffered.shift();
        if (event !== undefined) {
          remember(keyOf(event));
          return { value: event, done: false };
        }
        if (!more) {
          historyDone = true;
          break;
        }
        const page = await loadPage(last);
        buffered = page.events;
        more = page.more && page.events.length > 0;
        last = page.events.at(-1) ?? last;
      }
      for (;;) {
        const result = await live.next();
        if (result.done || !delivered.has(keyOf(result.value))) return result;
      }
    },
    async return() {
      historyDone = true;
      buffered = [];
      live.abort();
      return { value: undefined, done: true };
    },
    async throw(error?: unknown) {
      live.abort();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
