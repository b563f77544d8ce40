import { describe, expect, it } from 'vitest';
import { decodeItem, encodeEnvelope, encodePayload } from '../../src/queues/job-codec.js';
import { assertJobId, assertQueueName, parseDequeueTimeout } from '../../src/queues/names.js';
import { queueKeys, slotTagOf } from '../../src/redis/keys.js';

describe('decodeItem', () => {
  it('reads an envelope, keeping the payload text byte for byte', () => {
    const text = encodeEnvelope('abc-123', 2, '{"big":12345678901234567890,"list":[]}');
    expect(text).toBe('{"switchboard":"job/1","id":"abc-123","attempts":2,"payload":{"big":12345678901234567890,"list":[]}}');
    expect(decodeItem(text)).toEqual({
      kind: 'envelope',
      id: 'abc-123',
      attempts: 2,
      payload: JSON.parse('{"big":12345678901234567890,"list":[]}') as unknown,
      payloadText: '{"big":12345678901234567890,"list":[]}',
    });
  });

  it.each([
    ['hello', 'hello', '"hello"'],
    ['{"t":1}', { t: 1 }, '{"t":1}'],
    ['42', 42, '42'],
    ['null', 'null', '"null"'],
    ['', '', '""'],
    ['{not json', '{not json', '"{not json"'],
    [' [1, 2] ', [1, 2], ' [1, 2] '],
  ])('reads the plain item %j: payload %j, kept as %s', (text, payload, payloadText) => {
    expect(decodeItem(text)).toEqual({ kind: 'plain', payload, payloadText });
  });

  it.each([
    // Same keys, other order or spacing: a producer's own JSON, not ours.
    ['{"id":"a","switchboard":"job/1","attempts":0,"payload":1}'],
    ['{"switchboard": "job/1", "id": "a", "attempts": 0, "payload": 1}'],
    // Another version, a bad id or attempt count.
    ['{"switchboard":"job/2","id":"a","attempts":0,"payload":1}'],
    ['{"switchboard":"job/1","id":"a b","attempts":0,"payload":1}'],
    ['{"switchboard":"job/1","id":"a","attempts":-1,"payload":1}'],
    ['{"switchboard":"job/1","id":"a","attempts":01,"payload":1}'],
    // A key hidden after the payload, or a payload that is not JSON on its own.
    ['{"switchboard":"job/1","id":"a","attempts":0,"payload":1,"id":"a"}'],
    ['{"switchboard":"job/1","id":"a","attempts":0,"payload":1,"extra":2}'],
    ['{"switchboard":"job/1","id":"a","attempts":0,"payload":null}'],
  ])('treats the look-alike %s as a plain JSON payload', (text) => {
    expect(decodeItem(text).kind).toBe('plain');
  });

  it('refuses a payload over the limit', () => {
    expect(encodePayload({ a: 'x' }, 100)).toBe('{"a":"x"}');
    expect(() => encodePayload('x'.repeat(100), 100)).toThrow(/102 bytes as JSON; the limit is 100/);
  });
});

describe('queue names and cluster slots', () => {
  it.each([
    ['jobs', 'jobs'],
    ['{orders}:high', 'orders'],
    ['a{b', 'a{b'],
    ['x{y}z{w}', 'y'],
    ['a}b', null],
    ['{}x', null],
    ['x{}y{z}', null],
  ])('gives %j the slot tag %j (what Redis Cluster hashes)', (queue, tag) => {
    expect(slotTagOf(queue)).toBe(tag);
  });

  it('keeps every key of a queue on the queue’s slot, and apart from other queues', () => {
    expect(queueKeys('jobs').processing).toBe('switchboard:queue:{jobs}:jobs:processing');
    expect(queueKeys('{orders}:high').dead).toBe('switchboard:queue:{orders}:{orders}:high:dead');
    expect(queueKeys('{jobs}').processing).not.toBe(queueKeys('jobs').processing);
  });

  it('refuses names that are reserved, malformed or slot-less', () => {
    expect(() => assertQueueName('jobs')).not.toThrow();
    expect(() => assertQueueName('switchboard:queues')).toThrow(/reserved/);
    expect(() => assertQueueName('')).toThrow(/1 to 256 characters/);
    expect(() => assertQueueName('a}b')).toThrow(/hash tag/);
  });

  it('bounds the dequeue timeout', () => {
    expect(parseDequeueTimeout(undefined, 30)).toBe(0);
    expect(parseDequeueTimeout(null, 30)).toBe(0);
    expect(parseDequeueTimeout(0.25, 30)).toBe(0.25);
    expect(parseDequeueTimeout(30, 30)).toBe(30);
    for (const bad of [-1, 30.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => parseDequeueTimeout(bad, 30)).toThrow(/between 0/);
  });

  it('checks job ids', () => {
    expect(() => assertJobId('0f8c7a52-6d0e-4d0e-9a55-3e2f1c0b9a11')).not.toThrow();
    for (const bad of ['', 'a b', 'x'.repeat(65), 'é']) expect(() => assertJobId(bad)).toThrow(/Job id must be/);
  });
});
