import type { Context } from '../graphql/context.js';
import type { EventQueue } from '../transport/event-queue.js';
import { openSubscriptionQueue } from '../transport/topic-stream.js';
import type { StreamEvent } from './entries.js';
import { MIN_ENTRY_ID, compareEntryIds } from './ids.js';

/** Entries read per XRANGE while replaying; the next page is read only when the client has taken this one. */
export const REPLAY_PAGE_SIZE = 100;

/**
 * Opens the `events` subscription of one client: the entries after `after` (when given), then
 * every new entry, in order, with no gap and no duplicate, even while other clients write.
 *
 * How: (1) join the process's shared reader of the stream first; from then on its live entries
 * (all after the reader's position `from`) collect in this client's bounded queue; (2) replay the
 * stored entries after `after` up to `from` with XRANGE, page by page as the client pulls; (3) hand
 * over the queued live entries, skipping any id not newer than the last one delivered (which
 * covers an `after` newer than `from`). Without `after` there is no replay: only entries after
 * `from`, that is new ones.
 *
 * The queue is bounded: a client that falls behind is dropped (`context.dropSlowConsumer`).
 * It counts as one of the user's blocking operations (MAX_BLOCKING_OPERATIONS_PER_USER) while open.
 * @param after a validated entry id, or null for new entries only.
 * @throws AppError RATE_LIMITED when the user already runs as many blocking operations as allowed.
 */
export async function openEventStream(context: Context, stream: string, after: string | null): Promise<AsyncIterableIterator<StreamEvent>> {
  const { blockingLimiter } = context.services;
  // Taken before anything is set up; given back however the subscription ends (idempotent).
  const release = context.session ? blockingLimiter.acquire(context.session.userId) : () => undefined;
  try {
    return await open(context, stream, after, release);
  } catch (error) {
    release();
    throw error;
  }
}

async function open(context: Context, stream: string, after: string | null, release: () => void): Promise<AsyncIterableIterator<StreamEvent>> {
  const { streamReaders, streams } = context.services;
  // Set inside the attach callback (an object, so that TypeScript does not narrow it to its initial value).
  const joined = { from: MIN_ENTRY_ID, readerEnded: false, queue: null as EventQueue<StreamEvent> | null };
  const live = await openSubscriptionQueue<StreamEvent>(context, async (push) => {
    const subscription = await streamReaders.subscribe(stream, {
      onEvents: (events) => {
        for (const { event, bytes } of events) push(event, bytes);
      },
      onEnd: () => {
        joined.readerEnded = true;
        joined.queue?.close();
      },
    });
    joined.from = subscription.from;
    return () => {
      subscription.unsubscribe();
      release();
    };
  });
  joined.queue = live;
  if (joined.readerEnded) live.close();
  // Ended before it was attached (the client left, or shutdown began): nothing will call the detacher.
  if (live.isFinished) release();

  const { from } = joined;
  let lastDelivered = after ?? from;
  // Replay (after, from]; the shared reader delivers everything after `from`.
  let historyDone = after === null || compareEntryIds(after, from) >= 0;
  let historyMore = true;
  let page: StreamEvent[] = [];
  let finished = false;

  const iterator: AsyncIterableIterator<StreamEvent> = {
    async next() {
      while (!historyDone && !finished && !live.isFinished) {
        const event = page.shift();
        if (event) {
          lastDelivered = event.id;
          return { value: event, done: false };
        }
        if (!historyMore) {
          historyDone = true;
          break;
        }
        try {
          page = await streams.range(stream, lastDelivered, from, REPLAY_PAGE_SIZE);
        } catch (error) {
          live.abort();
          throw error;
        }
        historyMore = page.length === REPLAY_PAGE_SIZE;
      }
      for (;;) {
        if (finished) return { value: undefined, done: true };
        const result = await live.next();
        if (result.done) return result;
        // Already replayed (stored between joining the reader and reading history), or not after `after`.
        if (compareEntryIds(result.value.id, lastDelivered) <= 0) continue;
        lastDelivered = result.value.id;
        return result;
      }
    },
    async return() {
      finished = true;
      page = [];
      live.abort();
      release();
      return { value: undefined, done: true };
    },
    async throw(error?: unknown) {
      finished = true;
      live.abort();
      release();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
