import { beforeAll, describe, expect, it } from 'vitest';
import { globMatches, parseGlob } from '../../src/redis/glob.js';
import { patternMayMatchReservedChannel } from '../../src/redis/keys.js';
import { useServers } from '../support/servers.js';

// Redis's own matcher is the judge: every name below is stored as a key, and `KEYS pattern` says
// which of them the pattern matches (KEYS and PSUBSCRIBE share stringmatchlen).
const NAMES = ['MESSAGES', 'switchboard:session-ended', 'switchboard:x', 'news.sports', 'sensor.1', 'Mé', ']', '-', '\\', 'a-b'];
const ALPHABET = ['M', 'E', 'S', 'A', 'G', 's', 'w', 'i', 't', ':', 'x', '*', '?', '[', ']', '^', '-', '\\', 'é', '!', '~', 'n'];

/** A small deterministic PRNG (mulberry32), so that a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const { redis } = useServers({ servers: 0 });

beforeAll(async () => {
  await Promise.all(NAMES.map((name) => redis.client.set(name, '1')));
});

describe('our glob against redis-server', () => {
  it('agrees with KEYS on 1500 generated patterns, and never misses a reserved channel', async () => {
    const next = random(20261123);
    let checked = 0;
    for (let i = 0; i < 1500; i++) {
      const length = 1 + Math.floor(next() * 8);
      const pattern = Array.from({ length }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join('');
      let tokens;
      try {
        tokens = parseGlob(pattern);
      } catch {
        continue; // malformed patterns are refused before they reach Redis
      }
      checked++;
      const redisMatches = new Set(await redis.client.keys(pattern));
      for (const name of NAMES) {
        expect(globMatches(tokens, name), `${JSON.stringify(pattern)} vs ${JSON.stringify(name)}`).toBe(redisMatches.has(name));
      }
      if (redisMatches.has('MESSAGES') || redisMatches.has('switchboard:session-ended') || redisMatches.has('switchboard:x')) {
        expect(patternMayMatchReservedChannel(pattern), JSON.stringify(pattern)).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(500);
  });
});
