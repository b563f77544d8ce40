import { describe, expect, it } from 'vitest';
import { post, signUpUser, subscription, wsClient } from '../support/graphql.js';
import { until } from '../support/wait.js';
import { useServers } from '../support/servers.js';
import { DEQUEUE, ENQUEUE, EVENTS as FOLLOW, GROUP_EVENTS } from '../support/operations.js';

// Abuse suite, issue 13: blocking reads that one user cannot starve (the `events` half).

const { redis, server, users: [victim] } = useServers({ users: ['victim'] });


/** Clients blocked in XREAD right now, as Redis reports them. */
async function blockedXreads(): Promise<number> {
  const list = (await redis.client.client('LIST')) as string;
  return list.split('\n').filter((line) => /\bflags=\S*b/.test(line) && /\bcmd=xread\b/.test(line)).length;
}

/**
 * How long the victim waits for its own event (the median of five): it follows `stream` from its
 * last entry (so that no entry can be missed while the subscription starts), then entries are
 * added one at a time and the time to each delivery is measured.
 */
async function victimLatencyMs(stream: string): Promise<number> {
  const [[last] = []] = await redis.client.xrevrange(stream, '+', '-', 'COUNT', 1);
  const client = wsClient(server.wsUrl, victim.token);
  const sub = subscription(client, FOLLOW, { stream, after: last ?? '0' });
  try {
    const samples: number[] = [];
    for (let round = 0; round < 5; round++) {
      const started = Date.now();
      await redis.client.xadd(stream, '*', 'n', String(round));
      await sub.waitForEvents(round + 1, 20_000);
      samples.push(Date.now() - started);
    }
    expect(sub.errorCodes).toEqual([]);
    return samples.sort((a, b) => a - b)[2]!;
  } finally {
    await client.dispose();
  }
}

describe('one socket with 100 events(stream:"atkN") subscriptions', () => {
  it('gets at most MAX_BLOCKING_OPERATIONS_PER_USER of them, shares one XREAD, and cannot delay another user\'s event or dequeue by a second', async () => {
    // Baseline: the victim alone. Its stream exists first, so that its subscription is live at once.
    await redis.client.xadd('victim-stream', '*', 'seed', '1');
    const baseline = await victimLatencyMs('victim-stream');
    await post(server.httpUrl, ENQUEUE, { q: 'victim-jobs', p: 1 }, { token: victim.token });
    const dequeueStarted = Date.now();
    await post(server.httpUrl, DEQUEUE, { q: 'victim-jobs', t: 5 }, { token: victim.token });
    const dequeueBaseline = Date.now() - dequeueStarted;

    const attacker = await signUpUser(server.httpUrl, 'attacker');
    const socket = wsClient(server.wsUrl, attacker.token);
    const subs = Array.from({ length: 100 }, (_, index) => subscription(socket, FOLLOW, { stream: `atk${index}` }));
    await until(() => subs.filter((sub) => sub.completed).length === 92, 'the refusals', 20_000);
    const refused = subs.filter((sub) => sub.completed);
    expect(new Set(refused.flatMap((sub) => sub.errorCodes))).toEqual(new Set(['RATE_LIMITED']));
    expect(refused[0]?.errorMessages[0]).toContain('MAX_BLOCKING_OPERATIONS_PER_USER');
    expect(server.app.services.blockingLimiter.held(attacker.id)).toBe(8);
    await until(() => server.app.services.streamReaders.readerCount() === 8, 'the attacker\'s 8 readers');

    // However many streams, one blocking connection waits on all of them.
    await until(async () => (await blockedXreads()) === 1, 'one shared XREAD');
    expect(server.app.services.streamReaders.stats().connections).toBe(1);
    // The attacker's streams are busy too, while the victim waits for its own.
    const writer = redis.client.duplicate();
    let writing = true;
    const noise = (async () => {
      for (let index = 0; writing; index++) await writer.xadd(`atk${index % 8}`, '*', 'noise', String(index));
    })();
    const underAttack = await victimLatencyMs('victim-stream');
    writing = false;
    await noise;
    writer.disconnect();
    expect(underAttack).toBeLessThan(baseline + 1000);
    // ... and another user's dequeue of a waiting job returns it, as fast as without the attack.
    const dequeueMs = async () => {
      await post(server.httpUrl, ENQUEUE, { q: 'victim-jobs', p: 1 }, { token: victim.token });
      const started = Date.now();
      const response = await post(server.httpUrl, DEQUEUE, { q: 'victim-jobs', t: 5 }, { token: victim.token });
      expect(response.body.data?.dequeue).toMatchObject({ queue: 'victim-jobs', payload: 1, attempts: 0 });
      return Date.now() - started;
    };
    expect(await dequeueMs()).toBeLessThan(dequeueBaseline + 1000);
    // Still one connection for 9 streams.
    expect(server.app.services.streamReaders.stats().connections).toBeLessThanOrEqual(1);

    await socket.dispose();
    await until(() => server.app.services.blockingLimiter.held(attacker.id) === 0, 'the attacker\'s slots to be given back');
    await until(async () => server.app.services.streamReaders.readerCount() === 0 && (await blockedXreads()) === 0, 'the readers to stop');
  });

  it('counts groupEvents too, and gives the slot back when a subscription ends', async () => {
    const user = await signUpUser(server.httpUrl, 'grouper');
    await redis.client.xgroup('CREATE', 'grouped', 'g', '$', 'MKSTREAM');
    const socket = wsClient(server.wsUrl, user.token);
    const groups = Array.from({ length: 8 }, (_, index) =>
      subscription(socket, GROUP_EVENTS, { stream: 'grouped', group: 'g', consumer: `c${index}` }),
    );
    await until(() => server.app.services.blockingLimiter.held(user.id) === 8, 'eight consumers');
    const ninth = subscription(socket, FOLLOW, { stream: 'ninth' });
    await ninth.waitForEnd();
    expect(ninth.errorCodes).toEqual(['RATE_LIMITED']);
    groups[0]?.dispose();
    await until(() => server.app.services.blockingLimiter.held(user.id) === 7, 'the slot to come back');
    const again = subscription(socket, FOLLOW, { stream: 'ninth' });
    await until(() => server.app.services.blockingLimiter.held(user.id) === 8, 'the slot to be taken again');
    expect(again.completed).toBe(false);
    await socket.dispose();
    await until(() => server.app.services.blockingLimiter.held(user.id) === 0, 'every slot back');
  });
});

