import { luaScript } from '../redis/lua.js';

/*
 * The queue's Lua scripts. Each one changes a queue's lists, hashes and sorted sets in one atomic
 * step, so that any number of instances (and workers) may run them at the same moment without a
 * job being lost, duplicated or delivered out of turn. Every key a script touches shares the
 * queue's cluster slot (see `queueKeys`: the per-job hashes and idempotency keys are named from
 * prefixes in that slot); the registry of queues, which does not, has a script of its own.
 *
 * Times come from Redis (`TIME`), so instances with skewed clocks agree on when a lease ends and
 * when a delayed job is due.
 */
/**
 * The priority levels, most urgent first. `normal` waits in the queue's own list (where plain
 * LPUSH items land); the others in lists of their own beside it (KEYS 8 to 10 of every script,
 * see PRELUDE below).
 */
export const PRIORITY_LEVELS = ['critical', 'high', 'normal', 'low'] as const;
export type PriorityLevel = (typeof PRIORITY_LEVELS)[number];

/**
 * Every queue script gets the same KEYS, in this order:
 * 1 the queue's list (the `normal` level), 2 processing, 3 inflight, 4 leases, 5 dead,
 * 6 delayed, 7 paused, 8 level critical, 9 level high, 10 level low, 11 suspects, 12 sweptAt,
 * 13 rateLimit, 14 started;
 * and the same first ARGV:
 * 1 job hash prefix, 2 job updates channel prefix, 3 wake channel, 4 settled channel (`SPUBLISH <channel>` when sharded),
 * 5 idempotency key prefix, 6 visibility timeout ms, 7 max attempts, 8 retention ms (how long a
 * finished job's record and idempotency key are kept), 9 record ttl ms (an unfinished job's).
 * Script-specific arguments follow from ARGV[10].
 */
