import type { Context } from '../graphql/context.js';
import type { StreamEvent } from './entries.js';
import { createGroupConsumer } from './group-consumer.js';

/**
 * Opens the `groupEvents` subscription of one client as consumer `consumer` of `group`: its own
 * pending entries first (the recovery after a crash or a disconnect), then entries claimed from
 * gone consumers, then new ones. Each entry goes to exactly one consumer of the group, on any
 * instance; the client acknowledges with `ackEvents` once it has processed one.
 *
 * Bounded by construction: it reads from Redis only when the transport asks for the next event,
 * holding at most a few entries ahead, so a slow client simply takes less work. It ends when the
 * client goes away, its session ends, or the server shuts down; entries it took and did not
 * deliver stay pending for this consumer (and reach another one once they are idle long enough).
 * It counts as one of the user's blocking operations (MAX_BLOCKING_OPERATIONS_PER_USER) while open:
 * each consumer waits in its own XREADGROUP BLOCK on a pooled connection.
 * @throws AppError NOT_FOUND for an unknown group, BAD_USER_INPUT when the key is not a stream,
 *   RATE_LIMITED when the user already runs as many blocking operations as allowed.
 */
export async function openGroupStream(
  context: Context,
  stream: string,
  group: string,
  consumerName: string,
): Promise<AsyncIterableIterator<StreamEvent>> {
  const { services } = context;
  const release = context.session ? services.blockingLimiter.acquire(context.session.userId) : () => undefined;
  const consumer = createGroupConsumer({
    redis: services.redis,
    blocking: services.blocking,
    stream,
    group,
    consumer: consumerName,
    claimIdleMs: services.config.streamClaimIdleMs,
    logger: services.logger,
  });
  const cleanups: Array<() => void> = [];
  const closable = { close: () => finish() };
  let finished = false;
  function finish(): void {
    if (finished) return;
    finished = true;
    consumer.stop();
    release();
    services.subscriptions.delete(closable);
    for (const cleanup of cleanups.splice(0)) cleanup();
  }

  const signal = context.closedSignal();
  if (services.subscriptions.closed || signal.aborted) {
    finish();
  } else {
    try {
      await consumer.start();
    } catch (error) {
      finish();
      throw error;
    }
    services.subscriptions.add(closable);
    signal.addEventListener('abort', finish, { once: true });
    cleanups.push(() => signal.removeEventListener('abort', finish));
    if (context.session) cleanups.push(services.sessionWatcher.watch(context.session, finish));
    // The client may have gone, or shutdown begun, while the group was checked.
    if (signal.aborted || services.subscriptions.closed) finish();
  }

  const iterator: AsyncIterableIterator<StreamEvent> = {
    async next() {
      if (finished) return { value: undefined, done: true };
      let event: StreamEvent | null;
      try {
        event = await consumer.next();
      } catch (error) {
        finish();
        throw error;
      }
      if (event === null || finished) {
        finish();
        return { value: undefined, done: true };
      }
      return { value: event, done: false };
    },
    async return() {
      finish();
      return { value: undefined, done: true };
    },
    async throw(error?: unknown) {
      finish();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
