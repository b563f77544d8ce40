import type { Context } from '../graphql/context.js';
import { openPullStream } from '../live/own-streams.js';
import type { StreamEvent } from './entries.js';
import { createGroupConsumer } from './group-consumer.js';

/**
 * Opens the `groupEvents` subscription of one client as consumer `consumer` of `group`: its own
 * pending entries first (the recovery after a crash or a disconnect), then entries claimed from
 * gone consumers, then new ones. Each entry goes to exactly one consumer of the group, on any
 * instance; the client acknowledges with `ackEvents` once it has processed one.
 *
 * One subscriber's by nature (a competing consumer): a pull stream of the live layer, which reads
 * from Redis only when the transport asks for the next event, so a slow client simply takes less
 * work. It ends when the client goes away, its session ends, or the server shuts down; entries
 * it took and did not deliver stay pending for this consumer (and reach another one once they
 * are idle long enough). It counts as one of the user's blocking operations
 * (MAX_BLOCKING_OPERATIONS_PER_USER) while open: each consumer waits in its own XREADGROUP BLOCK
 * on a pooled connection.
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
  try {
    await consumer.start();
  } catch (error) {
    consumer.stop();
    release();
    throw error;
  }
  return openPullStream<StreamEvent>(context.subscriber, services.subscriptions, {
    next: () => consumer.next(),
    onEnd: () => {
      consumer.stop();
      release();
    },
  });
}
