import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlockingPool, type BlockingPool } from '../src/redis/blocking-pool.js';
import { startTestRedis, type TestRedis } from './support/redis.js';

let redis: TestRedis;
let pool: BlockingPool;

/** Resolves once Redis reports `count` clients blocked in a command. */
async function blockedClients(count: number) {
  for (;;) {
    const info = (await redis.client.info('clients')) as string;
    if (Number(/blocked_clients:(\d+)/.exec(info)?.[1]) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

beforeAll(async () => {
  redis = await startTestRedis();
  pool = createBlockingPool({ url: redis.url, maxConnections: 2, control: redis.client, logger: pino({ level: 'silent' }) });
});

afterAll(async () => {
  await pool?.close();
  await redis?.stop();
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
});
