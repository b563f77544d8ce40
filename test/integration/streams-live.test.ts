import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../support/close-codes.js';
import { post, subscription, wsClient } from '../support/graphql.js';
import { openRawSocket } from '../support/raw-socket.js';
import type { TestServer } from '../support/server.js';
import { until } from '../support/wait.js';
import { clientListOf, suiteBackend } from '../support/backend.js';
import { useServers } from '../support/servers.js';
import { graphql } from '../gql/index.js';
import { ADD_EVENT as ADD, GROUP_EVENTS } from '../support/operations.js';

// Standalone here; cluster-streams-live-suite.test.ts runs these same tests on a Redis Cluster.
const { redis, servers: [a, b], users: [follower], startServer } = useServers({ backend: suiteBackend(), servers: 2, users: ['follower'] });

const FOLLOW = graphql(`
  subscription StreamsLiveFollow($stream: String!, $after: String) {
    events(stream: $stream, after: $after) {
      id
      stream
      data
    }
  }
`);

type Followed = { events: { id: string; stream: string; data: unknown } };

/** Clients blocked in XREAD right now, as Redis reports them. */
async function blockedXreads(): Promise<number> {
  const list = await clientListOf(redis);
  return list.split('\n').filter((line) => /\bflags=\S*b/.test(line) && /\bcmd=xread\b/.test(line)).length;
}

const ids = (sub: { events: Array<{ data?: Followed | null }> }) => sub.events.map((event) => event.data?.events.id);

describe('interop: plain XADD reaches events subscribers', () => {
  it('delivers only new entries without `after`, as an object of strings', async () => {
    await redis.client.xadd('live-plain', '*', 'old', 'entry');
    const client = wsClient(a.wsUrl, follower.token);
    const sub = subscription(client, FOLLOW, { stream: 'live-plain' });
    // The shared reader is blocked in XREAD from a known position: anything added now is new.
    await until(async () => a.app.services.streamReaders.readerCount() === 1 && (await blockedXreads()) === 1, 'the reader');
    const id = await redis.client.xadd('live-plain', '*', 'sensor', 'temp', 'value', '21');
    await sub.waitForEvents(1);
    expect(sub.events).toEqual([{ data: { events: { id, stream: 'live-plain', data: { sensor: 'temp', value: '21' } } } }]);
    await client.dispose();
    await until(async () => a.app.services.streamReaders.readerCount() === 0 && (await blockedXreads()) === 0, 'the reader to stop');
  });

  it('replays the whole stream with after: "0", then follows', async () => {
    const first = await redis.client.xadd('live-zero', '*', 'n', '1');
    const second = (await post(a.httpUrl, ADD, { stream: 'live-zero', data: { n: 2 } }, { token: follower.token })).body.data?.addEvent.id;
    const client = wsClient(b.wsUrl, follower.token);
    const sub = subscription(client, FOLLOW, { stream: 'live-zero', after: '0' });
    await sub.waitForEvents(2);
    const third = await redis.client.xadd('live-zero', '*', 'n', '3');
    await sub.waitForEvents(3);
    expect(sub.events.map((event) => [event.data?.events.id, event.data?.events.data])).toEqual([
      [first, { n: '1' }],
      [second, { n: 2 }],
      [third, { n: '3' }],
    ]);
    await client.dispose();
  });
});

