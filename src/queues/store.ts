import type { Redis } from 'ioredis';
import { badInput } from '../graphql/errors.js';
import type { BlockingPool } from '../redis/blocking-pool.js';
import { QUEUE_REGISTRY_KEY, isReservedKey, jobSettledChannel, queueKeys, queueSlotTag } from '../redis/keys.js';
import { type Job, decodeItem, encodeEnvelope, encodePayload, newJobId } from './job-codec.js';
import { ACK, CLAIM, FAIL, FORGET_QUEUE, MARK_QUEUE, REAP, RELEASE, runScript } from './scripts.js';

/** Options of {@link createJobStore}. */
export interface JobStoreOptions {
  /** The command connection (never blocked). */
  redis: Redis;
  /** Where blocking takes (BLMOVE) wait. */
  blocking: BlockingPool;
  /** How long a taken job may stay unacknowledged before the reaper returns it. */
  visibilityTimeoutMs: number;
  /** Deliveries of a job before it is dead-lettered instead of returned. */
  maxAttempts: number;
  /** Largest `enqueue` payload, as JSON text. */
  maxPayloadBytes: number;
}

/** How many jobs a queue holds, by state. */
export interface QueueCounts {
  /** In the queue list, waiting to be taken (LLEN of the list). */
  waiting: number;
  /** Taken and not acknowledged yet. */
  processing: number;
  /** Out of attempts, in the dead-letter list. */
  dead: number;
}

/** What one reaper pass over a queue did. */
export interface ReapResult {
  /** Jobs whose visibility timeout passed, back in the queue with attempts + 1. */
  returned: number;
  /** Jobs that ran out of attempts. */
  deadLettered: number;
  /** Items taken by a consumer that died before recording them, back in the queue as they were. */
  orphansReturned: number;
  /** Items left in processing. */
  processing: number;
}

/** Outcome of {@link JobStore.fail}. */
export type FailOutcome = 'returned' | 'dead' | 'unknown';

/**
 * A reliable queue on a plain Redis list. Producers LPUSH (through `enqueue` or any client);
 * consumers take from the right with BLMOVE into a processing list, so the order is that of
 * LPUSH + BRPOP, and a taken job stays in Redis until it is acknowledged. Unacknowledged jobs
 * return after the visibility timeout (see {@link JobStore.reap}).
 */
export interface JobStore {
  /** LPUSHes a job envelope with a fresh id. @throws AppError BAD_USER_INPUT (too large; key of another type). */
  enqueue(queue: string, payload: unknown): Promise<Job>;
  /**
   * Takes the next job, waiting up to `timeoutSeconds` (0: only if one is waiting) on a pooled
   * connection. Resolves null on timeout, or when `signal` aborts: a job taken as the signal
   * aborted is put back at the front of the queue, untouched, so nothing is lost.
   * @throws AppError BAD_USER_INPUT when the key holds another type; the pool's errors.
   */
  take(queue: string, timeoutSeconds: number, signal?: AbortSignal): Promise<Job | null>;
  /** Removes an in-flight job for good. false: it is not in flight (acknowledged already, or returned / dead-lettered after its timeout, or never taken). */
  ack(queue: string, id: string): Promise<boolean>;
  /** Puts an in-flight job back at the front of its queue with attempts unchanged. false: not in flight. */
  release(queue: string, id: string): Promise<boolean>;
  /** Returns an in-flight job now with attempts + 1, or dead-letters it when out of attempts. */
  fail(queue: string, id: string): Promise<FailOutcome>;
  isInFlight(queue: string, id: string): Promise<boolean>;
  counts(queue: string): Promise<QueueCounts>;
  /** The dead-letter list, newest first. */
  deadJobs(queue: string, limit: number): Promise<Job[]>;
  /** @throws AppError BAD_USER_INPUT when the queue's key holds something other than a list. */
  assertList(queue: string): Promise<void>;
  /**
   * Returns jobs whose visibility timeout passed (attempts + 1) or dead-letters them, and returns
   * items that a consumer took but never recorded (it died between BLMOVE and its claim) once
   * they have been unrecorded for a whole visibility timeout. Atomic per queue: any number of
   * processes may reap the same queue at once.
   */
  reap(queue: string): Promise<ReapResult>;
  /** Queues that consumers take from (the reaper's work list). */
  activeQueues(): Promise<string[]>;
  /** Drops a queue from that list when it has been idle for {@link QUEUE_IDLE_FORGET_MS}. */
  forgetIfIdle(queue: string): Promise<boolean>;
}

