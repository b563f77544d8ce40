import { describe, expect, it } from 'vitest';
import { queueKeys } from '../../src/redis/keys.js';
import { codes, post, postData, refusedSubscriptionCodes, signUpUser, subscription, wsClient } from '../support/graphql.js';
import { ACK_JOB as ACK, DEQUEUE, ENQUEUE, JOBS, QUEUE_LENGTH_STATS as STATS } from '../support/operations.js';
import { blockedClientsOf, redisCli, suiteBackend } from '../support/backend.js';
import { until } from '../support/wait.js';
import { useServers } from '../support/servers.js';

// Standalone here; cluster-queues-suite.test.ts runs these same tests on a Redis Cluster.
const { redis, server, users: [queuer], startServer } = useServers({ backend: suiteBackend(), config: { dequeueMaxTimeoutSeconds: 30 }, users: ['queue'] });


const enqueue = async (queue: string, payload: unknown) => (await postData(server.httpUrl, ENQUEUE, { q: queue, p: payload }, queuer.token)).enqueue;
const dequeue = async (queue: string, timeoutSeconds?: number) => (await postData(server.httpUrl, DEQUEUE, { q: queue, t: timeoutSeconds }, queuer.token)).dequeue;
const ack = async (queue: string, id: string) => (await post(server.httpUrl, ACK, { q: queue, id }, { token: queuer.token })).body;
const stats = async (queue: string) => (await post(server.httpUrl, STATS, { q: queue }, { token: queuer.token })).body.data;

/** Polls until `predicate` holds (Redis or pool state that nothing announces). */
const waitFor = (predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000) => until(predicate, what, timeoutMs);

const blockedClients = () => blockedClientsOf(redis);

