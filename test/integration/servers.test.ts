// The fixture itself (test/support/servers.ts): what it starts answers, and what it disposes is gone,
// also when starting fails half-way.
import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { post } from '../support/graphql.js';
import { runSuiteOn, suiteBackend } from '../support/backend.js';
import { startServers, useServers } from '../support/servers.js';
import { ME } from '../support/operations.js';

/** redis-server processes that this test process started (its children). */
function childRedisServers(): number[] {
  const out = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => /redis-server/.test(line))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const portOf = (url: string) => Number(new URL(url).port);

describe('useServers', () => {
  const bed = useServers({ servers: [{}, { maxMessageBytes: 2048 }], config: { maxMessageBytes: 1024 }, users: ['alice', 'bob'] });
  const { redis, server, servers: [a, b], user, users: [alice, bob] } = bed;

  it('starts the servers on one Redis, each with the shared config and its own overrides', async () => {
    expect(bed.servers).toHaveLength(2);
    expect(server.httpUrl).toBe(a.httpUrl);
    expect(a.httpUrl).not.toBe(b.httpUrl);
    expect(a.app.services.config.maxMessageBytes).toBe(1024);
    expect(b.app.services.config.maxMessageBytes).toBe(2048);
    expect(await redis.client.ping()).toBe('PONG');
    // A user signed up on the first server is known to the second: the same Redis.
    const response = await post(b.httpUrl, ME, {}, { token: bob.token });
    expect(response.body.data?.me).toEqual({ id: bob.id, username: bob.username });
    expect(user.token).toBe(alice.token);
    expect({ ...alice }).toEqual({ token: alice.token, id: alice.id, username: alice.username });
    expect(bed.users.map((each) => each.username.replace(/\d.*/, ''))).toEqual(['alice', 'bob']);
  });

  it('refuses a durable-only step on a plain standalone Redis, saying why', async () => {
    expect(() => redis.pause()).toThrow(/durable: true/);
  });
});

describe('useServers, read while the file is collected', () => {
  const bed = useServers({ servers: 0 });
  let early: unknown;
  try {
    void bed.redis.url;
  } catch (error) {
    early = error;
  }

  it('throws, saying to read it inside a test or hook', () => {
    expect(String(early)).toMatch(/inside a test or hook/);
    expect(bed.redis.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
  });
});

describe('startServers', () => {
  it('disposes of servers, extra servers, sockets and Redis', async () => {
    const before = childRedisServers().length;
    const bed = await startServers({ users: ['carol'] });
    const extra = await bed.startServer({ maxMessageBytes: 4096 });
    const client = bed.wsClient(extra, bed.user.token, { lazy: false });
    await new Promise<void>((resolve) => client.on('connected', () => resolve()));
    expect(childRedisServers().length).toBe(before + 1);
    const ports = [bed.redis.port, portOf(bed.server.httpUrl), portOf(extra.httpUrl)];
    for (const port of ports) expect(await listening(port)).toBe(true);
    await bed.dispose();
    for (const port of ports) expect(await listening(port)).toBe(false);
    expect(childRedisServers().length).toBe(before);
  });

  it('disposes of what it started when a later step fails, and reports that step', async () => {
    const before = childRedisServers().length;
    // The second server cannot start: its metrics port is taken (by another bed's Redis).
    const blocker = await startServers({ servers: 0 });
    const taken = blocker.redis.port;
    await expect(startServers({ servers: [{}, { metricsPort: taken, metricsHost: '127.0.0.1' }] })).rejects.toThrow();
    expect(childRedisServers().length).toBe(before + 1);
    await blocker.dispose();
    expect(childRedisServers().length).toBe(before);
  });

  it('runs every disposer even when one fails, and then throws that failure', async () => {
    const bed = await startServers({ servers: 0 });
    let ran = false;
    bed.defer(() => {
      ran = true;
    });
    bed.defer(() => {
      throw new Error('a broken disposer');
    });
    await expect(bed.dispose()).rejects.toThrow('a broken disposer');
    expect(ran).toBe(true);
    expect(await listening(bed.redis.port)).toBe(false);
  });
});

// As a cluster-*.test.ts file runs a whole suite: the bed names no backend, runSuiteOn picks it.
let clustered: ReturnType<typeof useServers<'cluster', 2, ['carl']>> | undefined;
await runSuiteOn('cluster', async () => {
  expect(suiteBackend()).toBe('cluster');
  clustered = useServers({ servers: 2, users: ['carl'] }) as unknown as typeof clustered;
});

describe("a bed on the cluster (runSuiteOn('cluster'), or backend: 'cluster')", () => {
  it('is chosen while the file is collected, and standalone again after', () => {
    expect(clustered!.backend).toBe('cluster');
    expect(suiteBackend()).toBe('standalone');
  });

  it('starts 3 masters + 3 replicas and servers in cluster mode (REDIS_CLUSTER_NODES) that share it', async () => {
    const { redis, servers: [a, b], users: [carl] } = clustered!;
    expect(redis.cluster.nodes).toHaveLength(6);
    expect(await redis.cluster.masters()).toHaveLength(3);
    expect(redis.env.REDIS_CLUSTER_NODES).toBe(redis.seeds);
    expect(a.app.services.config.redisClusterNodes?.nodes).toHaveLength(6);
    expect(a.app.services.config.redisUrl).toBeUndefined();
    const response = await post(b.httpUrl, ME, {}, { token: carl.token });
    expect(response.body.data?.me?.id).toBe(carl.id);
    // The user's keys are in the cluster, read through the bed's cluster-aware client.
    expect(await redis.client.exists(`user:${carl.id}`)).toBe(1);
  });
});
