import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { PageRequest } from '../paging/page-request.js';
import { chatKeys } from '../redis/keys.js';
import { type ChatMessage, decodeMessage, encodeMessage, scoreOfCursor } from './message-codec.js';

/** How many of the newest members `lastOf` reads to find the newest that is a message. */
const LAST_MESSAGE_LOOKBACK = 5;

/** A page of messages, oldest first, and whether more lie on either side. */
export interface MessagePage {
  messages: ChatMessage[];
  hasPreviousPage: boolean;
  hasNextPage: boolean;
}

/**
 * Messages in the seed layout: sorted set `room:{id}`, member = message JSON, score = date in
 * seconds. Positions are ranks, found afresh from each cursor (score + id), so cursors stay
 * valid however many messages arrive later.
 */
export interface MessageStore {
  append(message: ChatMessage): Promise<void>;
  /** A Relay page. Cursors are message ids; validate them with `scoreOfCursor` first. */
  page(roomId: string, request: PageRequest): Promise<MessagePage>;
  /** Up to `limit` messages after `cursor` (a message id), oldest first. */
  after(roomId: string, cursor: string, limit: number): Promise<ChatMessage[]>;
  /**
   * Up to `limit` messages that come after a position (score, then id) that may belong to
   * another room, oldest first: how a resume across several rooms reads each of them.
   */
  afterPosition(roomId: string, position: { score: number; id: string }, limit: number): Promise<ChatMessage[]>;
  /** The newest message of each room (null for an empty room), in one round trip. */
  lastOf(roomIds: string[]): Promise<Array<ChatMessage | null>>;
}

export function createMessageStore(redis: Redis, logger: Logger): MessageStore {
  const decodeAll = (roomId: string, withScores: string[]) => {
    const messages: ChatMessage[] = [];
    for (let i = 0; i + 1 < withScores.length; i += 2) {
      const message = decodeMessage(withScores[i]!, Number(withScores[i + 1]), roomId);
      if (message) messages.push(message);
      else logger.debug({ roomId }, 'skipped a room member that is not a message');
    }
    return messages;
  };

  /**
   * The rank just after (`side: 'after'`) or just before (`side: 'before'`) the message with this
   * id. Members with equal scores sort by their bytes, so the id is looked up among them. A
   * message that is gone is placed by its score.
   */
  async function boundary(roomId: string, cursor: string, side: 'after' | 'before'): Promise<number> {
    const key = chatKeys.room(roomId);
    const score = scoreOfCursor(cursor, side);
    const [below, tied] = await Promise.all([
      redis.zcount(key, '-inf', `(${score}`),
      redis.zrangebyscore(key, score, score, 'WITHSCORES'),
    ]);
    const index = decodeAll(roomId, tied).findIndex((message) => message.id === cursor);
    if (index < 0) return side === 'after' ? below + tied.length / 2 : below - 1;
    return side === 'after' ? below + index + 1 : below + index - 1;
  }

  return {
    async append(message) {
      await redis.zadd(chatKeys.room(message.roomId), message.score, encodeMessage(message));
    },

    async page(roomId, request) {
      const key = chatKeys.room(roomId);
      const [total, low, high] = await Promise.all([
        redis.zcard(key),
        request.after ? boundary(roomId, request.after, 'after') : Promise.resolve(0),
        request.before ? boundary(roomId, request.before, 'before') : Promise.resolve(Number.MAX_SAFE_INTEGER),
      ]);
      const last = Math.min(high, total - 1);
      if (request.count === 0 || last < low) {
        return { messages: [], hasPreviousPage: low > 0 && total > 0, hasNextPage: last < total - 1 };
      }
      const [start, stop] =
        request.direction === 'forward'
          ? [low, Math.min(last, low + request.count - 1)]
          : [Math.max(low, last - request.count + 1), last];
      const messages = decodeAll(roomId, await redis.zrange(key, start, stop, 'WITHSCORES'));
      return { messages, hasPreviousPage: start > 0, hasNextPage: stop < total - 1 };
    },

    async after(roomId, cursor, limit) {
      const start = await boundary(roomId, cursor, 'after');
      return decodeAll(roomId, await redis.zrange(chatKeys.room(roomId), start, start + limit - 1, 'WITHSCORES'));
    },

    async afterPosition(roomId, position, limit) {
      const key = chatKeys.room(roomId);
      const [tied, later] = await Promise.all([
        redis.zrangebyscore(key, position.score, position.score, 'WITHSCORES'),
        redis.zrangebyscore(key, `(${position.score}`, '+inf', 'WITHSCORES', 'LIMIT', 0, limit),
      ]);
      const ties = decodeAll(roomId, tied).filter((message) => message.id > position.id);
      return [...ties, ...decodeAll(roomId, later)].slice(0, limit);
    },

    async lastOf(roomIds) {
      // A few, not one: members that other clients wrote and that are not messages are skipped.
      const newest = await Promise.all(
        roomIds.map((roomId) => redis.zrange(chatKeys.room(roomId), -LAST_MESSAGE_LOOKBACK, -1, 'WITHSCORES')),
      );
      return newest.map((withScores, i) => decodeAll(roomIds[i]!, withScores).at(-1) ?? null);
    },
  };
}
