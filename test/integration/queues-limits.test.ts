import { describe, expect, it } from 'vitest';
import { MAX_POLLS_PER_SECOND } from '../../src/queues/dispatcher.js';
import { QUEUE_REGISTRY_KEY, queueKeys } from '../../src/redis/keys.js';
import { codes, post, postData, refusedSubscriptionCodes, signUpUser } from '../support/graphql.js';
import { DEQUEUE, ENQUEUE } from '../support/operations.js';
import { until } from '../support/wait.js';
import { useServers } from '../support/servers.js';

// Issue 13, the queue halves of parts 3 and 4: waits that cannot starve anyone, per-user caps on
// them, and a registry of queues that only real jobs enter, with a bound.

const POOL = 8;
const QUEUE_CONNECTIONS = 2;
const PER_USER = 8;

const { redis, server, users: [victim], startServer } = useServers({
  config: { blockingPoolSize: POOL, queueBlockingConnections: QUEUE_CONNECTIONS, maxBlockingOperationsPerUser: PER_USER, dequeueMaxTimeoutSeconds: 30 },
  users: ['victim'],
});

const dequeue = (token: string, queue: string, timeoutSeconds?: number) => post(server.httpUrl, DEQUEUE, { q: queue, t: timeoutSeconds }, { token });
const timed = async <T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> => {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
};

/** How many scripts Redis has run (EVALSHA and EVAL), over every client of this file's Redis. */
async function scriptCalls(): Promise<number> {
  const info = await redis.client.info('commandstats');
  let calls = 0;
  for (const match of info.matchAll(/^cmdstat_(?:evalsha|eval):calls=(\d+)/gm)) calls += Number(match[1]);
  return calls;
}