const PRELUDE = `
local queue, processing, inflight, leases, dead, delayed, paused = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local suspects, sweptAtKey = KEYS[11], KEYS[12]
local rateLimitKey, startedKey = KEYS[13], KEYS[14]
local LEVEL_KEYS = { critical = KEYS[8], high = KEYS[9], normal = KEYS[1], low = KEYS[10] }
local ORDER = { { 'critical', KEYS[8] }, { 'high', KEYS[9] }, { 'normal', KEYS[1] }, { 'low', KEYS[10] } }
local jobPrefix, updatesPrefix, wakeChannel, settledChannel, idemPrefix = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
-- ARGV[4] is prefixed with 'SPUBLISH ' under PUBSUB_MODE=sharded (the channel is in this slot).
local settledPublish = 'PUBLISH'
if string.sub(settledChannel, 1, 9) == 'SPUBLISH ' then settledPublish, settledChannel = 'SPUBLISH', string.sub(settledChannel, 10) end
local visibility, maxAttempts, retention, recordTtl = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)

-- The envelope of job-codec.ts; attempts is rewritten in place so that the payload is never
-- decoded and re-encoded by cjson (which would turn [] into {} and round big numbers).
local function parse(text)
  local id, attempts, payload = string.match(text, '^{"switchboard":"job/1","id":"([%w_%-]+)","attempts":(%d+),"payload":(.*)}$')
  if id and #id <= 64 then return id, tonumber(attempts), payload end
  return nil
end
local function envelope(id, attempts, payload)
  return '{"switchboard":"job/1","id":"' .. id .. '","attempts":' .. string.format('%d', attempts) .. ',"payload":' .. payload .. '}'
end
-- A plain item's payload as JSON text: the item itself when it is JSON (other than null), else the
-- item as a JSON string. The first character is checked because cjson accepts more than JSON.
local function plainPayload(text)
  local first = string.match(text, '^%s*(.)')
  if first and string.find('{["tf-0123456789', first, 1, true) and pcall(cjson.decode, text) then
    if string.find('-0123456789', first, 1, true) == nil or string.match(text, '^%s*%-?%d+%.?%d*[eE]?[%+%-]?%d*%s*$') then return text end
  end
  return cjson.encode(text)
end
local function levelKey(level) return LEVEL_KEYS[level or 'normal'] or queue end
-- A change of a job's record: its version goes up and followers hear of it.
local function bump(id, job)
  local v = redis.call('HINCRBY', job, 'v', 1)
  redis.call('PUBLISH', updatesPrefix .. id, v)
end
-- A job that is finished (completed or dead) is kept for 'retention', with its idempotency key.
local function finish(id, job)
  redis.call('PEXPIRE', job, retention)
  local key = redis.call('HGET', job, 'key')
  if key and redis.call('GET', idemPrefix .. key) == id then redis.call('PEXPIRE', idemPrefix .. key, retention) end
end
local function backoffDelay(job, attempts)
  local spec = redis.call('HGET', job, 'backoff')
  if not spec then return 0 end
  local kind, delay, cap = string.match(spec, '^(%a+):(%d+):(%d+)$')
  if not kind then return 0 end
  delay, cap = tonumber(delay), tonumber(cap)
  if kind == 'exponential' then
    delay = delay * math.pow(2, math.min(attempts - 1, 40))
    if cap > 0 and delay > cap then delay = cap end
  end
  return math.floor(delay)
end
-- Due delayed jobs join the back of their level, earliest due first. Returns how many moved.
local function promote(limit)
  local due = redis.call('ZRANGEBYSCORE', delayed, '-inf', now, 'LIMIT', 0, limit)
  for _, id in ipairs(due) do
    redis.call('ZREM', delayed, id)
    local job = jobPrefix .. id
    local fields = redis.call('HMGET', job, 'text', 'priority', 'state')
    if fields[1] then
      redis.call('LPUSH', levelKey(fields[2]), fields[1])
      redis.call('HDEL', job, 'text', 'runAt')
      if fields[3] ~= 'failed' then redis.call('HSET', job, 'state', 'waiting') end
      bump(id, job)
    end
  end
  if #due > 0 then redis.call('PUBLISH', wakeChannel, 'due') end
  return #due
end
-- Milliseconds until the earliest delayed job is due (0: due now), -1 when none is delayed.
local function nextDue()
  local first = redis.call('ZRANGE', delayed, 0, 0, 'WITHSCORES')
  if first[2] then return math.max(0, tonumber(first[2]) - now) end
  return -1
end
-- Records an item just moved into processing (it is at processing's left): a lease, a record, and
-- an id of its own for a plain item or a copy of a job in flight (ARGV[fresh]). Returns the id,
-- attempts, payload text, and the index of the next fresh id.
local function claimItem(text, fresh)
  local id, attempts, payload = parse(text)
  local stamped = text
  if not id or redis.call('HEXISTS', inflight, id) == 1 then
    -- A plain item, or a copy someone pushed of a job in flight: a job with an id of its own.
    if not id then attempts, payload = 0, plainPayload(text) end
    id = ARGV[fresh]
    fresh = fresh + 1
    stamped = envelope(id, attempts, payload)
  end
  redis.call('LPUSH', processing, stamped)
  redis.call('HSET', inflight, id, stamped)
  redis.call('ZADD', leases, now + visibility, id)
  local job = jobPrefix .. id
  redis.call('HSET', job, 'state', 'active', 'attempts', attempts, 'startedAt', now)
  redis.call('HSETNX', job, 'payload', payload)
  redis.call('PEXPIRE', job, recordTtl)
  bump(id, job)
  return id, attempts, payload, fresh
end
-- Takes up to count jobs, most urgent level first, oldest first within a level, into processing
-- with a lease. Fresh ids for plain items come from ARGV[idsFrom...]. Returns a flat list:
-- id, attempts, payload text, level, for each job.
local function take(count, idsFrom)
  local out = {}
  local fresh = idsFrom
  for _ = 1, count do
    local text, level
    for _, entry in ipairs(ORDER) do
      text = redis.call('RPOP', entry[2])
      if text then level = entry[1]; break end
    end
    if not text then break end
    local id, attempts, payload
    id, attempts, payload, fresh = claimItem(text, fresh)
    out[#out + 1] = id
    out[#out + 1] = attempts
    out[#out + 1] = payload
    out[#out + 1] = level
  end
  return out
end
-- The rate limit (setQueueRateLimit) is a sliding window log: each start is a member of the
-- sorted set 'started', scored by its time, and those older than 'duration' ms are dropped. So at
-- most 'max' jobs start in *any* 'duration' ms (a fixed window counter, BullMQ's, lets up to
-- 2 x max through around a window's edge), and a limited taker learns exactly when the oldest
-- start leaves the window, to wait that long. It costs a member per start within the window,
-- hence the cap on max (MAX_RATE_LIMIT_MAX in names.ts). Both keys are in the queue's slot.
local limitMax, limitDuration
-- Jobs that may start now: nil without a limit (else 0 or more).
local function limitRoom()
  local limit = redis.call('HMGET', rateLimitKey, 'max', 'duration')
  limitMax, limitDuration = tonumber(limit[1]), tonumber(limit[2])
  if not limitMax or not limitDuration then return nil end
  redis.call('ZREMRANGEBYSCORE', startedKey, '-inf', now - limitDuration)
  return math.max(0, limitMax - redis.call('ZCARD', startedKey))
end
-- Milliseconds until another job may start (after limitRoom found none, or noteStarts used the last).
local function limitWait()
  local oldest = redis.call('ZRANGE', startedKey, 0, 0, 'WITHSCORES')
  if not oldest[2] then return 1 end
  return math.max(1, tonumber(oldest[2]) + limitDuration - now)
end
-- Records n starts in the window (after limitRoom found 'room'). Returns the third field of a
-- take's reply: -1 without a limit, 0 with room left, else the ms until another job may start.
local function noteStarts(n, room)
  if room == nil then return -1 end
  if n > 0 then
    -- One sequence number per take keeps members of takes in the same millisecond apart.
    local seq = redis.call('HINCRBY', rateLimitKey, 'seq', 1)
    for i = 1, n do redis.call('ZADD', startedKey, now, seq .. ':' .. i) end
    redis.call('PEXPIRE', startedKey, limitDuration)
  end
  if n < room then return 0 end
  return limitWait()
end
-- What a take replies: { 'paused', next due, -1 }, { 'limited', next due, ms until a job may
-- start }, or { 'ok', next due, rate limit (see noteStarts), then id, attempts, payload, level per job }.
-- A paused queue stays paused whatever its limit; a limited one takes at most its room.
local function takeReply(count, idsFrom)
  promote(100)
  if redis.call('EXISTS', paused) == 1 then return { 'paused', nextDue(), -1 } end
  local room = limitRoom()
  if room == 0 then return { 'limited', nextDue(), limitWait() } end
  if room and room < count then count = room end
  local out = take(count, idsFrom)
  local reply = { 'ok', nextDue(), noteStarts(#out / 4, room) }
  for _, value in ipairs(out) do reply[#reply + 1] = value end
  return reply
end
-- An in-flight job that was not acknowledged (its lease ended, or failJob): back to its level with
-- attempts + 1, at once or after its backoff, or to the dead letters once that reaches maxAttempts.
-- 0: not in flight, 1: returned, 2: dead.
local function retire(id, reason)
  local text = redis.call('HGET', inflight, id)
  redis.call('ZREM', leases, id)
  if not text then return 0 end
  redis.call('HDEL', inflight, id)
  local outcome = 0
  if redis.call('LREM', processing, -1, text) > 0 then
    local job = jobPrefix .. id
    local pid, attempts, payload = parse(text)
    if not pid then
      redis.call('RPUSH', queue, text)
      outcome = 1
    else
      local n = attempts + 1
      local bumped = envelope(pid, n, payload)
      if n >= maxAttempts then
        redis.call('LPUSH', dead, bumped)
        redis.call('HSET', job, 'state', 'dead', 'attempts', n, 'reason', reason, 'finishedAt', now)
        redis.call('HDEL', job, 'runAt')
        finish(id, job)
        outcome = 2
      else
        local delay = backoffDelay(job, n)
        redis.call('HSET', job, 'state', 'failed', 'attempts', n, 'reason', reason)
        if delay > 0 then
          redis.call('HSET', job, 'text', bumped, 'runAt', now + delay)
          redis.call('ZADD', delayed, now + delay, id)
        else
          local level = redis.call('HGET', job, 'priority')
          redis.call('RPUSH', levelKey(level), bumped)
          redis.call('HDEL', job, 'runAt')
          redis.call('PUBLISH', wakeChannel, level or 'normal')
        end
        redis.call('PEXPIRE', job, recordTtl + delay)
        outcome = 1
      end
      bump(id, job)
    end
  end
  redis.call(settledPublish, settledChannel, id)
  return outcome
end
`;

