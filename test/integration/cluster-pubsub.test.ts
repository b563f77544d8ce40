import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net';
import { Cluster, Redis } from 'ioredis';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../src/accounts/sessions.js';
import { loadConfig } from '../../src/config.js';
import { CLUSTER_OFFLINE_QUEUE_LIMIT, OFFLINE_QUEUE_FULL_MESSAGE, createRedisConnections, isRedisUnavailableError, redisTargetOf } from '../../src/redis/client.js';
import { chatKeys, internalKeys } from '../../src/redis/keys.js';
import { post, postData, subscription } from '../support/graphql.js';
import { openRawSocket } from '../support/raw-socket.js';
import type { ClusterNode } from '../support/redis-cluster.js';
import { useServers } from '../support/servers.js';
import { CHANNEL_NAMED as CHANNEL, PUBLISH, SIGN_IN } from '../support/operations.js';
import { until } from '../support/wait.js';

// Pub/sub and the command client on a real 3-master + 3-replica cluster, one test per row of the
// issue's table that is the cluster engineer's: PUBLISH order, the subscriber's `ready` after a
// node dies, INCR ids, /ready and the bounded offline queue. Tests that kill a node come last and
// leave the cluster healthy again.


const bed = useServers({ backend: 'cluster', users: ['clch'] });
const { server } = bed;

