import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { AppError, ErrorCode, badInput } from '../errors/app-error.js';
import type { BlockingPool } from '../redis/blocking-pool.js';
import { type LateReplicas, type ReplicaAcks, replicaAcksOf, runLuaReplicated } from '../redis/replica-acks.js';
import { type LuaScript, runLua } from '../redis/lua.js';
import {
  QUEUE_REGISTRY_KEY,
  isReservedKey,
  jobSettledChannel,
  jobUpdatesChannelPrefix,
  queueKeys,
  slotTagOf,
  queueWakeChannel,
} from '../redis/keys.js';
import { type Job, type JobState, decodeItem, encodeEnvelope, encodePayload, newJobId, parsePayloadText } from './job-codec.js';
import {
  ACK,
  CLAIM,
  ENQUEUE,
  FAIL,
  FORGET_QUEUE,
  PRIORITY_LEVELS,
  PROGRESS,
  type PriorityLevel,
  REAP,
  REGISTER_QUEUE,
  RELEASE,
  TAKE,
} from './scripts.js';

/** Options of {@link createJobStore}. */
export interface JobStoreOptions {
  /** The command connection (never blocked). */
  redis: Redis;
  /** Where blocking waits (BLMOVE) of {@link JobStore.take} run. */
  blocking: BlockingPool;
  /** How long a taken job may stay unacknowledged before the reaper returns it. */
  visibilityTimeoutMs: number;
  /** Deliveries of a job before it is dead-lettered instead of returned. */
  maxAttempts: number;
  /** Largest `enqueue` payload (and `ackJob` result, `reportJobProgress` progress), as JSON text. */
  maxPayloadBytes: number;
  /** How long a finished job's record (state, result) and its idempotency key are kept. Default 1 h. */
  retentionMs?: number;
  /** Most queues in the registry (the reaper's work list) at once; beyond, new queues are refused. Default 10,000. */
  maxQueues?: number;
  /**
   * Replicas that must confirm each `enqueue` before it resolves (WAIT on the queue's node), so
   * that no acknowledged job is lost when its master fails over. Default none.
   */
  replicaAcks?: ReplicaAcks | null;
  /** PUBSUB_MODE: `sharded` makes the scripts SPUBLISH the queue-settled channel. Default `classic`. */
  pubsubMode?: 'classic' | 'sharded';
}

/** The settings {@link jobStoreSettings} reads. */
export type JobStoreConfig = Pick<
  Config,
  'jobVisibilityTimeoutMs' | 'jobMaxAttempts' | 'maxMessageBytes' | 'jobRetentionSeconds' | 'maxQueues' | 'redisWaitReplicas' | 'redisWaitTimeoutMs' | 'pubsubMode'
>;

/**
 * The options of {@link createJobStore} that the configuration sets, the same for the servers
 * and the worker command: a worker that missed one (PUBSUB_MODE) would announce settled jobs
 * where the servers' `jobs` subscribers do not listen.
 */
export function jobStoreSettings(config: JobStoreConfig, lateReplicas?: LateReplicas): Omit<JobStoreOptions, 'redis' | 'blocking'> {
  return {
    visibilityTimeoutMs: config.jobVisibilityTimeoutMs,
    maxAttempts: config.jobMaxAttempts,
    maxPayloadBytes: config.maxMessageBytes,
    replicaAcks: replicaAcksOf(config, 'job', lateReplicas),
    retentionMs: config.jobRetentionSeconds * 1000,
    maxQueues: config.maxQueues,
    pubsubMode: config.pubsubMode,
  };
}

/** How many jobs a queue holds, by state. */
export interface QueueCounts {
  /** Waiting to be taken, at every priority level (the queue's list and the other levels' lists). */
  waiting: number;
  /** Taken and not acknowledged yet. */
  processing: number;
  /** Out of attempts, in the dead-letter list. */
  dead: number;
  /** Waiting for their time: `delaySeconds`, or a retry's backoff. */
  delayed: number;
  /** Whether takers are held back (`pauseQueue`). */
  paused: boolean;
}