const body = (name: string, source: string) => luaScript(`queue_${name}`, `${PRELUDE}\n${source}`);

/**
 * Adds a job. ARGV from 10: id, envelope text, payload text, level, delay ms, backoff spec
 * (`fixed:<ms>:0`, `exponential:<ms>:<cap ms>` or ''), idempotency key (or '').
 * Returns { 1, id, runAt } when added; { 0, id of the job that holds the key } when the key is taken.
 * A job id that has a record already is this very enqueue run again (ids are random: ioredis sends
 * a command in flight again after a reconnect, when its first run's reply may be what was lost):
 * it answers as the first run did and adds nothing.
 */
export const ENQUEUE = body('enqueue', `
local id, text, payload, level, delay, backoff, key = ARGV[10], ARGV[11], ARGV[12], ARGV[13], tonumber(ARGV[14]), ARGV[15], ARGV[16]
if redis.call('EXISTS', jobPrefix .. id) == 1 then
  return { 1, id, tonumber(redis.call('HGET', jobPrefix .. id, 'runAt') or '0') }
end
if key ~= '' then
  local holder = redis.call('GET', idemPrefix .. key)
  if holder and redis.call('EXISTS', jobPrefix .. holder) == 1 then return { 0, holder } end
  redis.call('SET', idemPrefix .. key, id, 'PX', recordTtl + delay)
end
local job = jobPrefix .. id
redis.call('HSET', job, 'state', delay > 0 and 'delayed' or 'waiting', 'attempts', 0, 'payload', payload, 'createdAt', now)
if level ~= 'normal' then redis.call('HSET', job, 'priority', level) end
if backoff ~= '' then redis.call('HSET', job, 'backoff', backoff) end
if key ~= '' then redis.call('HSET', job, 'key', key) end
local runAt = 0
if delay > 0 then
  runAt = now + delay
  redis.call('HSET', job, 'text', text, 'runAt', runAt)
  redis.call('ZADD', delayed, runAt, id)
else
  redis.call('LPUSH', levelKey(level), text)
  redis.call('PUBLISH', wakeChannel, level)
end
redis.call('PEXPIRE', job, recordTtl + delay)
bump(id, job)
return { 1, id, runAt }
`);

