import { describe, expect, it } from 'vitest';
import { post, signUpUser, subscription, wsClient } from '../support/graphql.js';
import { JOBS, SIGN_OUT } from '../support/operations.js';
import { queueApi } from '../support/queues.js';
import { blockedClients as blockedRedisClients } from '../support/redis.js';
import type { TestServer } from '../support/server.js';
import { until } from '../support/wait.js';
import { useServers } from '../support/servers.js';

// The default visibility timeout (30 s): nothing is redelivered while these tests run, so every
// delivery counted here is a first and only one.
const { redis, servers: [a, b], users: [handoff], startCommand } = useServers({ servers: 2, users: ['handoff'] });

const on = { a: queueApi(a, handoff), b: queueApi(b, handoff) };
const api = (server: TestServer) => (server === a ? on.a : on.b);
const ack = (server: TestServer, queue: string, id: string) => api(server).ack(queue, id);
const stats = (queue: string) => on.a.stats(queue);

const waitFor = (predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 8000) => until(predicate, what, timeoutMs);

const blockedClients = () => blockedRedisClients(redis.client);

/** `npm run worker -- --queue <queue>`; its stdout lines are the jobs it did. */
function startWorker(queue: string) {
  const worker = startCommand('worker', ['--queue', queue]);
  return { ...worker, jobs: () => worker.lines.map((line) => JSON.parse(line) as { id: string; payload: { n: number }; attempts: number }) };
}

