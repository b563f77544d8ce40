import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { type ReplicatedWrite, lateReplicaReport, replicaAcksOf } from '../../src/redis/replica-acks.js';

// REDIS_WAIT_REPLICAS: `auto` by default (best-effort WAIT 1 on a cluster where the key's master
// has a replica), a number for a strict rule, 0 for none; and the report of auto's late replicas.
// The WAITs themselves, on a real cluster: cluster-replica-acks.test.ts.

function configMessage(value: string): string {
  try {
    loadConfig({ REDIS_WAIT_REPLICAS: value });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`REDIS_WAIT_REPLICAS=${value} was accepted`);
}

describe('REDIS_WAIT_REPLICAS', () => {
  it('is auto unless set', () => {
    expect(loadConfig({}).redisWaitReplicas).toBe('auto');
    expect(loadConfig({ REDIS_WAIT_REPLICAS: '' }).redisWaitReplicas).toBe('auto');
    expect(loadConfig({ REDIS_WAIT_REPLICAS: ' auto ' }).redisWaitReplicas).toBe('auto');
  });

  it('takes a whole number of replicas, 0 to 16', () => {
    expect(loadConfig({ REDIS_WAIT_REPLICAS: '0' }).redisWaitReplicas).toBe(0);
    expect(loadConfig({ REDIS_WAIT_REPLICAS: '2' }).redisWaitReplicas).toBe(2);
  });

  it('refuses anything else with a message that names the choices', () => {
    expect(configMessage('always')).toBe('Invalid configuration:\n  REDIS_WAIT_REPLICAS="always": expected auto or a whole number of replicas (0 turns WAIT off)');
    expect(configMessage('1.5')).toContain('expected auto or a whole number of replicas');
    expect(configMessage('17')).toBe('Invalid configuration:\n  REDIS_WAIT_REPLICAS="17": expected at most 16');
  });
});

describe('replicaAcksOf', () => {
  const report = { late: () => undefined };
  it('asks for nothing at 0, a strict count for a number, auto (with its report) by default', () => {
    expect(replicaAcksOf({ redisWaitReplicas: 0, redisWaitTimeoutMs: 500 }, 'job', report)).toBeNull();
    expect(replicaAcksOf({ redisWaitReplicas: 1, redisWaitTimeoutMs: 500 }, 'job', report)).toEqual({ replicas: 1, timeoutMs: 500 });
    const auto = replicaAcksOf(loadConfig({}), 'message', report);
    expect(auto).toMatchObject({ replicas: 'auto', timeoutMs: 1000 });
    expect(auto?.late).toBeTypeOf('function');
  });

  it('reports auto’s late writes with their kind', () => {
    const heard: Array<[ReplicatedWrite, string, number]> = [];
    const acks = replicaAcksOf({ redisWaitReplicas: 'auto', redisWaitTimeoutMs: 250 }, 'entry', { late: (...args) => heard.push(args) });
    acks?.late?.('orders');
    expect(heard).toEqual([['entry', 'orders', 250]]);
  });
});

describe('lateReplicaReport', () => {
  it('counts every late write and logs one line a minute at most, with how many since the last', () => {
    const lines: Array<[object, string]> = [];
    const counted: ReplicatedWrite[] = [];
    const report = lateReplicaReport({ logger: { warn: (fields: object, message: string) => lines.push([fields, message]) } as never, count: (write) => counted.push(write) });
    report.late('message', 'room:0', 1000);
    report.late('entry', 'orders', 1000);
    report.late('job', 'mail', 1000);
    expect(counted).toEqual(['message', 'entry', 'job']);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.[0]).toEqual({ write: 'message', key: 'room:0', timeoutMs: 1000, writes: 1 });
  });

  it('logs again once the interval has passed, counting the writes it did not log', async () => {
    const lines: object[] = [];
    const report = lateReplicaReport({ logger: { warn: (fields: object) => lines.push(fields) } as never, intervalMs: 20 });
    report.late('message', 'room:0', 100);
    report.late('message', 'room:0', 100);
    report.late('job', 'mail', 100);
    await new Promise((resolve) => setTimeout(resolve, 30));
    report.late('entry', 'orders', 100);
    expect(lines).toEqual([
      { write: 'message', key: 'room:0', timeoutMs: 100, writes: 1 },
      { write: 'entry', key: 'orders', timeoutMs: 100, writes: 3 },
    ]);
  });
});