/** Most leases one script call ends, so that a backlog never blocks Redis for long. */
const REAP_BATCH = 100;
/** Script calls per queue per reaper pass. */
const REAP_PASSES = 10;
/**
 * A queue leaves the reaper's list after this long without a take (and with nothing in
 * processing). Every BLMOVE is preceded by a mark and lasts at most BLOCK_SLICE_SECONDS, so far
 * less would do to be sure no take is half done when its queue is dropped; this is generous.
 */
export const QUEUE_IDLE_FORGET_MS = 2 * 3600 * 1000;
/** A claim retries with a fresh id when someone pushed a copy of an in-flight job; more is absurd. */
const CLAIM_TRIES = 5;
/** Longest single BLMOVE of a take; longer waits loop. */
const BLOCK_SLICE_SECONDS = 5;
/** Below this, BLMOVE's timeout would round to 0, which Redis reads as "for ever". */
const MIN_BLOCK_SECONDS = 0.001;

function isWrongType(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('WRONGTYPE');
}

export function createJobStore(options: JobStoreOptions): JobStore {
  const { redis, blocking, visibilityTimeoutMs, maxAttempts, maxPayloadBytes } = options;

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

  const mark = (queue: string) => runScript(redis, MARK_QUEUE, [QUEUE_REGISTRY_KEY], [queue]);

  /** Records an item just moved into processing; null when a sweep already gave it back. */
  async function claim(queue: string, raw: string): Promise<Job | null> {
    const keys = queueKeys(queue);
    const item = decodeItem(raw);
    const attempts = item.kind === 'envelope' ? item.attempts : 0;
    const rawId = item.kind === 'envelope' ? item.id : '';
    let id = item.kind === 'envelope' ? item.id : newJobId();
    let stamped = item.kind === 'envelope' ? raw : encodeEnvelope(id, 0, item.payloadText);
    for (let tries = 0; tries < CLAIM_TRIES; tries++) {
      const result = Number(
        await runScript(redis, CLAIM, [keys.processing, keys.inflight, keys.leases], [raw, stamped, id, rawId, visibilityTimeoutMs]),
      );
      if (result === 1) return { id, queue, payload: item.payload, attempts };
      if (result === 0) return null;
      id = newJobId();
      stamped = encodeEnvelope(id, attempts, item.payloadText);
    }
    throw new Error(`could not give a job of queue ${JSON.stringify(queue)} a free id`);
  }

  const release = async (queue: string, id: string) => {
    const keys = queueKeys(queue);
    return (
      Number(await runScript(redis, RELEASE, [keys.processing, keys.inflight, keys.leases, queue], [id, jobSettledChannel(queue)])) === 1
    );
  };

  /** A job handed to nobody because the taker's signal aborted goes straight back. */
  async function keepOrPutBack(job: Job | null, signal: AbortSignal | undefined): Promise<Job | null> {
    if (job && signal?.aborted) {
      await release(job.queue, job.id);
      return null;
    }
    return job;
  }

  return {
    async enqueue(queue, payload) {
      const payloadText = encodePayload(payload, maxPayloadBytes);
      const id = newJobId();
      await guard(queue, () => redis.lpush(queue, encodeEnvelope(id, 0, payloadText)));
      return { id, queue, payload, attempts: 0 };
    },

    async take(queue, timeoutSeconds, signal) {
      const { processing } = queueKeys(queue);
      if (timeoutSeconds === 0) {
        return guard(queue, async () => {
          for (;;) {
            if (signal?.aborted) return null;
            await mark(queue);
            // Non-blocking: the command connection will do, no pooled connection is held.
            const raw = await redis.lmove(queue, processing, 'RIGHT', 'LEFT');
            if (raw === null) return null;
            const job = await claim(queue, raw);
            if (job) return keepOrPutBack(job, signal);
          }
        });
      }
      const deadline = performance.now() + timeoutSeconds * 1000;
      let job: Job | null;
      try {
        job = await guard(queue, () =>
          blocking.run(async ({ redis: connection }) => {
            for (;;) {
              await mark(queue);
              // Checked after every await: an abort before the BLMOVE blocks has nothing to unblock.
              const remaining = (deadline - performance.now()) / 1000;
              if (signal?.aborted || remaining < MIN_BLOCK_SECONDS) return null;
              // RIGHT -> LEFT: the oldest item of an LPUSH queue, as BRPOP would take it. The
              // item is in processing the moment it leaves the queue; CLIENT UNBLOCK (the signal)
              // makes this return null as on timeout. Waits are cut into slices so that an
              // UNBLOCK that overtook its BLMOVE (they travel on different connections) costs
              // one slice at most, and so that the queue's registry mark stays fresh.
              const slice = Math.min(remaining, BLOCK_SLICE_SECONDS);
              const raw = await connection.blmove(queue, processing, 'RIGHT', 'LEFT', slice.toFixed(3));
              if (raw === null) {
                if (slice < remaining) continue;
                return null;
              }
              const claimed = await claim(queue, raw);
              if (claimed) return claimed;
            }
          }, signal),
        );
      } catch (error) {
        // Aborted while waiting for a pooled connection: nothing was taken.
        if (signal?.aborted && error === signal.reason) return null;
        throw error;
      }
      return keepOrPutBack(job, signal);
    },

    async ack(queue, id) {
      const keys = queueKeys(queue);
      return Number(await runScript(redis, ACK, [keys.processing, keys.inflight, keys.leases], [id, jobSettledChannel(queue)])) === 1;
    },

    release,

    async fail(queue, id) {
      const keys = queueKeys(queue);
      const outcome = Number(
        await runScript(redis, FAIL, [keys.processing, keys.inflight, keys.leases, queue, keys.dead], [id, maxAttempts, jobSettledChannel(queue)]),
      );
      return outcome === 1 ? 'returned' : outcome === 2 ? 'dead' : 'unknown';
    },

    async isInFlight(queue, id) {
      return (await redis.hexists(queueKeys(queue).inflight, id)) === 1;
    },

    async counts(queue) {
      const keys = queueKeys(queue);
      const [waiting, processing, dead] = await guard(queue, () =>
        Promise.all([redis.llen(queue), redis.llen(keys.processing), redis.llen(keys.dead)]),
      );
      return { waiting, processing, dead };
    },

    async deadJobs(queue, limit) {
      const texts = await redis.lrange(queueKeys(queue).dead, 0, limit - 1);
      const jobs: Job[] = [];
      for (const text of texts) {
        const item = decodeItem(text);
        // Only the reaper writes here, always envelopes; anything else was put there by hand.
        if (item.kind === 'envelope') jobs.push({ id: item.id, queue, payload: item.payload, attempts: item.attempts });
      }
      return jobs;
    },

    async assertList(queue) {
      const type = await redis.type(queue);
      if (type !== 'list' && type !== 'none') throw await wrongType(queue);
    },

    async reap(queue) {
      const keys = queueKeys(queue);
      const total: ReapResult = { returned: 0, deadLettered: 0, orphansReturned: 0, processing: 0 };
      for (let pass = 0; pass < REAP_PASSES; pass++) {
        const [returned = 0, deadLettered = 0, orphans = 0, more = 0, processing = 0] = (await runScript(
          redis,
          REAP,
          [keys.processing, keys.inflight, keys.leases, queue, keys.dead, keys.suspects, keys.sweptAt],
          [maxAttempts, REAP_BATCH, visibilityTimeoutMs, jobSettledChannel(queue)],
        )) as number[];
        total.returned += returned;
        total.deadLettered += deadLettered;
        total.orphansReturned += orphans;
        total.processing = processing;
        if (!more) break;
      }
      return total;
    },

    async activeQueues() {
      const names = await redis.zrange(QUEUE_REGISTRY_KEY, 0, -1);
      // Only takes add names, after validating them; skip anything written there by hand.
      return names.filter((name) => queueSlotTag(name) !== null && !isReservedKey(name));
    },

    async forgetIfIdle(queue) {
      return Number(await runScript(redis, FORGET_QUEUE, [QUEUE_REGISTRY_KEY], [queue, QUEUE_IDLE_FORGET_MS])) === 1;
    },
  };
}
