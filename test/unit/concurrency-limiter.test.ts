import { describe, expect, it } from 'vitest';
import { createConcurrencyLimiter } from '../../src/limits/concurrency-limiter.js';

describe('concurrency limiter', () => {
  it('refuses the slot past the limit with RATE_LIMITED naming the setting, per owner', () => {
    const limiter = createConcurrencyLimiter({ limit: 2, what: 'blocking operations', setting: 'MAX_X' });
    const first = limiter.acquire('u1');
    limiter.acquire('u1');
    expect(() => limiter.acquire('u1')).toThrowError(expect.objectContaining({ extensions: expect.objectContaining({ code: 'RATE_LIMITED', limit: 2, setting: 'MAX_X' }) }));
    expect(limiter.acquire('u2')).toBeTypeOf('function');
    first();
    first();
    expect(limiter.held('u1')).toBe(1);
    expect(limiter.acquire('u1')).toBeTypeOf('function');
    expect(limiter.held('u1')).toBe(2);
  });

  it('holds nothing for owners that released everything, and 0 turns the cap off', () => {
    const limiter = createConcurrencyLimiter({ limit: 0, what: 'x', setting: 'X' });
    const releases = Array.from({ length: 50 }, () => limiter.acquire('u'));
    expect(limiter.held('u')).toBe(50);
    for (const release of releases) release();
    expect(limiter.held('u')).toBe(0);
  });
});
