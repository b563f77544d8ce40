import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors/app-error.js';
import { SLOW_CONSUMER, SlowConsumerError } from '../../src/live/engine.js';

// The live layer cannot import errors/, so it names the code itself: the two must not drift apart.
describe('SLOW_CONSUMER', () => {
  it('is the same code in the live layer and in ErrorCode', () => {
    expect(SLOW_CONSUMER).toBe(ErrorCode.SlowConsumer);
    expect(new SlowConsumerError('too slow').extensions.code).toBe(ErrorCode.SlowConsumer);
  });
});
