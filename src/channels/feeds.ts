import type { LiveEngine, OperationInfo } from '../live/engine.js';
import type { Subscriber } from '../live/subscriber.js';
import { isReservedChannel } from '../redis/keys.js';
import type { PubSubHub } from '../redis/pubsub-hub.js';
import type { PatternRouter } from './pattern-router.js';
import { type ChannelGap, type ChannelMessage, channelGap, decodeChannelPayload } from './messages.js';

/** What the channel feeds need. */
export interface ChannelFeedDeps {
  live: LiveEngine;
  hub: Pick<PubSubHub, 'subscribe'>;
  patterns: Pick<PatternRouter, 'subscribe'>;
}

/** A `channel` / `channelPattern` event: a message, or the marker of a gap (MISSED_MESSAGES). */
export type ChannelEvent = ChannelMessage | ChannelGap;

/**
 * `channel(name)`: one source per channel (one Redis SUBSCRIBE per process), one execution per
 * group of equal operations per message. Resolves once Redis has confirmed the subscription.
 */
export function openChannelFeed(deps: ChannelFeedDeps, subscriber: Subscriber, info: OperationInfo, name: string) {
  const topic = { kind: 'channel' as const, name };
  return deps.live.open<ChannelEvent>(
    subscriber,
    {
      key: `channel:${name}`,
      attach: (emit) =>
        deps.hub.subscribe(topic, ({ channel, payload }) => emit({ channel, message: decodeChannelPayload(payload) }, payload.length), {
          // Pure pub/sub cannot replay: the subscriber is told what may be missing.
          onGap: (gap) => emit(channelGap(gap, topic), 0),
        }),
    },
    { info },
  );
}

/**
 * `channelPattern(pattern)`: one source per user and pattern, so that the router counts each
 * user's distinct patterns exactly (MAX_PATTERNS_PER_USER); Redis holds the same few covers
 * however many there are.
 */
export function openPatternFeed(deps: ChannelFeedDeps, subscriber: Subscriber, info: OperationInfo, pattern: string, owner: string) {
  return deps.live.open<ChannelEvent>(
    subscriber,
    {
      key: `pattern:${owner}:${pattern}`,
      attach: (emit) =>
        deps.patterns.subscribe(
          pattern,
          owner,
          ({ channel, payload }) => {
            // Defence in depth: the pattern was proven not to match reserved channels; check anyway.
            if (!isReservedChannel(channel)) emit({ channel, message: decodeChannelPayload(payload) }, payload.length);
          },
          { onGap: (gap) => emit(channelGap(gap, { kind: 'pattern', pattern }), 0) },
        ),
    },
    { info },
  );
}