describe('enqueue and dequeue', () => {
  it('keeps the FIFO order of LPUSH + BRPOP, for enqueued jobs and plain LPUSHes alike', async () => {
    const first = await enqueue('fifo', { n: 1 });
    expect(first).toMatchObject({ queue: 'fifo', payload: { n: 1 }, attempts: 0 });
    expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
    await enqueue('fifo', { n: 2 });
    await redis.client.lpush('fifo', '{"n":3}');
    await enqueue('fifo', { n: 4 });
    await redis.client.lpush('fifo', '5', '6');
    expect((await stats('fifo'))?.queueLength).toBe(6);

    const taken = [];
    for (let i = 0; i < 6; i++) taken.push((await dequeue('fifo'))!);
    expect(taken.map((job) => job.payload)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }, 5, 6]);
    expect(taken[0]?.id).toBe(first.id);
    expect(new Set(taken.map((job) => job.id)).size).toBe(6);
    expect(await stats('fifo')).toEqual({ queueLength: 0, queueStats: { waiting: 0, processing: 6, dead: 0 } });
    for (const job of taken) expect((await ack('fifo', job.id)).data).toEqual({ ackJob: true });
    expect(await stats('fifo')).toEqual({ queueLength: 0, queueStats: { waiting: 0, processing: 0, dead: 0 } });
    expect(await dequeue('fifo')).toBeNull();
  });

  it('answers ackJob with false for a job that is not in flight, and refuses a malformed id', async () => {
    await enqueue('acks', 'x');
    const job = (await dequeue('acks'))!;
    expect((await ack('acks', job.id)).data).toEqual({ ackJob: true });
    expect((await ack('acks', job.id)).data).toEqual({ ackJob: false });
    expect((await ack('acks', '00000000-0000-0000-0000-000000000000')).data).toEqual({ ackJob: false });
    const malformed = await post(server.httpUrl, ACK, { q: 'acks', id: 'not an id!' }, { token: queuer.token });
    expect(codes(malformed)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('interop with plain Redis clients', () => {
  it('makes `redis-cli LPUSH queue hello` a job: text as a string, JSON parsed, with an id', async () => {
    await redisCli(redis, 'LPUSH', 'queue', 'hello');
    await redisCli(redis, 'LPUSH', 'queue', '{"t":1}');
    await redisCli(redis, 'LPUSH', 'queue', 'null');
    await redisCli(redis, 'LPUSH', 'queue', '{"id":"x","payload":1}');
    const jobs = [(await dequeue('queue'))!, (await dequeue('queue'))!, (await dequeue('queue'))!, (await dequeue('queue'))!];
    expect(jobs.map((job) => job.payload)).toEqual(['hello', { t: 1 }, 'null', { id: 'x', payload: 1 }]);
    for (const job of jobs) {
      expect(job).toMatchObject({ queue: 'queue', attempts: 0 });
      expect(job.id).toMatch(/^[0-9a-f-]{36}$/);
      expect((await ack('queue', job.id)).data).toEqual({ ackJob: true });
    }
    expect(await redis.client.llen(queueKeys('queue').processing)).toBe(0);
  });

  it('lets a plain BRPOP consumer take enqueued jobs: the envelope with the id, attempts and payload', async () => {
    const job = await enqueue('to-plain', { text: 'hi', list: [] });
    const popped = await redis.client.brpop('to-plain', 1);
    expect(popped?.[0]).toBe('to-plain');
    expect(popped?.[1]).toBe(`{"switchboard":"job/1","id":"${job.id}","attempts":0,"payload":{"text":"hi","list":[]}}`);
    expect(JSON.parse(popped?.[1] as string).payload).toEqual({ text: 'hi', list: [] });
  });

  it('wakes a blocked dequeue when a plain client pushes', async () => {
    const waiting = dequeue('wake', 10);
    await waitFor(async () => (await blockedClients()) === 1, 'the BLMOVE to block');
    await redis.client.lpush('wake', 'now');
    expect((await waiting)?.payload).toBe('now');
  });
});

describe('the jobs subscription', () => {
  it('delivers jobs over Server-Sent Events too, each to be acknowledged', async () => {
    const controller = new AbortController();
    const response = await fetch(server.httpUrl, {
      method: 'POST',
      signal: controller.signal,
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${queuer.token}` },
      body: JSON.stringify({ query: JOBS.toString(), variables: { q: 'sse-jobs' } }),
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await redis.client.lpush('sse-jobs', 'over sse');
    let text = '';
    while (!/^data: .*\n/m.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    const event = JSON.parse(/^data: (.*)$/m.exec(text)?.[1] as string) as { data: { jobs: { id: string; payload: unknown; attempts: number } } };
    expect(event.data.jobs).toMatchObject({ payload: 'over sse', attempts: 0 });
    expect((await ack('sse-jobs', event.data.jobs.id)).data).toEqual({ ackJob: true });
    controller.abort();
    await waitFor(() => server.app.services.queues.dispatcher.waiting === 0 && server.app.services.blocking.stats().busy === 0, 'the stream to end');
  });
});

describe('blocking dequeue', () => {
  it('returns null when the timeout passes, and at once without a timeout', async () => {
    const started = performance.now();
    expect(await dequeue('empty', 0.4)).toBeNull();
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(380);
    expect(waited).toBeLessThan(3000);

    const immediate = performance.now();
    expect(await dequeue('empty')).toBeNull();
    expect(await dequeue('empty', 0)).toBeNull();
    expect(performance.now() - immediate).toBeLessThan(1000);
  });

  it('waits on a pooled connection: the command client keeps answering meanwhile', async () => {
    const waiting = dequeue('pooled', 10);
    await waitFor(() => server.app.services.blocking.stats().busy === 1, 'a pooled connection to be lent');
    const started = performance.now();
    expect((await stats('pooled'))?.queueLength).toBe(0);
    expect(performance.now() - started).toBeLessThan(1000);
    await redis.client.lpush('pooled', 'done');
    expect((await waiting)?.payload).toBe('done');
    expect(server.app.services.blocking.stats().busy).toBe(0);
  });

  it('releases the blocked connection at once when the client goes away, and takes nothing afterwards', async () => {
    const controller = new AbortController();
    const request = fetch(server.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${queuer.token}` },
      body: JSON.stringify({ query: DEQUEUE.toString(), variables: { q: 'gone', t: 25 } }),
      signal: controller.signal,
    }).catch((error: unknown) => error);
    await waitFor(async () => server.app.services.blocking.stats().busy === 1 && (await blockedClients()) === 1, 'the dequeue to block');
    const aborted = performance.now();
    controller.abort();
    expect(await request).toBeInstanceOf(Error);
    await waitFor(async () => server.app.services.blocking.stats().busy === 0 && (await blockedClients()) === 0, 'the connection to be released', 2000);
    expect(performance.now() - aborted).toBeLessThan(2000);
    // The abandoned wait took nothing: a job pushed now stays in the queue.
    await redis.client.lpush('gone', 'still here');
    expect(await redis.client.lrange('gone', 0, -1)).toEqual(['still here']);
    expect(await redis.client.llen(queueKeys('gone').processing)).toBe(0);
  });

  it('puts back a job taken as the client went away, untouched and first in line', async () => {
    const { store } = server.app.services.queues;
    const controller = new AbortController();
    const taking = store.take('put-back', 5, controller.signal);
    await waitFor(async () => (await blockedClients()) === 1, 'the BLMOVE to block');
    // Redis serves the blocked BLMOVE while it runs this LPUSH, so the job is taken by the time
    // the LPUSH answers; the client goes away before the take could record and return it.
    await redis.client.lpush('put-back', 'first');
    controller.abort();
    expect(await taking).toBeNull();
    await redis.client.lpush('put-back', 'second');
    const items = await redis.client.lrange('put-back', 0, -1);
    expect(items).toHaveLength(2);
    expect(items[0]).toBe('second');
    // Given its id when taken, then returned as it was: at the right end, to be taken next.
    expect(JSON.parse(items[1] as string)).toMatchObject({ switchboard: 'job/1', attempts: 0, payload: 'first' });
    expect(await redis.client.llen(queueKeys('put-back').processing)).toBe(0);
    expect(await redis.client.hlen(queueKeys('put-back').inflight)).toBe(0);
    expect(await dequeue('put-back')).toMatchObject({ payload: 'first', attempts: 0 });
  });
});

describe('bad input', () => {
  it.each([['MESSAGES'], ['online_users'], ['total_users'], ['user:1'], ['room:0'], ['username:ada'], ['switchboard:queues'], ['switchboard:queue:{x}:x:processing']])(
    'refuses the reserved queue %s everywhere',
    async (queue) => {
      const as = { token: queuer.token };
      for (const send of [
        () => post(server.httpUrl, ENQUEUE, { q: queue, p: 1 }, as),
        () => post(server.httpUrl, DEQUEUE, { q: queue }, as),
        () => post(server.httpUrl, ACK, { q: queue, id: 'abc' }, as),
        () => post(server.httpUrl, STATS, { q: queue }, as),
      ]) {
        const response = await send();
        expect(codes(response)).toEqual(expect.arrayContaining(['BAD_USER_INPUT']));
        expect(response.body.errors?.[0]?.message).toMatch(/reserved/);
        expect(response.body.errors?.[0]?.extensions?.field).toBe('queue');
      }
    },
  );

  it.each([[''], ['has space'], ['x'.repeat(257)], ['a}b'], ['{}x']])('refuses the queue name %j', async (queue) => {
    const response = await post(server.httpUrl, ENQUEUE, { q: queue, p: 1 }, { token: queuer.token });
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
  });

  it('accepts hash-tagged names, keeping their keys in the queue’s cluster slot', async () => {
    const job = await enqueue('{orders}:high', 1);
    expect((await dequeue('{orders}:high'))?.id).toBe(job.id);
    expect(queueKeys('{orders}:high').processing).toBe('switchboard:queue:{orders}:{orders}:high:processing');
    expect(await redis.client.llen(queueKeys('{orders}:high').processing)).toBe(1);
  });

  it.each([[-1], [-0.001], [31], [1e9]])('refuses timeoutSeconds %s', async (timeout) => {
    const response = await post(server.httpUrl, DEQUEUE, { q: 'bounds', t: timeout }, { token: queuer.token });
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.body.errors?.[0]?.message).toMatch(/between 0 .* and 30 seconds/);
    expect(response.body.errors?.[0]?.extensions?.field).toBe('timeoutSeconds');
  });

  it('refuses a timeout that is not a number at all', async () => {
    // A variable of the wrong type on purpose: the server, not tsc, must refuse it.
    const response = await post(server.httpUrl, DEQUEUE, { q: 'bounds', t: 'NaN' as unknown as number }, { token: queuer.token });
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses a payload over MAX_MESSAGE_BYTES', async () => {
    const response = await post(server.httpUrl, ENQUEUE, { q: 'big', p: 'x'.repeat(70_000) }, { token: queuer.token });
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(await redis.client.exists('big')).toBe(0);
  });

  it('refuses a key that holds something other than a list', async () => {
    await redis.client.hset('a-hash', 'f', 'v');
    const as = { token: queuer.token };
    for (const send of [
      () => post(server.httpUrl, ENQUEUE, { q: 'a-hash', p: 1 }, as),
      () => post(server.httpUrl, DEQUEUE, { q: 'a-hash', t: 1 }, as),
      () => post(server.httpUrl, STATS, { q: 'a-hash' }, as),
    ]) {
      const response = await send();
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.body.errors?.[0]?.message).toMatch(/holds a hash, not a list/);
    }
    const refused = await refusedSubscriptionCodes(server.wsUrl, queuer.token, JOBS, { q: 'a-hash' });
    expect(refused.codes).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses a subscription to a reserved queue', async () => {
    const refused = await refusedSubscriptionCodes(server.wsUrl, queuer.token, JOBS, { q: 'switchboard:anything' });
    expect(refused.codes).toEqual(['BAD_USER_INPUT']);
  });

  it('needs a session for every queue operation', async () => {
    for (const send of [
      () => post(server.httpUrl, ENQUEUE, { q: 'anon', p: 1 }),
      () => post(server.httpUrl, DEQUEUE, { q: 'anon' }),
      () => post(server.httpUrl, ACK, { q: 'anon', id: 'abc' }),
      () => post(server.httpUrl, STATS, { q: 'anon' }),
    ]) {
      expect(codes(await send())).toEqual(expect.arrayContaining(['UNAUTHENTICATED']));
    }
    const client = wsClient(server.wsUrl);
    const sub = subscription(client, JOBS, { q: 'anon' });
    await sub.waitForEnd();
    expect(sub.errorCodes).toEqual(['UNAUTHENTICATED']);
    await client.dispose();
    expect(await redis.client.exists('anon')).toBe(0);
  });
});

describe('shutdown', () => {
  it('returns null to a blocked dequeue at once instead of holding the shutdown up', async () => {
    const own = await startServer({ shutdownTimeoutMs: 10_000 });
    const { token: ownToken } = await signUpUser(own.httpUrl, 'stopper');
    const waiting = post(own.httpUrl, DEQUEUE, { q: 'at-shutdown', t: 25 }, { token: ownToken });
    await waitFor(async () => own.app.services.blocking.stats().busy === 1 && (await blockedClients()) === 1, 'the dequeue to block');
    const started = performance.now();
    await own.stop();
    expect(performance.now() - started).toBeLessThan(3000);
    expect((await waiting).body).toEqual({ data: { dequeue: null } });
  });
});