/** At most `max` jobs of a queue start in any `durationMs` milliseconds, over every taker. */
export interface RateLimit {
  max: number;
  durationMs: number;
}

/** What one reaper pass over a queue did. */
export interface ReapResult {
  /** Jobs whose visibility timeout passed, back in the queue (or waiting for their backoff) with attempts + 1. */
  returned: number;
  /** Jobs that ran out of attempts. */
  deadLettered: number;
  /** Items taken by a consumer that died before recording them, back in the queue as they were. */
  orphansReturned: number;
  /** Items left in processing. */
  processing: number;
  /** Jobs waiting for their time. */
  delayed: number;
  /** Milliseconds until the next delayed job is due; null when none is delayed. */
  nextDueInMs: number | null;
}

/** Outcome of {@link JobStore.fail}. */
export type FailOutcome = 'returned' | 'dead' | 'unknown';

/** How a job is retried after a failed attempt: at once (none), after a fixed delay, or a doubling one up to a cap. */
export type Backoff = { type: 'fixed'; delayMs: number } | { type: 'exponential'; delayMs: number; maxDelayMs: number | null };

/** Options of {@link JobStore.enqueue}. */
export interface EnqueueOptions {
  /** Run no sooner than this many seconds from now. Default 0. */
  delaySeconds?: number;
  /** Default `normal`. */
  priority?: PriorityLevel;
  /** Default: retry at once. */
  backoff?: Backoff | null;
  /** Idempotency key: no second job is added while one with this key is waiting, running or kept. */
  key?: string | null;
}

/** What {@link JobStore.enqueue} did. */
export interface EnqueueResult {
  /** The job added, or the one that holds the idempotency key. */
  job: Job;
  /** false: a job with that key exists, and `job` is that one. */
  created: boolean;
}

/** What a take found. */
export interface TakeResult {
  jobs: Job[];
  /** The queue is paused: nothing was taken. */
  paused: boolean;
  /** Milliseconds until the next delayed job is due; null when none is delayed. */
  nextDueInMs: number | null;
  /** The queue has a rate limit (`setQueueRateLimit`): takes beyond it get nothing. */
  rateLimited: boolean;
  /**
   * The rate limit lets no more jobs start now (none were taken, or this take used the last
   * room): milliseconds until another may. null: not limited now.
   */
  limitedForMs: number | null;
}

/**
 * A reliable queue on a plain Redis list. Producers LPUSH (through `enqueue` or any client);
 * consumers take from the right into a processing list in one script, so the order is that of
 * LPUSH + BRPOP, and a taken job stays in Redis until it is acknowledged. Unacknowledged jobs
 * return after the visibility timeout (see {@link JobStore.reap}).
 */