describe('replay from an id, then live', () => {
  it('has no gap and no duplicate while other clients XADD concurrently, for subscribers joining mid-flow on two instances', async () => {
    const stream = 'live-busy';
    const seeded: string[] = [];
    for (let i = 0; i < 50; i++) seeded.push((await redis.client.xadd(stream, '*', 'seed', String(i))) as string);

    // Two plain writers and the API write while subscribers join.
    const writerA = redis.client.duplicate();
    const writerB = redis.client.duplicate();
    let writing = true;
    const written = { a: 0, b: 0 };
    const write = async (writer: typeof writerA, name: 'a' | 'b') => {
      while (writing || written[name] < 150) await writer.xadd(stream, '*', 'writer', name, 'i', String(written[name]++));
    };
    const writers = [write(writerA, 'a'), write(writerB, 'b')];
    const apiWrites = (async () => {
      for (let i = 0; i < 30; i++) await post(a.httpUrl, ADD, { stream, data: { api: i } }, { token: follower.token });
    })();

    const clientA = wsClient(a.wsUrl, follower.token);
    const clientB = wsClient(b.wsUrl, follower.token);
    const subs: Array<{ after: string; sub: ReturnType<typeof subscription<Followed>> }> = [];
    const join = (client: typeof clientA, after: string) => subs.push({ after, sub: subscription(client, FOLLOW, { stream, after }) });
    join(clientA, seeded[10] as string);
    join(clientB, seeded[0] as string);
    // Join again once entries are flowing, so that the shared reader is mid-stream for these.
    await until(() => (subs[0]?.sub.events.length ?? 0) > 100, 'entries to flow');
    join(clientA, seeded[40] as string);
    const middle = (subs[0]?.sub.events[80]?.data?.events.id ?? '') as string;
    join(clientA, middle);
    join(clientB, middle);
    await until(() => subs.every(({ sub }) => sub.events.length > 50), 'every subscriber to receive');

    writing = false;
    await Promise.all([...writers, apiWrites]);
    const all = (await redis.client.xrange(stream, '-', '+')).map(([id]) => id);
    expect(all.length).toBeGreaterThan(300);
    for (const { after, sub } of subs) {
      const expected = all.slice(all.indexOf(after) + 1);
      await sub.waitForEvents(expected.length, 10_000);
      // Exactly the stored entries after `after`, in order: nothing missing, nothing twice.
      expect(ids(sub)).toEqual(expected);
      expect(sub.events.every((event) => !event.errors)).toBe(true);
    }
    // One shared reader per stream per instance, however many subscribers.
    expect(a.app.services.streamReaders.readerCount()).toBe(1);
    expect(b.app.services.streamReaders.readerCount()).toBe(1);
    await Promise.all([clientA.dispose(), clientB.dispose()]);
    writerA.disconnect();
    writerB.disconnect();
    await until(() => a.app.services.streamReaders.readerCount() + b.app.services.streamReaders.readerCount() === 0, 'the readers to stop');
  });

  it('delivers only entries after `after` when `after` is newer than the shared reader\'s position', async () => {
    const stream = 'live-ahead';
    await redis.client.xadd(stream, '5-0', 'n', 'five');
    const client = wsClient(a.wsUrl, follower.token);
    const early = subscription(client, FOLLOW, { stream });
    await until(async () => (await blockedXreads()) === 1, 'the reader');
    // The reader stands at 5-0; this subscriber wants what comes after 7-0.
    const late = subscription(client, FOLLOW, { stream, after: '7-0' });
    await until(() => a.app.services.subscriptions.size >= 2, 'both subscriptions');
    await redis.client.xadd(stream, '6-0', 'n', 'six');
    await redis.client.xadd(stream, '7-0', 'n', 'seven');
    await redis.client.xadd(stream, '8-0', 'n', 'eight');
    await early.waitForEvents(3);
    await late.waitForEvents(1);
    expect(ids(early)).toEqual(['6-0', '7-0', '8-0']);
    expect(ids(late)).toEqual(['8-0']);
    await client.dispose();
  });

  it('shares one blocking XREAD for all streams among local subscribers and stops it when the last one leaves', async () => {
    const client = wsClient(a.wsUrl, follower.token);
    // One hash tag: on a Redis Cluster too the two streams share a slot, so one XREAD can name both.
    const subs = [0, 1, 2].map(() => subscription(client, FOLLOW, { stream: '{live}shared' }));
    const other = subscription(client, FOLLOW, { stream: '{live}other' });
    await until(() => a.app.services.subscriptions.size >= 4, 'the subscriptions');
    await until(async () => a.app.services.streamReaders.readerCount() === 2 && (await blockedXreads()) === 1, 'one XREAD waiting on both streams');
    expect(a.app.services.streamReaders.stats().connections).toBe(1);
    const id = await redis.client.xadd('{live}shared', '*', 'k', 'v');
    for (const sub of subs) await sub.waitForEvents(1);
    expect(subs.map(ids)).toEqual([[id], [id], [id]]);
    // The command connection is never blocked: it answers while the readers wait.
    expect(await a.app.services.redis.ping()).toBe('PONG');
    subs[0]?.dispose();
    subs[1]?.dispose();
    other.dispose();
    await until(async () => a.app.services.streamReaders.readerCount() === 1 && (await blockedXreads()) === 1, 'one reader left');
    subs[2]?.dispose();
    await until(async () => a.app.services.streamReaders.readerCount() === 0 && (await blockedXreads()) === 0, 'no reader left');
    expect(a.app.services.blocking.stats().busy).toBe(0);
    await client.dispose();
  });
});

