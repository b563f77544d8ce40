import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * The queue's Lua scripts. Each one changes a queue's lists, hash and sorted set in one atomic
 * step, so that any number of instances (and workers) may run them at the same moment without a
 * job being lost or duplicated. Every key a script touches shares the queue's cluster slot (see
 * `queueKeys`); the registry of queues, which does not, is never touched by a script.
 *
 * Times come from Redis (`TIME`), so instances with skewed clocks agree on when a lease ends.
 */
export interface LuaScript {
  readonly source: string;
  readonly sha: string;
}

const script = (source: string): LuaScript => ({ source, sha: createHash('sha1').update(source).digest('hex') });

/** Runs a script by its SHA, loading it on the first NOSCRIPT (after a restart or a failover). */
export async function runScript(redis: Redis, lua: LuaScript, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
  try {
    return await redis.evalsha(lua.sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return redis.eval(lua.source, keys.length, ...keys, ...args);
  }
}

const NOW_MS = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
`;

/**
 * The envelope prefix (see job-codec.ts); `attempts` is rewritten in place so that the payload
 * is never decoded and re-encoded by cjson.
 */
const RETIRE = `
local function bump(text)
  local prefix, attempts, rest = string.match(text, '^({"switchboard":"job/1","id":"[%w_%-]+","attempts":)(%d+)(,"payload":.*)$')
  if not prefix then return nil, 0 end
  local n = tonumber(attempts) + 1
  return prefix .. string.format('%d', n) .. rest, n
end

-- An in-flight job that was not acknowledged: back to the front of its queue with attempts + 1,
-- or to the dead-letter list once that reaches maxAttempts. 0: not in flight, 1: returned, 2: dead.
local function retire(processing, inflight, leases, queue, dead, id, maxAttempts, channel)
  local text = redis.call('HGET', inflight, id)
  redis.call('ZREM', leases, id)
  if not text then return 0 end
  redis.call('HDEL', inflight, id)
  local outcome = 0
  if redis.call('LREM', processing, -1, text) > 0 then
    local bumped, n = bump(text)
    if not bumped then
      redis.call('RPUSH', queue, text)
      outcome = 1
    elseif n >= maxAttempts then
      redis.call('LPUSH', dead, bumped)
      outcome = 2
    else
      redis.call('RPUSH', queue, bumped)
      outcome = 1
    end
  end
  redis.call('PUBLISH', channel, id)
  return outcome
end
`;

/**
 * Records a job that BLMOVE just moved into processing: gives it a lease and remembers its text.
 * KEYS: processing, inflight, leases. ARGV: the item as taken, the item as it should be kept (an
 * envelope with its id), that id, the id inside the item as taken ('' for a plain item), the
 * visibility timeout in ms.
 * Returns 1: claimed; 0: the item is no longer waiting to be claimed (a sweep returned it to the
 * queue after a very late claim); -1: that id is already in flight (someone pushed a copy of an
 * in-flight job): claim again with a fresh id.
 */
export const CLAIM = script(`
local processing, inflight, leases = KEYS[1], KEYS[2], KEYS[3]
local raw, stamped, id, rawId, visibility = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
-- One copy of raw may be an in-flight job already (someone pushed a copy of it); ours is another.
-- BLMOVE pushed ours on the left, where LPOS starts looking, so this is quick.
local rank = 1
if rawId ~= '' and redis.call('HGET', inflight, rawId) == raw then rank = 2 end
if not redis.call('LPOS', processing, raw, 'RANK', rank) then return 0 end
if redis.call('HEXISTS', inflight, id) == 1 then return -1 end
if raw ~= stamped then
  redis.call('LREM', processing, 1, raw)
  redis.call('LPUSH', processing, stamped)
end
${NOW_MS}
redis.call('HSET', inflight, id, stamped)
redis.call('ZADD', leases, now + visibility, id)
return 1
`);

/**
 * Acknowledges a job: it leaves processing for good.
 * KEYS: processing, inflight, leases. ARGV: id, settled channel. Returns 1, or 0 when not in flight.
 */
export const ACK = script(`
local text = redis.call('HGET', KEYS[2], ARGV[1])
if not text then return 0 end
-- From the right: jobs are acknowledged roughly in the order they were taken, oldest on the right.
redis.call('LREM', KEYS[1], -1, text)
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('PUBLISH', ARGV[2], ARGV[1])
return 1
`);

/**
 * Puts an in-flight job back at the front of its queue as it was (attempts unchanged): for a job
 * that was taken but never reached anyone, or that a worker hands back when it stops.
 * KEYS: processing, inflight, leases, queue. ARGV: id, settled channel. Returns 1, or 0.
 */
export const RELEASE = script(`
local text = redis.call('HGET', KEYS[2], ARGV[1])
if not text then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
if redis.call('LREM', KEYS[1], 1, text) > 0 then redis.call('RPUSH', KEYS[4], text) end
redis.call('PUBLISH', ARGV[2], ARGV[1])
return 1
`);

/**
 * A worker could not process a job: it returns now with attempts + 1 (or is dead-lettered),
 * instead of after its visibility timeout.
 * KEYS: processing, inflight, leases, queue, dead. ARGV: id, max attempts, settled channel.
 * Returns 0: not in flight, 1: returned, 2: dead-lettered.
 */
export const FAIL = script(`
${RETIRE}
return retire(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], ARGV[1], tonumber(ARGV[2]), ARGV[3])
`);

/**
 * One pass of the reaper over one queue.
 * 1. Jobs whose lease has ended go back to the queue with attempts + 1, or to the dead letters.
 * 2. At most once per `sweepEveryMs`: items in processing with no lease (a consumer died between
 *    BLMOVE and its claim) are noted; those already noted at the previous sweep, so unclaimed for
 *    at least `sweepEveryMs`, return to the front of the queue as they are. Equal texts are
 *    interchangeable, so they are counted rather than told apart.
 * KEYS: processing, inflight, leases, queue, dead, suspects, sweptAt.
 * ARGV: max attempts, most leases to end in this pass, sweepEveryMs, settled channel.
 * Returns { returned, dead-lettered, orphans returned, 1 if more leases may have ended, length of processing }.
 */
export const REAP = script(`
${RETIRE}
local processing, inflight, leases, queue, dead, suspects, sweptAtKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local maxAttempts, limit, sweepEvery, channel = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
${NOW_MS}
local returned, deadLettered, orphans = 0, 0, 0
local expired = redis.call('ZRANGEBYSCORE', leases, '-inf', now, 'LIMIT', 0, limit)
for _, id in ipairs(expired) do
  local outcome = retire(processing, inflight, leases, queue, dead, id, maxAttempts, channel)
  if outcome == 1 then returned = returned + 1 elseif outcome == 2 then deadLettered = deadLettered + 1 end
