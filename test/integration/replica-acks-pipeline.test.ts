import { expect, it } from 'vitest';
import { callReplicated } from '../../src/redis/replica-acks.js';
import { useServers } from '../support/servers.js';

// callReplicated: one write command and its WAIT in one pipeline (one connection), on a real
// standalone redis-server (no replica: a strict rule of 1 cannot be met there).

const { redis } = useServers({ servers: 0 });

const waitCalls = async () => Number(/cmdstat_wait:calls=(\d+)/.exec(await redis.client.info('commandstats'))?.[1] ?? 0);

it('returns the command’s reply, with no WAIT when no replica is asked for', async () => {
  const before = await waitCalls();
  const id = await callReplicated(redis.client, 'pipe-a', null, 'XADD', ['pipe-a', '*', 'n', '1']);
  expect(id).toMatch(/^\d+-\d+$/);
  expect(await callReplicated(redis.client, 'pipe-a', { replicas: 0, timeoutMs: 100 }, 'XLEN', ['pipe-a'])).toBe(1);
  expect(await waitCalls()).toBe(before);
});

it('sends WAIT behind the write and fails a strict rule that no replica met with UNAVAILABLE (the write is on the master)', async () => {
  const before = await waitCalls();
  await expect(callReplicated(redis.client, 'pipe-b', { replicas: 1, timeoutMs: 50 }, 'XADD', ['pipe-b', '*', 'n', '1'])).rejects.toMatchObject({
    code: 'UNAVAILABLE',
  });
  expect(await waitCalls()).toBe(before + 1);
  expect(await redis.client.xlen('pipe-b')).toBe(1);
});

it('throws the command’s own error reply as is', async () => {
  await redis.client.set('pipe-c', 'text');
  await expect(callReplicated(redis.client, 'pipe-c', { replicas: 1, timeoutMs: 50 }, 'XADD', ['pipe-c', '*', 'n', '1'])).rejects.toThrow(/^WRONGTYPE/);
});
