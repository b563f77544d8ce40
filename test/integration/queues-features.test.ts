import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { queueKeys } from '../../src/redis/keys.js';
import type { ResultOf, VariablesOf } from '@graphql-typed-document-node/core';
import { graphql } from '../gql/index.js';
import { type Operation, codes, post, postData, subscription, wsClient } from '../support/graphql.js';
import type { TestServer } from '../support/server.js';
import { until } from '../support/wait.js';
import { useServers } from '../support/servers.js';
import { openSse } from '../support/sse.js';

// Delays, priorities, backoff, idempotency keys, progress and results, pause and resume: each on
// two instances sharing one Redis, with takers on both.

const MAX_ATTEMPTS = 4;
const RETENTION_SECONDS = 2;
/** JWTs of "the app's identity provider": pausing queues takes the `service` role. */
const JWT_SECRET = 'queues-features-secret-queues-features-secret';

const { redis, servers: [a, b], users: [featured], startServer } = useServers({
  servers: 2,
  config: { jobMaxAttempts: MAX_ATTEMPTS, jobRetentionSeconds: RETENTION_SECONDS, dequeueMaxTimeoutSeconds: 30, authJwtSecret: JWT_SECRET },
  users: ['features'],
});
let serviceToken: string;

beforeAll(async () => {
  serviceToken = await new SignJWT({ roles: ['service'] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('queue-operator')
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(JWT_SECRET));
});

graphql(`
  fragment QueuesFeaturesJob on Job {
    id
    payload
    attempts
    state
    priority
    runAt
    progress
    result
    failedReason
    key
  }
`);
const ENQUEUE = graphql(`
  mutation QueuesFeaturesEnqueue($q: String!, $p: JSON!, $d: Int, $pr: JobPriority, $k: String, $b: JobBackoffInput) {
    enqueue(queue: $q, payload: $p, delaySeconds: $d, priority: $pr, key: $k, backoff: $b) {
      ...QueuesFeaturesJob
    }
  }
`);
const DEQUEUE = graphql(`
  mutation QueuesFeaturesDequeue($q: String!, $t: Float) {
    dequeue(queue: $q, timeoutSeconds: $t) {
      ...QueuesFeaturesJob
    }
  }
`);
const ACK = graphql(`
  mutation QueuesFeaturesAck($q: String!, $id: ID!, $r: JSON) {
    ackJob(queue: $q, id: $id, result: $r)
  }
`);
const FAIL = graphql(`
  mutation QueuesFeaturesFail($q: String!, $id: ID!, $why: String) {
    failJob(queue: $q, id: $id, reason: $why)
  }
`);
const PROGRESS = graphql(`
  mutation QueuesFeaturesProgress($q: String!, $id: ID!, $p: JSON!) {
    reportJobProgress(queue: $q, id: $id, progress: $p)
  }
`);
const JOB = graphql(`
  query QueuesFeaturesJobRecord($q: String!, $id: ID!) {
    job(queue: $q, id: $id) {
      ...QueuesFeaturesJob
    }
  }
`);
const UPDATES = graphql(`
  subscription QueuesFeaturesUpdates($q: String!, $id: ID!) {
    jobUpdates(queue: $q, id: $id) {
      ...QueuesFeaturesJob
    }
  }
`);
const JOBS = graphql(`
  subscription QueuesFeaturesJobs($q: String!, $c: Int) {
    jobs(queue: $q, concurrency: $c) {
      ...QueuesFeaturesJob
    }
  }
`);
const STATS = graphql(`
  query QueuesFeaturesStats($q: String!) {
    queueStats(queue: $q) {
      waiting
      processing
      dead
      delayed
      paused
    }
  }
`);
const PAUSE = graphql(`
  mutation QueuesFeaturesPause($q: String!) {
    pauseQueue(queue: $q)
  }
`);
const RESUME = graphql(`
  mutation QueuesFeaturesResume($q: String!) {
    resumeQueue(queue: $q)
  }
`);
type JobShape = ResultOf<typeof JOB>['job'] & object;

const call = <T, V>(server: TestServer, query: Operation<T, V>, variables: V) => postData(server.httpUrl, query, variables, featured.token);
const enqueue = async (server: TestServer, variables: VariablesOf<typeof ENQUEUE>) => (await call(server, ENQUEUE, variables)).enqueue;
const dequeue = async (server: TestServer, queue: string, timeoutSeconds?: number) => (await call(server, DEQUEUE, { q: queue, t: timeoutSeconds })).dequeue;
const ack = async (server: TestServer, queue: string, id: string, result?: unknown) => (await call(server, ACK, { q: queue, id, r: result })).ackJob;
const fail = async (server: TestServer, queue: string, id: string, reason?: string) => (await call(server, FAIL, { q: queue, id, why: reason })).failJob;
const job = async (server: TestServer, queue: string, id: string) => (await call(server, JOB, { q: queue, id })).job;
const stats = async (queue: string) => (await call(a, STATS, { q: queue })).queueStats;

/** Redis's clock, in ms: the clock the scripts schedule by. */
async function redisNow(): Promise<number> {
  const [seconds, micros] = await redis.client.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

const waitFor = (predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 8000) => until(predicate, what, timeoutMs);

describe('delayed jobs', () => {
  it('move into the list when due, on time and once, with takers on both instances', async () => {
    const queue = 'delayed';
    // Baseline: how long a job that is due at once takes to reach these takers on this machine now.
    const subs = [a, b].map((server) => {
      const client = wsClient(server.wsUrl, featured.token);
      return { client, sub: subscription(client, JOBS, { q: queue, c: 100 }) };
    });
    const received: Array<{ id: string; at: number }> = [];
    const collect = () => {
      for (const { sub } of subs) {
        for (const event of sub.events) {
          const id = event.data?.jobs.id as string;
          if (!received.some((entry) => entry.id === id)) received.push({ id, at: Date.now() });
        }
      }
    };
    await waitFor(() => a.app.services.queues.dispatcher.waiting === 1 && b.app.services.queues.dispatcher.waiting === 1, 'both takers to wait');
    const baselineStart = Date.now();
    const immediate = await enqueue(a, { q: queue, p: { now: true } });
    await waitFor(() => {
      collect();
      return received.some((entry) => entry.id === immediate.id);
    }, 'the immediate job');
    const baseline = Date.now() - baselineStart;

    const delays = [1, 1, 2, 2, 3];
    const enqueuedAt = Date.now();
    const jobs = await Promise.all(delays.map((d, n) => enqueue(n % 2 ? a : b, { q: queue, p: { n }, d })));
    for (const [n, entry] of jobs.entries()) {
      expect(entry.state).toBe('DELAYED');
      expect(new Date(entry.runAt as string).getTime()).toBeGreaterThanOrEqual(enqueuedAt + (delays[n] as number) * 1000 - 50);
    }
    expect((await stats(queue)).delayed).toBe(delays.length);
    expect(await dequeue(b, queue)).toBeNull();
    await waitFor(
      () => {
        collect();
        return received.length === delays.length + 1;
      },
      'every delayed job',
      10_000,
    );
    for (const [n, entry] of jobs.entries()) {
      const got = received.find((item) => item.id === entry.id);
      const runAt = new Date(entry.runAt as string).getTime();
      // Never early; late by at most a second more than a job due at once takes.
      expect(got?.at).toBeGreaterThanOrEqual(runAt - 20);
      expect((got?.at as number) - runAt).toBeLessThan(1000 + baseline);
      expect(delays[n]).toBeDefined();
    }
    // Once: one delivery each, over both instances, and nothing left behind.
    const all = subs.flatMap(({ sub }) => sub.events.map((event) => event.data?.jobs.id));
    expect(all).toHaveLength(delays.length + 1);
    expect(new Set(all).size).toBe(delays.length + 1);
    expect(await stats(queue)).toMatchObject({ waiting: 0, delayed: 0, processing: delays.length + 1 });
    await Promise.all(subs.map(({ client }) => client.dispose()));
  });

  it('reach plain BRPOP consumers too, with no Switchboard taker waiting', async () => {
    const entry = await enqueue(a, { q: 'delayed-plain', p: 'later', d: 1 });
    const [, text] = (await redis.client.brpop('delayed-plain', 5)) ?? [];
    expect(Date.now()).toBeGreaterThanOrEqual(new Date(entry.runAt as string).getTime() - 20);
    expect(JSON.parse(text as string)).toMatchObject({ switchboard: 'job/1', id: entry.id, payload: 'later' });
  });

  it('refuses a negative or too long delay', async () => {
    for (const d of [-1, 30 * 24 * 3600 + 1]) {
      const response = await post(a.httpUrl, ENQUEUE, { q: 'delayed', p: 1, d }, { token: featured.token });
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.body.errors?.[0]?.message).toMatch(/delaySeconds must be a whole number from 0 to 2592000/);
    }
  });
});

describe('priorities', () => {
  it('are taken most urgent first, oldest first within a level; plain LPUSHes are NORMAL', async () => {
    const queue = 'prioritised';
    await enqueue(a, { q: queue, p: 'low-1', pr: 'LOW' });
    await enqueue(b, { q: queue, p: 'normal-1' });
    await redis.client.lpush(queue, 'plain-2');
    await enqueue(a, { q: queue, p: 'high-1', pr: 'HIGH' });
    await enqueue(b, { q: queue, p: 'critical-1', pr: 'CRITICAL' });
    await enqueue(a, { q: queue, p: 'high-2', pr: 'HIGH' });
    await enqueue(b, { q: queue, p: 'low-2', pr: 'LOW' });
    await enqueue(a, { q: queue, p: 'normal-3', pr: 'NORMAL' });
    expect((await stats(queue)).waiting).toBe(8);
    const order: unknown[] = [];
    const levels: string[] = [];
    for (let i = 0; i < 8; i++) {
      const taken = (await dequeue(i % 2 ? a : b, queue)) as JobShape;
      order.push(taken.payload);
      levels.push(taken.priority);
      expect(await ack(a, queue, taken.id)).toBe(true);
    }
    expect(order).toEqual(['critical-1', 'high-1', 'high-2', 'normal-1', 'plain-2', 'normal-3', 'low-1', 'low-2']);
    expect(levels).toEqual(['CRITICAL', 'HIGH', 'HIGH', 'NORMAL', 'NORMAL', 'NORMAL', 'LOW', 'LOW']);
    // The NORMAL level is the list itself: a plain BRPOP consumer sees only those.
    await enqueue(a, { q: queue, p: 'high-3', pr: 'HIGH' });
    expect(await redis.client.llen(queue)).toBe(0);
  });

  it('wakes a waiting taker on another instance for a job of another level', async () => {
    const waiting = dequeue(b, 'prio-wake', 10);
    await waitFor(() => b.app.services.queues.dispatcher.waiting === 1, 'the dequeue to wait');
    const started = Date.now();
    await enqueue(a, { q: 'prio-wake', p: 'urgent', pr: 'CRITICAL' });
    expect((await waiting)?.payload).toBe('urgent');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('retry backoff', () => {
  it('waits fixed or doubling times up to the cap before each retry, on failJob and on visibility timeouts', async () => {
    const queue = 'backoff';
    const entry = await enqueue(a, { q: queue, p: 'flaky', b: { type: 'EXPONENTIAL', delaySeconds: 0.2, maxDelaySeconds: 0.5 } });
    const waits: number[] = [];
    for (let attempt = 0; attempt < MAX_ATTEMPTS - 1; attempt++) {
      const taken = (await dequeue(attempt % 2 ? a : b, queue, 5)) as JobShape;
      expect(taken).toMatchObject({ id: entry.id, attempts: attempt, state: 'ACTIVE' });
      const before = await redisNow();
      expect(await fail(a, queue, taken.id, `try ${attempt}`)).toBe(true);
      const record = (await job(b, queue, entry.id)) as JobShape;
      expect(record).toMatchObject({ state: 'FAILED', attempts: attempt + 1, failedReason: `try ${attempt}` });
      waits.push(new Date(record.runAt as string).getTime() - before);
      // Not before its time.
      expect(await dequeue(b, queue)).toBeNull();
    }
    // 0.2 s, 0.4 s, then the cap (0.5 s rather than 0.8 s); each measured from just before the failJob.
    const expected = [200, 400, 500];
    waits.forEach((wait, i) => {
      expect(wait).toBeGreaterThanOrEqual((expected[i] as number) - 5);
      expect(wait).toBeLessThan((expected[i] as number) + 200);
    });
    // The last attempt fails too: out of attempts, dead.
    const last = (await dequeue(a, queue, 5)) as JobShape;
    expect(last.attempts).toBe(MAX_ATTEMPTS - 1);
    expect(await fail(a, queue, last.id, 'gave up')).toBe(true);
    expect(await job(a, queue, entry.id)).toMatchObject({ state: 'DEAD', attempts: MAX_ATTEMPTS, failedReason: 'gave up', runAt: null });
    expect((await stats(queue)).dead).toBe(1);
  });

  it('applies a fixed backoff when the visibility timeout passes', async () => {
    const server = await startServer({ jobVisibilityTimeoutMs: 300, jobMaxAttempts: MAX_ATTEMPTS });
    try {
      const queue = 'backoff-timeout';
      const entry = await enqueue(server, { q: queue, p: 'slow', b: { type: 'FIXED', delaySeconds: 1 } });
      expect((await dequeue(server, queue)) as JobShape).toMatchObject({ id: entry.id });
      // Never acknowledged: the reaper returns it with attempts + 1, to run after its backoff.
      await waitFor(async () => (await job(server, queue, entry.id))?.state === 'FAILED', 'the lease to end');
      const record = (await job(server, queue, entry.id)) as JobShape;
      expect(record).toMatchObject({ attempts: 1, failedReason: 'visibility timeout' });
      const runAt = new Date(record.runAt as string).getTime();
      expect(runAt - (await redisNow())).toBeGreaterThan(500);
      expect((await stats(queue)).delayed).toBe(1);
      const again = (await dequeue(server, queue, 5)) as JobShape;
      expect(await redisNow()).toBeGreaterThanOrEqual(runAt);
      expect(again).toMatchObject({ id: entry.id, attempts: 1 });
      expect(await ack(server, queue, again.id)).toBe(true);
    } finally {
      await server.stop();
    }
  });

  it('refuses a backoff it cannot honour', async () => {
    for (const backoff of [
      { type: 'FIXED', delaySeconds: 0 },
      { type: 'FIXED', delaySeconds: 1, maxDelaySeconds: 2 },
      { type: 'EXPONENTIAL', delaySeconds: 2, maxDelaySeconds: 1 },
    ] as const) {
      const response = await post(a.httpUrl, ENQUEUE, { q: 'backoff', p: 1, b: backoff }, { token: featured.token });
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.body.errors?.[0]?.message).toMatch(/backoff/);
    }
  });
});

describe('idempotency keys', () => {
  it('add one job however many enqueues with the key race, on both instances, while it waits, runs and is kept', async () => {
    const queue = 'dedup';
    const racing = await Promise.all(Array.from({ length: 20 }, (_, i) => enqueue(i % 2 ? a : b, { q: queue, p: { i }, k: 'order-42' })));
    const ids = new Set(racing.map((entry) => entry.id));
    expect(ids.size).toBe(1);
    expect(await redis.client.llen(queue)).toBe(1);
    const [id] = [...ids] as [string];
    expect(racing.every((entry) => entry.key === 'order-42')).toBe(true);

    const taken = (await dequeue(b, queue)) as JobShape;
    expect(taken.id).toBe(id);
    expect((await enqueue(a, { q: queue, p: 'again', k: 'order-42' })).id).toBe(id);
    expect(await ack(a, queue, id, { done: true })).toBe(true);
    // Kept after completion: still the same job, not a new one.
    expect(await enqueue(b, { q: queue, p: 'again', k: 'order-42' })).toMatchObject({ id, state: 'COMPLETED', result: { done: true } });
    expect(await redis.client.llen(queue)).toBe(0);
    // Once JOB_RETENTION_SECONDS have passed, the key is free again.
    await waitFor(async () => (await job(a, queue, id)) === null, 'the record to expire', RETENTION_SECONDS * 1000 + 5000);
    const fresh = await enqueue(a, { q: queue, p: 'new', k: 'order-42' });
    expect(fresh.id).not.toBe(id);
    expect(fresh.state).toBe('WAITING');
    // Another key, another job.
    expect((await enqueue(a, { q: queue, p: 'other', k: 'order-43' })).id).not.toBe(fresh.id);
  });
});

describe('progress and results', () => {
  it('are seen live over WebSocket and SSE, on both instances, until the job completes with its result', async () => {
    const queue = 'exports';
    const entry = await enqueue(a, { q: queue, p: { export: 'csv' } });
    const wsClientA = wsClient(a.wsUrl, featured.token);
    const overWs = subscription(wsClientA, UPDATES, { q: queue, id: entry.id });
    const overSse = openSse(b.httpUrl, UPDATES, { q: queue, id: entry.id }, featured.token);
    const sseUpdates = () => overSse.results.map((result) => (result.data as { jobUpdates: JobShape }).jobUpdates);
    const seen = (state: string, extra: (update: JobShape) => boolean = () => true) =>
      waitFor(
        () =>
          overWs.events.some((event) => event.data?.jobUpdates.state === state && extra(event.data.jobUpdates)) &&
          sseUpdates().some((update) => update.state === state && extra(update)),
        `${state} over both`,
      );
    await seen('WAITING');

    const taken = (await dequeue(b, queue)) as JobShape;
    await seen('ACTIVE');
    for (const percent of [25, 50, 75]) {
      expect(await call(percent === 50 ? a : b, PROGRESS, { q: queue, id: taken.id, p: { percent } })).toEqual({
        reportJobProgress: true,
      });
      await seen('ACTIVE', (update) => (update.progress as { percent?: number } | null)?.percent === percent);
    }
    expect(await ack(a, queue, taken.id, { url: '/exports/1.csv', rows: 12 })).toBe(true);
    await seen('COMPLETED', (update) => (update.result as { rows?: number } | null)?.rows === 12);
    // Completed is the end: both streams finish.
    await overWs.waitForEnd();
    await waitFor(() => overSse.ended, 'the SSE stream to end');
    // Ended by the server's complete, not refused or cut off.
    expect({ status: overSse.status, sawComplete: overSse.sawComplete, error: overSse.error }).toEqual({ status: 200, sawComplete: true, error: undefined });
    const last = overWs.events.at(-1)?.data?.jobUpdates;
    expect(last).toMatchObject({ state: 'COMPLETED', result: { url: '/exports/1.csv', rows: 12 }, progress: { percent: 75 } });
    expect(await job(b, queue, entry.id)).toMatchObject({ state: 'COMPLETED', result: { url: '/exports/1.csv', rows: 12 } });
    // Progress is for a job in flight only.
    expect(await call(a, PROGRESS, { q: queue, id: taken.id, p: 1 })).toEqual({ reportJobProgress: false });
    await wsClientA.dispose();
  });

  it('follows a job to DEAD, and refuses an unknown one with NOT_FOUND', async () => {
    const server = a;
    const entry = await enqueue(server, { q: 'doomed', p: 1 });
    const client = wsClient(b.wsUrl, featured.token);
    const updates = subscription(client, UPDATES, { q: 'doomed', id: entry.id });
    await updates.waitForEvents(1);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const taken = (await dequeue(server, 'doomed', 5)) as JobShape;
      await fail(server, 'doomed', taken.id, 'broken');
    }
    await updates.waitForEnd();
    expect(updates.events.at(-1)?.data?.jobUpdates).toMatchObject({ state: 'DEAD', attempts: MAX_ATTEMPTS, failedReason: 'broken' });
    expect(updates.events.some((event) => event.data?.jobUpdates.state === 'FAILED')).toBe(true);

    const unknown = subscription(client, UPDATES, { q: 'doomed', id: 'no-such-job' });
    await unknown.waitForEnd();
    expect(unknown.errorCodes).toEqual(['NOT_FOUND']);
    expect(await job(a, 'doomed', 'no-such-job')).toBeNull();
    await client.dispose();
  });

  it('keeps ackJob without a result working, and refuses a result over MAX_MESSAGE_BYTES', async () => {
    await enqueue(a, { q: 'results', p: 1 });
    const taken = (await dequeue(a, 'results')) as JobShape;
    const big = 'x'.repeat(a.app.services.config.maxMessageBytes);
    const response = await post(a.httpUrl, ACK, { q: 'results', id: taken.id, r: big }, { token: featured.token });
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(await ack(a, 'results', taken.id)).toBe(true);
    expect(await job(a, 'results', taken.id)).toMatchObject({ state: 'COMPLETED', result: null });
  });
});

describe('the jobs subscription with a concurrency', () => {
  it('holds up to that many jobs at once, and gets another as each is acknowledged or failed', async () => {
    const queue = 'held';
    const client = wsClient(a.wsUrl, featured.token);
    const sub = subscription(client, JOBS, { q: queue, c: 3 });
    await waitFor(() => a.app.services.queues.dispatcher.waiting === 1, 'the subscriber to wait');
    for (let n = 0; n < 6; n++) await enqueue(b, { q: queue, p: { n } });
    await sub.waitForEvents(3);
    // A fourth would come from the same queue straight away if it were allowed: it is not.
    await waitFor(async () => (await stats(queue)).processing === 3, 'three jobs held');
    expect(await dequeue(b, queue, 0)).toMatchObject({ payload: { n: 3 } });
    expect(sub.events).toHaveLength(3);
    expect(await ack(b, queue, sub.events[0]?.data?.jobs.id as string)).toBe(true);
    await sub.waitForEvents(4);
    expect(await fail(b, queue, sub.events[1]?.data?.jobs.id as string)).toBe(true);
    await sub.waitForEvents(5);
    // The failed one runs again at once (no backoff), first in line.
    expect(sub.events.map((event) => (event.data?.jobs.payload as { n: number }).n)).toEqual([0, 1, 2, 4, 1]);
    expect(sub.events[4]?.data?.jobs.attempts).toBe(1);
    await client.dispose();
  });

  it('refuses a concurrency out of range', async () => {
    const client = wsClient(a.wsUrl, featured.token);
    const sub = subscription(client, JOBS, { q: 'held', c: 101 });
    await sub.waitForEnd();
    expect(sub.errorCodes).toEqual(['BAD_USER_INPUT']);
    await client.dispose();
  });
});

describe('pause and resume', () => {
  it('hold every taker back without losing a job, then hand each job out once', async () => {
    const queue = 'pausable';
    // The default policy keeps pausing for services and admins.
    expect(codes(await post(a.httpUrl, PAUSE, { q: queue }, { token: featured.token }))).toEqual(['FORBIDDEN']);
    expect(await postData(a.httpUrl, PAUSE, { q: queue }, serviceToken)).toEqual({ pauseQueue: true });
    expect((await stats(queue)).paused).toBe(true);
    const client = wsClient(b.wsUrl, featured.token);
    const sub = subscription(client, JOBS, { q: queue, c: 100 });
    const waiting = dequeue(a, queue, 10);
    await waitFor(() => a.app.services.queues.dispatcher.waiting === 1 && b.app.services.queues.dispatcher.waiting === 1, 'both takers to wait');
    for (let n = 0; n < 10; n++) {
      if (n % 2) await redis.client.lpush(queue, JSON.stringify({ n }));
      else await enqueue(n % 4 ? a : b, { q: queue, p: { n } });
    }
    // Paused: nothing is taken, whatever asks.
    expect(await dequeue(b, queue)).toBeNull();
    expect(await stats(queue)).toMatchObject({ waiting: 10, processing: 0, paused: true });
    expect(sub.events).toHaveLength(0);

    expect(await postData(b.httpUrl, RESUME, { q: queue }, serviceToken)).toEqual({ resumeQueue: true });
    const first = (await waiting) as JobShape;
    await sub.waitForEvents(9);
    const all = [first.payload, ...sub.events.map((event) => event.data?.jobs.payload)] as Array<{ n: number }>;
    expect(all.map((payload) => payload.n).sort((x, y) => x - y)).toEqual(Array.from({ length: 10 }, (_, n) => n));
    expect(await stats(queue)).toMatchObject({ waiting: 0, processing: 10, paused: false });
    expect(await redis.client.exists(queueKeys(queue).paused)).toBe(0);
    await client.dispose();
  });
});
