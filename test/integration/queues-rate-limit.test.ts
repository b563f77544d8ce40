import { afterEach, describe, expect, it } from 'vitest';
import { queueKeys } from '../../src/redis/keys.js';
import { graphql } from '../gql/index.js';
import { commandCalls, suiteBackend } from '../support/backend.js';
import type { CommandProcess } from '../support/commands.js';
import { codes, post, postData, subscription } from '../support/graphql.js';
import { redisNowMs } from '../support/queues.js';
import type { TestServer } from '../support/server.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';

// Per-queue rate limits (setQueueRateLimit): at most `max` jobs start in any `durationMs`, over
// every taker of every instance and every worker, enforced in the take scripts. Takers on two
// instances (a `jobs` subscription, a `dequeue` loop) and a worker process share each queue; the
// jobs' start times are read from their records, which the take scripts stamp on Redis's clock.
// Also run on a 3+3 Redis Cluster by cluster-queues-rate-limit.test.ts.

const bed = useServers({
  backend: suiteBackend(),
  servers: 2,
  config: { dequeueMaxTimeoutSeconds: 30 },
  users: [{ name: 'limitadmin', roles: ['admin'] }, 'limituser'],
});
const { redis, servers: [a, b], users: [admin, user] } = bed;

const SET_LIMIT = graphql(`
  mutation RateLimitSet($q: String!, $max: Int!, $ms: Int!) {
    setQueueRateLimit(queue: $q, max: $max, durationMs: $ms) {
      queue
      max
      durationMs
    }
  }
`);
const CLEAR_LIMIT = graphql(`
  mutation RateLimitClear($q: String!) {
    clearQueueRateLimit(queue: $q)
  }
`);
const STATS = graphql(`
  query RateLimitStats($q: String!) {
    queueStats(queue: $q) {
      waiting
      processing
      paused
      rateLimit {
        max
        durationMs
      }
    }
  }
`);
const ENQUEUE = graphql(`
  mutation RateLimitEnqueue($q: String!, $p: JSON!) {
    enqueue(queue: $q, payload: $p) {
      id
    }
  }
`);
const DEQUEUE = graphql(`
  mutation RateLimitDequeue($q: String!, $t: Float) {
    dequeue(queue: $q, timeoutSeconds: $t) {
      id
      payload
    }
  }
`);
const ACK = graphql(`
  mutation RateLimitAck($q: String!, $id: ID!) {
    ackJob(queue: $q, id: $id)
  }
`);
const JOBS = graphql(`
  subscription RateLimitJobs($q: String!, $c: Int) {
    jobs(queue: $q, concurrency: $c) {
      id
      payload
    }
  }
`);
const PAUSE = graphql(`
  mutation RateLimitPause($q: String!) {
    pauseQueue(queue: $q)
  }
`);
const RESUME = graphql(`
  mutation RateLimitResume($q: String!) {
    resumeQueue(queue: $q)
  }
`);

const setLimit = (queue: string, max: number, ms: number) => postData(a.httpUrl, SET_LIMIT, { q: queue, max, ms }, admin.token);
const stats = async (queue: string) => (await postData(b.httpUrl, STATS, { q: queue }, admin.token)).queueStats;
const ack = (server: TestServer, queue: string, id: string) => postData(server.httpUrl, ACK, { q: queue, id }, user.token);

/** A job one of the takers got: which taker, and its payload's n. */
interface Delivery {
  id: string;
  n: number;
  by: 'jobs' | 'dequeue' | 'worker';
}

/**
 * Three takers of `queue` at once: a `jobs` subscription (concurrency 3) on instance a, a
 * `dequeue` loop on instance b, and a worker process (concurrency 2), each acknowledging every job
 * it gets. `stop()` ends them and returns every delivery.
 */