describe('32 concurrent dequeue(queue:"emptyN", timeoutSeconds:15): the blocking pool is taken', () => {
  it('does not delay another user\'s live events by a second: the stream reader does not use the pool', async () => {
    await redis.client.xadd('victim-pool', '*', 'seed', '1');
    const baseline = await victimLatencyMs('victim-pool');
    // Four users, eight waits each: every connection of the pool (BLOCKING_POOL_SIZE, 32) is lent.
    const waits: Array<Promise<unknown>> = [];
    for (let user = 0; user < 4; user++) {
      const { token } = await signUpUser(server.httpUrl, `dequeuer${user}`);
      for (let index = 0; index < 8; index++) {
        waits.push(post(server.httpUrl, DEQUEUE, { q: `empty${user}x${index}`, t: 15 }, { token }).catch(() => null));
      }
    }
    // Queue waits now hold at most QUEUE_BLOCKING_CONNECTIONS pooled connections (the queues'
    // half of issue 13 part 3): take the rest as other blocking work would, so the pool is taken.
    const hold = new AbortController();
    const holders = Array.from({ length: server.app.services.config.blockingPoolSize }, () =>
      server.app.services.blocking.run(({ redis: connection }) => connection.blpop('never-pushed', 20), hold.signal).catch(() => null),
    );
    await until(() => server.app.services.blocking.stats().busy === server.app.services.config.blockingPoolSize, 'the pool to be taken', 20_000);
    const underAttack = await victimLatencyMs('victim-pool');
    expect(server.app.services.blocking.stats().busy).toBe(server.app.services.config.blockingPoolSize);
    expect(underAttack).toBeLessThan(baseline + 1000);
    hold.abort();
    await Promise.all(holders);
    // The waits end with the server (afterAll) or their timeout; nothing here depends on them.
    void Promise.allSettled(waits);
  });
});
