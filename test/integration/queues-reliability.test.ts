import { describe, expect, it } from 'vitest';
import { decodeItem } from '../../src/queues/job-codec.js';
import { createJobStore } from '../../src/queues/store.js';
import { QUEUE_REGISTRY_KEY, queueKeys } from '../../src/redis/keys.js';
import { postData, subscription, wsClient } from '../support/graphql.js';
import { DEAD_JOBS, JOBS } from '../support/operations.js';
import { queueApi, redisNowMs } from '../support/queues.js';
import type { TestServer } from '../support/server.js';
import { until } from '../support/wait.js';
import { useServers } from '../support/servers.js';

/** Short enough to watch redeliveries happen; the reapers run every 100 ms. */
const VISIBILITY_MS = 400;
const MAX_ATTEMPTS = 3;

const { redis, servers: [a, b], users: [reliable] } = useServers({ servers: 2, config: { jobVisibilityTimeoutMs: VISIBILITY_MS, jobMaxAttempts: MAX_ATTEMPTS }, users: ['reliable'] });

const on = { a: queueApi(a, reliable), b: queueApi(b, reliable) };
const api = (server: TestServer) => (server === a ? on.a : on.b);
const dequeue = (server: TestServer, queue: string, timeoutSeconds?: number) => api(server).dequeue(queue, timeoutSeconds);
const enqueueJob = async (server: TestServer, queue: string, payload: unknown) => (await api(server).enqueue(queue, payload)).id;
const ack = (server: TestServer, queue: string, id: string) => api(server).ack(queue, id);
const stats = (queue: string) => on.a.stats(queue);

/** Polls Redis until `predicate` holds: redelivery is a reaper pass, which nothing announces. */
const waitFor = (predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000) => until(predicate, what, timeoutMs);

/**
 * Waits for the taken job `id` of `queue` to return to the waiting list, checking on Redis's clock
 * that it returns only once its lease (visibility timeout) has ended: each sample reads the time
 * and the list in one transaction. The machine's load may delay the samples, never fail them.
 */
async function returnsAfterItsLease(queue: string, leaseEnd: number) {
  await waitFor(async () => {
    const [[, time], [, waiting]] = (await redis.client.multi().time().llen(queue).exec()) as [[null, [string, string]], [null, number]];
    const now = Number(time[0]) * 1000 + Math.floor(Number(time[1]) / 1000);
    if (waiting === 0) return false;
    expect(now, 'the job returned before its lease ended').toBeGreaterThanOrEqual(leaseEnd);
    return true;
  }, `the job to return to ${queue}`);
}

