import { Redis } from 'ioredis';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { channelsInUse } from '../../src/channels/insight.js';
import { internalKeys } from '../../src/redis/keys.js';
import { createStreamInsight } from '../../src/streams/insight.js';
import { codes, post, postData, refusedSubscriptionCodes, subscription, wsClient } from '../support/graphql.js';
import { graphql } from '../gql/index.js';
import { CHANNEL } from '../support/operations.js';
import { until } from '../support/wait.js';
import { useServers } from '../support/servers.js';

const JWT_SECRET = 'a-secret-of-at-least-thirty-two-characters-for-ops';
// Two instances on one Redis, reporting their stats often.
const { redis, servers: [a, b], users: [admin, user], startServer } = useServers({
  servers: [{ statsIntervalMs: 200, authJwtSecret: JWT_SECRET }, { statsIntervalMs: 200 }],
  users: [{ name: 'opsadmin', roles: ['admin'] }, 'opsuser'],
});

const STREAM_INFO = graphql(`
  query OpsStreamInfo($s: String!) {
    streamInfo(stream: $s) {
      stream
      length
      firstId
      lastId
      lastGeneratedId
      entriesAdded
      groups {
        name
        consumers
        pending
        lag
        lastDeliveredId
        entriesRead
        consumerDetails {
          name
          pending
          idleMs
        }
      }
    }
  }
`);

describe('streamInfo', () => {
  it('shows length, first and last ids, and each group with consumers, pending entries and lag', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await redis.client.xadd('orders', '*', 'n', String(i)))!);
    await redis.client.xgroup('CREATE', 'orders', 'billing', '0');
    await redis.client.xgroup('CREATE', 'orders', 'shipping', '$');
    // billing's consumer c1 reads 3 entries and acknowledges one.
    await redis.client.xreadgroup('GROUP', 'billing', 'c1', 'COUNT', '3', 'STREAMS', 'orders', '>');
    await redis.client.xack('orders', 'billing', ids[0]!);

    const { streamInfo } = await postData(a.httpUrl, STREAM_INFO, { s: 'orders' }, admin.token);
    expect(streamInfo).toMatchObject({ stream: 'orders', length: 5, firstId: ids[0], lastId: ids[4], lastGeneratedId: ids[4], entriesAdded: 5 });
    expect(streamInfo?.groups).toEqual([
      { name: 'billing', consumers: 1, pending: 2, lag: 2, lastDeliveredId: ids[2], entriesRead: 3, consumerDetails: [{ name: 'c1', pending: 2, idleMs: expect.any(Number) }] },
      // A group made at `$` has nothing to read; Redis 7.0 leaves its entries-read unknown.
      expect.objectContaining({ name: 'shipping', consumers: 0, pending: 0, lag: 0, lastDeliveredId: ids[4], consumerDetails: [] }),
    ]);
  });

  it('is null for a missing stream and BAD_USER_INPUT for a key of another type', async () => {
    expect((await postData(a.httpUrl, STREAM_INFO, { s: 'no-such-stream' }, admin.token)).streamInfo).toBeNull();
    await redis.client.set('a-string', 'x');
    expect(codes(await post(a.httpUrl, STREAM_INFO, { s: 'a-string' }, { token: admin.token }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await post(a.httpUrl, STREAM_INFO, { s: 'switchboard:anything' }, { token: admin.token }))).toEqual(['BAD_USER_INPUT']);
  });

  it('is FORBIDDEN to a non-admin and UNAUTHENTICATED without a session', async () => {
    const refused = await post(a.httpUrl, STREAM_INFO, { s: 'orders' }, { token: user.token });
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ action: 'inspect', resource: 'stream', name: 'orders' });
    expect(codes(await post(a.httpUrl, STREAM_INFO, { s: 'orders' }))).toEqual(['UNAUTHENTICATED']);
  });
});

const CHANNELS = graphql(`
  query OpsChannels($p: String, $first: Int) {
    channels(pattern: $p, first: $first) {
      total
      truncated
      channels {
        name
        subscribers
      }
    }
  }
`);
const CREATE_KEY = graphql(`
  mutation OpsCreateKey($r: [String!]!) {
    createApiKey(name: "ops", roles: $r) {
      key
    }
  }
`);
/** Two admin-only fields in one operation: two FORBIDDEN errors for anyone else. */
const ADMIN_ONLY = graphql(`
  query OpsAdminOnly {
    streamInfo(stream: "orders") {
      length
    }
    channels {
      total
    }
  }
`);

