import { pino } from 'pino';
import { expect, it } from 'vitest';
import { PoolClosedError, createBlockingPool } from '../../src/redis/blocking-pool.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';

// close() while a pooled connection is still opening: that connection was not in the pool when
// close() closed the others, so it is closed when it finishes opening, and the work that waited
// for it never starts (a blocked read on it would otherwise outlive the pool).

const { redis } = useServers({ servers: 0 });

const pooledClients = async () => String(await redis.client.call('CLIENT', 'LIST')).split('\n').filter((line) => line.includes('name=switchboard:blocking')).length;

it('closes a connection that finishes opening after close(), and never starts the work waiting for it', async () => {
  const pool = createBlockingPool({ url: redis.url, maxConnections: 2, control: redis.client, logger: pino({ level: 'silent' }) });
  let started = 0;
  // Opening starts now (connect, then CLIENT ID); close() runs before it is done.
  const outcome = pool
    .run(async (connection) => {
      started++;
      return connection.redis.blpop('blocking-pool-close', 0);
    })
    .then(
      () => 'ran',
      (error: unknown) => error,
    );
  await pool.close();
  expect(await outcome).toBeInstanceOf(PoolClosedError);
  expect(started).toBe(0);
  await until(async () => (await pooledClients()) === 0, 'no pooled connection left open');
  expect(pool.stats()).toEqual({ open: 0, busy: 0, waiting: 0 });
});