/** Subscribers of `channel` summed over every node (classic pub/sub: the node a subscriber is on). */
async function clusterSubscribers(channel: string): Promise<number> {
  const counts = await Promise.all(
    bed.redis.cluster.nodes.map((node) => node.client.pubsub('NUMSUB', channel).then((reply) => Number((reply as [string, number])[1]), () => 0)),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}

/** The node the server's own subscriber connection is on now (by its connection name). */
async function subscriberNode(): Promise<ClusterNode | undefined> {
  for (const node of bed.redis.cluster.nodes) {
    const list = await node.client.call('CLIENT', 'LIST').then(String, () => '');
    if (list.includes('name=switchboard:subscriber')) return node;
  }
  return undefined;
}

describe('channels on Redis Cluster', () => {
  it('serves a publish / channel round-trip (the server a Cluster client: sign-up wrote keys on several masters)', async () => {
    expect(server.app.services.redis).toBeInstanceOf(Cluster);
    const sub = subscription(bed.wsClient(server, bed.user.token), CHANNEL, { name: 'news' });
    await until(async () => (await clusterSubscribers('news')) === 1, 'the subscription on a cluster node');
    const published = await post(server.httpUrl, PUBLISH, { channel: 'news', message: { n: 1 } }, { token: bed.user.token });
    expect(published.body).toEqual({ data: { publish: true } });
    await sub.waitForEvents(1);
    expect(sub.events[0]).toEqual({ data: { channel: { channel: 'news', message: { n: 1 } } } });
  });

  it('delivers what a plain client publishes on any node', async () => {
    const sub = subscription(bed.wsClient(server, bed.user.token), CHANNEL, { name: 'from-anywhere' });
    await until(async () => (await clusterSubscribers('from-anywhere')) === 1, 'the subscription on a cluster node');
    for (const [index, node] of bed.redis.cluster.nodes.entries()) await node.client.publish('from-anywhere', JSON.stringify({ index }));
    await sub.waitForEvents(bed.redis.cluster.nodes.length);
    // Every node's message, each once. Not in publishing order: each comes over its own node's
    // cluster-bus link, and Redis orders nothing across publishers (one publisher's order is the
    // pinned-PUBLISH test's); once seen 5 before 4 under load.
    const indexes = sub.events.map((event) => (event.data as { channel: { message: { index: number } } }).channel.message.index);
    expect(indexes).toHaveLength(bed.redis.cluster.nodes.length);
    expect([...indexes].sort((x, y) => x - y)).toEqual(bed.redis.cluster.nodes.map((_, index) => index));
  });
});

describe('PUBLISH order through the cluster client', () => {
  it('delivers 3,000 messages of one sender, sent back to back, in the order sent', async () => {
    const listener = new Redis(bed.redis.cluster.nodes[4]!.port, '127.0.0.1');
    const received: number[] = [];
    listener.on('message', (_channel: string, payload: string) => received.push(Number(payload)));
    await listener.subscribe('ordered');
    const count = 3000;
    // The server's command client, as `publish`, the chat bus and signOut use it; not awaited in
    // turn, as a busy sender's publishes are not.
    const sender = server.app.services.redis;
    await Promise.all(Array.from({ length: count }, (_, index) => sender.publish('ordered', String(index))));
    await until(() => received.length === count, `${count} messages`);
    const outOfOrder = received.filter((value, index) => index > 0 && value < received[index - 1]!).length;
    expect(outOfOrder).toBe(0);
    expect(received).toEqual(Array.from({ length: count }, (_, index) => index));
    listener.disconnect();
  });
});

describe('safe user ids', () => {
  it('never overwrites an existing user when total_users went back (a failover lost INCRs)', async () => {
    const first = await bed.signUp('kept');
    // What a failover of total_users' master can leave: the counter behind an id in use.
    await bed.redis.client.set(chatKeys.totalUsers, String(Number(first.id) - 1));
    const second = await bed.signUp('newcomer');
    expect(second.id).not.toBe(first.id);
    expect(await bed.redis.client.hget(chatKeys.user(first.id), 'username')).toBe(first.username);
    // The first user still signs in with their own password, and is who they were.
    const signIn = await postData(server.httpUrl, SIGN_IN, { u: first.username, p: 'password123' });
    expect(signIn.signIn.user.id).toBe(first.id);
  });
});

/** A TCP forwarder to one node that the test can cut (every socket destroyed, nothing accepted) and restore. */
async function nodeProxy(port: number) {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  const listen = (on: number) =>
    new Promise<number>((resolve) => {
      server = createServer((inbound) => {
        const outbound = connect(port, '127.0.0.1');
        sockets.add(inbound).add(outbound);
        inbound.pipe(outbound).pipe(inbound);
        const drop = () => {
          inbound.destroy();
          outbound.destroy();
        };
        inbound.on('error', drop).on('close', drop);
        outbound.on('error', drop).on('close', drop);
      });
      server.listen(on, '127.0.0.1', () => resolve((server!.address() as AddressInfo).port));
    });
  const proxyPort = await listen(0);
  return {
    port: proxyPort,
    connections: () => sockets.size,
    async cut() {
      await new Promise<void>((resolve) => {
        server!.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        sockets.clear();
      });
    },
    restore: () => listen(proxyPort),
  };
}

describe('the cluster client behind NAT, and its bounded offline queue', () => {
  it('reaches every node through REDIS_CLUSTER_NAT_MAP, and fails queued commands within the command timeout while no node is reachable', async () => {
    const proxies = await Promise.all(bed.redis.cluster.nodes.map((node) => nodeProxy(node.port)));
    // Seeds and every announced address go through the proxies, as behind a NAT.
    const config = loadConfig({
      REDIS_CLUSTER_NODES: proxies.map((proxy) => `redis://127.0.0.1:${proxy.port}`).join(','),
      REDIS_CLUSTER_NAT_MAP: bed.redis.cluster.nodes.map((node, index) => `127.0.0.1:${node.port}=127.0.0.1:${proxies[index]!.port}`).join(','),
    });
    const connections = createRedisConnections({ target: redisTargetOf(config), logger: pino({ level: 'silent' }), commandTimeoutMs: 300 });
    await connections.connect();
    // Keys on every master, each reached through its proxy (the real ports are never dialled).
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f']) await connections.command.set(key, key);
    expect(await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((key) => bed.redis.client.get(key)))).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(proxies.filter((proxy) => proxy.connections() > 0).length).toBeGreaterThanOrEqual(3);

    await Promise.all(proxies.map((proxy) => proxy.cut()));
    await until(() => connections.command.status !== 'ready', 'the cluster client to lose every node');
    // Queued while nothing is reachable: fails with the command timeout, not whenever the cluster is back.
    const outcome = await connections.command.get('a').then(
      () => 'answered',
      (error: unknown) => error,
    );
    expect(isRedisUnavailableError(outcome)).toBe(true);
    // And the queue is bounded in size: one command beyond the limit is refused at once.
    const queued = Array.from({ length: CLUSTER_OFFLINE_QUEUE_LIMIT + 1 }, (_, index) => connections.command.get(`k${index}`).then(String, (error: Error) => error.message));
    const results = await Promise.all(queued);
    const refused = results.filter((message) => message.includes(OFFLINE_QUEUE_FULL_MESSAGE));
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(isRedisUnavailableError(new Error(refused[0]))).toBe(true);
    // Every other one waited and timed out: none is left pending.
    expect(new Set(results.filter((message) => !refused.includes(message)))).toEqual(new Set(['Command timed out']));

    // Back: the same client serves again.
    await Promise.all(proxies.map((proxy) => proxy.restore()));
    await until(async () => (await connections.command.get('a').catch(() => null)) === 'a', 'the cluster client to serve again', 20_000);
    await connections.close();
    await Promise.all(proxies.map((proxy) => proxy.cut()));
  });
});