end

local sweptAt = tonumber(redis.call('GET', sweptAtKey) or '0')
if now - sweptAt >= sweepEvery then
  local claimed, unclaimed = {}, {}
  for _, text in ipairs(redis.call('LRANGE', processing, 0, -1)) do
    local id = string.match(text, '^{"switchboard":"job/1","id":"([%w_%-]+)","attempts":%d+,"payload":')
    if id and not claimed[id] and redis.call('HGET', inflight, id) == text then
      claimed[id] = true
    else
      unclaimed[text] = (unclaimed[text] or 0) + 1
    end
  end
  local previous = redis.call('HGETALL', suspects)
  for i = 1, #previous, 2 do
    local text = previous[i]
    local n = math.min(tonumber(previous[i + 1]), unclaimed[text] or 0)
    if n > 0 then
      redis.call('LREM', processing, -n, text)
      for _ = 1, n do redis.call('RPUSH', queue, text) end
      unclaimed[text] = unclaimed[text] - n
      orphans = orphans + n
    end
  end
  redis.call('DEL', suspects)
  for text, count in pairs(unclaimed) do
    if count > 0 then redis.call('HSET', suspects, text, count) end
  end
  -- Both fade away once no reaper looks at this queue any more.
  redis.call('PEXPIRE', suspects, sweepEvery * 4)
  redis.call('SET', sweptAtKey, string.format('%d', now), 'PX', sweepEvery * 4)
end
return { returned, deadLettered, orphans, #expired == limit and 1 or 0, redis.call('LLEN', processing) }
`);

/**
 * Notes that a consumer is about to take from a queue, so that the reaper keeps sweeping it.
 * KEYS: the registry. ARGV: queue name.
 */
export const MARK_QUEUE = script(`
${NOW_MS}
redis.call('ZADD', KEYS[1], now, ARGV[1])
return 1
`);

/**
 * Drops a queue from the registry when nobody has taken from it for `idleMs` and the caller saw
 * its processing list empty. A take marks the queue first, and no take blocks longer than
 * `idleMs`, so an item cannot be half-taken from a queue that is dropped.
 * KEYS: the registry. ARGV: queue name, idleMs. Returns 1 when dropped.
 */
export const FORGET_QUEUE = script(`
${NOW_MS}
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) < now - tonumber(ARGV[2]) then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 1
end
return 0
`);