describe('competing consumers on two instances', () => {
  it('hands each job to exactly one of several subscribers, dequeue loops and a worker', async () => {
    const queue = 'work';
    const total = 60;
    const seen: Array<{ by: string; n: number }> = [];
    let stopping = false;

    // Three subscribers on each instance; each acknowledges what it gets, on the other instance.
    const clients = [a, b].map((server) => wsClient(server.wsUrl, handoff.token));
    const subscribers = [a, b].flatMap((server, i) =>
      Array.from({ length: 3 }, (_, k) => {
        const sub = subscription(clients[i]!, JOBS, { q: queue });
        const other = server === a ? b : a;
        let acked = 0;
        const drain = async () => {
          while (!stopping) {
            if (sub.events.length === acked) {
              await new Promise((resolve) => setTimeout(resolve, 5));
              continue;
            }
            const job = sub.events[acked]!.data!.jobs;
            seen.push({ by: `sub-${i}-${k}`, n: (job.payload as { n: number }).n });
            expect(await ack(other, queue, job.id)).toBe(true);
            acked++;
          }
        };
        return { sub, done: drain() };
      }),
    );
    // Two dequeue loops on each instance.
    const loops = [a, a, b, b].map(async (server, i) => {
      while (!stopping) {
        const job = await api(server).dequeue(queue, 0.5);
        if (!job) continue;
        seen.push({ by: `loop-${i}`, n: (job.payload as { n: number }).n });
        expect(await ack(server, queue, job.id)).toBe(true);
      }
    });
    const worker = startWorker(queue);
    await worker.ready();
    // Subscribers and dequeue loops of one instance share one wait for the queue (issue 13: waits
    // do not take a pooled connection each); the worker has its own.
    await waitFor(() => a.app.services.queues.dispatcher.waiting === 5 && b.app.services.queues.dispatcher.waiting === 5, 'every loop to wait too');
    await waitFor(async () => (await blockedClients()) === 3, 'one wait per instance and the worker to block');

    for (let n = 0; n < total; n++) {
      if (n % 2) await redis.client.lpush(queue, JSON.stringify({ n }));
      else await api(n % 4 ? b : a).enqueue(queue, { n });
    }
    const delivered = () => seen.length + worker.jobs().length;
    await waitFor(async () => delivered() >= total && (await redis.client.llen(queue)) === 0, `${total} deliveries`);
    await waitFor(async () => (await stats(queue)).processing === 0, 'every job to be acknowledged');

    // Every taker was waiting before the first push, and each instance serves its takers in the
    // order they came: every kind of consumer, on both instances, got work.
    const by = new Set(seen.map(({ by: consumer }) => consumer.replace(/-\d+$/, '')));
    expect([...by].sort()).toEqual(['loop', 'sub-0', 'sub-1']);
    expect(new Set(seen.filter(({ by: consumer }) => consumer.startsWith('loop')).map(({ by: consumer }) => consumer)).size).toBe(4);
    expect(worker.jobs().length).toBeGreaterThan(0);
    const all = [...seen.map(({ n }) => n), ...worker.jobs().map((job) => job.payload.n)].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: total }, (_, n) => n));
    expect(worker.jobs().every((job) => job.attempts === 0)).toBe(true);

    stopping = true;
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    await Promise.all(clients.map((client) => client.dispose()));
    await Promise.all([...loops, ...subscribers.map(({ done }) => done)]);
    expect(delivered()).toBe(total);
    expect(await stats(queue)).toEqual({ waiting: 0, processing: 0, dead: 0 });
  });

  it('gives a subscriber its next job only after it acknowledged the previous one', async () => {
    const queue = 'paced';
    const slowClient = wsClient(a.wsUrl, handoff.token);
    const slow = subscription(slowClient, JOBS, { q: queue });
    await waitFor(() => a.app.services.queues.dispatcher.waiting === 1, 'the slow subscriber to wait');
    await on.a.enqueue(queue, { n: 0 });
    await slow.waitForEvents(1);

    const fastClient = wsClient(b.wsUrl, handoff.token);
    const fast = subscription(fastClient, JOBS, { q: queue });
    for (let n = 1; n <= 4; n++) await on.b.enqueue(queue, { n });
    for (let n = 1; n <= 4; n++) {
      await fast.waitForEvents(n);
      await ack(a, queue, fast.events[n - 1]!.data!.jobs.id);
    }
    // The slow one still holds only its first job: it never acknowledged it.
    expect(slow.events.map((event) => event.data?.jobs.payload)).toEqual([{ n: 0 }]);
    expect(fast.events.map((event) => event.data?.jobs.payload)).toEqual([1, 2, 3, 4].map((n) => ({ n })));

    // Acknowledged on the other instance, its job settles and the slow one is ready again.
    await fastClient.dispose();
    expect(await ack(b, queue, slow.events[0]!.data!.jobs.id)).toBe(true);
    await waitFor(() => a.app.services.queues.dispatcher.waiting === 1, 'the slow subscriber to wait again');
    await on.b.enqueue(queue, { n: 5 });
    await slow.waitForEvents(2);
    expect(slow.events[1]?.data?.jobs.payload).toEqual({ n: 5 });
    await slowClient.dispose();
  });

  it('waits with one pooled connection per queue per instance, however many subscribers, and frees it when they leave', async () => {
    const queue = 'shared-wait';
    const client = wsClient(b.wsUrl, handoff.token);
    const subs = Array.from({ length: 5 }, () => subscription(client, JOBS, { q: queue }));
    await waitFor(() => b.app.services.queues.dispatcher.waiting === 5, 'five waiting subscribers');
    await waitFor(async () => (await blockedClients()) === 1, 'the one take to block');
    expect(b.app.services.blocking.stats().busy).toBe(1);

    // None acknowledges, so each holds one job and the five jobs go to five subscribers.
    for (let n = 0; n < 5; n++) await redis.client.lpush(queue, JSON.stringify({ n }));
    await Promise.all(subs.map((sub) => sub.waitForEvents(1)));
    expect(subs.map((sub) => sub.events.length)).toEqual([1, 1, 1, 1, 1]);
    expect(new Set(subs.map((sub) => (sub.events[0]?.data?.jobs.payload as { n: number }).n)).size).toBe(5);
    expect(await stats(queue)).toEqual({ waiting: 0, processing: 5, dead: 0 });

    await client.dispose();
    await waitFor(() => b.app.services.blocking.stats().busy === 0 && b.app.services.queues.dispatcher.activeQueues === 0, 'the take to end', 2000);
    expect(await blockedClients()).toBe(0);
  });

  it('ends a subscription when its session is signed out', async () => {
    const user = await signUpUser(a.httpUrl, 'jobleaver');
    const client = wsClient(b.wsUrl, user.token);
    const sub = subscription(client, JOBS, { q: 'signed-out' });
    await waitFor(() => b.app.services.queues.dispatcher.waiting === 1, 'the subscriber to wait');
    await post(a.httpUrl, SIGN_OUT, {}, { token: user.token });
    await sub.waitForEnd();
    await waitFor(() => b.app.services.queues.dispatcher.waiting === 0 && b.app.services.blocking.stats().busy === 0, 'the wait to end');
    await client.dispose();
  });
});
