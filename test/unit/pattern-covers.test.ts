import { describe, expect, it } from 'vitest';
import { reservedComplementCovers } from '../../src/channels/pattern-router.js';
import { globMatches, parseGlob } from '../../src/redis/glob.js';
import { RESERVED_CHANNEL_PREFIXES, RESERVED_EXACT_CHANNELS, isReservedChannel, patternMayMatchReservedChannel } from '../../src/redis/keys.js';

const covers = reservedComplementCovers(RESERVED_EXACT_CHANNELS, RESERVED_CHANNEL_PREFIXES);
const coverTokens = covers.map((cover) => ({ cover, tokens: parseGlob(cover.glob) }));

/** A small deterministic generator, so that a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % n;
  };
}

const ALPHABET = ['M', 'E', 'S', 'A', 'G', 's', 'w', 'i', 't', 'c', 'h', 'b', 'o', 'a', 'r', 'd', ':', 'x', '.', 'é'];
const PIECES = [...ALPHABET, '?', '*', '[^M]', '[a-z]', '[A-Z]', '[^s]', '[:x]'];

describe('pattern covers', () => {
  it('are few and cheap: at most a few dozen, each with one wildcard at most plus its class', () => {
    expect(covers.length).toBeLessThanOrEqual(40);
    expect(covers.map((cover) => cover.glob)).toContain('[^Ms]*');
  });

  it('match every non-reserved channel exactly once and no reserved channel', () => {
    const next = random(7);
    const names = [...RESERVED_EXACT_CHANNELS, 'MESSAGESX', 'switchboard:', 'switchboard:x', 'switchboard', 'M', 'ME', 's', 'news'];
    for (let index = 0; index < 3000; index++) {
      names.push(Array.from({ length: 1 + next(14) }, () => ALPHABET[next(ALPHABET.length)]).join(''));
    }
    for (const name of names) {
      const matching = coverTokens.filter(({ tokens }) => globMatches(tokens, name));
      expect(matching.length, name).toBe(isReservedChannel(name) ? 0 : 1);
    }
  });

  it('give a pattern every cover through which one of its channels can come', () => {
    const next = random(11);
    let checked = 0;
    for (let index = 0; index < 400; index++) {
      const pattern = Array.from({ length: 1 + next(6) }, () => PIECES[next(PIECES.length)]).join('');
      if (patternMayMatchReservedChannel(pattern)) continue;
      const tokens = parseGlob(pattern);
      const chosen = new Set(covers.filter((cover) => cover.overlaps(tokens)).map((cover) => cover.glob));
      for (let sample = 0; sample < 60; sample++) {
        const name = Array.from({ length: 1 + next(14) }, () => ALPHABET[next(ALPHABET.length)]).join('');
        if (!globMatches(tokens, name)) continue;
        checked++;
        const through = coverTokens.find(({ tokens: cover }) => globMatches(cover, name));
        expect(through && chosen.has(through.cover.glob), `${pattern} / ${name}`).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});