describe('redelivery', () => {
  it('returns a job taken and never acknowledged after the visibility timeout, same id, attempts + 1', async () => {
    await redis.client.lpush('reports', 'build the report');
    const before = await redisNowMs(redis.client);
    const first = (await dequeue(a, 'reports'))!;
    const after = await redisNowMs(redis.client);
    expect(first).toMatchObject({ payload: 'build the report', attempts: 0 });
    // Its lease is the visibility timeout, from the take, on Redis's clock.
    const leaseEnd = Number(await redis.client.zscore(queueKeys('reports').leases, first.id));
    expect(leaseEnd).toBeGreaterThanOrEqual(before + VISIBILITY_MS);
    expect(leaseEnd).toBeLessThanOrEqual(after + VISIBILITY_MS);
    // Taken: certainly so when this read was done before the lease ended; after that (a loaded
    // machine took that long) it may be back already.
    const whileTaken = await stats('reports');
    const readBy = await redisNowMs(redis.client);
    if (readBy < leaseEnd) expect(whileTaken).toEqual({ waiting: 0, processing: 1, dead: 0 });
    else expect([{ waiting: 0, processing: 1, dead: 0 }, { waiting: 1, processing: 0, dead: 0 }]).toContainEqual(whileTaken);

    // The consumer dies without acknowledging. The job comes back once its lease ends, not before.
    await returnsAfterItsLease('reports', leaseEnd);
    expect(await stats('reports')).toEqual({ waiting: 1, processing: 0, dead: 0 });
    // A late acknowledgement counts for nothing: the job is waiting again.
    expect(await ack(a, 'reports', first.id)).toBe(false);

    const second = await dequeue(b, 'reports');
    expect(second).toEqual({ id: first.id, queue: 'reports', payload: 'build the report', attempts: 1 });
    expect(await ack(b, 'reports', first.id)).toBe(true);
    expect(await stats('reports')).toEqual({ waiting: 0, processing: 0, dead: 0 });
  });

  it('redelivers a job whose subscriber went away without acknowledging it, to another subscriber', async () => {
    const job = await on.a.enqueue('handed', { task: 1 });
    const leaving = wsClient(a.wsUrl, reliable.token);
    const first = subscription(leaving, JOBS, { q: 'handed' });
    await first.waitForEvents(1);
    expect(first.events[0]?.data?.jobs).toEqual(job);
    await leaving.dispose();

    const staying = wsClient(b.wsUrl, reliable.token);
    const second = subscription(staying, JOBS, { q: 'handed' });
    await second.waitForEvents(1);
    expect(second.events[0]?.data?.jobs).toEqual({ ...job, attempts: 1 });
    expect(await ack(a, 'handed', job.id)).toBe(true);
    await staying.dispose();
  });

  it(`dead-letters a job after ${MAX_ATTEMPTS} deliveries that were not acknowledged`, async () => {
    const job = await on.a.enqueue('poison', { bad: true });
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const taken = await dequeue(attempt % 2 ? b : a, 'poison', 5);
      expect(taken).toEqual({ ...job, attempts: attempt });
    }
    await waitFor(async () => (await stats('poison')).dead === 1, 'the job to be dead-lettered');
    expect(await stats('poison')).toEqual({ waiting: 0, processing: 0, dead: 1 });
    expect((await postData(b.httpUrl, DEAD_JOBS, { q: 'poison' }, reliable.token)).deadJobs).toEqual([{ ...job, attempts: MAX_ATTEMPTS }]);
    // It stays there: nothing more is delivered.
    expect(await dequeue(a, 'poison')).toBeNull();
  });

  it('returns, untouched, an item a consumer took but died before recording', async () => {
    // The queue holds a job (so the reapers know it); a consumer of another kind moves an item
    // into processing (BLMOVE), then dies before any record: the item has no lease. The sweep
    // returns it after a whole visibility timeout.
    const first = await enqueueJob(a, 'orphans', 'recorded');
    expect(await redis.client.zscore(QUEUE_REGISTRY_KEY, 'orphans')).not.toBeNull();
    expect((await dequeue(a, 'orphans'))?.id).toBe(first);
    expect(await ack(a, 'orphans', first)).toBe(true);
    await redis.client.lpush('orphans', 'half-taken');
    const takenAt = performance.now();
    expect(await redis.client.lmove('orphans', queueKeys('orphans').processing, 'RIGHT', 'LEFT')).toBe('half-taken');
    await waitFor(async () => (await redis.client.llen('orphans')) === 1, 'the orphan to return');
    expect(performance.now() - takenAt).toBeGreaterThanOrEqual(VISIBILITY_MS - 50);
    expect(await redis.client.lrange('orphans', 0, -1)).toEqual(['half-taken']);
    expect(await redis.client.llen(queueKeys('orphans').processing)).toBe(0);
    expect((await dequeue(b, 'orphans'))?.payload).toBe('half-taken');
  });

  it('never loses or duplicates a job while several reapers run at once', async () => {
    const count = 40;
    await redis.client.lpush('crowd', ...Array.from({ length: count }, (_, i) => JSON.stringify({ i })));
    const taken: Array<{ id: string }> = [];
    for (let i = 0; i < count; i++) taken.push((await (i % 2 ? a : b).app.services.queues.store.take('crowd', 0))!);
    expect(new Set(taken.map((job) => job.id)).size).toBe(count);
    // Both instances' reapers run on their timers; hammer them with extra passes besides.
    const hammering = (async () => {
      while ((await redis.client.llen('crowd')) < count) {
        await Promise.all([a.app.services.queues.reaper.runOnce(), b.app.services.queues.reaper.runOnce(), a.app.services.queues.store.reap('crowd')]);
      }
    })();
    await waitFor(async () => (await redis.client.llen('crowd')) === count, 'every job to return', 8000);
    await hammering;
    const items = (await redis.client.lrange('crowd', 0, -1)).map(decodeItem);
    expect(items.every((item) => item.kind === 'envelope' && item.attempts === 1)).toBe(true);
    const ids = items.map((item) => (item.kind === 'envelope' ? item.id : ''));
    expect(new Set(ids)).toEqual(new Set(taken.map((job) => job.id)));
    expect(items.map((item) => item.payload)).toEqual(expect.arrayContaining(Array.from({ length: count }, (_, i) => ({ i }))));
    expect(await stats('crowd')).toEqual({ waiting: count, processing: 0, dead: 0 });
  });
});

describe('the sweep for unrecorded items', () => {
  it('tells jobs with a lease from items nobody recorded, by the envelope prefix the scripts share with the codec', async () => {
    // A store of its own with a long lease, on a queue the servers' reapers do not know about.
    const store = createJobStore({ redis: redis.client, blocking: a.app.services.blocking, visibilityTimeoutMs: 60_000, maxAttempts: 3, maxPayloadBytes: 1024 });
    const keys = queueKeys('sweep');
    await store.enqueue('sweep', { recorded: true });
    await redis.client.lpush('sweep', 'unrecorded', 'unrecorded');
    const recorded = await store.take('sweep', 0);
    await redis.client.zrem(QUEUE_REGISTRY_KEY, 'sweep');
    expect(recorded?.payload).toEqual({ recorded: true });
    // Two identical items moved by hand, as two consumers that died before their claims.
    await redis.client.lmove('sweep', keys.processing, 'RIGHT', 'LEFT');
    await redis.client.lmove('sweep', keys.processing, 'RIGHT', 'LEFT');

    expect(await store.reap('sweep')).toEqual({ returned: 0, deadLettered: 0, orphansReturned: 0, processing: 3, delayed: 0, nextDueInMs: null });
    expect(await redis.client.hgetall(keys.suspects)).toEqual({ unrecorded: '2' });
    // The next sweep is due only a visibility timeout later; make it due now.
    await redis.client.del(keys.sweptAt);
    expect(await store.reap('sweep')).toEqual({ returned: 0, deadLettered: 0, orphansReturned: 2, processing: 1, delayed: 0, nextDueInMs: null });
    expect(await redis.client.lrange('sweep', 0, -1)).toEqual(['unrecorded', 'unrecorded']);
    expect(await redis.client.exists(keys.suspects)).toBe(0);
    expect(await store.ack('sweep', recorded?.id as string)).toBe(true);
  });
});