describe('blocking dequeues cannot starve anyone (issue 13, part 3)', () => {
  it('an attacker holding the maximum of waits delays neither the pool nor another user’s dequeue by a second', async () => {
    // Baseline, before the attack: another user's dequeue of a waiting job, and of one pushed while it waits.
    await redis.client.lpush('victim-jobs', 'first');
    const baseline = await timed(() => dequeue(victim.token, 'victim-jobs', 5));
    expect(baseline.value.body.data?.dequeue?.payload).toBe('first');

    // Four attackers, each at the documented maximum: 32 waits of 15 s on distinct empty queues.
    const attackers = await Promise.all(Array.from({ length: 4 }, (_, i) => signUpUser(server.httpUrl, `attacker${i}`)));
    const attacks = attackers.flatMap(({ token }, i) => Array.from({ length: PER_USER }, (_, k) => dequeue(token, `empty${i * PER_USER + k}`, 15)));
    await until(() => server.app.services.queues.dispatcher.waiting === attackers.length * PER_USER, 'every attacking wait');
    // One more from one attacker is refused.
    const refused = await dequeue(attackers[0]!.token, 'empty-extra', 15);
    expect(codes(refused)).toEqual(['RATE_LIMITED']);
    expect(refused.body.errors?.[0]?.message).toMatch(/MAX_BLOCKING_OPERATIONS_PER_USER/);
    // The waits hold at most QUEUE_BLOCKING_CONNECTIONS pooled connections: the pool stays free for others.
    expect(server.app.services.queues.dispatcher.blockingConnections).toBeLessThanOrEqual(QUEUE_CONNECTIONS);
    expect(server.app.services.blocking.stats().busy).toBeLessThanOrEqual(QUEUE_CONNECTIONS);
    expect(server.app.services.blocking.stats().waiting).toBe(0);

    // The victim: a waiting job comes back at once...
    await redis.client.lpush('victim-jobs', 'second');
    const during = await timed(() => dequeue(victim.token, 'victim-jobs', 5));
    expect(during.value.body.data?.dequeue?.payload).toBe('second');
    expect(during.ms - baseline.ms).toBeLessThan(1000);
    // ... and so does one pushed while it waits, within a second.
    const waiting = timed(() => dequeue(victim.token, 'victim-later', 10));
    await until(() => server.app.services.queues.dispatcher.waiting === attackers.length * PER_USER + 1, 'the victim to wait');
    const pushed = performance.now();
    await redis.client.lpush('victim-later', 'third');
    const later = await waiting;
    expect(later.value.body.data?.dequeue?.payload).toBe('third');
    expect(performance.now() - pushed).toBeLessThan(1000 + baseline.ms);

    // The attackers' waits end on their own timeout with null, having taken nothing.
    const results = await Promise.all(attacks);
    expect(results.every((response) => response.body.data?.dequeue === null)).toBe(true);
    expect(server.app.services.blockingLimiter.held(attackers[0]!.id)).toBe(0);
  });

  it('honours timeoutSeconds however busy the pool is, and still delivers a job pushed meanwhile', async () => {
    const baseline = await timed(() => dequeue(victim.token, 'pool-free', 1));
    expect(baseline.value.body.data?.dequeue).toBeNull();
    await redis.client.lpush('pool-free', 'ready');
    const immediate = await timed(() => dequeue(victim.token, 'pool-free', 1));
    expect(immediate.value.body.data?.dequeue?.payload).toBe('ready');

    // Every pooled connection taken by other blocking work (as stream readers would).
    const hold = new AbortController();
    const holders = Array.from({ length: POOL }, () =>
      server.app.services.blocking.run(({ redis: connection }) => connection.blpop('never-pushed', 20), hold.signal).catch(() => null),
    );
    await until(() => server.app.services.blocking.stats().busy === POOL, 'the pool to be taken');
    try {
      const busy = await timed(() => dequeue(victim.token, 'pool-busy', 1));
      expect(busy.value.body.data?.dequeue).toBeNull();
      expect(Math.abs(busy.ms - baseline.ms)).toBeLessThan(1000);
      // No queue wait got in line for a connection.
      expect(server.app.services.blocking.stats().waiting).toBe(0);

      const waiting = timed(() => dequeue(victim.token, 'pool-busy', 10));
      await until(() => server.app.services.queues.dispatcher.waiting === 1, 'the dequeue to wait');
      const pushed = performance.now();
      await redis.client.lpush('pool-busy', 'polled');
      expect((await waiting).value.body.data?.dequeue?.payload).toBe('polled');
      expect(performance.now() - pushed).toBeLessThan(1000 + immediate.ms);
    } finally {
      hold.abort();
      await Promise.all(holders);
    }
  });

  it('counts a jobs subscription against the same per-user cap', async () => {
    const user = await signUpUser(server.httpUrl, 'subscriber');
    const waits = Array.from({ length: PER_USER }, (_, i) => dequeue(user.token, `cap${i}`, 3));
    await until(() => server.app.services.blockingLimiter.held(user.id) === PER_USER, 'the user to hold the maximum');
    expect((await refusedSubscriptionCodes(server.wsUrl, user.token, 'subscription { jobs(queue: "cap") { id } }')).codes).toEqual(['RATE_LIMITED']);
    await Promise.all(waits);
    // dequeue without a wait is not a blocking operation: never refused.
    expect(codes(await dequeue(user.token, 'cap0', 0))).toEqual([]);
  });
});

describe('waits that poll', () => {
  it('look at most MAX_POLLS_PER_SECOND times a second together, and an enqueue still wakes one at once', async () => {
    // No pooled connection for queue waits at all, and no per-user cap: 600 waits all poll, each
    // queue every 3 s (600 / MAX_POLLS_PER_SECOND).
    const polling = await startServer({ queueBlockingConnections: 0, maxBlockingOperationsPerUser: 0, dequeueMaxTimeoutSeconds: 30 });
    try {
      // In process (600 HTTP requests would only measure the machine): the dispatcher's waits.
      const { dispatcher } = polling.app.services.queues;
      const stop = new AbortController();
      const waits = Array.from({ length: 600 }, (_, i) => dispatcher.next(`poll${i}`, stop.signal));
      const seventh = waits[7]!.then((job) => ({ job, at: performance.now() }));
      await until(() => dispatcher.pollingWaits === 600, 'every wait to poll', 20_000);
      // One whole interval, so that every wait has set its timer knowing how many poll.
      const settled = performance.now();
      await until(() => performance.now() - settled > 3500, 'a whole polling interval', 5000);
      const before = await scriptCalls();
      const started = performance.now();
      await until(() => performance.now() - started > 2000, 'two seconds of polling');
      const perSecond = ((await scriptCalls()) - before) / ((performance.now() - started) / 1000);
      // 600 waits at the plain 250 ms interval would be 2,400 a second.
      expect(perSecond).toBeLessThan(MAX_POLLS_PER_SECOND * 1.5);
      expect(polling.app.services.blocking.stats().busy).toBe(0);

      // A job enqueued through the API wakes its wait through pub/sub, long before the next poll (3 s).
      const enqueued = performance.now();
      await postData(polling.httpUrl, ENQUEUE, { q: 'poll7', p: 'woken' }, victim.token);
      const { job, at } = await seventh;
      expect(job?.payload).toBe('woken');
      expect(at - enqueued).toBeLessThan(1000);
      stop.abort();
      expect((await Promise.all(waits)).filter(Boolean)).toHaveLength(1);
    } finally {
      await polling.stop();
    }
  });
});

