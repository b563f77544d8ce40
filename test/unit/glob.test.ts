import { describe, expect, it } from 'vitest';
import { GlobSyntaxError, globMatches, globMayMatchPrefix, parseGlob, wildcardCount } from '../../src/redis/glob.js';

const matches = (pattern: string, name: string) => globMatches(parseGlob(pattern), name);
const mayMatchPrefix = (pattern: string, prefix: string) => globMayMatchPrefix(parseGlob(pattern), prefix);


/** Tokens hold (signed) bytes, as Redis compares them; these build the expected ones from ASCII. */
const lit = (char: string) => ({ kind: 'literal', byte: char.charCodeAt(0) });
const range = (from: string, to: string) => ({ from: from.charCodeAt(0), to: to.charCodeAt(0) });

describe('parseGlob', () => {
  it('splits a pattern into literals, wildcards and classes', () => {
    expect(parseGlob('a*?[^b-c]')).toEqual([
      lit('a'),
      { kind: 'any-string' },
      { kind: 'any-one' },
      { kind: 'class', negated: true, items: [range('b', 'c')] },
    ]);
  });

  it('returns no tokens for the empty pattern', () => {
    expect(parseGlob('')).toEqual([]);
  });

  it('collapses runs of "*" into one token', () => {
    expect(parseGlob('a***b')).toEqual([lit('a'), { kind: 'any-string' }, lit('b')]);
  });

  it('normalises a reversed range so that it runs from the lower to the higher character', () => {
    expect(parseGlob('[z-a]')).toEqual([{ kind: 'class', negated: false, items: [range('a', 'z')] }]);
  });

  it('reads single characters and ranges side by side in one class', () => {
    expect(parseGlob('[xa-c]')).toEqual([
      {
        kind: 'class',
        negated: false,
        items: [
          range('x', 'x'),
          range('a', 'c'),
        ],
      },
    ]);
  });

  it('turns an escaped character into a literal, including the special ones', () => {
    expect(parseGlob('\\*\\?\\[\\\\\\a')).toEqual([
      lit('*'),
      lit('?'),
      lit('['),
      lit('\\'),
      lit('a'),
    ]);
  });

  it('reads an escaped "^" at the start of a class as a member, not as negation', () => {
    expect(parseGlob('[\\^a]')).toEqual([
      {
        kind: 'class',
        negated: false,
        items: [
          range('^', '^'),
          range('a', 'a'),
        ],
      },
    ]);
  });

  it('treats a "]" outside a class as a literal', () => {
    expect(parseGlob('a]')).toEqual([
      lit('a'),
      lit(']'),
    ]);
  });

  describe('malformed patterns', () => {
    it.each([
      ['[abc', 'an unterminated class'],
      ['[', 'a lone "["'],
      ['[^', 'a lone negated "["'],
      ['a[b-', 'an unterminated range'],
      ['news.[0-9', 'an unterminated class after literals'],
      ['[\\]', 'a class whose only "]" is escaped'],
      ['[a\\', 'a class that ends with an escape'],
      ['[a-\\', 'a range whose end is a lone escape'],
    ])('refuses %j (%s) with GlobSyntaxError about "["', (pattern) => {
      expect(() => parseGlob(pattern)).toThrow(GlobSyntaxError);
      expect(() => parseGlob(pattern)).toThrow(/"\[".*not closed/);
    });

    it.each(['\\', 'abc\\', 'news.*\\'])('refuses %j, which ends with a lone "\\"', (pattern) => {
      expect(() => parseGlob(pattern)).toThrow(GlobSyntaxError);
      expect(() => parseGlob(pattern)).toThrow(/lone "\\"/);
    });

    it('throws an Error subclass named GlobSyntaxError', () => {
      let caught: unknown;
      try {
        parseGlob('[oops');
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(Error);
      expect(caught).toBeInstanceOf(GlobSyntaxError);
      expect((caught as Error).name).toBe('GlobSyntaxError');
    });

    it('accepts an escaped "\\" at the very end', () => {
      expect(() => parseGlob('abc\\\\')).not.toThrow();
    });
  });
});

describe('globMatches', () => {
  // [pattern, name, expected] — checked against Redis's own matcher (KEYS / PSUBSCRIBE).
  const table: Array<[string, string, boolean]> = [
    // literals: whole-name, case-sensitive
    ['abc', 'abc', true],
    ['abc', 'ab', false],
    ['abc', 'abcd', false],
    ['abc', 'xabc', false],
    ['abc', 'ABC', false],
    ['', '', true],
    ['', 'a', false],
    ['news.sports', 'news.sports', true],
    ['news.sports', 'newsXsports', false],
    // *
    ['*', '', true],
    ['*', 'anything at all', true],
    ['*', 'a:b:c', true],
    ['a*', 'a', true],
    ['a*', 'abc', true],
    ['a*', 'ba', false],
    ['*a', 'a', true],
    ['*a', 'bca', true],
    ['*a', 'ab', false],
    ['*a*', 'bab', true],
    ['*a*', 'bbb', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXc', false],
    ['a*b*c', 'acb', false],
    ['a**b', 'ab', true],
    ['a**b', 'a-x-b', true],
    ['*b', 'bbb', true],
    ['news.*', 'news.', true],
    ['news.*', 'news.sports.football', true],
    ['news.*', 'news', false],
    ['news.*', 'newsXsports', false],
    // ?
    ['?', 'a', true],
    ['?', '', false],
    ['?', 'ab', false],
    ['??', 'ab', true],
    ['??', 'a', false],
    ['a?c', 'abc', true],
    ['a?c', 'a?c', true],
    ['a?c', 'ac', false],
    ['a?c', 'abbc', false],
    ['?*', '', false],
    ['?*', 'x', true],
    ['*?', 'xyz', true],
    // classes
    ['[abc]', 'a', true],
    ['[abc]', 'b', true],
    ['[abc]', 'c', true],
    ['[abc]', 'd', false],
    ['[abc]', '', false],
    ['[abc]', 'ab', false],
    ['[abc]x', 'bx', true],
    ['[abc]x', 'dx', false],
    ['[^abc]', 'd', true],
    ['[^abc]', 'a', false],
    ['[^abc]', '', false],
    ['[a-c]', 'a', true],
    ['[a-c]', 'b', true],
    ['[a-c]', 'c', true],
    ['[a-c]', 'd', false],
    ['[a-c]', '-', false],
    ['[a-c]', 'B', false],
    ['[c-a]', 'a', true],
    ['[c-a]', 'b', true],
    ['[c-a]', 'c', true],
    ['[c-a]', 'd', false],
    ['[z-a]', 'm', true],
    ['[z-a]', 'M', false],
    ['[^a-z]', 'A', true],
    ['[^a-z]', '1', true],
    ['[^a-z]', 'm', false],
    ['[^a-z]', 'a', false],
    ['[^a-z]', 'z', false],
    ['[^z-a]', 'q', false],
    ['[^z-a]', 'Q', true],
    ['[0-9a-f]', '7', true],
    ['[0-9a-f]', 'e', true],
    ['[0-9a-f]', 'g', false],
    ['[0-9a-f]', 'A', false],
    ['sensor.[0-9]', 'sensor.5', true],
    ['sensor.[0-9]', 'sensor.55', false],
    ['sensor.[0-9]', 'sensor.x', false],
    ['a[b-d]*e', 'ace', true],
    ['a[b-d]*e', 'adxxe', true],
    ['a[b-d]*e', 'aexe', false],
    ['[-a]', '-', true],
    ['[-a]', 'a', true],
    ['[-a]', 'b', false],
    ['[*]', '*', true],
    ['[*]', 'a', false],
    ['[?]', '?', true],
    ['[?]', 'a', false],
    ['[[]', '[', true],
    ['[[]', 'a', false],
    // an empty class matches no character; a negated empty class matches any one
    ['[]', '', false],
    ['[]', 'a', false],
    ['[]', ']', false],
    ['[]a]', ']a]', false],
    ['[]a]', 'a]', false],
    ['[^]', 'a', true],
    ['[^]', ']', true],
    ['[^]', '', false],
    ['[^]', 'ab', false],
    // escapes inside classes
    ['[a\\-c]', 'a', true],
    ['[a\\-c]', '-', true],
    ['[a\\-c]', 'c', true],
    ['[a\\-c]', 'b', false],
    ['[\\]]', ']', true],
    ['[\\]]', '\\', false],
    ['[a-c\\]]', ']', true],
    ['[a-c\\]]', 'b', true],
    ['[a-c\\]]', 'd', false],
    ['[\\^a]', '^', true],
    ['[\\^a]', 'a', true],
    ['[\\^a]', 'b', false],
    ['[^\\]]', ']', false],
    ['[^\\]]', 'x', true],
    ['[\\*]', '*', true],
    ['[\\*]', 'x', false],
    // escapes outside classes
    ['\\*', '*', true],
    ['\\*', 'a', false],
    ['\\*', '', false],
    ['\\?', '?', true],
    ['\\?', 'a', false],
    ['\\[a]', '[a]', true],
    ['\\[a]', 'a', false],
    ['\\\\', '\\', true],
    ['\\\\', '\\\\', false],
    ['\\a', 'a', true],
    ['\\a', '\\a', false],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['\\MESSAGES', 'MESSAGES', true],
    // "]" outside a class is an ordinary character
    [']', ']', true],
    ['a]', 'a]', true],
  ];

  it.each(table)('%j against %j is %s', (pattern, name, expected) => {
    expect(matches(pattern, name)).toBe(expected);
  });

  it('reuses parsed tokens for many names', () => {
    const tokens = parseGlob('user.[0-9]*');
    expect(['user.1', 'user.42', 'user.9x'].map((name) => globMatches(tokens, name))).toEqual([true, true, true]);
    expect(['user.', 'user.x1', 'users.1'].map((name) => globMatches(tokens, name))).toEqual([false, false, false]);
  });

  it('stays fast on patterns that backtrack badly in naive matchers', () => {
    const pattern = 'a*'.repeat(30) + 'b';
    const name = 'a'.repeat(2000);
    const started = performance.now();
    expect(matches(pattern, name)).toBe(false);
    expect(matches(pattern, name + 'b')).toBe(true);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('globMayMatchPrefix', () => {
  const PREFIX = 'switchboard:';

  it.each([
    '*',
    's*',
    'sw?tch*',
    '[r-t]witchboard:x',
    '[^x]witchboard:*',
    'switchboard:',
    'switchboard:*',
    'switchboard:session-ended',
    'switchboard?',
    'switchboard[:]*',
    '*:*',
    '?*',
    '*x',
    '[a-z]*',
    '\\switchboard:*',
  ])('%j may match a name starting with "switchboard:"', (pattern) => {
    expect(mayMatchPrefix(pattern, PREFIX)).toBe(true);
  });

  it.each([
    ['news.*', 'starts with other literals'],
    ['switch', 'ends before the prefix does'],
    ['switchboard', 'requires the name to end right before the ":"'],
    ['Switchboard:*', 'is case-sensitive'],
    ['switchboard-*', 'has another character where the ":" is'],
    ['[a-r]*', 'has a first class without "s"'],
    ['[^s]*', 'excludes "s" first'],
    ['?', 'matches one character only'],
    ['???????????', 'matches eleven characters only'],
    ['', 'matches only the empty name'],
    ['sw?tch', 'ends too early despite its wildcard'],
    ['switchboard\\*', 'has a literal "*" where the ":" is'],
  ])('%j cannot match a name starting with "switchboard:": it %s', (pattern) => {
    expect(mayMatchPrefix(pattern, PREFIX)).toBe(false);
  });

  it('is true for a pattern that matches the prefix exactly, as the prefix itself is such a name', () => {
    expect(mayMatchPrefix('????????????', PREFIX)).toBe(true);
    expect(mayMatchPrefix('switchboard:', PREFIX)).toBe(true);
  });

  it('agrees with globMatches: a pattern that matches some name starting with the prefix may match the prefix', () => {
    const names = ['switchboard:', 'switchboard:x', 'switchboard:session-ended', 'switchboard:queue-settled:jobs', 'switchboard:a:b'];
    const others = ['switch', 'news.x', 'Switchboard:x', 'switchboard-x', 'MESSAGES', '', 'x'];
    const patterns = ['s*', 'sw?tch*', '[r-t]witchboard:x', '*:*', 'switchboard:session-ended', 'switchboard:?', '*x', 'news.*', 'switch', '[^s]*', '?', 'MESS*', 'switchboard-*', '*'];
    for (const pattern of patterns) {
      // Sound: whenever the pattern matches one of these names, mayMatchPrefix must say so.
      if (names.some((name) => matches(pattern, name))) expect(mayMatchPrefix(pattern, PREFIX), pattern).toBe(true);
      // And it is not "always true": a pattern that only matches names outside the prefix is refused
      // (each of these is one of the documented-false shapes above).
      else if (['news.*', 'switch', '[^s]*', '?', 'MESS*', 'switchboard-*'].includes(pattern)) {
        expect(others.some((name) => matches(pattern, name)), pattern).toBe(true);
        expect(mayMatchPrefix(pattern, PREFIX), pattern).toBe(false);
      }
    }
  });

  it('errs towards true for a class that matches nothing, as documented', () => {
    expect(mayMatchPrefix('switchboard:[]', PREFIX)).toBe(true);
    expect(matches('switchboard:[]', 'switchboard:x')).toBe(false);
  });

  it('is true for every pattern when the prefix is empty', () => {
    expect(mayMatchPrefix('abc', '')).toBe(true);
    expect(mayMatchPrefix('[]', '')).toBe(true);
  });

  it('works for other prefixes', () => {
    expect(mayMatchPrefix('MESS*', 'MESSAGES')).toBe(true);
    expect(mayMatchPrefix('M?SSAGES', 'MESS')).toBe(true);
    expect(mayMatchPrefix('MESSAGE', 'MESSAGES')).toBe(false);
    expect(mayMatchPrefix('[^M]*', 'MESSAGES')).toBe(false);
  });
});

describe('wildcardCount', () => {
  it.each([
    ['', 0],
    ['abc', 0],
    ['*', 1],
    ['a**b', 1],
    ['*?*', 3],
    ['?', 1],
    ['[abc]', 1],
    ['[^a-z]', 1],
    ['[a-z]?*', 3],
    ['\\*\\?\\[', 0],
    ['news.*.[0-9]?', 3],
    ['*a*b*c*', 4],
  ])('%j has %i wildcards', (pattern, count) => {
    expect(wildcardCount(parseGlob(pattern))).toBe(count);
  });
});