describe('/ready on a cluster', () => {
  it('reports every master answering and cluster_state ok', async () => {
    const response = await fetch(new URL('/ready', server.origin));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', redis: { mode: 'cluster', state: 'ok', masters: 3, mastersAnswering: 3, slotsOk: 16_384 } });
  });
});

describe('the subscriber connection when its node dies', () => {
  it('moves to another node, reports the gap, goes on delivering, and rechecks sessions (a sign-out lost meanwhile still ends them)', async () => {
    const user = await bed.signUp('watched');
    const other = await bed.signUp('listener');
    const socket = await openRawSocket(server.wsUrl);
    await socket.init({ authToken: user.token });
    const client = bed.wsClient(server, other.token);
    const sub = subscription(client, CHANNEL, { name: 'moving' });
    await until(async () => (await clusterSubscribers('moving')) === 1, 'the subscription on a cluster node');
    const home = await subscriberNode();
    expect(home).toBeDefined();

    // The session ends without its announcement reaching anyone (as one published while the
    // subscriber moves would not): only the recheck after the restore can find it.
    await bed.redis.client.del(internalKeys.session(hashToken(user.token)));
    await home!.kill();

    // Pure pub/sub tells its subscribers that they may have missed messages.
    await sub.waitForEvents(1, 20_000);
    expect(sub.events[0]?.errors?.[0]?.extensions?.code).toBe('MISSED_MESSAGES');
    const moved = await subscriberNode();
    expect(moved).toBeDefined();
    expect(moved!.port).not.toBe(home!.port);
    // Not deaf: a message published on any live node arrives.
    await until(async () => (await clusterSubscribers('moving')) === 1, 'the subscription on its new node');
    const live = bed.redis.cluster.nodes.find((node) => node.port !== home!.port)!;
    await live.client.publish('moving', '"after"');
    await sub.waitForEvents(2);
    expect(sub.events[1]).toEqual({ data: { channel: { channel: 'moving', message: 'after' } } });

    expect(await socket.closed).toEqual({ code: 4403, reason: 'Session ended' });

    await client.dispose();
    await home!.restart();
    await bed.redis.cluster.waitHealthy(30_000);
  });

  it('answers /ready with 503 while a master is down and 200 once its replica took over', async () => {
    const [master] = await bed.redis.cluster.masters();
    await master!.kill();
    await until(async () => (await fetch(new URL('/ready', server.origin))).status === 503, '/ready to report the dead master', 20_000);
    const down = (await (await fetch(new URL('/ready', server.origin))).json()) as { redis: { mastersAnswering: number } };
    expect(down.redis.mastersAnswering).toBeLessThan(3);
    await until(async () => (await fetch(new URL('/ready', server.origin))).status === 200, '/ready once the replica is master', 30_000);
    await master!.restart();
    await bed.redis.cluster.waitHealthy(30_000);
  });
});