async function startTakers(queue: string) {
  const deliveries: Delivery[] = [];
  let stopped = false;
  const client = bed.wsClient(a, user.token);
  const sub = subscription(client, JOBS, { q: queue, c: 3 });
  const acking = (async () => {
    let seen = 0;
    while (!stopped || seen < sub.events.length) {
      // Short waits, so that stop() is seen soon.
      await sub.waitForEvents(seen + 1, 200).catch(() => undefined);
      for (; seen < sub.events.length; seen++) {
        const job = sub.events[seen]?.data?.jobs;
        if (!job) throw new Error(`jobs sent no job: ${JSON.stringify(sub.events[seen])}`);
        deliveries.push({ id: job.id, n: (job.payload as { n: number }).n, by: 'jobs' });
        await ack(a, queue, job.id);
      }
      if (stopped) break;
    }
  })();
  const dequeueing = (async () => {
    while (!stopped) {
      const job = (await postData(b.httpUrl, DEQUEUE, { q: queue, t: 1 }, user.token)).dequeue;
      if (!job) continue;
      deliveries.push({ id: job.id, n: (job.payload as { n: number }).n, by: 'dequeue' });
      await ack(b, queue, job.id);
    }
  })();
  const worker: CommandProcess = bed.startCommand('worker', ['--queue', queue, '--concurrency', '2']);
  await worker.ready();
  // Both instances' takers are waiting before any job is added.
  await until(() => a.app.services.queues.dispatcher.waiting >= 1 && b.app.services.queues.dispatcher.waiting >= 1, 'both instances to wait');
  return {
    deliveries: () => [
      ...deliveries,
      ...worker.lines.map((line) => {
        const job = JSON.parse(line) as { id: string; payload: { n: number } };
        return { id: job.id, n: job.payload.n, by: 'worker' as const };
      }),
    ],
    async stop() {
      stopped = true;
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toBe(0);
      await dequeueing;
      sub.dispose();
      await acking;
    },
  };
}

/** Adds `count` jobs {n}: half through `enqueue` (both instances), half as plain LPUSHed items. */
async function addJobs(queue: string, count: number): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, (_, n) =>
      n % 2 ? redis.client.lpush(queue, JSON.stringify({ n })) : postData((n % 4 ? a : b).httpUrl, ENQUEUE, { q: queue, p: { n } }, user.token),
    ),
  );
}

/** When each job started (its record's startedAt: Redis's clock, ms), sorted. */
async function startTimes(queue: string, ids: readonly string[]): Promise<number[]> {
  const times = await Promise.all(ids.map(async (id) => Number(await redis.client.hget(queueKeys(queue).job(id), 'startedAt'))));
  return times.sort((x, y) => x - y);
}

/** The most starts within any `windowMs` (a window beginning at each start). */
function busiestWindow(times: readonly number[], windowMs: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[j] ?? Infinity) < (times[i] ?? 0) + windowMs) j++;
    most = Math.max(most, j - i);
  }
  return most;
}

/** Every job 0..count-1 delivered exactly once, each under an id of its own, and completed. */
async function expectEachOnce(queue: string, deliveries: readonly Delivery[], count: number): Promise<void> {
  expect(deliveries.map((delivery) => delivery.n).sort((x, y) => x - y)).toEqual(Array.from({ length: count }, (_, n) => n));
  expect(new Set(deliveries.map((delivery) => delivery.id)).size).toBe(count);
  const states = await Promise.all(deliveries.map((delivery) => redis.client.hmget(queueKeys(queue).job(delivery.id), 'state', 'attempts')));
  expect(states.every(([state, attempts]) => state === 'completed' && attempts === '0')).toBe(true);
  expect(await stats(queue)).toMatchObject({ waiting: 0, processing: 0 });
}

let running: Awaited<ReturnType<typeof startTakers>> | null = null;
afterEach(async () => {
  await running?.stop().catch(() => undefined);
  running = null;
});

