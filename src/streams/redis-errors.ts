import { AppError, ErrorCode, badInput } from '../errors/app-error.js';

/** The leading word of a Redis error reply (`NOGROUP`, `WRONGTYPE`, `BUSYGROUP`), or null for other errors. */
export function replyErrorCode(error: unknown): string | null {
  // ioredis types its ReplyError as `any`; its name is reliable.
  if (error instanceof Error && error.name === 'ReplyError') return error.message.split(' ', 1)[0] ?? null;
  return null;
}

export const unknownGroup = (stream: string, group: string) =>
  new AppError(
    ErrorCode.NotFound,
    `Stream "${stream}" has no consumer group "${group}": create it first with createConsumerGroup (or XGROUP CREATE).`,
    { field: 'group' },
  );

export const notAStream = (stream: string) =>
  badInput(`The Redis key "${stream}" holds another type of value, not a stream.`, 'stream');

/**
 * Turns the Redis errors a client can cause into client errors: NOGROUP (and XGROUP's "requires the
 * key to exist", its way of saying there is no stream, so no group either) is NOT_FOUND, WRONGTYPE is
 * BAD_USER_INPUT. Anything else is rethrown as it is (and masked by the API).
 */
export function rethrowStreamError(error: unknown, stream: string, group?: string): never {
  const code = replyErrorCode(error);
  if (group !== undefined && (code === 'NOGROUP' || (code === 'ERR' && /requires the key to exist/.test((error as Error).message)))) {
    throw unknownGroup(stream, group);
  }
  if (code === 'WRONGTYPE') throw notAStream(stream);
  throw error;
}
