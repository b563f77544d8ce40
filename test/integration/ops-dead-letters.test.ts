import { describe, expect, it } from 'vitest';
import { encodeEnvelope } from '../../src/queues/job-codec.js';
import { queueKeys } from '../../src/redis/keys.js';
import { graphql } from '../gql/index.js';
import { codes, post, postData, signUpUser } from '../support/graphql.js';
import { DEQUEUE, ENQUEUE } from '../support/operations.js';
import { redisNowMs } from '../support/queues.js';
import { until } from '../support/wait.js';
import { useServers } from '../support/servers.js';

// One attempt, a short visibility timeout: a job taken and never acknowledged dies quickly.
const { redis, servers: [a, b], users: [admin, user] } = useServers({
  servers: 2,
  config: { jobMaxAttempts: 1, jobVisibilityTimeoutMs: 200 },
  users: [{ name: 'deadadmin', roles: ['admin'] }, 'deaduser'],
});

/** The dead jobs of a queue and its counts, as an operator's console shows them. */
const DEAD = graphql(`
  query DeadLettersView($q: String!) {
    deadJobs(queue: $q, first: 100) {
      id
      attempts
      payload
    }
    queueStats(queue: $q) {
      waiting
      processing
      dead
    }
  }
`);
const RETRY = graphql(`
  mutation DeadLettersRetry($q: String!, $ids: [ID!]!) {
    retryDeadJobs(queue: $q, ids: $ids)
  }
`);
const PURGE = graphql(`
  mutation DeadLettersPurge($q: String!) {
    purgeDeadJobs(queue: $q)
  }
`);
const JOB = graphql(`
  query DeadLettersJob($q: String!, $id: ID!) {
    job(queue: $q, id: $id) {
      state
      attempts
    }
  }
`);
const AGE = graphql(`
  query DeadLettersAge($q: String!) {
    queueStats(queue: $q) {
      waiting
      oldestWaitingAgeMs
    }
  }
`);

/** Enqueues jobs, takes them and lets them time out: with one attempt they die. */
async function killJobs(queue: string, payloads: unknown[]): Promise<string[]> {
  const ids: string[] = [];
  for (const payload of payloads) ids.push((await postData(a.httpUrl, ENQUEUE, { q: queue, p: payload }, user.token)).enqueue.id);
  for (let i = 0; i < payloads.length; i++) expect((await postData(a.httpUrl, DEQUEUE, { q: queue }, user.token)).dequeue).not.toBeNull();
  await until(async () => (await postData(a.httpUrl, DEAD, { q: queue }, admin.token)).queueStats.dead === payloads.length, 'the jobs to die');
  return ids;
}

