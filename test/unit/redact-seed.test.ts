import { describe, expect, it } from 'vitest';
import { parseClusterNodes, redactSeed } from '../../src/redis/cluster-nodes.js';

// redactSeed: REDIS_CLUSTER_NODES entries as error messages and logs show them, passwords masked
// whatever characters they hold, in every comma-separated seed.

describe('redactSeed', () => {
  it('masks a password that holds / + = (unencoded), keeping the user and the address', () => {
    expect(redactSeed('redis://:ab/cd+ef==@h:6379')).toBe('redis://:***@h:6379');
    expect(redactSeed('rediss://app:s3cr/et@10.0.0.1:7000')).toBe('rediss://app:***@10.0.0.1:7000');
  });

  it('masks up to the last @ (a password holding @ or :)', () => {
    expect(redactSeed('redis://:p@ss:w@rd@h:6379')).toBe('redis://:***@h:6379');
    expect(redactSeed('redis://token@h:6379')).toBe('redis://***@h:6379');
  });

  it('masks every comma-separated seed, not only the first', () => {
    expect(redactSeed('redis://:one@a:1,redis://:tw/o@b:2, redis://u:th=ree@c:3')).toBe('redis://:***@a:1,redis://:***@b:2, redis://u:***@c:3');
  });

  it('masks an entry without a scheme up to its last @, and leaves seeds without credentials as they are', () => {
    expect(redactSeed(':secret@h:6379')).toBe(':***@h:6379');
    expect(redactSeed('redis://h:6379,redis://[::1]:7000')).toBe('redis://h:6379,redis://[::1]:7000');
  });

  it('is what a refused REDIS_CLUSTER_NODES entry shows: no part of the password', () => {
    let message = '';
    try {
      parseClusterNodes('redis://:ab/cd+ef==@h:6379/extra');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('redis://:***@h:6379/extra');
    expect(message).not.toMatch(/ab|cd|ef==/);
  });
});
