import { describe, expect, it } from 'vitest';
import { UsageError, integerFlag, readFlags } from '../../src/cli/command.js';
import { redisTargetFromEnvironment } from '../../src/cli/redis-connection.js';

// The flag reading and the Redis settings every command shares (npm run consumer / worker / apikey / roles).

describe('readFlags', () => {
  const read = (argv: string[]) => readFlags(argv, ['queue', 'name'], { 'consumer-name': 'name' });

  it('takes both forms, an alias, values that start with one dash, and `--`', () => {
    expect(read(['--queue', 'a', '--consumer-name=w=1'])).toEqual(new Map([['queue', 'a'], ['name', 'w=1']]));
    expect(read(['--queue', '-5'])).toEqual(new Map([['queue', '-5']]));
    expect(read(['--queue=--x'])).toEqual(new Map([['queue', '--x']]));
    expect(read(['--queue', 'a', '--'])).toEqual(new Map([['queue', 'a']]));
    expect(read(['-h'])).toBe('help');
    expect(read(['--queue', 'a', '--help'])).toBe('help');
  });

  it.each([
    [['--queue', 'a', '--', 'b'], /^Unknown argument "b"\.$/],
    [['--nme', 'x'], /^Unknown argument "--nme"\.$/],
    [['--queue', '--name', 'x'], /^--queue needs a value\.$/],
    [['--name'], /^--name needs a value\.$/],
    [['--name', 'a', '--consumer-name', 'b'], /^--name is given twice\.$/],
  ])('refuses %j', (argv, message) => {
    expect(() => read(argv)).toThrow(UsageError);
    expect(() => read(argv)).toThrow(message);
  });

  it('checks whole numbers in range', () => {
    expect(integerFlag('batch', undefined, 1, 9)).toBeUndefined();
    expect(integerFlag('batch', '9', 1, 9)).toBe(9);
    expect(() => integerFlag('batch', '10', 1, 9)).toThrow('--batch must be a whole number from 1 to 9; got "10".');
    expect(() => integerFlag('batch', '1e1', 1, 90)).toThrow(UsageError);
  });
});

describe('redisTargetFromEnvironment', () => {
  it('prefers REDIS_CLUSTER_NODES, with or without redis://, with its password, TLS and REDIS_CLUSTER_NAT_MAP', () => {
    expect(redisTargetFromEnvironment({ REDIS_CLUSTER_NODES: 'redis://:s%40cret@10.0.0.1:7000, redis://:s%40cret@10.0.0.2:7001', REDIS_URL: 'redis://x:1' })).toEqual({
      kind: 'cluster',
      seeds: {
        nodes: [
          { host: '10.0.0.1', port: 7000 },
          { host: '10.0.0.2', port: 7001 },
        ],
        tls: false,
        username: undefined,
        password: 's@cret',
      },
      natMap: undefined,
    });
    expect(redisTargetFromEnvironment({ REDIS_CLUSTER_NODES: '10.0.0.3:7002' })).toMatchObject({ seeds: { nodes: [{ host: '10.0.0.3', port: 7002 }] } });
    expect(redisTargetFromEnvironment({ REDIS_CLUSTER_NODES: 'rediss://h:7000', REDIS_CLUSTER_NAT_MAP: '10.0.0.1:7000=h:7000' })).toMatchObject({
      seeds: { tls: true },
      natMap: { '10.0.0.1:7000': { host: 'h', port: 7000 } },
    });
    expect(redisTargetFromEnvironment({ REDIS_URL: ' rediss://h:6380 ' })).toEqual({ kind: 'standalone', url: 'rediss://h:6380' });
  });

  it('says what is missing or malformed', () => {
    expect(() => redisTargetFromEnvironment({})).toThrow(/^REDIS_URL is required \(or REDIS_CLUSTER_NODES for Redis Cluster\)/);
    expect(() => redisTargetFromEnvironment({ REDIS_URL: 'localhost:6379' })).toThrow('REDIS_URL: expected a redis:// or rediss:// URL; got "localhost:6379".');
    expect(() => redisTargetFromEnvironment({ REDIS_CLUSTER_NODES: '10.0.0.1' })).toThrow(/^REDIS_CLUSTER_NODES: expected comma-separated redis:/);
    expect(() => redisTargetFromEnvironment({ REDIS_CLUSTER_NODES: 'h:1', REDIS_CLUSTER_NAT_MAP: 'nope' })).toThrow(/^REDIS_CLUSTER_NAT_MAP: expected/);
  });
});