describe('retryDeadJobs', () => {
  it('moves the chosen dead jobs back to their queue with attempts reset, payload intact', async () => {
    const payloads = [{ n: 1, list: [] }, 'two', { nested: { deep: [1, 2.5, 'x'] } }];
    const ids = await killJobs('mail', payloads);
    const dead = await postData(a.httpUrl, DEAD, { q: 'mail' }, admin.token);
    expect(dead.deadJobs.map((job) => job.attempts)).toEqual([1, 1, 1]);

    expect((await postData(a.httpUrl, RETRY, { q: 'mail', ids: [ids[0]!, ids[2]!, 'not-a-dead-job'] }, admin.token)).retryDeadJobs).toBe(2);
    const after = await postData(a.httpUrl, DEAD, { q: 'mail' }, admin.token);
    expect(after.queueStats).toEqual({ waiting: 2, processing: 0, dead: 1 });
    expect(after.deadJobs.map((job) => job.id)).toEqual([ids[1]]);
    // Taken again, oldest first, as new jobs: attempts 0 and the same bytes ([] stays []).
    const first = (await postData(b.httpUrl, DEQUEUE, { q: 'mail' }, user.token)).dequeue;
    const second = (await postData(b.httpUrl, DEQUEUE, { q: 'mail' }, user.token)).dequeue;
    expect([first, second]).toEqual([
      { id: ids[0], queue: 'mail', attempts: 0, payload: payloads[0] },
      { id: ids[2], queue: 'mail', attempts: 0, payload: payloads[2] },
    ]);
    expect(await redis.client.lrange('mail', 0, -1)).toEqual([]);
  });

  it('moves each job once when two admins retry the same jobs at once on two instances', async () => {
    const ids = await killJobs('race', [1, 2, 3, 4, 5, 6]);
    const [onA, onB] = await Promise.all([
      postData(a.httpUrl, RETRY, { q: 'race', ids }, admin.token),
      postData(b.httpUrl, RETRY, { q: 'race', ids }, admin.token),
    ]);
    expect(onA.retryDeadJobs + onB.retryDeadJobs).toBe(6);
    const waiting = await redis.client.lrange('race', 0, -1);
    expect(waiting).toHaveLength(6);
    expect(new Set(waiting.map((text) => (JSON.parse(text) as { id: string }).id))).toEqual(new Set(ids));
    expect(await redis.client.llen(queueKeys('race').dead)).toBe(0);
    // Again: nothing is dead any more.
    expect((await postData(a.httpUrl, RETRY, { q: 'race', ids }, admin.token)).retryDeadJobs).toBe(0);
  });

  it('moves a job listed twice once', async () => {
    await redis.client.lpush(queueKeys('twice').dead, encodeEnvelope('j1', 3, '"x"'));
    expect((await postData(a.httpUrl, RETRY, { q: 'twice', ids: ['j1', 'j1'] }, admin.token)).retryDeadJobs).toBe(1);
    expect(await redis.client.lrange('twice', 0, -1)).toEqual([encodeEnvelope('j1', 0, '"x"')]);
  });

  it('refuses bad arguments, and non-admins', async () => {
    expect(codes(await post(a.httpUrl, RETRY, { q: 'mail', ids: [] }, { token: admin.token }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await post(a.httpUrl, RETRY, { q: 'mail', ids: ['bad id'] }, { token: admin.token }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await post(a.httpUrl, RETRY, { q: 'mail', ids: Array.from({ length: 1001 }, (_, i) => `j${i}`) }, { token: admin.token }))).toEqual(['BAD_USER_INPUT']);
    await redis.client.set('a-string', 'x');
    expect(codes(await post(a.httpUrl, RETRY, { q: 'a-string', ids: ['j1'] }, { token: admin.token }))).toEqual(['BAD_USER_INPUT']);
    const refused = await post(a.httpUrl, RETRY, { q: 'mail', ids: ['j1'] }, { token: user.token });
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ action: 'retryDead', resource: 'queue', name: 'mail' });
    expect(codes(await post(a.httpUrl, RETRY, { q: 'mail', ids: ['j1'] }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('purgeDeadJobs', () => {
  it('deletes every dead job of the queue and says how many', async () => {
    await killJobs('purged', ['a', 'b']);
    const refused = await post(a.httpUrl, PURGE, { q: 'purged' }, { token: user.token });
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ action: 'purgeDead', resource: 'queue' });
    expect((await postData(a.httpUrl, PURGE, { q: 'purged' }, admin.token)).purgeDeadJobs).toBe(2);
    expect((await postData(a.httpUrl, DEAD, { q: 'purged' }, admin.token)).queueStats.dead).toBe(0);
    expect((await postData(a.httpUrl, PURGE, { q: 'purged' }, admin.token)).purgeDeadJobs).toBe(0);
  });
});

describe('with job records and priority levels', () => {
  it('a retried job waits at its own level again, and its record says WAITING with 0 attempts', async () => {
    const { enqueue } = await postData(a.httpUrl, ENQUEUE, { q: 'levels', p: 'urgent', priority: 'HIGH' }, user.token);
    await postData(a.httpUrl, DEQUEUE, { q: 'levels' }, user.token);
    await until(async () => (await redis.client.llen(queueKeys('levels').dead)) === 1, 'the job to die');
    expect((await postData(a.httpUrl, JOB, { q: 'levels', id: enqueue.id }, user.token)).job).toEqual({ state: 'DEAD', attempts: 1 });

    expect((await postData(a.httpUrl, RETRY, { q: 'levels', ids: [enqueue.id] }, admin.token)).retryDeadJobs).toBe(1);
    expect(await redis.client.llen(queueKeys('levels').level('high'))).toBe(1);
    expect(await redis.client.llen('levels')).toBe(0);
    expect((await postData(a.httpUrl, JOB, { q: 'levels', id: enqueue.id }, user.token)).job).toEqual({ state: 'WAITING', attempts: 0 });
    expect((await postData(b.httpUrl, DEQUEUE, { q: 'levels' }, user.token)).dequeue).toEqual({ id: enqueue.id, queue: 'levels', attempts: 0, payload: 'urgent' });
  });

  it('purging deletes the dead jobs’ records too', async () => {
    const [id] = await killJobs('purged-records', ['x']);
    expect(await redis.client.exists(queueKeys('purged-records').job(id!))).toBe(1);
    expect((await postData(a.httpUrl, PURGE, { q: 'purged-records' }, admin.token)).purgeDeadJobs).toBe(1);
    expect(await redis.client.exists(queueKeys('purged-records').job(id!))).toBe(0);
  });
});

describe('queueStats.oldestWaitingAgeMs', () => {
  const redisNow = () => redisNowMs(redis.client);

  it('is the age of the oldest waiting job across levels, null when none waits or the next item has no record', async () => {
    expect((await postData(a.httpUrl, AGE, { q: 'aging' }, admin.token)).queueStats).toEqual({ waiting: 0, oldestWaitingAgeMs: null });
    const { enqueue } = await postData(a.httpUrl, ENQUEUE, { q: 'aging', p: 1, priority: 'LOW' }, user.token);
    const before = Number(await redis.client.hget(queueKeys('aging').job(enqueue.id), 'createdAt'));
    // Let Redis's clock move on by 50 ms from the job's creation, then enqueue a younger job at a more urgent level.
    await until(async () => (await redisNow()) >= before + 50, 'Redis time to pass');
    await postData(a.httpUrl, ENQUEUE, { q: 'aging', p: 2, priority: 'HIGH' }, user.token);
    const { queueStats } = await postData(a.httpUrl, AGE, { q: 'aging' }, admin.token);
    const elapsed = (await redisNow()) - before;
    expect(queueStats.waiting).toBe(2);
    // The LOW job is the oldest: at least 50 ms, no more than the time since it was created.
    expect(queueStats.oldestWaitingAgeMs).toBeGreaterThanOrEqual(50);
    expect(queueStats.oldestWaitingAgeMs).toBeLessThanOrEqual(elapsed);

    // A plain item pushed by another client has no record: its age is unknown.
    await redis.client.lpush('plain-aging', 'hello');
    expect((await postData(a.httpUrl, AGE, { q: 'plain-aging' }, admin.token)).queueStats).toEqual({ waiting: 1, oldestWaitingAgeMs: null });
  });

  it('is refused where queueStats is', async () => {
    const other = await signUpUser(a.httpUrl, 'agingother');
    expect(codes(await post(a.httpUrl, AGE, { q: `private.${other.id}.jobs` }, { token: user.token }))).toEqual(['FORBIDDEN']);
  });
});
