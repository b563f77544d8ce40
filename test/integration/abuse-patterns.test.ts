import type { Client } from 'graphql-ws';
import type { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { post, refusedSubscriptionCodes, signUpUser, subscription, wsClient } from '../support/graphql.js';
import { until } from '../support/wait.js';
import { useServers } from '../support/servers.js';
import { PATTERN, PUBLISH } from '../support/operations.js';

// Abuse suite, issue 13: patterns that cannot slow Redis.

// Two instances, as in production: both follow MESSAGES, and both would hold the patterns.
const { redis, servers: [a, b], startServer } = useServers({ servers: 2 });

type Received = { channelPattern: { channel: string; message: unknown } };

/**
 * The baseline for PUBLISH's cost: a Redis as this file's is before any pattern, with the two
 * instances' subscriptions to MESSAGES and no pattern. Measured in turns with the attacked one,
 * so that both see the same load of this shared machine.
 */
const control = useServers({ servers: 0 });
beforeAll(async () => {
  for (let instance = 0; instance < 2; instance++) {
    const subscriber: Redis = control.redis.client.duplicate();
    control.defer(() => subscriber.disconnect());
    await subscriber.subscribe('MESSAGES');
  }
});

/** Redis's own measure of PUBLISH (INFO commandstats' usec_per_call) for one round of `calls`. */
async function publishUsecPerCall(client: Redis, channel: string, calls: number): Promise<number> {
  await client.config('RESETSTAT');
  const pipeline = client.pipeline();
  for (let index = 0; index < calls; index++) pipeline.publish(channel, '{"serverId":"bench","type":"noop","data":{}}');
  await pipeline.exec();
  const stats = await client.info('commandstats');
  return Number(/cmdstat_publish:calls=\d+,usec=\d+,usec_per_call=([\d.]+)/.exec(stats)?.[1]);
}

/**
 * PUBLISH on `channel` in this file's Redis and in the control, round by round in turns, the best
 * round of each: a round in which Redis was descheduled says nothing about PUBLISH, and taking
 * turns gives both the same chances of a quiet moment.
 */
async function publishCosts(channel: string, calls: number): Promise<{ attacked: number; control: number }> {
  const attacked: number[] = [];
  const baseline: number[] = [];
  for (let round = 0; round < 9; round++) {
    baseline.push(await publishUsecPerCall(control.redis.client, channel, calls));
    attacked.push(await publishUsecPerCall(redis.client, channel, calls));
  }
  return { attacked: Math.min(...attacked), control: Math.min(...baseline) };
}

/** Pattern subscriptions held by all clients of Redis (CLIENT LIST's `psub`), each counted. */
async function patternSubscriptions(): Promise<number> {
  const list = (await redis.client.client('LIST')) as string;
  return [...list.matchAll(/\bpsub=(\d+)/g)].reduce((sum, match) => sum + Number(match[1]), 0);
}

/**
 * The issue's pattern, `[^Ms]*a*a*…*b<n>`, behind a literal `x`: the default policy refuses the
 * original (FORBIDDEN: it could match other users' `private.<id>.` channels, see below), which would
 * leave nothing for the caps to do; with the `x` it costs Redis the same to match and passes it.
 */
const attackPattern = (n: number) => `x[^Ms]*${'a*'.repeat(14)}b${n}`;

describe('10 sockets × 500 channelPattern subscriptions of distinct patterns like [^Ms]*a*a*…*b<n>', () => {
  it('leave PUBLISH on MESSAGES within 2× of a same-load baseline, with a handful of PSUBSCRIBEs in Redis', async () => {
    const probe = await signUpUser(a.httpUrl, 'literal');
    const literal = await refusedSubscriptionCodes(a.wsUrl, probe.token, PATTERN, { p: `[^Ms]*${'a*'.repeat(14)}b1` });
    expect(literal.codes).toEqual(['FORBIDDEN']);
    expect(await patternSubscriptions()).toBe(0);

    const attacker = await signUpUser(a.httpUrl, 'patterns');
    const sockets: Client[] = [];
    try {
    const subs: Array<ReturnType<typeof subscription<Received>>> = [];
    for (let socket = 0; socket < 10; socket++) {
      // Half the sockets on each instance.
      const client = wsClient((socket % 2 === 0 ? a : b).wsUrl, attacker.token);
      sockets.push(client);
      for (let index = 0; index < 500; index++) {
        subs.push(subscription(client, PATTERN, { p: attackPattern(socket * 500 + index) }));
      }
    }
    // Each instance accepts MAX_PATTERNS_PER_USER (100) of the user's distinct patterns and refuses the rest.
    await until(() => subs.filter((sub) => sub.completed).length === 5000 - 200, 'the refusals', 60_000);
    const refused = subs.filter((sub) => sub.completed);
    expect(refused.every((sub) => sub.events.every((event) => !event.data))).toBe(true);
    expect(new Set(refused.flatMap((sub) => sub.errorCodes))).toEqual(new Set(['RATE_LIMITED']));
    expect(refused[0]?.errorMessages[0]).toContain('MAX_PATTERNS_PER_USER');
    await until(() => a.app.services.patterns.stats().patterns === 100 && b.app.services.patterns.stats().patterns === 100, 'the accepted patterns');
    // Redis holds one cover per instance, not 200 (or 5,000) patterns.
    expect(await patternSubscriptions()).toBe(2);
    expect(Number(await redis.client.pubsub('NUMPAT'))).toBe(1);

    const costs = await publishCosts('MESSAGES', 2000);
    expect(costs.attacked, JSON.stringify(costs)).toBeLessThan(2 * costs.control);

    // The accepted patterns still work, exactly: a channel matching one of them reaches it alone.
    const accepted = subs.find((sub) => !sub.completed)!;
    const index = subs.indexOf(accepted);
    const socket = Math.floor(index / 500);
    const channel = `xy${'a'.repeat(14)}b${index}`;
    await post((socket % 2 === 0 ? a : b).httpUrl, PUBLISH, { channel, message: 1 }, { token: attacker.token });
    await accepted.waitForEvents(1);
    expect(accepted.events[0]?.data?.channelPattern).toEqual({ channel, message: 1 });
    expect(subs.filter((sub) => sub.events.some((event) => event.data))).toHaveLength(1);
    } finally {
      await Promise.all(sockets.map((client) => client.dispose()));
    }
    await until(async () => (await patternSubscriptions()) === 0, 'the covers to go');
    expect(a.app.services.patterns.stats()).toEqual({ patterns: 0, covers: 0 });
  });
});

describe('pattern delivery through covers', () => {
  it('delivers exactly what PSUBSCRIBE would, across several covers, and never a reserved channel', async () => {
    const user = await signUpUser(a.httpUrl, 'covers');
    const client = wsClient(a.wsUrl, user.token);
    const short = subscription(client, PATTERN, { p: 'M?' });
    const sensors = subscription(client, PATTERN, { p: 'swi?x' });
    await until(() => a.app.services.patterns.stats().patterns === 2, 'both patterns');
    // What plain Redis delivers for the same patterns, as the reference.
    const reference = redis.client.duplicate();
    const got: Record<string, string[]> = { 'M?': [], 'swi?x': [] };
    reference.on('pmessage', (pattern: string, channel: string) => got[pattern]?.push(channel));
    await reference.psubscribe('M?', 'swi?x');
    const channels = ['Ma', 'ME', 'M', 'MEx', 'MESSAGES', 'swiax', 'switx', 'swix', 'switchboard:x', 's', 'swi?x', 'news'];
    for (const channel of channels) await redis.client.publish(channel, '"m"');
    await redis.client.publish('end', '"m"');
    await until(() => got['M?']!.length + got['swi?x']!.length >= 5, 'the reference');
    await short.waitForEvents(got['M?']!.length);
    await sensors.waitForEvents(got['swi?x']!.length);
    expect(short.events.map((event) => event.data?.channelPattern.channel)).toEqual(got['M?']);
    expect(sensors.events.map((event) => event.data?.channelPattern.channel)).toEqual(got['swi?x']!.filter((channel) => !channel.startsWith('switchboard:')));
    expect(got).toEqual({ 'M?': ['Ma', 'ME'], 'swi?x': ['swiax', 'switx', 'swi?x'] });
    reference.disconnect();
    await client.dispose();
  });

  it('caps the distinct patterns of one process (MAX_PATTERNS_PER_PROCESS) whoever asks, while a pattern in use can still be shared', async () => {
    const small = await startServer({ maxPatternsPerProcess: 3 });
    try {
      const users = await Promise.all([0, 1].map((index) => signUpUser(small.httpUrl, `cap${index}`)));
      const clients = users.map((user) => wsClient(small.wsUrl, user.token));
      const held = ['news.1', 'news.2', 'news.3'].map((p) => subscription(clients[0]!, PATTERN, { p }));
      await until(() => small.app.services.patterns.stats().patterns === 3, 'three patterns');
      const refused = subscription(clients[1]!, PATTERN, { p: 'news.4' });
      await refused.waitForEnd();
      expect(refused.errorCodes).toEqual(['RATE_LIMITED']);
      expect(refused.errorMessages[0]).toContain('MAX_PATTERNS_PER_PROCESS');
      const shared = subscription(clients[1]!, PATTERN, { p: 'news.1' });
      await until(() => small.app.services.live.stats().members === 4, 'the shared pattern');
      expect(shared.completed).toBe(false);
      held[1]?.dispose();
      await until(() => small.app.services.patterns.stats().patterns === 2, 'a pattern to leave');
      const again = subscription(clients[1]!, PATTERN, { p: 'news.4' });
      await until(() => small.app.services.patterns.stats().patterns === 3, 'the freed place to be taken');
      expect(again.completed).toBe(false);
      await Promise.all(clients.map((client) => client.dispose()));
    } finally {
      await small.stop();
    }
  });
});
