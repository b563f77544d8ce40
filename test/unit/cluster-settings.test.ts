import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { redisTargetOf } from '../../src/redis/client.js';

// REDIS_CLUSTER_NODES, REDIS_CLUSTER_NAT_MAP and PUBSUB_MODE: what they accept, and the message
// each bad value gets.

function refusal(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('REDIS_CLUSTER_NODES', () => {
  it('reads seeds with credentials and TLS, and selects Cluster mode', () => {
    const config = loadConfig({ REDIS_CLUSTER_NODES: ' rediss://app:s%40cret@10.0.0.1:7000, rediss://app:s%40cret@[fd00::2]:7001 ' });
    expect(config.redisClusterNodes).toEqual({
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: 'fd00::2', port: 7001 },
      ],
      tls: true,
      username: 'app',
      password: 's@cret',
    });
    expect(redisTargetOf(config)).toMatchObject({ mode: 'cluster' });
    expect(redisTargetOf(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }))).toEqual({ mode: 'standalone', url: 'redis://127.0.0.1:6379' });
  });

  it.each([
    ['127.0.0.1:7000', /expected comma-separated redis:\/\/\[:password@\]host:port .*got "127.0.0.1:7000"/],
    ['redis://127.0.0.1', /got "redis:\/\/127.0.0.1"/],
    ['redis://127.0.0.1:7000/2', /got "redis:\/\/127.0.0.1:7000\/2"/],
    ['redis://127.0.0.1:70000', /got "redis:\/\/127.0.0.1:70000"/],
    [',', /expected at least one redis:\/\/host:port seed/],
    ['redis://:a@h:1,rediss://:a@h:2', /same scheme and credentials.*"rediss:\/\/:\*\*\*@h:2"/],
    ['redis://:a@h:1,redis://:b@h:2', /same scheme and credentials/],
  ])('refuses %j, saying what was expected', (value, message) => {
    const text = refusal({ REDIS_CLUSTER_NODES: value });
    expect(text).toContain('REDIS_CLUSTER_NODES=');
    expect(text).toMatch(message);
    // A password never appears in the message.
    expect(text.replace(/REDIS_CLUSTER_NODES="[^"]*"/, '')).not.toMatch(/:b@|:a@/);
  });

  it('refuses REDIS_URL and REDIS_CLUSTER_NODES together', () => {
    expect(refusal({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CLUSTER_NODES: 'redis://127.0.0.1:7000' })).toMatch(/expected one of them/);
  });
});

describe('REDIS_CLUSTER_NAT_MAP', () => {
  it('reads announced=reachable pairs', () => {
    expect(loadConfig({ REDIS_CLUSTER_NODES: 'redis://h:1', REDIS_CLUSTER_NAT_MAP: '10.0.0.1:7000=127.0.0.1:17000, 10.0.0.2:7001=gw:17001' }).redisClusterNatMap).toEqual({
      '10.0.0.1:7000': { host: '127.0.0.1', port: 17000 },
      '10.0.0.2:7001': { host: 'gw', port: 17001 },
    });
  });

  it.each(['10.0.0.1:7000', '10.0.0.1=127.0.0.1:1', '10.0.0.1:7000=127.0.0.1', 'a:1=b:2=c:3'])('refuses %j', (value) => {
    expect(refusal({ REDIS_CLUSTER_NAT_MAP: value })).toMatch(/REDIS_CLUSTER_NAT_MAP=.*expected comma-separated announcedHost:port=host:port pairs/);
  });
});

describe('PUBSUB_MODE', () => {
  it('is classic unless set to sharded', () => {
    expect(loadConfig({}).pubsubMode).toBe('classic');
    expect(loadConfig({ PUBSUB_MODE: 'sharded' }).pubsubMode).toBe('sharded');
    expect(refusal({ PUBSUB_MODE: 'shard' })).toMatch(/PUBSUB_MODE="shard": expected classic or sharded/);
  });
});
