import { createConnection, createServer, type Socket } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlockingPool, type BlockingConnection, type BlockingPool } from '../../src/redis/blocking-pool.js';
import { refusedRedis } from '../support/redis.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';

const { redis } = useServers({ servers: 0 });
let pool: BlockingPool;

/** Resolves once Redis reports `count` clients blocked in a command. */
async function blockedClients(count: number) {
  await until(async () => {
    const info = await redis.client.info('clients');
    return Number(/blocked_clients:(\d+)/.exec(info)?.[1]) >= count;
  }, `${count} blocked client(s)`);
}

/**
 * The longest pause between two reconnect attempts of an ioredis client under its default
 * retryStrategy (`Math.min(times * 50, 2000)`), which the pool's connections used to have.
 */
const IOREDIS_MAX_RETRY_DELAY_MS = 2000;

/** The connection the pool lends next, and the id Redis gives it. */
async function lentConnection(own: BlockingPool): Promise<BlockingConnection> {
  return own.run(async (connection) => connection);
}

beforeAll(() => {
  pool = createBlockingPool({ url: redis.url, maxConnections: 2, control: redis.client, logger: pino({ level: 'silent' }) });
});

afterAll(async () => {
  await pool?.close();
});

describe('blocking pool', () => {
  it('opens nothing until used', () => {
    const fresh = createBlockingPool({ url: redis.url, maxConnections: 2, control: redis.client, logger: pino({ level: 'silent' }) });
    expect(fresh.stats()).toEqual({ open: 0, busy: 0, waiting: 0 });
  });

  it('runs a blocking read without stalling ordinary commands', async () => {
    const read = pool.run(({ redis: connection }) => connection.brpop('pool:list', 5));
    // While the read blocks, the command connection answers at once.
    expect(await redis.client.ping()).toBe('PONG');
    await redis.client.lpush('pool:list', 'job');
    expect(await read).toEqual(['pool:list', 'job']);
    expect(pool.stats()).toMatchObject({ busy: 0 });
  });

  it('releases a blocked command at once when its signal aborts, and reuses the connection', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const read = pool.run(({ redis: connection }) => connection.brpop('pool:never', 30), controller.signal);
    await blockedClients(1);
    controller.abort();
    expect(await read).toBeNull();
    expect(Date.now() - started).toBeLessThan(5000);
    const again = pool.run(({ redis: connection }) => connection.ping());
    expect(await again).toBe('PONG');
  });

  it('makes callers beyond maxConnections wait their turn, in order', async () => {
    const first = new AbortController();
    const second = new AbortController();
    const a = pool.run(({ redis: connection }) => connection.brpop('pool:a', 30), first.signal);
    const b = pool.run(({ redis: connection }) => connection.brpop('pool:b', 30), second.signal);
    await blockedClients(2);
    const order: string[] = [];
    const c = pool.run(async ({ redis: connection }) => {
      order.push('c');
      return connection.ping();
    });
    const d = pool.run(async ({ redis: connection }) => {
      order.push('d');
      return connection.ping();
    });
    expect(pool.stats()).toMatchObject({ open: 2, busy: 2, waiting: 2 });
    first.abort();
    second.abort();
    await Promise.all([a, b, c, d]);
    expect(order).toEqual(['c', 'd']);
    expect(pool.stats().open).toBe(2);
  });

  it('rejects a caller whose signal aborts while it waits for a connection', async () => {
    const holders = [new AbortController(), new AbortController()];
    const held = holders.map((controller, i) => pool.run(({ redis: connection }) => connection.brpop(`pool:h${i}`, 30), controller.signal));
    await blockedClients(2);
    const waiter = new AbortController();
    const waiting = pool.run(({ redis: connection }) => connection.ping(), waiter.signal);
    waiter.abort(new Error('client went away'));
    await expect(waiting).rejects.toThrow('client went away');
    holders.forEach((controller) => controller.abort());
    await Promise.all(held);
    expect(pool.stats().waiting).toBe(0);
  });

  it('does not start the work when the signal aborts while a connection is being opened', async () => {
    const own = createBlockingPool({ url: redis.url, maxConnections: 1, control: redis.client, logger: pino({ level: 'silent' }) });
    const controller = new AbortController();
    let started = false;
    const run = own.run(async ({ redis: connection }) => {
      started = true;
      return connection.brpop('pool:aborted-early', 30);
    }, controller.signal);
    controller.abort(new Error('gone before the connection opened'));
    await expect(run).rejects.toThrow('gone before the connection opened');
    expect(started).toBe(false);
    await own.close();
  });

  it('releases blocked commands and refuses new work once closed', async () => {
    const own = createBlockingPool({ url: redis.url, maxConnections: 1, control: redis.client, logger: pino({ level: 'silent' }) });
    const read = own.run(({ redis: connection }) => connection.brpop('pool:closing', 30));
    await blockedClients(1);
    await own.close();
    await expect(read).resolves.toBeNull();
    await expect(own.run(({ redis: connection }) => connection.ping())).rejects.toThrow('closed');
  });

  it('closes every client whose opening failed, so none is left reconnecting after an outage', async () => {
    // A port where Redis was and is no more: every connection attempt is refused.
    const gone = await refusedRedis();
    const own = createBlockingPool({ url: gone.url, maxConnections: 2, control: redis.client, logger: pino({ level: 'silent' }) });
    const accepted: Socket[] = [];
    const listener = createServer((socket) => accepted.push(socket));
    try {
      // Callers retrying one after the other, as during an outage.
      for (let attempt = 0; attempt < 5; attempt++) {
        await expect(own.run(({ redis: connection }) => connection.ping())).rejects.toThrow();
        expect(own.stats()).toEqual({ open: 0, busy: 0, waiting: 0 });
      }
      // Something listens on the port again. A client left reconnecting connects within its
      // longest retry delay; proving that none does takes a window that long, as no event would
      // tell. A marker connection made afterwards is accepted after any earlier attempt.
      await new Promise<void>((resolve, reject) => {
        listener.once('error', reject);
        listener.listen(gone.port, '127.0.0.1', resolve);
      });
      await new Promise((resolve) => setTimeout(resolve, IOREDIS_MAX_RETRY_DELAY_MS + 500));
      const marker = createConnection(gone.port, '127.0.0.1');
      await new Promise((resolve) => marker.once('connect', resolve));
      await until(() => accepted.some((socket) => socket.remotePort === marker.localPort), 'the marker connection to be accepted');
      marker.destroy();
      expect(accepted.length - 1, 'connection attempts left behind by failed opens').toBe(0);
    } finally {
      accepted.forEach((socket) => socket.destroy());
      if (listener.listening) await new Promise((resolve) => listener.close(resolve));
      await own.close();
    }
  });

  it('answers callers queued for a slot when the connections before them failed to open', async () => {
    const gone = await refusedRedis();
    const own = createBlockingPool({ url: gone.url, maxConnections: 2, control: redis.client, logger: pino({ level: 'silent' }) });
    try {
      // More callers at once than the pool holds: two open, two wait for a slot.
      const outcomes: Array<'ok' | 'failed'> = [];
      const calls = Array.from({ length: 4 }, (_, i) =>
        own.run(({ redis: connection }) => connection.ping()).then(
          () => (outcomes[i] = 'ok'),
          () => (outcomes[i] = 'failed'),
        ),
      );
      await until(() => outcomes.filter(Boolean).length === calls.length, 'every caller to be answered', 5000);
      expect(outcomes).toEqual(['failed', 'failed', 'failed', 'failed']);
      expect(own.stats()).toEqual({ open: 0, busy: 0, waiting: 0 });
    } finally {
      await own.close();
    }
  });

  it('discards a connection Redis dropped, so an aborted blocked read is released at once on a fresh one', async () => {
    const own = createBlockingPool({ url: redis.url, maxConnections: 1, control: redis.client, logger: pino({ level: 'silent' }) });
    try {
      const dropped = await lentConnection(own);
      const listed = (await redis.client.client('LIST', 'ID', String(dropped.clientId))) as string;
      expect(listed).toContain('name=switchboard:blocking');
      const closed = new Promise((resolve) => dropped.redis.once('close', resolve));
      await redis.client.client('KILL', 'ID', String(dropped.clientId));
      await closed;
      // The client either gives up on the connection or (as it used to) comes back under a new id.
      await until(() => dropped.redis.status === 'end' || dropped.redis.status === 'ready', 'the dropped client to settle');

      const controller = new AbortController();
      let lent: BlockingConnection | undefined;
      const started = Date.now();
      const read = own.run(({ redis: connection, clientId }) => {
        lent = { redis: connection, clientId };
        return connection.brpop('pool:after-kill', 10);
      }, controller.signal);
      await blockedClients(1);
      controller.abort();
      expect(await read).toBeNull();
      // Well under the read's 10 s timeout: CLIENT UNBLOCK reached the connection that was blocked.
      expect(Date.now() - started).toBeLessThan(2000);
      expect(lent?.redis).not.toBe(dropped.redis);
      expect(lent?.clientId).not.toBe(dropped.clientId);
      expect(own.stats()).toEqual({ open: 1, busy: 0, waiting: 0 });
    } finally {
      await own.close();
    }
  });

  it('gives a caller waiting for a slot a new connection when Redis drops the one it waited for', async () => {
    const own = createBlockingPool({ url: redis.url, maxConnections: 1, control: redis.client, logger: pino({ level: 'silent' }) });
    try {
      let holderId: number | undefined;
      const holder = own.run(({ redis: connection, clientId }) => {
        holderId = clientId;
        return connection.brpop('pool:held', 30);
      });
      await blockedClients(1);
      let answer: unknown;
      const waiter = own.run(({ redis: connection }) => connection.ping()).then(
        (reply) => (answer = reply),
        (error: Error) => (answer = error.message),
      );
      expect(own.stats()).toMatchObject({ open: 1, busy: 1, waiting: 1 });
      // Handled before the kill: the read may fail before the KILL reply comes back.
      const holderFailure = holder.then(
        () => undefined,
        (error: unknown) => error,
      );
      await redis.client.client('KILL', 'ID', String(holderId));
      expect(await holderFailure).toBeInstanceOf(Error);
      await until(() => answer !== undefined, 'the waiting caller to be answered', 5000);
      await waiter;
      expect(answer).toBe('PONG');
      expect(own.stats()).toEqual({ open: 1, busy: 0, waiting: 0 });
    } finally {
      await own.close();
    }
  });
});
