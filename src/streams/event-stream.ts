import type { LiveEngine, OperationInfo } from '../live/engine.js';
import type { Subscriber } from '../live/subscriber.js';
import type { StreamEvent } from './entries.js';
import { MAX_ENTRY_ID, compareEntryIds } from './ids.js';
import type { StreamReaderHub } from './reader-hub.js';
import type { StreamStore } from './store.js';

/** Entries read per XRANGE while replaying; the next page is read only when the client has taken this one. */
export const REPLAY_PAGE_SIZE = 100;

/** What `events` followers need. */
export interface EventFeedDeps {
  live: LiveEngine;
  streamReaders: Pick<StreamReaderHub, 'subscribe'>;
  streams: Pick<StreamStore, 'range'>;
}

/**
 * Opens the `events` subscription of one client: the entries after `after` (when given), then
 * every new entry, in order, with no gap and no duplicate, even while other clients write.
 *
 * Every follower of a stream shares the process's one reader of it and, with equal operations,
 * one execution per entry. With `after`, the subscriber joins its group first (live entries
 * collect for it), then replays the stored entries after `after` with XRANGE, page by page as
 * the client takes them, then takes the collected live entries that are newer than the last one
 * it got (entry ids are ordered, so a comparison recognises those already replayed).
 *
 * @param after a validated entry id, or null for new entries only.
 * @param onEnd called once when the subscription ends (the blocking-operation slot is given back).
 */
export function openEventStream(
  deps: EventFeedDeps,
  subscriber: Subscriber,
  info: OperationInfo,
  stream: string,
  after: string | null,
  onEnd: () => void,
): Promise<AsyncIterableIterator<StreamEvent>> {
  return deps.live.open<StreamEvent>(
    subscriber,
    {
      key: `stream:${stream}`,
      attach: async (emit, end) => {
        const subscription = await deps.streamReaders.subscribe(stream, {
          onEvents: (events) => {
            for (const { event, bytes } of events) emit(event, bytes);
          },
          onEnd: end,
        });
        return () => subscription.unsubscribe();
      },
    },
    {
      info,
      onEnd,
      replay:
        after === null
          ? undefined
          : {
              keyOf: (event) => event.id,
              load: async (last) => {
                const events = await deps.streams.range(stream, last?.id ?? after, MAX_ENTRY_ID, REPLAY_PAGE_SIZE);
                return { events, more: events.length === REPLAY_PAGE_SIZE };
              },
              delivered: (event, last) => compareEntryIds(event.id, last?.id ?? after) <= 0,
            },
    },
  );
}