export interface JobStore {
  /**
   * Adds a job: LPUSH of an envelope with a fresh id onto its level's list, or into the delayed
   * set. @throws AppError BAD_USER_INPUT (too large; key of another type); RATE_LIMITED when the
   * registry of queues is full.
   */
  enqueue(queue: string, payload: unknown, options?: EnqueueOptions): Promise<EnqueueResult>;
  /** Takes up to `count` jobs that are ready now, most urgent first, without waiting. */
  takeNow(queue: string, count: number): Promise<TakeResult>;
  /**
   * Takes the next job, waiting up to `timeoutSeconds` (0: only if one is ready) on a pooled
   * connection. Resolves null on timeout, or when `signal` aborts: a job taken as the signal
   * aborted is put back at the front of the queue, untouched, so nothing is lost. (Servers wait
   * through the dispatcher instead, which shares one wait per queue.)
   */
  take(queue: string, timeoutSeconds: number, signal?: AbortSignal): Promise<Job | null>;
  /**
   * Waits up to `seconds` on `connection` (a pooled one) for an item of the queue's own list,
   * taking it with BLMOVE into processing (Redis hands each item to the client that has waited
   * longest), then records it; a job of a more urgent level waiting meanwhile is taken instead.
   * Resolves with no jobs on timeout, or when the wait is released with CLIENT UNBLOCK.
   */
  blockingTake(connection: Redis, queue: string, seconds: number): Promise<TakeResult>;
  /**
   * Removes an in-flight job for good, recording its result (JSON text) when given, and takes up
   * to `takeNext` more in the same round trip. `acked` false: it was not in flight (acknowledged
   * already, or returned / dead-lettered after its timeout, or never taken).
   */
  complete(queue: string, id: string, resultText: string | null, takeNext: number): Promise<{ acked: boolean; next: TakeResult | null }>;
  /** {@link JobStore.complete} for several jobs at once: `acked` has one entry per acknowledgement. */
  completeMany(
    queue: string,
    acks: ReadonlyArray<{ id: string; resultText: string | null }>,
    takeNext: number,
  ): Promise<{ acked: boolean[]; next: TakeResult | null }>;
  ack(queue: string, id: string, resultText?: string | null): Promise<boolean>;
  /** Puts an in-flight job back at the front of its level with attempts unchanged. false: not in flight. */
  release(queue: string, id: string): Promise<boolean>;
  /** Returns an in-flight job (at once or after its backoff) with attempts + 1, or dead-letters it when out of attempts. */
  fail(queue: string, id: string, reason: string): Promise<FailOutcome>;
  /** Records a job's progress (JSON text). false: the job is not in flight. */
  progress(queue: string, id: string, progressText: string): Promise<boolean>;
  /** The job's record, with its payload; null when unknown or no longer kept. */
  job(queue: string, id: string): Promise<Job | null>;
  /** The version of a job's record; null when unknown. */
  jobVersion(queue: string, id: string): Promise<number | null>;
  isInFlight(queue: string, id: string): Promise<boolean>;
  pause(queue: string): Promise<void>;
  resume(queue: string): Promise<void>;
  /**
   * Sets (or replaces) the queue's rate limit: from now on at most `max` jobs start in any
   * `durationMs`, counting every take of every instance and worker (the take scripts enforce
   * it). Waiting takers look again at once.
   */
  setRateLimit(queue: string, limit: RateLimit): Promise<void>;
  /** Removes the queue's rate limit; waiting takers take at once. false: it had none. */
  clearRateLimit(queue: string): Promise<boolean>;
  /** The queue's rate limit; null: none. */
  rateLimit(queue: string): Promise<RateLimit | null>;
  counts(queue: string): Promise<QueueCounts>;
  /** The dead-letter list, newest first. */
  deadJobs(queue: string, limit: number): Promise<Job[]>;
  /** @throws AppError BAD_USER_INPUT when the queue's key holds something other than a list. */
  assertList(queue: string): Promise<void>;
  /**
   * Moves due delayed jobs into their lists, returns jobs whose visibility timeout passed
   * (attempts + 1) or dead-letters them, and returns items that a consumer took but never
   * recorded once they have been unrecorded for a whole visibility timeout. Atomic per queue: any
   * number of processes may reap the same queue at once.
   */
  reap(queue: string): Promise<ReapResult>;
  /** Queues that hold or held jobs (the reaper's work list). */
  activeQueues(): Promise<string[]>;
  /** Drops a queue from that list when it has been idle for {@link QUEUE_IDLE_FORGET_MS}. */
  forgetIfIdle(queue: string): Promise<boolean>;
}

/** Most leases (and due jobs) one script call ends, so that a backlog never blocks Redis for long. */
const REAP_BATCH = 100;
/** Script calls per queue per reaper pass. */
const REAP_PASSES = 10;
/**
 * A queue leaves the reaper's list after this long without an enqueue or a take that found a
 * job, when nothing is in processing and nothing is delayed. Takers refresh their registration
 * every {@link REGISTER_REFRESH_MS} while they find jobs.
 */
export const QUEUE_IDLE_FORGET_MS = 10 * 60 * 1000;
/** How often one process refreshes a queue's place in the registry while it uses the queue. */
const REGISTER_REFRESH_MS = QUEUE_IDLE_FORGET_MS / 4;
/** Default of {@link JobStoreOptions.retentionMs}. */
export const DEFAULT_RETENTION_MS = 3600 * 1000;
/** Default of {@link JobStoreOptions.maxQueues}. */
export const DEFAULT_MAX_QUEUES = 10_000;
/** How long the record of a job that has not finished is kept (waiting, delayed, active), from its last change. */
const RECORD_TTL_MS = 30 * 24 * 3600 * 1000;
/** Longest single BLMOVE of {@link JobStore.take}; longer waits loop. */
const BLOCK_SLICE_SECONDS = 1;
/** Below this, BLMOVE's timeout would round to 0, which Redis reads as "for ever". */
const MIN_BLOCK_SECONDS = 0.001;