describe('the queue registry (issue 13, part 4)', () => {
  it('costs the reaper nothing for names only looked at', async () => {
    // Every queue the reapers work on, as they reach it (the timer's passes and ours alike).
    const { store, reaper } = server.app.services.queues;
    const reaped: string[] = [];
    const reap = store.reap.bind(store);
    store.reap = (queue) => {
      reaped.push(queue);
      return reap(queue);
    };
    try {
      // 2,000 names looked at: 200 requests of 10 aliases each, as a client might (a document made
      // at run time, so a plain string).
      const aliases = (r: number) =>
        `mutation { ${Array.from({ length: 10 }, (_, i) => `d${i}: dequeue(queue: "reg${r * 10 + i}", timeoutSeconds: 0) { id }`).join(' ')} }`;
      for (let r = 0; r < 200; r += 20) {
        await Promise.all(Array.from({ length: 20 }, (_, k) => postData(server.httpUrl, aliases(r + k), {}, victim.token)));
      }
      const registered = await redis.client.zrange(QUEUE_REGISTRY_KEY, 0, -1);
      expect(registered.filter((name) => name.startsWith('reg'))).toEqual([]);
      await reaper.runOnce();
      expect(reaped.filter((name) => name.startsWith('reg'))).toEqual([]);

      // A queue that holds a job is registered and reaped.
      await postData(server.httpUrl, ENQUEUE, { q: 'real', p: 1 }, victim.token);
      expect(await redis.client.zscore(QUEUE_REGISTRY_KEY, 'real')).not.toBeNull();
      reaped.length = 0;
      await reaper.runOnce();
      await until(() => reaped.includes('real'), 'the reaper to work on it');
    } finally {
      store.reap = reap;
    }
  });

  it('is bounded by MAX_QUEUES: a new queue beyond it is RATE_LIMITED, and nothing is lost', async () => {
    const bounded = await startServer({ maxQueues: 3 });
    try {
      await redis.client.del(QUEUE_REGISTRY_KEY);
      const enqueue = (queue: string) => post(bounded.httpUrl, ENQUEUE, { q: queue, p: 1 }, { token: victim.token });
      for (const queue of ['b1', 'b2', 'b3']) expect(codes(await enqueue(queue))).toEqual([]);
      const refused = await enqueue('b4');
      expect(codes(refused)).toEqual(['RATE_LIMITED']);
      expect(refused.body.errors?.[0]?.message).toMatch(/at most 3 at once \(MAX_QUEUES\)/);
      expect(await redis.client.exists('b4')).toBe(0);
      // Known queues go on working.
      expect(codes(await enqueue('b1'))).toEqual([]);
      // A plain producer's queue: the take is refused and its job stays where it was.
      await redis.client.lpush('b5', 'plain');
      const taken = await post(bounded.httpUrl, DEQUEUE, { q: 'b5', t: 0 }, { token: victim.token });
      expect(codes(taken)).toEqual(['RATE_LIMITED']);
      expect(await redis.client.lrange('b5', 0, -1)).toHaveLength(1);
      expect(await redis.client.llen(queueKeys('b5').processing)).toBe(0);
      expect(await redis.client.zcard(QUEUE_REGISTRY_KEY)).toBe(3);
    } finally {
      await bounded.stop();
    }
  });
});