describe('who is an admin', () => {
  it('admin API keys and JWTs whose roles claim says admin may; service keys and user JWTs may not', async () => {
    const key = async (role: string) =>
      (await postData(a.httpUrl, CREATE_KEY, { r: [role] }, admin.token)).createApiKey.key;
    const jwt = (roles: string[]) =>
      new SignJWT({ roles }).setProtectedHeader({ alg: 'HS256' }).setSubject(`ops-${roles.join('-')}`).setExpirationTime('1h').sign(new TextEncoder().encode(JWT_SECRET));
    for (const token of [await key('admin'), await jwt(['admin'])]) {
      expect((await post(a.httpUrl, ADMIN_ONLY, {}, { token })).body.errors).toBeUndefined();
    }
    for (const token of [await key('service'), await jwt(['user'])]) {
      expect(codes(await post(a.httpUrl, ADMIN_ONLY, {}, { token }))).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    }
  });
});

describe('channels', () => {
  it('lists the channels in use on every instance with their subscriber counts, bounded', async () => {
    // Two clients on instance a, one on b, and a plain Redis subscriber: a holds one Redis
    // subscription for its two clients, so Redis counts a, b and the plain client.
    const onA = wsClient(a.wsUrl, user.token);
    const onB = wsClient(b.wsUrl, user.token);
    const subs = [subscription(onA, CHANNEL, { name: 'ops.news' }), subscription(onA, CHANNEL, { name: 'ops.news' }), subscription(onB, CHANNEL, { name: 'ops.news' })];
    const sports = subscription(onB, CHANNEL, { name: 'ops.sports' });
    const plain = redis.client.duplicate();
    await plain.subscribe('ops.news', 'ops.weather');
    await until(async () => Number(((await redis.client.pubsub('NUMSUB', 'ops.news')) as [string, number])[1]) === 3, 'three Redis subscribers');
    await until(async () => Number(((await redis.client.pubsub('NUMSUB', 'ops.sports')) as [string, number])[1]) === 1, 'sports');

    const all = await postData(a.httpUrl, CHANNELS, { p: 'ops.*' }, admin.token);
    expect(all.channels).toEqual({
      total: 3,
      truncated: false,
      channels: [
        { name: 'ops.news', subscribers: 3 },
        { name: 'ops.sports', subscribers: 1 },
        { name: 'ops.weather', subscribers: 1 },
      ],
    });
    const first = await postData(b.httpUrl, CHANNELS, { p: 'ops.*', first: 1 }, admin.token);
    expect(first.channels).toEqual({ total: 3, truncated: true, channels: [{ name: 'ops.news', subscribers: 3 }] });
    // The default pattern is every channel; Switchboard's own channels are left out.
    const everything = await postData(a.httpUrl, CHANNELS, {}, admin.token);
    expect(everything.channels.channels.map((channel) => channel.name)).toEqual(['ops.news', 'ops.sports', 'ops.weather']);

    plain.disconnect();
    for (const sub of [...subs, sports]) sub.dispose();
    await onA.dispose();
    await onB.dispose();
  });

  it('refuses bad arguments, and non-admins', async () => {
    expect(codes(await post(a.httpUrl, CHANNELS, { p: 'ops.[' }, { token: admin.token }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await post(a.httpUrl, CHANNELS, { first: 0 }, { token: admin.token }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await post(a.httpUrl, CHANNELS, { first: 1001 }, { token: admin.token }))).toEqual(['BAD_USER_INPUT']);
    const refused = await post(a.httpUrl, CHANNELS, { p: 'ops.*' }, { token: user.token });
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ action: 'inspect', resource: 'pattern', name: 'ops.*' });
  });
});

const STATS = graphql(`
  subscription OpsStats {
    stats {
      at
      instance {
        id
        webSockets
        sseStreams
        subscriptions
        connections
        deliveries
        deliveriesPerSecond
        denials
      }
      cluster {
        webSockets
        subscriptions
        deliveries
        instances {
          id
          webSockets
        }
      }
    }
  }
`);