/**
 * Takes up to ARGV[10] jobs (ARGV from 11: fresh ids for plain items, as many), no more than the
 * queue's rate limit lets start now. Returns { 'paused', next due, -1 }, { 'limited', next due,
 * ms until a job may start } or { 'ok', next due, rate limit, then id, attempts, payload, level
 * per job }; next due is how long (ms) until the earliest delayed job is due, -1 for none; rate
 * limit is -1 without one, 0 with room left, else the ms until another job may start.
 */
export const TAKE = body('take', `
return takeReply(tonumber(ARGV[10]), 11)
`);

/**
 * Records the item a blocking BLMOVE just moved from the queue's list into processing. When a job
 * of a more urgent level is waiting, or the queue is paused, the item goes back to the front of
 * the list as it was, and that job is taken instead (or nothing); when the rate limit lets no job
 * start now, it goes back too. ARGV from 10: the item as moved, then fresh ids (2). Returns what
 * TAKE returns, or { 'gone', next due } when the item is no longer in processing (a sweep
 * returned it after a very late record).
 */
export const CLAIM = body('claim', `
local raw = ARGV[10]
-- One copy of raw may be a job in flight already (someone pushed a copy of it); ours is another.
local rank = 1
local rawId = parse(raw)
if rawId and redis.call('HGET', inflight, rawId) == raw then rank = 2 end
if not redis.call('LPOS', processing, raw, 'RANK', rank) then return { 'gone', nextDue() } end
redis.call('LREM', processing, 1, raw)
promote(100)
if redis.call('EXISTS', paused) == 1 or redis.call('LLEN', KEYS[8]) > 0 or redis.call('LLEN', KEYS[9]) > 0 then
  redis.call('RPUSH', queue, raw)
  return takeReply(1, 11)
end
local room = limitRoom()
if room == 0 then
  redis.call('RPUSH', queue, raw)
  return { 'limited', nextDue(), limitWait() }
end
local id, attempts, payload = claimItem(raw, 11)
return { 'ok', nextDue(), noteStarts(1, room), id, attempts, payload, 'normal' }
`);

/**
 * Acknowledges jobs (each leaves processing for good, its record says completed, with its result
 * if one is given) and takes up to `count` more in the same step: a busy worker pays less than
 * one round trip per job. ARGV from 10: how many acknowledgements, then for each: id, 1 when a
 * result is given, result JSON text; then the take count, then fresh ids.
 * Returns { 1 or 0 (not in flight) per acknowledgement, then what TAKE returns (when count > 0) }.
 */
export const ACK = body('ack', `
local acks = tonumber(ARGV[10])
local reply = {}
for i = 0, acks - 1 do
  local id, hasResult, result = ARGV[11 + i * 3], ARGV[12 + i * 3] == '1', ARGV[13 + i * 3]
  local acked = 0
  local text = redis.call('HGET', inflight, id)
  if text then
    -- From the right: jobs are acknowledged roughly in the order they were taken, oldest on the right.
    redis.call('LREM', processing, -1, text)
    redis.call('HDEL', inflight, id)
    redis.call('ZREM', leases, id)
    local job = jobPrefix .. id
    redis.call('HSET', job, 'state', 'completed', 'finishedAt', now)
    if hasResult then redis.call('HSET', job, 'result', result) end
    finish(id, job)
    bump(id, job)
    redis.call(settledPublish, settledChannel, id)
    acked = 1
  end
  reply[#reply + 1] = acked
end
local countAt = 11 + acks * 3
local count = tonumber(ARGV[countAt])
if count == 0 then return reply end
for _, value in ipairs(takeReply(count, countAt + 1)) do reply[#reply + 1] = value end
return reply
`);

