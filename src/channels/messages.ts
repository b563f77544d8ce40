import type { Config } from '../config.js';
import { AppError, ErrorCode, badInput } from '../errors/app-error.js';
import type { RedisClient } from '../redis/client.js';
import type { PubSubGap, Topic } from '../redis/pubsub-hub.js';

/** What `channel` and `channelPattern` deliver. */
export interface ChannelMessage {
  channel: string;
  message: unknown;
}

/** Stands in the event stream where messages may be missing (see {@link resolveChannelEvent}). */
export interface ChannelGap {
  gap: PubSubGap;
  topic: Topic;
}

/** The marker event for a gap in a channel or pattern subscription. */
export const channelGap = (gap: PubSubGap, topic: Topic): ChannelGap => ({ gap, topic });

/**
 * The value of a `channel` / `channelPattern` event. A gap marker resolves to an error with
 * `extensions.code` MISSED_MESSAGES (and `since`, `until`, `channel` or `pattern`): the event
 * arrives as `{"data": null, "errors": [...]}` and the subscription goes on.
 */
export function resolveChannelEvent(event: ChannelMessage | ChannelGap): ChannelMessage {
  if (!('gap' in event)) return event;
  const { gap, topic } = event;
  const what = topic.kind === 'channel' ? `channel "${topic.name}"` : `pattern "${topic.pattern}"`;
  throw new AppError(
    ErrorCode.MissedMessages,
    `The subscription to ${what} was interrupted: messages published between ${new Date(gap.since).toISOString()} and ${new Date(gap.until).toISOString()} may be missing. The subscription goes on.`,
    {
      since: new Date(gap.since).toISOString(),
      until: new Date(gap.until).toISOString(),
      ...(topic.kind === 'channel' ? { channel: topic.name } : { pattern: topic.pattern }),
    },
  );
}

/**
 * Text published by anyone (redis-cli included) as the value clients see: valid JSON arrives
 * parsed, any other text as a JSON string. JSON `null` also arrives as the string "null", because
 * `message` is non-null in the contract.
 */
export function decodeChannelPayload(payload: string): unknown {
  try {
    const value: unknown = JSON.parse(payload);
    return value === null ? payload : value;
  } catch {
    return payload;
  }
}

/**
 * Serialises a `publish` message; it always goes out as JSON text, so that a string stays a string.
 * @throws AppError BAD_USER_INPUT when it is larger than `maxBytes`.
 */
export function encodeChannelMessage(message: unknown, maxBytes: number): string {
  const text = JSON.stringify(message);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) {
    throw badInput(`Message is ${bytes} bytes as JSON; the limit is ${maxBytes}.`, 'message');
  }
  return text;
}

/** What {@link publishChannelMessage} needs. */
export interface ChannelPublishDeps {
  /** The command client: PUBLISH goes through its pinned connection on a cluster. */
  redis: RedisClient;
  config: Pick<Config, 'pubsubMode' | 'maxMessageBytes'>;
}

/**
 * `publish`: the message as JSON text on the channel, for subscribers on every instance and plain
 * Redis subscribers alike. SPUBLISH under PUBSUB_MODE=sharded (to the shard of the channel's
 * slot), else PUBLISH (through the command client's pinned connection on a cluster, so one
 * sender's messages keep their order). Resolves with the number of receivers Redis counted.
 * @throws AppError BAD_USER_INPUT when the JSON text is larger than MAX_MESSAGE_BYTES.
 */
export function publishChannelMessage(deps: ChannelPublishDeps, channel: string, message: unknown): Promise<number> {
  const text = encodeChannelMessage(message, deps.config.maxMessageBytes);
  return deps.config.pubsubMode === 'sharded' ? (deps.redis.spublish(channel, text) as Promise<number>) : deps.redis.publish(channel, text);
}
