import { badInput } from '../graphql/errors.js';

/** What `channel` and `channelPattern` deliver. */
export interface ChannelMessage {
  channel: string;
  message: unknown;
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
