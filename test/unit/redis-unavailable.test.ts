import { ReplyError } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { isRedisUnavailableError } from '../../src/redis/unavailable.js';

describe('isRedisUnavailableError', () => {
  it.each([
    ['a command timeout', new Error('Command timed out')],
    ['a closed connection', new Error('Connection is closed.')],
    ['no offline queue', new Error("Stream isn't writeable and enableOfflineQueue options is false")],
    ['given-up retries', Object.assign(new Error('Reached the max retries per request limit (which is 3).'), { name: 'MaxRetriesPerRequestError' })],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' })],
    ['a reset connection', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['a server loading its data', new ReplyError('LOADING Redis is loading the dataset in memory')],
    ['a busy script', new ReplyError('BUSY Redis is busy running a script.')],
    ['a replica that lost its master', new ReplyError('MASTERDOWN Link with MASTER is down')],
  ])('is true for %s', (_what, error) => {
    expect(isRedisUnavailableError(error)).toBe(true);
  });

  it.each([
    ['a wrong type', new ReplyError('WRONGTYPE Operation against a key holding the wrong kind of value')],
    ['a script error', new ReplyError('ERR Error running script')],
    ['a permission refusal', new ReplyError("NOPERM this user has no permissions to run the 'subscribe' command")],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error', 'Command timed out'],
  ])('is false for %s', (_what, error) => {
    expect(isRedisUnavailableError(error)).toBe(false);
  });
});
