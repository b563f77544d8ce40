import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { badInput } from '../errors/app-error.js';
import { jobUpdatesChannelPrefix, queueKeys, queueWakeChannel } from '../redis/keys.js';

/** Most ids one `retryDeadJobs` takes. */
export const RETRY_IDS_MAX = 1000;
/** How long the record of a job that waits again is kept (as the queue store keeps unfinished ones). */
const RECORD_TTL_MS = 30 * 24 * 3600 * 1000;

/**
 * KEYS of every script here: 1 the queue's list (level `normal`), 2 level critical, 3 level high,
 * 4 level low, 5 the dead-letter list. ARGV: 1 job record prefix, 2 job updates channel prefix,
 * 3 wake channel, 4 idempotency key prefix, 5 record ttl ms; the script's own from 6.
 */
const PRELUDE = `
local queue, dead = KEYS[1], KEYS[5]
local LEVEL_KEYS = { critical = KEYS[2], high = KEYS[3], normal = KEYS[1], low = KEYS[4] }
local jobPrefix, updatesPrefix, wakeChannel, idemPrefix, recordTtl = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local function parse(text)
  return string.match(text, '^{"switchboard":"job/1","id":"([%w_%-]+)","attempts":%d+,"payload":(.*)}$')
end
`;

/**
 * Moves the dead jobs with the given ids (ARGV from 6) back to their priority level with attempts
 * reset to 0, once each: one atomic step, so two admins retrying the same job at once move it
 * once between them. Each goes to the back of its level, as `enqueue` adds a job, oldest dead
 * first; its record (kept, or made again when it expired) says waiting with 0 attempts, its
 * followers (`jobUpdates`) hear of it and waiting takers are woken. The payload is kept byte for
 * byte (cjson never decodes it). Ids not in the dead-letter list are skipped.
 * Returns how many moved.
 */
const RETRY_DEAD = `${PRELUDE}
for i = 1, 4 do
  local kind = redis.call('TYPE', KEYS[i])['ok']
  if kind ~= 'list' and kind ~= 'none' then return redis.error_reply('WRONGTYPE the queue key holds a ' .. kind) end
end
local wanted = {}
for i = 6, #ARGV do wanted[ARGV[i]] = true end
local moved = 0
local woken = {}
local items = redis.call('LRANGE', dead, 0, -1)
-- Oldest first (the list is newest first), so that they are taken in the order they died.
for i = #items, 1, -1 do
  local text = items[i]
  local id, payload = parse(text)
  if id and wanted[id] then
    wanted[id] = nil
    redis.call('LREM', dead, -1, text)
    local job = jobPrefix .. id
    local level = redis.call('HGET', job, 'priority') or 'normal'
    redis.call('LPUSH', LEVEL_KEYS[level] or queue, '{"switchboard":"job/1","id":"' .. id .. '","attempts":0,"payload":' .. payload .. '}')
    if redis.call('EXISTS', job) == 0 then redis.call('HSET', job, 'payload', payload, 'createdAt', now) end
    redis.call('HSET', job, 'state', 'waiting', 'attempts', 0, 'retriedAt', now)
    redis.call('HDEL', job, 'reason', 'finishedAt', 'runAt', 'text')
    redis.call('PEXPIRE', job, recordTtl)
    local key = redis.call('HGET', job, 'key')
    if key and redis.call('GET', idemPrefix .. key) == id then redis.call('PEXPIRE', idemPrefix .. key, recordTtl) end
    local v = redis.call('HINCRBY', job, 'v', 1)
    redis.call('PUBLISH', updatesPrefix .. id, v)
    woken[level] = true
    moved = moved + 1
  end
end
for level in pairs(woken) do redis.call('PUBLISH', wakeChannel, level) end
return moved
`;

/**
 * Deletes every dead job of a queue at once, with their records (and the idempotency keys they
 * hold, so the key can be used again). Returns how many there were.
 */
const PURGE_DEAD = `${PRELUDE}
local items = redis.call('LRANGE', dead, 0, -1)
for _, text in ipairs(items) do
  local id = parse(text)
  if id then
    local job = jobPrefix .. id
    local key = redis.call('HGET', job, 'key')
    if key and redis.call('GET', idemPrefix .. key) == id then redis.call('DEL', idemPrefix .. key) end
    if redis.call('HGET', job, 'state') == 'dead' then redis.call('DEL', job) end
  end
end
redis.call('DEL', dead)
return #items
`;

/**
 * How long (ms, Redis clock) the oldest waiting job has waited: the next job of each priority
 * level is the one at the right of its list; its age is from its record's `createdAt`. -1 when
 * nothing waits, or when no waiting head has a record (a plain LPUSHed item has none until taken).
 */
const OLDEST_WAITING = `${PRELUDE}
local oldest = -1
for i = 1, 4 do
  local text = redis.call('LINDEX', KEYS[i], -1)
  if text then
    local id = parse(text)
    local created = id and tonumber(redis.call('HGET', jobPrefix .. id, 'createdAt'))
    if created and now - created > oldest then oldest = now - created end
  end
end
return oldest
`;

const sha = (source: string) => createHash('sha1').update(source).digest('hex');
const scriptOf = (source: string) => ({ source, sha: sha(source) });
const SCRIPTS = { retry: scriptOf(RETRY_DEAD), purge: scriptOf(PURGE_DEAD), oldest: scriptOf(OLDEST_WAITING) };

async function run(redis: Redis, queue: string, script: { source: string; sha: string }, extra: readonly string[] = []): Promise<number> {
  const keys = queueKeys(queue);
  const keyList = [queue, keys.level('critical'), keys.level('high'), keys.level('low'), keys.dead];
  const args = [keys.jobPrefix, jobUpdatesChannelPrefix(queue), queueWakeChannel(queue), keys.idempotencyPrefix, String(RECORD_TTL_MS), ...extra];
  try {
    try {
      return Number(await redis.evalsha(script.sha, keyList.length, ...keyList, ...args));
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return Number(await redis.eval(script.source, keyList.length, ...keyList, ...args));
    }
  } catch (error) {
    if (error instanceof Error && error.message.includes('WRONGTYPE')) throw badInput(`"${queue}" holds something other than a list; a queue is a Redis list.`, 'queue');
    throw error;
  }
}

/**
 * Dead-letter replay and the age of a queue's oldest waiting job. Every key a script touches
 * shares the queue's cluster slot (see `queueKeys`), so each runs on one node of a cluster.
 */
export function createDeadLetters(redis: Redis) {
  return {
    /** Moves these dead jobs back to the queue with attempts 0; resolves with how many moved. */
    retry(queue: string, ids: readonly string[]): Promise<number> {
      if (ids.length === 0) return Promise.resolve(0);
      return run(redis, queue, SCRIPTS.retry, [...new Set(ids)]);
    },
    /** Deletes every dead job of the queue; resolves with how many there were. */
    purge(queue: string): Promise<number> {
      return run(redis, queue, SCRIPTS.purge);
    },
    /** Milliseconds the oldest waiting job has waited, or null (see OLDEST_WAITING). */
    async oldestWaitingAgeMs(queue: string): Promise<number | null> {
      const age = await run(redis, queue, SCRIPTS.oldest);
      return age < 0 ? null : age;
    },
  };
}