describe('setQueueRateLimit', () => {
  it('lets at most 5 jobs start in any second over two instances and a worker, each job once; without a limit all start at once', async () => {
    const count = 30;
    // Baseline, the same takers and jobs: nothing holds them back.
    running = await startTakers('unlimited');
    await addJobs('unlimited', count);
    await until(() => running!.deliveries().length === count, 'the unlimited jobs to be taken', 30_000);
    await until(async () => (await stats('unlimited')).processing === 0, 'the unlimited jobs to be acknowledged');
    const free = running.deliveries();
    await running.stop();
    running = null;
    await expectEachOnce('unlimited', free, count);
    const freeTimes = await startTimes('unlimited', free.map((delivery) => delivery.id));
    expect(busiestWindow(freeTimes, 1000)).toBeGreaterThan(5);

    const queue = 'limited';
    expect(await setLimit(queue, 5, 1000)).toEqual({ setQueueRateLimit: { queue, max: 5, durationMs: 1000 } });
    expect((await stats(queue)).rateLimit).toEqual({ max: 5, durationMs: 1000 });
    running = await startTakers(queue);
    const scriptsBefore = await commandCalls(redis, 'evalsha');
    const addedAt = await redisNowMs(redis.client);
    await addJobs(queue, count);
    await until(() => running!.deliveries().length === count, 'the limited jobs to be taken', 60_000);
    await until(async () => (await stats(queue)).processing === 0, 'the limited jobs to be acknowledged');
    const scripts = (await commandCalls(redis, 'evalsha')) - scriptsBefore;
    const limited = running.deliveries();
    await running.stop();
    running = null;
    await expectEachOnce(queue, limited, count);
    const times = await startTimes(queue, limited.map((delivery) => delivery.id));
    const by = (taker: Delivery['by']) => limited.filter((delivery) => delivery.by === taker).length;
    console.log(
      `rate limit 5/1000 ms: starts at ${times.map((time) => time - addedAt).join(', ')} ms after the first enqueue; ${scripts} script calls; jobs ${by('jobs')}, dequeue ${by('dequeue')}, worker ${by('worker')}`,
    );
    expect(busiestWindow(times, 1000)).toBeLessThanOrEqual(5);
    // Six windows' worth: the last start is at least five windows after the first.
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(5000);
    // Takers wake when the window has room rather than polling: a few script calls per window
    // per taker, besides one enqueue and one acknowledgement per job (a spinning taker makes thousands).
    expect(scripts).toBeLessThan(400);
  }, 120_000);

  it('clearing the limit lets the waiting jobs start at once, on every taker', async () => {
    const queue = 'cleared';
    await setLimit(queue, 2, 60_000);
    running = await startTakers(queue);
    await addJobs(queue, 12);
    await until(() => running!.deliveries().length === 2, 'the two jobs the limit lets start');
    // The limit holds: the takers wait (for the window, a minute), the rest of the jobs wait.
    await until(async () => (await stats(queue)).processing === 0, 'the two jobs to be acknowledged');
    expect(await stats(queue)).toMatchObject({ waiting: 10, rateLimit: { max: 2, durationMs: 60_000 } });
    expect(running.deliveries()).toHaveLength(2);

    const clearedAt = performance.now();
    expect(await postData(b.httpUrl, CLEAR_LIMIT, { q: queue }, admin.token)).toEqual({ clearQueueRateLimit: true });
    await until(() => running!.deliveries().length === 12, 'the rest to be taken once the limit is gone', 15_000);
    console.log(`after clearQueueRateLimit, the other 10 jobs were taken within ${Math.round(performance.now() - clearedAt)} ms`);
    await until(async () => (await stats(queue)).processing === 0, 'all to be acknowledged');
    const deliveries = running.deliveries();
    await running.stop();
    running = null;
    await expectEachOnce(queue, deliveries, 12);
    expect((await stats(queue)).rateLimit).toBeNull();
    expect(await redis.client.exists(queueKeys(queue).rateLimit, queueKeys(queue).started)).toBe(0);
    expect(await postData(b.httpUrl, CLEAR_LIMIT, { q: queue }, admin.token)).toEqual({ clearQueueRateLimit: false });
  }, 90_000);

  it('keeps a paused queue paused, and starts no more than the limit on resume', async () => {
    const queue = 'paused-limited';
    await setLimit(queue, 3, 60_000);
    await postData(a.httpUrl, PAUSE, { q: queue }, admin.token);
    await addJobs(queue, 6);
    expect((await postData(b.httpUrl, DEQUEUE, { q: queue }, user.token)).dequeue).toBeNull();
    expect(await a.app.services.queues.store.takeNow(queue, 6)).toMatchObject({ jobs: [], paused: true });
    await postData(a.httpUrl, RESUME, { q: queue }, admin.token);
    const taken = await a.app.services.queues.store.takeNow(queue, 6);
    expect(taken.jobs).toHaveLength(3);
    expect(taken).toMatchObject({ paused: false, rateLimited: true });
    expect(taken.limitedForMs).toBeGreaterThan(59_000);
    const refused = await b.app.services.queues.store.takeNow(queue, 6);
    expect(refused).toMatchObject({ jobs: [], paused: false, rateLimited: true });
    expect(refused.limitedForMs).toBeLessThanOrEqual(60_000);
    // Waiting dequeues on both instances hold no pooled connection while limited, and take
    // nothing until the limit goes; then each gets one job.
    const waits = [a, b].map((server) => postData(server.httpUrl, DEQUEUE, { q: queue, t: 20 }, user.token));
    await until(() => a.app.services.queues.dispatcher.waiting === 1 && b.app.services.queues.dispatcher.waiting === 1, 'both dequeues to wait');
    expect(a.app.services.queues.dispatcher.blockingConnections + b.app.services.queues.dispatcher.blockingConnections).toBe(0);
    expect(await stats(queue)).toMatchObject({ waiting: 3, processing: 3 });
    await postData(a.httpUrl, CLEAR_LIMIT, { q: queue }, admin.token);
    const got = await Promise.all(waits);
    expect(got.every((reply) => reply.dequeue !== null)).toBe(true);
    expect(await stats(queue)).toMatchObject({ waiting: 1, processing: 5 });
  });

  it('puts back, as it was, an item that a blocking take moved while the limit was full', async () => {
    const queue = 'bounce';
    const { store } = a.app.services.queues;
    await setLimit(queue, 1, 60_000);
    await redis.client.lpush(queue, 'one', 'two', 'three');
    expect((await store.takeNow(queue, 3)).jobs.map((job) => job.payload)).toEqual(['one']);
    // BLMOVE moves "two" into processing at once; the claim finds the limit full and returns it.
    const blocked = await a.app.services.blocking.run(({ redis: connection }) => store.blockingTake(connection, queue, 1), AbortSignal.timeout(10_000), queue);
    expect(blocked).toMatchObject({ jobs: [], rateLimited: true });
    expect(blocked.limitedForMs).toBeGreaterThan(50_000);
    expect(await redis.client.lrange(queue, 0, -1)).toEqual(['three', 'two']);
    expect(await redis.client.llen(queueKeys(queue).processing)).toBe(1);
    await postData(a.httpUrl, CLEAR_LIMIT, { q: queue }, admin.token);
    const taken = await a.app.services.blocking.run(({ redis: connection }) => store.blockingTake(connection, queue, 1), AbortSignal.timeout(10_000), queue);
    expect(taken.jobs.map((job) => job.payload)).toEqual(['two']);
    expect(taken).toMatchObject({ rateLimited: false, limitedForMs: null });
  });

  it('refuses bad limits with BAD_USER_INPUT, and callers other than services and admins with FORBIDDEN', async () => {
    for (const [max, ms] of [
      [0, 1000],
      [-1, 1000],
      [100_001, 1000],
      [5, 0],
      [5, 86_400_001],
    ] as const) {
      const response = await post(a.httpUrl, SET_LIMIT, { q: 'bad-limit', max, ms }, { token: admin.token });
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.body.errors?.[0]?.message).toMatch(max < 1 || max > 100_000 ? /^max must be a whole number of jobs from 1 to 100000/ : /^durationMs must be a whole number of milliseconds from 1 to 86400000/);
    }
    expect(codes(await post(a.httpUrl, SET_LIMIT, { q: 'a}b', max: 1, ms: 1 }, { token: admin.token }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await post(a.httpUrl, SET_LIMIT, { q: 'guarded', max: 1, ms: 1000 }, { token: user.token }))).toEqual(['FORBIDDEN']);
    expect(codes(await post(a.httpUrl, CLEAR_LIMIT, { q: 'guarded' }, { token: user.token }))).toEqual(['FORBIDDEN']);
    // Refused before Redis is touched.
    expect([await redis.client.exists(queueKeys('bad-limit').rateLimit), await redis.client.exists(queueKeys('guarded').rateLimit)]).toEqual([0, 0]);
    expect(await setLimit('guarded', 1, 86_400_000)).toEqual({ setQueueRateLimit: { queue: 'guarded', max: 1, durationMs: 86_400_000 } });
  });
});