/**
 * Puts an in-flight job back at the front of its level as it was (attempts unchanged): for a job
 * that was taken but never reached anyone, or that a worker hands back when it stops.
 * ARGV from 10: id. Returns 1, or 0 when not in flight.
 */
export const RELEASE = body('release', `
local id = ARGV[10]
local text = redis.call('HGET', inflight, id)
if not text then return 0 end
redis.call('HDEL', inflight, id)
redis.call('ZREM', leases, id)
local job = jobPrefix .. id
if redis.call('LREM', processing, 1, text) > 0 then
  local level = redis.call('HGET', job, 'priority')
  redis.call('RPUSH', levelKey(level), text)
  redis.call('PUBLISH', wakeChannel, level or 'normal')
end
redis.call('HSET', job, 'state', 'waiting')
bump(id, job)
redis.call(settledPublish, settledChannel, id)
return 1
`);

/**
 * A worker could not process a job: it returns now (or after its backoff) with attempts + 1, or is
 * dead-lettered. ARGV from 10: id, reason. Returns 0: not in flight, 1: returned, 2: dead-lettered.
 */
export const FAIL = body('fail', `
return retire(ARGV[10], ARGV[11])
`);

/**
 * Records the progress of a job in flight. ARGV from 10: id, progress JSON text.
 * Returns 1, or 0 when the job is not in flight.
 */
export const PROGRESS = body('progress', `
local id = ARGV[10]
if redis.call('HEXISTS', inflight, id) == 0 then return 0 end
local job = jobPrefix .. id
redis.call('HSET', job, 'progress', ARGV[11])
bump(id, job)
return 1
`);

/**
 * One pass of the reaper over one queue.
 * 1. Due delayed jobs join their level.
 * 2. Jobs whose lease has ended go back with attempts + 1 (after their backoff), or to the dead letters.
 * 3. At most once per visibility timeout: items in processing with no lease (a consumer of an
 *    older version, or any client's BLMOVE, died between its take and its record) are noted;
 *    those already noted at the previous sweep return to the front of the queue as they are.
 *    Equal texts are interchangeable, so they are counted rather than told apart.
 * ARGV from 10: most leases to end in this pass.
 * Returns { returned, dead-lettered, orphans returned, 1 if more may be due, length of processing,
 * ms until the next delayed job is due (-1 for none), jobs delayed }.
 */
export const REAP = body('reap', `
local limit = tonumber(ARGV[10])
local promoted = promote(limit)
local returned, deadLettered, orphans = 0, 0, 0
local expired = redis.call('ZRANGEBYSCORE', leases, '-inf', now, 'LIMIT', 0, limit)
for _, id in ipairs(expired) do
  local outcome = retire(id, 'visibility timeout')
  if outcome == 1 then returned = returned + 1 elseif outcome == 2 then deadLettered = deadLettered + 1 end
end

local sweptAt = tonumber(redis.call('GET', sweptAtKey) or '0')
if now - sweptAt >= visibility and redis.call('LLEN', processing) > 0 then
  local claimed, unclaimed = {}, {}
  for _, text in ipairs(redis.call('LRANGE', processing, 0, -1)) do
    local id = parse(text)
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
  redis.call('PEXPIRE', suspects, visibility * 4)
  redis.call('SET', sweptAtKey, string.format('%d', now), 'PX', visibility * 4)
end
local more = (#expired == limit or promoted == limit) and 1 or 0
return { returned, deadLettered, orphans, more, redis.call('LLEN', processing), nextDue(), redis.call('ZCARD', delayed) }
`);

/**
 * Adds a queue to the registry (the reaper's work list), or refreshes its time, unless the
 * registry is full. KEYS: the registry. ARGV: queue name, most queues. Returns 1, or 0 when full.
 */
export const REGISTER_QUEUE = luaScript('queue_register', `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now, ARGV[1])
return 1
`);

/**
 * Drops a queue from the registry when nobody has registered it for `idleMs` and the caller saw
 * nothing in processing and nothing delayed. Takers refresh the registration far more often than
 * `idleMs` while they take jobs, and register again after a take that found one.
 * KEYS: the registry. ARGV: queue name, idleMs. Returns 1 when dropped.
 */
export const FORGET_QUEUE = luaScript('queue_forget', `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) < now - tonumber(ARGV[2]) then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 1
end
return 0
`);