describe('a follower that stops reading', () => {
  let slow: TestServer;
  beforeAll(async () => {
    slow = await startServer({ subscriberQueueLimit: 50, subscriberQueueBytes: 1024 * 1024 });
  });
  afterAll(async () => {
    await slow?.stop();
  });

  it('is dropped with 1013 while another follower of the same shared reader gets everything', async () => {
    const healthy = wsClient(slow.wsUrl, follower.token);
    const healthySub = subscription(healthy, FOLLOW, { stream: 'live-firehose' });
    const stalled = await openRawSocket(slow.wsUrl);
    await stalled.init({ authToken: follower.token });
    stalled.send({ id: 's', type: 'subscribe', payload: { query: FOLLOW, variables: { stream: 'live-firehose' } } });
    await until(() => slow.app.services.subscriptions.size >= 2, 'both subscriptions');
    await until(async () => (await blockedXreads()) >= 1 && slow.app.services.streamReaders.readerCount() === 1, 'the reader');
    stalled.socket.pause();

    const payload = 'x'.repeat(32 * 1024);
    const total = 300;
    const added: string[] = [];
    for (let i = 0; i < total; i++) added.push((await redis.client.xadd('live-firehose', '*', 'i', String(i), 'payload', payload)) as string);

    await healthySub.waitForEvents(total, 15_000);
    expect(ids(healthySub)).toEqual(added);
    await until(() => slow.logs.text.includes('closing a slow consumer'), 'the slow-consumer log line');
    stalled.socket.resume();
    expect((await stalled.closed).code).toBe(CloseCode.TryAgainLater);
    await until(() => slow.app.services.subscriptions.size === 1, 'the stalled subscription to end');
    await healthy.dispose();
    await until(() => slow.app.services.streamReaders.readerCount() === 0, 'the reader to stop');
  });
});

describe('shutdown', () => {
  it('completes open events and groupEvents subscriptions and releases their blocking connections', async () => {
    const leaving = await startServer();
    await redis.client.xgroup('CREATE', 'live-shutdown', 'g', '$', 'MKSTREAM');
    const client = wsClient(leaving.wsUrl, follower.token);
    const follow = subscription(client, FOLLOW, { stream: 'live-shutdown' });
    const group = subscription(client, GROUP_EVENTS, { stream: 'live-shutdown', group: 'g', consumer: 'c' });
    // The shared stream reader has a connection of its own; the group consumer waits in its wait room on it.
    await until(
      () => leaving.app.services.subscriptions.size === 2 && leaving.app.services.groupWaits.stats().waiting === 1 && leaving.app.services.streamReaders.stats().connections === 1,
      'both subscriptions reading',
    );
    const started = Date.now();
    await leaving.stop();
    expect(Date.now() - started).toBeLessThan(3000);
    await follow.waitForEnd();
    await group.waitForEnd();
    expect(follow.errorCodes).toEqual([]);
    expect(group.errorCodes).toEqual([]);
    expect(leaving.app.services.streamReaders.readerCount()).toBe(0);
    expect(leaving.app.services.streamReaders.stats().connections).toBe(0);
    expect(leaving.app.services.blocking.stats()).toMatchObject({ busy: 0, waiting: 0 });
    expect(leaving.app.services.groupWaits.stats()).toEqual({ rooms: 0, consumers: 0, waiting: 0 });
    // Redis agrees: nobody is blocked in a stream read any more.
    await until(async () => !/\bflags=\S*b\S* .*\bcmd=xread/.test(await clientListOf(redis)), 'no blocked reads');
    await client.dispose();
  });
});
