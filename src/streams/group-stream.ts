import { openPullStream } from '../live/own-streams.js';
import type { Subscriber } from '../live/subscriber.js';
import type { StreamEvent } from './entries.js';
import { createGroupConsumer } from './group-consumer.js';
import type { GroupStreamDeps } from './services.js';

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
 * are idle long enough). While it waits for new entries it holds no Redis connection: it waits in
 * the instance's wait room of its stream and group, which the shared stream reader wakes.
 * @param onEnd called once when it ends, or when it fails to start (the blocking-operation slot
 *   the caller took is given back).
 * @throws AppError NOT_FOUND for an unknown group, BAD_USER_INPUT when the key is not a stream.
 */
export async function openGroupStream(
  deps: GroupStreamDeps,
  subscriber: Subscriber,
  stream: string,
  group: string,
  consumerName: string,
  onEnd: () => void,
): Promise<AsyncIterableIterator<StreamEvent>> {
  const consumer = createGroupConsumer({
    redis: deps.redis,
    waits: deps.groupWaits,
    stream,
    group,
    consumer: consumerName,
    claimIdleMs: deps.config.streamClaimIdleMs,
    logger: deps.logger,
  });
  try {
    await consumer.start();
  } catch (error) {
    consumer.stop();
    onEnd();
    throw error;
  }
  return openPullStream<StreamEvent>(subscriber, deps.subscriptions, {
    next: () => consumer.next(),
    onEnd: () => {
      consumer.stop();
      onEnd();
    },
  });
}
