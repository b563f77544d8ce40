import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { badInput } from '../graphql/errors.js';
import { queueKeys } from '../redis/keys.js';

/** Most ids one `retryDeadJobs` takes. */
export const RETRY_IDS_MAX = 1000;

/**
 * Moves the dead jobs with the given ids back to their queue, attempts reset to 0, once each:
 * one atomic step, so two admins retrying the same job at once move it once between them.
 * Each is pushed on the left of the queue's list, as `enqueue` pushes (taken after what already
 * waits), oldest dead first. The envelope's payload is kept byte for byte (attempts is rewritten in place; cjson
 * never decodes it). An id that is not in the dead-letter list is skipped.
 * KEYS: dead-letter list, queue list. ARGV: ids. Returns how many moved.
 */
const RETRY_DEAD = `
local dead, queue = KEYS[1], KEYS[2]
local wanted = {}
for i = 1, #ARGV do wanted[ARGV[i]] = true end
local kind = redis.call('TYPE', queue)['ok']
if kind ~= 'list' and kind ~= 'none' then return redis.error_reply('WRONGTYPE the queue key holds a ' .. kind) end
local moved = 0
local items = redis.call('LRANGE', dead, 0, -1)
-- Oldest first (the list is newest first), so that they are taken in the order they died.
for i = #items, 1, -1 do
  local text = items[i]
  local id, payload = string.match(text, '^{"switchboard":"job/1","id":"([%w_%-]+)","attempts":%d+,"payload":(.*)}$')
  if id and wanted[id] then
    wanted[id] = nil
    redis.call('LREM', dead, -1, text)
    redis.call('LPUSH', queue, '{"switchboard":"job/1","id":"' .. id .. '","attempts":0,"payload":' .. payload .. '}')
    moved = moved + 1
  end
end
return moved
`;

/** Deletes every dead job of a queue at once. KEYS: dead-letter list. Returns how many there were. */
const PURGE_DEAD = `
local n = redis.call('LLEN', KEYS[1])
redis.call('DEL', KEYS[1])
return n
`;

const sha = (source: string) => createHash('sha1').update(source).digest('hex');
const SCRIPTS = { retry: { source: RETRY_DEAD, sha: sha(RETRY_DEAD) }, purge: { source: PURGE_DEAD, sha: sha(PURGE_DEAD) } };

async function run(redis: Redis, queue: string, script: { source: string; sha: string }, keys: string[], args: string[]): Promise<number> {
  try {
    return Number(await redis.evalsha(script.sha, keys.length, ...keys, ...args));
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('NOSCRIPT')) return Number(await redis.eval(script.source, keys.length, ...keys, ...args));
    if (error instanceof Error && error.message.includes('WRONGTYPE')) throw badInput(`"${queue}" holds something other than a list; a queue is a Redis list.`, 'queue');
    throw error;
  }
}

/**
 * Dead-letter replay of a work queue. The dead-letter list and the queue's list share the
 * queue's cluster slot (see `queueKeys`), so each script runs on one node of a cluster.
 */
export function createDeadLetters(redis: Redis) {
  return {
    /** Moves these dead jobs back to the queue with attempts 0; resolves with how many moved. */
    retry(queue: string, ids: readonly string[]): Promise<number> {
      if (ids.length === 0) return Promise.resolve(0);
      return run(redis, queue, SCRIPTS.retry, [queueKeys(queue).dead, queue], [...new Set(ids)]);
    },
    /** Deletes every dead job of the queue; resolves with how many there were. */
    purge(queue: string): Promise<number> {
      return run(redis, queue, SCRIPTS.purge, [queueKeys(queue).dead], []);
    },
  };
}
