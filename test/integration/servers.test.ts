// The fixture itself (test/support/servers.ts): what it starts answers, and what it disposes is gone,
// also when starting fails half-way.
import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { post } from '../support/graphql.js';
import { startServers, useServers } from '../support/servers.js';

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
const ME = '{ me { id username } }';

describe('useServers', () => {
  const bed = useServers({ servers: [{}, { maxMessageBytes: 2048 }], config: { maxMessageBytes: 1024 }, users: ['alice', 'bob'] });

  it('starts the servers on one Redis, each with the shared config and its own overrides', async () => {
    expect(bed.servers).toHaveLength(2);
    expect(bed.server).toBe(bed.servers[0]);
    expect(bed.servers[0]!.app.services.config.maxMessageBytes).toBe(1024);
    expect(bed.servers[1]!.app.services.config.maxMessageBytes).toBe(2048);
    expect(await bed.redis.client.ping()).toBe('PONG');
    // A user signed up on the first server is known to the second: the same Redis.
    const response = await post<{ me: { id: string; username: string } }>(bed.servers[1]!.httpUrl, ME, {}, { token: bed.users[1]!.token });
    expect(response.body.data?.me).toEqual({ id: bed.users[1]!.id, username: bed.users[1]!.username });
    expect(bed.user).toBe(bed.users[0]);
    expect(bed.users.map((user) => user.username.replace(/\d.*/, ''))).toEqual(['alice', 'bob']);
  });

  it('refuses a cluster-only or durable-only step on a plain standalone Redis, saying why', async () => {
    expect(() => bed.redis.pause()).toThrow(/durable: true/);
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