function isWrongType(error: unknown): boolean {
  return error instanceof Error && /^(ERR .*)?WRONGTYPE/.test(error.message);
}

const STATES = new Set<JobState>(['waiting', 'delayed', 'active', 'failed', 'completed', 'dead']);
const numberOrNull = (text: string | undefined) => (text === undefined || text === '' ? null : Number(text));

export function createJobStore(options: JobStoreOptions): JobStore {
  const { redis, blocking, visibilityTimeoutMs, maxAttempts, maxPayloadBytes } = options;
  const retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
  const maxQueues = options.maxQueues ?? DEFAULT_MAX_QUEUES;
  /** When this process last registered each queue (its own clock). */
  const registeredAt = new Map<string, number>();

  /** A WRONGTYPE from Redis as the client's mistake, naming what the key holds. */
  async function wrongType(queue: string): Promise<Error> {
    const type = await redis.type(queue).catch(() => 'another type');
    return badInput(`"${queue}" holds a ${type}, not a list; a queue is a Redis list.`, 'queue');
  }

  async function guard<T>(queue: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isWrongType(error)) throw await wrongType(queue);
      throw error;
    }
  }

  /**
   * The KEYS and first ARGV every queue script takes (the layout of PRELUDE in scripts.ts). With
   * `acks`, the script's WAIT goes right behind it in one pipeline (runLuaReplicated), so that a
   * WAIT re-sent on another connection can never confirm it.
   */
  function run(queue: string, lua: LuaScript, args: ReadonlyArray<string | number>, acks: ReplicaAcks | null = null): Promise<unknown> {
    const keys = queueKeys(queue);
    return guard(queue, () =>
      runLuaReplicated(
        redis,
        lua,
        [
          queue,
          keys.processing,
          keys.inflight,
          keys.leases,
          keys.dead,
          keys.delayed,
          keys.paused,
          keys.level('critical'),
          keys.level('high'),
          keys.level('low'),
          keys.suspects,
          keys.sweptAt,
          keys.rateLimit,
          keys.started,
        ],
        [
          keys.jobPrefix,
          jobUpdatesChannelPrefix(queue),
          queueWakeChannel(queue),
          `${options.pubsubMode === 'sharded' ? 'SPUBLISH ' : ''}${jobSettledChannel(queue)}`,
          keys.idempotencyPrefix,
          visibilityTimeoutMs,
          maxAttempts,
          retentionMs,
          RECORD_TTL_MS,
          ...args,
        ],
        acks,
      ),
    );
  }

  /**
   * Puts the queue in the reaper's work list (once per {@link REGISTER_REFRESH_MS} per process).
   * Only queues that hold jobs get here: an enqueue, or a take that found one.
   * @throws AppError RATE_LIMITED when the registry is full.
   */
  async function register(queue: string): Promise<void> {
    const now = performance.now();
    const last = registeredAt.get(queue);
    if (last !== undefined && now - last < REGISTER_REFRESH_MS) return;
    const added = Number(await runLua(redis, REGISTER_QUEUE, [QUEUE_REGISTRY_KEY], [queue, maxQueues]));
    if (added !== 1) {
      throw new AppError(
        ErrorCode.RateLimited,
        `Too many queues hold jobs: at most ${maxQueues} at once (MAX_QUEUES); use an existing queue, or wait for idle ones to be forgotten.`,
        { limit: maxQueues, setting: 'MAX_QUEUES' },
      );
    }
    if (registeredAt.size >= maxQueues) {
      for (const [name, at] of registeredAt) if (now - at >= REGISTER_REFRESH_MS) registeredAt.delete(name);
    }
    registeredAt.set(queue, now);
  }

  function freshIds(count: number): string[] {
    return Array.from({ length: count }, newJobId);
  }

  /** Reads TAKE's reply (from `offset`). */
  function readTake(queue: string, reply: unknown[], offset: number): TakeResult {
    const status = reply[offset];
    const due = Number(reply[offset + 1]);
    const nextDueInMs = due >= 0 ? due : null;
    // -1: no rate limit, 0: room left, else the ms until another job may start.
    const limit = Number(reply[offset + 2]);
    const limits = { rateLimited: limit >= 0, limitedForMs: limit > 0 ? limit : null };
    if (status === 'paused') return { jobs: [], paused: true, nextDueInMs, ...limits };
    if (status === 'limited') return { jobs: [], paused: false, nextDueInMs, ...limits };
    const jobs: Job[] = [];
    for (let i = offset + 3; i + 3 < reply.length; i += 4) {
      const [id, attempts, payloadText, level] = reply.slice(i, i + 4) as [string, number, string, string];
      jobs.push({ id, queue, payload: parsePayloadText(payloadText), attempts: Number(attempts), state: 'active', priority: level });
    }
    return { jobs, paused: false, nextDueInMs, ...limits };
  }

  /** After a take found jobs: the queue must be in the registry, or the jobs go straight back. */
  async function registerTaken(queue: string, result: TakeResult): Promise<TakeResult> {
    if (result.jobs.length === 0) return result;
    try {
      await register(queue);
    } catch (error) {
      await Promise.all(result.jobs.map((job) => release(queue, job.id)));
      throw error;
    }
    return result;
  }

  async function takeNow(queue: string, count: number): Promise<TakeResult> {
    const reply = (await run(queue, TAKE, [count, ...freshIds(count)])) as unknown[];
    return registerTaken(queue, readTake(queue, reply, 0));
  }

  const release = async (queue: string, id: string) => Number(await run(queue, RELEASE, [id])) === 1;

  const NOTHING: TakeResult = { jobs: [], paused: false, nextDueInMs: null, rateLimited: false, limitedForMs: null };

  async function blockingTake(connection: Redis, queue: string, seconds: number): Promise<TakeResult> {
    const { processing } = queueKeys(queue);
    // RIGHT -> LEFT: the oldest item of an LPUSH queue, as BRPOP would take it. The item is in
    // processing the moment it leaves the queue (a consumer that dies before the record below
    // leaves it to the reaper's sweep); CLIENT UNBLOCK makes this return null as on timeout.
    const raw = await guard(queue, () => connection.blmove(queue, processing, 'RIGHT', 'LEFT', Math.max(MIN_BLOCK_SECONDS, seconds).toFixed(3)));
    if (raw === null) return NOTHING;
    const reply = (await run(queue, CLAIM, [raw, ...freshIds(2)])) as unknown[];
    if (reply[0] === 'gone') return NOTHING;
    return registerTaken(queue, readTake(queue, reply, 0));
  }

  function checkText(text: string, what: string, field: string): void {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > maxPayloadBytes) throw badInput(`Job ${what} is ${bytes} bytes as JSON; the limit is ${maxPayloadBytes}.`, field);
  }

  return {
    async enqueue(queue, payload, enqueueOptions = {}) {
      const payloadText = encodePayload(payload, maxPayloadBytes);
      const id = newJobId();
      const delayMs = Math.round((enqueueOptions.delaySeconds ?? 0) * 1000);
      const level = enqueueOptions.priority ?? 'normal';
      const backoff = enqueueOptions.backoff;
      const spec = !backoff ? '' : backoff.type === 'fixed' ? `fixed:${backoff.delayMs}:0` : `exponential:${backoff.delayMs}:${backoff.maxDelayMs ?? 0}`;
      await register(queue);
      const [added, holder, runAt] = (await run(queue, ENQUEUE, [
        id,
        encodeEnvelope(id, 0, payloadText),
        payloadText,
        level,
        delayMs,
        spec,
        enqueueOptions.key ?? '',
      ], options.replicaAcks ?? null)) as [number, string, number];
      if (Number(added) === 1) {
        return {
          created: true,
          job: {
            id,
            queue,
            payload,
            attempts: 0,
            state: delayMs > 0 ? 'delayed' : 'waiting',
            priority: level,
            runAt: delayMs > 0 ? Number(runAt) : null,
            key: enqueueOptions.key ?? null,
          },
        };
      }
      const existing = await this.job(queue, holder);
      return { created: false, job: existing ?? { id: holder, queue, payload, attempts: 0, key: enqueueOptions.key ?? null } };
    },

    takeNow,

    async take(queue, timeoutSeconds, signal) {
      const deadline = performance.now() + timeoutSeconds * 1000;
      for (;;) {
        if (signal?.aborted) return null;
        const { jobs, paused, limitedForMs } = await takeNow(queue, 1);
        const job = jobs[0];
        if (job) {
          // Taken as the signal aborted: nobody will see it, so it goes back untouched.
          if (signal?.aborted) {
            await release(queue, job.id);
            return null;
          }
          return job;
        }
        const remaining = (deadline - performance.now()) / 1000;
        if (remaining < MIN_BLOCK_SECONDS) return null;
        const slice = Math.min(remaining, BLOCK_SLICE_SECONDS);
        let taken: Job | undefined;
        try {
          if (paused) await new Promise((resolve) => setTimeout(resolve, slice * 1000));
          // Rate limited: no take can succeed before the window has room (+1 ms for Redis's clock).
          else if (limitedForMs !== null) await new Promise((resolve) => setTimeout(resolve, Math.min(slice * 1000, limitedForMs + 1)));
          else taken = (await blocking.run(({ redis: connection }) => blockingTake(connection, queue, slice), signal, queue)).jobs[0];
        } catch (error) {
          // Aborted while waiting for a pooled connection: nothing was taken.
          if (signal?.aborted && error === signal.reason) return null;
          throw error;
        }
        if (taken) {
          if (signal?.aborted) {
            await release(queue, taken.id);
            return null;
          }
          return taken;
        }
      }
    },

    blockingTake,

    async complete(queue, id, resultText, takeNext) {
      const { acked, next } = await this.completeMany(queue, [{ id, resultText }], takeNext);
      return { acked: acked[0] === true, next };
    },

    async completeMany(queue, acks, takeNext) {
      const args: Array<string | number> = [acks.length];
      for (const { id, resultText } of acks) {
        if (resultText !== null) checkText(resultText, 'result', 'result');
        args.push(id, resultText === null ? '0' : '1', resultText ?? '');
      }
      args.push(takeNext, ...freshIds(takeNext));
      const reply = (await run(queue, ACK, args)) as unknown[];
      const acked = reply.slice(0, acks.length).map((flag) => Number(flag) === 1);
      if (takeNext === 0) return { acked, next: null };
      return { acked, next: await registerTaken(queue, readTake(queue, reply, acks.length)) };
    },

    async ack(queue, id, resultText = null) {
      return (await this.complete(queue, id, resultText, 0)).acked;
    },

    release,

    async fail(queue, id, reason) {
      const outcome = Number(await run(queue, FAIL, [id, reason]));
      return outcome === 1 ? 'returned' : outcome === 2 ? 'dead' : 'unknown';
    },

    async progress(queue, id, progressText) {
      checkText(progressText, 'progress', 'progress');
      return Number(await run(queue, PROGRESS, [id, progressText])) === 1;
    },

    async job(queue, id) {
      const record = await redis.hgetall(queueKeys(queue).job(id));
      const state = record.state as JobState | undefined;
      if (!state || !STATES.has(state)) return null;
      return {
        id,
        queue,
        payload: record.payload === undefined ? null : parsePayloadText(record.payload),
        attempts: Number(record.attempts ?? 0),
        state,
        priority: record.priority ?? 'normal',
        runAt: numberOrNull(record.runAt),
        progressText: record.progress ?? null,
        resultText: record.result ?? null,
        failedReason: record.reason ?? null,
        key: record.key ?? null,
        createdAt: numberOrNull(record.createdAt),
        startedAt: numberOrNull(record.startedAt),
        finishedAt: numberOrNull(record.finishedAt),
        version: Number(record.v ?? 0),
      };
    },

    async jobVersion(queue, id) {
      const version = await redis.hget(queueKeys(queue).job(id), 'v');
      return version === null ? null : Number(version);
    },

    async isInFlight(queue, id) {
      return (await redis.hexists(queueKeys(queue).inflight, id)) === 1;
    },

    async pause(queue) {
      await redis.set(queueKeys(queue).paused, '1');
    },

    async resume(queue) {
      await redis.del(queueKeys(queue).paused);
      await redis.publish(queueWakeChannel(queue), 'resumed');
    },

    async setRateLimit(queue, limit) {
      await redis.hset(queueKeys(queue).rateLimit, 'max', limit.max, 'duration', limit.durationMs);
      await redis.publish(queueWakeChannel(queue), 'limit');
    },

    async clearRateLimit(queue) {
      const keys = queueKeys(queue);
      // The window's starts go too: a limit set later counts from then.
      const removed = await redis.del(keys.rateLimit, keys.started);
      await redis.publish(queueWakeChannel(queue), 'limit');
      return removed > 0;
    },

    async rateLimit(queue) {
      const [max, duration] = await redis.hmget(queueKeys(queue).rateLimit, 'max', 'duration');
      return max && duration ? { max: Number(max), durationMs: Number(duration) } : null;
    },

    async counts(queue) {
      const keys = queueKeys(queue);
      const levels = PRIORITY_LEVELS.map((level) => (level === 'normal' ? queue : keys.level(level)));
      const replies = await guard(queue, () =>
        Promise.all([
          ...levels.map((key) => redis.llen(key)),
          redis.llen(keys.processing),
          redis.llen(keys.dead),
          redis.zcard(keys.delayed),
          redis.exists(keys.paused),
        ]),
      );
      const waiting = replies.slice(0, levels.length).reduce((sum, n) => sum + n, 0);
      const [processing = 0, dead = 0, delayed = 0, paused = 0] = replies.slice(levels.length);
      return { waiting, processing, dead, delayed, paused: paused === 1 };
    },

    async deadJobs(queue, limit) {
      const texts = await redis.lrange(queueKeys(queue).dead, 0, limit - 1);
      const jobs: Job[] = [];
      for (const text of texts) {
        const item = decodeItem(text);
        // Only the scripts write here, always envelopes; anything else was put there by hand.
        if (item.kind === 'envelope') jobs.push({ id: item.id, queue, payload: item.payload, attempts: item.attempts, state: 'dead' });
      }
      return jobs;
    },

    async assertList(queue) {
      const type = await redis.type(queue);
      if (type !== 'list' && type !== 'none') throw await wrongType(queue);
    },

    async reap(queue) {
      const total: ReapResult = { returned: 0, deadLettered: 0, orphansReturned: 0, processing: 0, delayed: 0, nextDueInMs: null };
      for (let pass = 0; pass < REAP_PASSES; pass++) {
        const [returned = 0, deadLettered = 0, orphans = 0, more = 0, processing = 0, nextDue = -1, delayed = 0] = (await run(queue, REAP, [
          REAP_BATCH,
        ])) as number[];
        total.returned += returned;
        total.deadLettered += deadLettered;
        total.orphansReturned += orphans;
        total.processing = processing;
        total.delayed = delayed;
        total.nextDueInMs = nextDue >= 0 ? nextDue : null;
        if (!more) break;
      }
      return total;
    },

    async activeQueues() {
      const names = await redis.zrange(QUEUE_REGISTRY_KEY, 0, -1);
      // Only validated names are added; skip anything written there by hand.
      return names.filter((name) => slotTagOf(name) !== null && !isReservedKey(name));
    },

    async forgetIfIdle(queue) {
      const forgotten = Number(await runLua(redis, FORGET_QUEUE, [QUEUE_REGISTRY_KEY], [queue, QUEUE_IDLE_FORGET_MS])) === 1;
      if (forgotten) registeredAt.delete(queue);
      return forgotten;
    },
  };
}