describe('stats', () => {
  it("pushes this instance's and the cluster's counters at once, then every interval", async () => {
    const client = wsClient(a.wsUrl, admin.token);
    const stats = subscription(client, STATS);
    await stats.waitForEvents(1);
    const first = stats.events[0]!.data!.stats;
    expect(first.instance.id).toBe(a.app.services.stats.instanceId);
    expect(first.instance.webSockets).toBe(1);
    expect(first.instance.subscriptions).toBe(1);
    // Both instances report to Redis: the cluster is a and b.
    await until(() => stats.events.at(-1)!.data!.stats.cluster.instances.length === 2, 'both instances in the cluster');
    expect(stats.events.at(-1)!.data!.stats.cluster.instances.map((instance) => instance.id).sort()).toEqual(
      [a.app.services.stats.instanceId, b.app.services.stats.instanceId].sort(),
    );

    // Traffic on b shows in the cluster's figures (through Redis), not in a's own.
    const onB = wsClient(b.wsUrl, user.token);
    const news = subscription(onB, CHANNEL, { name: 'ops.stats' });
    await until(async () => Number(((await redis.client.pubsub('NUMSUB', 'ops.stats')) as [string, number])[1]) === 1, 'b subscribed');
    const baseline = stats.events.at(-1)!.data!.stats.cluster.deliveries;
    for (let i = 0; i < 4; i++) await redis.client.publish('ops.stats', String(i));
    await news.waitForEvents(4);
    await until(() => {
      const latest = stats.events.at(-1)!.data!.stats;
      return latest.cluster.deliveries >= baseline + 4 && latest.cluster.webSockets === 2 && latest.cluster.subscriptions === 2;
    }, "b's socket, subscription and deliveries in the cluster's figures");
    const latest = stats.events.at(-1)!.data!.stats;
    expect(latest.instance.webSockets).toBe(1);
    expect(latest.cluster.instances.find((instance) => instance.id === b.app.services.stats.instanceId)!.webSockets).toBe(1);
    // It keeps pushing.
    const count = stats.events.length;
    await stats.waitForEvents(count + 2);
    news.dispose();
    await onB.dispose();
    stats.dispose();
    await client.dispose();
  });

  it('is FORBIDDEN to a non-admin and UNAUTHENTICATED without a session', async () => {
    expect((await refusedSubscriptionCodes(a.wsUrl, user.token, STATS)).codes).toEqual(['FORBIDDEN']);
    const anonymous = wsClient(a.wsUrl);
    const sub = subscription(anonymous, STATS);
    await sub.waitForEnd();
    expect(sub.errorCodes).toEqual(['UNAUTHENTICATED']);
    await anonymous.dispose();
  });

  it('leaves an instance out of the cluster once it stops', async () => {
    const c = await startServer({ statsIntervalMs: 200 });
    await until(async () => (await redis.client.hexists(internalKeys.instanceStats, c.app.services.stats.instanceId)) === 1, 'c reporting');
    await c.stop();
    expect(await redis.client.hexists(internalKeys.instanceStats, c.app.services.stats.instanceId)).toBe(0);
  });
});

describe('on Redis Cluster', () => {
  const clustered = useServers({ backend: 'cluster', servers: 0, cluster: { masters: 3, replicasPerMaster: 0 } });

  it("sends XINFO to the stream's node, and sums PUBSUB over every node", async () => {
    const { cluster, client } = clustered.redis;
    await client.xadd('clustered-stream', '*', 'a', '1');
    await client.xgroup('CREATE', 'clustered-stream', 'g', '0');
    const owner = await cluster.masterOf('clustered-stream');
    // XINFO calls a node ran or refused (a MOVED redirect counts as rejected).
    const xinfoCalls = async (node: (typeof cluster.nodes)[number]) =>
      [...(await node.client.info('commandstats')).matchAll(/cmdstat_xinfo\|\w+:calls=(\d+),.*?rejected_calls=(\d+)/g)].reduce((sum, match) => sum + Number(match[1]) + Number(match[2]), 0);
    for (const node of cluster.nodes) await node.client.config('RESETSTAT');
    const insight = createStreamInsight(client);
    for (let i = 0; i < 8; i++) expect((await insight.info('clustered-stream'))!.groups.map((group) => group.name)).toEqual(['g']);
    // Each call is XINFO STREAM + XINFO GROUPS, all on the owner: no random node, no MOVED.
    expect(await xinfoCalls(owner)).toBe(16);
    expect(await owner.client.info('commandstats')).not.toMatch(/cmdstat_xinfo\|\w+:.*rejected_calls=[1-9]/);
    for (const node of cluster.nodes) if (node !== owner) expect(await xinfoCalls(node)).toBe(0);

    // Classic subscribers on two different nodes are both counted.
    const subscribers = cluster.nodes.slice(0, 2).map((node) => new Redis(node.url, { lazyConnect: true }));
    for (const subscriber of subscribers) {
      await subscriber.connect();
      await subscriber.subscribe('spread');
    }
    let seen: unknown = null;
    await until(async () => {
      seen = await channelsInUse(client, 'spr*', 10);
      return JSON.stringify(seen) === JSON.stringify({ total: 1, channels: [{ name: 'spread', subscribers: 2 }], truncated: false });
    }, 'both subscribers counted').catch((error: unknown) => {
      throw new Error(`${String(error)}; last seen ${JSON.stringify(seen)} over ${client.nodes('all').length} nodes`);
    });
    for (const subscriber of subscribers) subscriber.disconnect();
  });
});
