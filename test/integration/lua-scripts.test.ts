import { Cluster, Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { luaPipeline, luaScript, runLua } from '../../src/redis/lua.js';
import { useServers } from '../support/servers.js';

// Every Lua script runs through src/redis/lua.ts (ioredis defineCommand). What it must do: load a
// script once per connection, then call it by SHA, and survive Redis forgetting it.

const { redis } = useServers({ servers: 0 });

/** Calls of EVAL and EVALSHA the server has counted so far. */
async function evalCalls(): Promise<{ eval: number; evalsha: number }> {
  const stats = await redis.client.info('commandstats');
  const calls = (name: string) => Number(new RegExp(`^cmdstat_${name}:calls=(\\d+)`, 'm').exec(stats)?.[1] ?? 0);
  return { eval: calls('eval'), evalsha: calls('evalsha') };
}

const INCR_BY = luaScript('test_incr_by', "return redis.call('INCRBY', KEYS[1], ARGV[1])");

describe('runLua', () => {
  it('sends the script once (EVAL), then its SHA (EVALSHA), with the keys and arguments given', async () => {
    const before = await evalCalls();
    expect(await runLua(redis.client, INCR_BY, ['lua:n'], [2])).toBe(2);
    expect(await runLua(redis.client, INCR_BY, ['lua:n'], ['3'])).toBe(5);
    expect(await runLua(redis.client, INCR_BY, ['lua:n'], [1])).toBe(6);
    const after = await evalCalls();
    expect(after.eval - before.eval).toBe(1);
    expect(after.evalsha - before.evalsha).toBe(2);
  });

  it('still works after Redis forgot the script (SCRIPT FLUSH, as after a restart or a failover)', async () => {
    expect(await runLua(redis.client, INCR_BY, ['lua:flushed'], [1])).toBe(1);
    await redis.client.script('FLUSH');
    expect(await runLua(redis.client, INCR_BY, ['lua:flushed'], [1])).toBe(2);
  });

  it('passes as many keys as it is given', async () => {
    const COUNT_BOTH = luaScript('test_count_keys', 'return #KEYS * 100 + #ARGV');
    expect(await runLua(redis.client, COUNT_BOTH, ['a', 'b', 'c'], [1])).toBe(301);
    expect(await runLua(redis.client, COUNT_BOTH, [], [])).toBe(0);
  });

  it("rejects with Redis's error, and never replaces an ioredis method", async () => {
    await redis.client.set('lua:text', 'x');
    await expect(runLua(redis.client, INCR_BY, ['lua:text'], [1])).rejects.toThrow(/not an integer/);
    const GET = luaScript('get', "return 'script'");
    expect(await runLua(redis.client, GET, [])).toBe('script');
    expect(await redis.client.get('lua:text')).toBe('x');
  });

  it('starts a pipeline with a script, for commands that must follow it on its node (WAIT)', async () => {
    const APPEND = luaScript('test_append', "return redis.call('RPUSH', KEYS[1], ARGV[1])");
    const replies = await luaPipeline(redis.client, APPEND, ['lua:list'], ['a']).call('WAIT', 0, 10).lrange('lua:list', 0, -1).exec();
    expect(replies).toEqual([
      [null, 1],
      [null, 0],
      [null, ['a']],
    ]);
    expect(await runLua(redis.client, APPEND, ['lua:list'], ['b'])).toBe(2);
  });

  it('refuses two different scripts under one name', () => {
    expect(luaScript('test_incr_by', "return redis.call('INCRBY', KEYS[1], ARGV[1])")).toEqual(INCR_BY);
    expect(() => luaScript('test_incr_by', 'return 1')).toThrow('Two Lua scripts are named "test_incr_by".');
  });
});

describe('runLua on an auto-pipelining client', () => {
  it('defines a script while other commands of the tick wait in the pipeline (ioredis #1931)', async () => {
    const client = new Redis(redis.url, { enableAutoPipelining: true });
    try {
      const FIRST = luaScript('test_pipelined', "return redis.call('INCR', KEYS[1])");
      // The same tick: plain commands first (they make the tick's pipeline), then the script's first use.
      const [set, first, , second] = await Promise.all([client.set('lua:p', '10'), runLua(client, FIRST, ['lua:p']), client.get('lua:p'), runLua(client, FIRST, ['lua:p'])]);
      expect([set, first, second]).toEqual(['OK', 11, 12]);
      // Later ticks use the defined command.
      expect(await Promise.all([runLua(client, FIRST, ['lua:p']), client.get('lua:p')])).toEqual([13, '13']);
    } finally {
      client.disconnect();
    }
  });
});

describe('runLua on Redis Cluster', () => {
  const { redis: cluster } = useServers({ backend: 'cluster', servers: 0, cluster: { masters: 3, replicasPerMaster: 0 } });

  it('runs each call on the master of its first key, auto-pipelined or not, many slots in one tick', async () => {
    const nodes = cluster.seeds.split(',').map((url) => ({ host: '127.0.0.1', port: Number(new URL(url).port) }));
    const clients = [new Cluster(nodes), new Cluster(nodes, { enableAutoPipelining: true })];
    try {
      const BUMP = luaScript('test_cluster_bump', "redis.call('INCR', KEYS[1]); return redis.call('INCRBY', KEYS[2], ARGV[1])");
      for (const [i, client] of clients.entries()) {
        // Two keys of one slot per call (a hash tag), 30 slots spread over the three masters.
        const tags = Array.from({ length: 30 }, (_, n) => `{c${i}-${n}}`);
        const replies = await Promise.all(tags.map((tag, n) => runLua(client, BUMP, [`${tag}:a`, `${tag}:b`], [n])));
        expect(replies).toEqual(tags.map((_, n) => n));
        expect(await Promise.all(tags.map((tag) => client.get(`${tag}:a`)))).toEqual(tags.map(() => '1'));
      }
    } finally {
      for (const client of clients) client.disconnect();
    }
  });
});
