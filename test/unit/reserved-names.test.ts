import { describe, expect, it } from 'vitest';
import { CHANNEL_NAME_MAX_LENGTH, PATTERN_MAX_WILDCARDS, assertPublicChannel, assertPublicPattern } from '../../src/channels/names.js';
import { AppError } from '../../src/errors/app-error.js';
import { GlobSyntaxError, globMatches, parseGlob } from '../../src/redis/glob.js';
import {
  INTERNAL_PREFIX,
  RESERVED_CHANNELS_DESCRIPTION,
  channels,
  chatKeys,
  internalKeys,
  isReservedChannel,
  isReservedKey,
  patternMayMatchReservedChannel,
} from '../../src/redis/keys.js';

/** Runs `action` and returns what it threw, failing the test when it throws nothing. */
function thrown(action: () => void): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

function expectBadInput(action: () => void, message: RegExp, field: string): void {
  const error = thrown(action);
  expect(error).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.extensions.code).toBe('BAD_USER_INPUT');
  expect(appError.code).toBe('BAD_USER_INPUT');
  expect(appError.extensions.field).toBe(field);
  expect(appError.message).toMatch(message);
}

describe('key layout', () => {
  it('builds every key our code writes, and each of them is reserved', () => {
    const keys = [
      chatKeys.totalUsers,
      chatKeys.username('alice'),
      chatKeys.user('7'),
      chatKeys.userRooms('7'),
      chatKeys.roomName('0'),
      chatKeys.room('1:2'),
      chatKeys.onlineUsers,
      internalKeys.session('abc123'),
      internalKeys.signInAttempts('127.0.0.1', 'alice'),
      internalKeys.signInAttemptsByAddress('127.0.0.1'),
      internalKeys.signUps('127.0.0.1'),
    ];
    expect(keys).toEqual([
      'total_users',
      'username:alice',
      'user:7',
      'user:7:rooms',
      'room:0:name',
      'room:1:2',
      'online_users',
      'switchboard:session:abc123',
      'switchboard:rate:{127.0.0.1}:sign-in:alice',
      'switchboard:rate:{127.0.0.1}:sign-in',
      'switchboard:rate:{127.0.0.1}:sign-up',
    ]);
    for (const key of keys) expect(isReservedKey(key), key).toBe(true);
  });

  it('puts every channel of ours among the reserved channels', () => {
    expect(channels.chatMessages).toBe('MESSAGES');
    expect(channels.sessionEnded.startsWith(INTERNAL_PREFIX)).toBe(true);
    expect(isReservedChannel(channels.chatMessages)).toBe(true);
    expect(isReservedChannel(channels.sessionEnded)).toBe(true);
    expect(patternMayMatchReservedChannel(channels.sessionEnded)).toBe(true);
  });

  it('describes the reserved channels for error messages', () => {
    expect(RESERVED_CHANNELS_DESCRIPTION).toContain('MESSAGES');
    expect(RESERVED_CHANNELS_DESCRIPTION).toContain('switchboard:');
  });
});

describe('isReservedKey', () => {
  it.each([
    'total_users',
    'online_users',
    'MESSAGES',
    'username:',
    'username:alice',
    'user:',
    'user:1',
    'user:1:rooms',
    'room:',
    'room:0',
    'room:0:name',
    'switchboard:',
    'switchboard:anything',
  ])('%j is reserved', (name) => {
    expect(isReservedKey(name)).toBe(true);
  });

  it.each([
    'total_users2',
    'total',
    'users',
    'user',
    'username',
    'room',
    'rooms:1',
    'User:1',
    'messages',
    'MESSAGESX',
    'switchboard',
    'Switchboard:x',
    'my-stream',
    'queue:jobs',
    'x:user:1',
    '',
  ])('%j is free', (name) => {
    expect(isReservedKey(name)).toBe(false);
  });
});

describe('isReservedChannel', () => {
  it.each(['MESSAGES', 'switchboard:', 'switchboard:session-ended', 'switchboard:anything:else'])('%j is reserved', (name) => {
    expect(isReservedChannel(name)).toBe(true);
  });

  it.each(['messages', 'MESSAGESX', 'MESSAGE', 'xMESSAGES', 'switchboard', 'Switchboard:x', 'x:switchboard:', 'user:1', 'room:0', 'total_users', 'news.sports', ''])(
    '%j is free for users',
    (name) => {
      expect(isReservedChannel(name)).toBe(false);
    },
  );
});

describe('patternMayMatchReservedChannel', () => {
  it.each([
    ['*', 'a bare star matches everything'],
    ['MESSAGES', 'the chat channel itself'],
    ['M*', 'a prefix of MESSAGES'],
    ['*S', 'a suffix of MESSAGES'],
    ['*ESS*', 'an infix of MESSAGES'],
    ['[A-Z]ESSAGES', 'a class that contains M'],
    ['[^x]ESSAGES', 'a negated class without M'],
    ['MESSAGE?', 'a "?" for the last letter'],
    ['M?SS?G?S', 'several "?"'],
    ['\\MESSAGES', 'an escaped ordinary letter'],
    ['MESSAGES*', 'a star that may match nothing'],
    ['switchboard:*', 'our namespace'],
    ['switchboard:session-ended', 'one of our channels exactly'],
    ['switchboard:x', 'a name in our namespace'],
    ['sw?tch*', 'a wildcard inside the prefix'],
    ['s*', 'a short prefix of the namespace'],
    ['[r-t]witchboard:*', 'a class that contains s'],
    ['switchboard?*', 'a "?" where the ":" is'],
    ['*:*', 'any name with a colon'],
    ['[^x]*', 'a negated class and a star'],
    ['?*', 'any non-empty name'],
    ['*s*', 'any name with an s'],
    // Redis reads a class as bytes: `x-]` is a range ending at "]", range ends are never escaped,
    // and bytes of 0x80 and up are negative chars that sort below ASCII. Each of these was seen
    // delivering MESSAGES or switchboard:* from a real redis-server 7.
    ['[!-]]*', 'a range "!".."]", which contains M'],
    ['[t-]]witchboard:*', 'a range "]".."t", which contains s'],
    ['[t-\\u]witchboard:*', 'a range "t".."\\" (no escape at a range end), which contains s'],
    ['[~-é]*', 'a range from "~" down to a negative UTF-8 byte, which spans ASCII'],
  ])('%j may match a reserved channel (%s)', (pattern) => {
    expect(patternMayMatchReservedChannel(pattern)).toBe(true);
  });

  it.each([
    ['news.*', 'another namespace'],
    ['sensor.[0-9]', 'a class of digits'],
    ['messages', 'lower case'],
    ['MESSAGESX', 'longer than MESSAGES'],
    ['MESSAGE', 'shorter than MESSAGES'],
    ['MESSAGES?', 'one character longer than MESSAGES'],
    ['xMESSAGES', 'a letter before MESSAGES'],
    ['user:*', 'a chat key prefix, which is no reserved channel'],
    ['room:*', 'another chat key prefix'],
    ['switchboard', 'our prefix without its colon, exactly'],
    ['switch', 'a shorter exact name'],
    ['Switchboard:*', 'another case'],
    ['[a-r]*', 'a first class with neither M nor s'],
    ['[^sM]*', 'a negated class excluding both first letters'],
    ['?', 'one character'],
    ['x*', 'a literal first letter'],
  ])('%j cannot match a reserved channel (%s)', (pattern) => {
    expect(patternMayMatchReservedChannel(pattern)).toBe(false);
  });

  it('counts a pattern that can only match inside the namespace, at any depth', () => {
    expect(patternMayMatchReservedChannel('*x')).toBe(true);
    expect(globMatches(parseGlob('*x'), 'switchboard:x')).toBe(true);
  });

  it('throws GlobSyntaxError for malformed patterns', () => {
    expect(() => patternMayMatchReservedChannel('[MESSAGES')).toThrow(GlobSyntaxError);
    expect(() => patternMayMatchReservedChannel('MESSAGES\\')).toThrow(GlobSyntaxError);
  });

  describe('never misses a reserved channel (seeded random patterns)', () => {
    /** mulberry32: a small deterministic PRNG, so that failures reproduce. */
    function prng(seed: number): () => number {
      let state = seed >>> 0;
      return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
    }

    const reservedCharacters = [...new Set(Array.from('MESSAGES' + INTERNAL_PREFIX))];
    const globCharacters = ['*', '?', '[', ']', '^', '-', '\\'];
    const alphabet = [...reservedCharacters, ...globCharacters, ...globCharacters, 'x'];
    const suffixes = ['', 'x', 'session-ended', 'MESSAGES', ':', 'switchboard:', 'a-b', '*', '[x]', 'rate:sign-in:alice'];

    function randomPattern(random: () => number): string {
      const pick = () => alphabet[Math.floor(random() * alphabet.length)]!;
      if (random() < 0.4) {
        let pattern = '';
        const length = 1 + Math.floor(random() * 10);
        for (let i = 0; i < length; i++) pattern += pick();
        return pattern;
      }
      // Otherwise mutate a reserved name a little, so that near misses are common.
      const bases = ['MESSAGES', INTERNAL_PREFIX, `${INTERNAL_PREFIX}x`, 'M*', 's*'];
      const chars = Array.from(bases[Math.floor(random() * bases.length)]!);
      const edits = 1 + Math.floor(random() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(random() * (chars.length + 1));
        const kind = random();
        if (kind < 0.4) chars.splice(at, 1, pick());
        else if (kind < 0.8) chars.splice(at, 0, pick());
        else chars.splice(at, 1);
      }
      return chars.join('');
    }

    it('for 800 patterns: when it says no, no reserved name matches', () => {
      const random = prng(0x5eed);
      let valid = 0;
      let refused = 0;
      let safe = 0;
      for (let n = 0; n < 800; n++) {
        const pattern = randomPattern(random);
        let tokens;
        try {
          tokens = parseGlob(pattern);
        } catch (error) {
          expect(error, pattern).toBeInstanceOf(GlobSyntaxError);
          expect(() => patternMayMatchReservedChannel(pattern), pattern).toThrow(GlobSyntaxError);
          continue;
        }
        valid++;
        if (patternMayMatchReservedChannel(pattern)) {
          refused++;
          continue;
        }
        safe++;
        expect(globMatches(tokens, 'MESSAGES'), pattern).toBe(false);
        for (const suffix of suffixes) {
          expect(globMatches(tokens, INTERNAL_PREFIX + suffix), `${pattern} vs ${INTERNAL_PREFIX}${suffix}`).toBe(false);
        }
      }
      // The property must not hold vacuously: both answers occur, and most patterns parse.
      expect(valid).toBeGreaterThan(500);
      expect(refused).toBeGreaterThan(80);
      expect(safe).toBeGreaterThan(300);
    });

    it('when a reserved name matches, it says yes', () => {
      const random = prng(42);
      let matched = 0;
      for (let n = 0; n < 800; n++) {
        const pattern = randomPattern(random);
        let tokens;
        try {
          tokens = parseGlob(pattern);
        } catch {
          continue;
        }
        const names = ['MESSAGES', ...suffixes.map((suffix) => INTERNAL_PREFIX + suffix)];
        if (names.some((name) => globMatches(tokens, name))) {
          matched++;
          expect(patternMayMatchReservedChannel(pattern), pattern).toBe(true);
        }
      }
      expect(matched).toBeGreaterThan(40);
    });
  });
});

describe('assertPublicChannel', () => {
  it.each(['news', 'news.sports', 'user:1', 'room:0', 'messages', 'MESSAGESX', 'switchboard', 'ünïcödé', 'a'.repeat(CHANNEL_NAME_MAX_LENGTH)])(
    'accepts %j',
    (name) => {
      expect(() => assertPublicChannel(name)).not.toThrow();
    },
  );

  it.each(['MESSAGES', 'switchboard:', 'switchboard:session-ended', 'switchboard:x'])('refuses the reserved channel %j', (name) => {
    expectBadInput(() => assertPublicChannel(name), new RegExp(`^Channel "${name}" is reserved: .*MESSAGES.*switchboard:`), 'channel');
  });

  it.each([
    ['', 'empty'],
    ['a'.repeat(CHANNEL_NAME_MAX_LENGTH + 1), 'too long'],
    ['has space', 'with a space'],
    ['tab\there', 'with a tab'],
    ['line\nbreak', 'with a newline'],
    ['bell\u0007', 'with a control character'],
    ['nbsp\u00a0here', 'with a no-break space'],
  ])('refuses %j (%s) and says what a channel name must be', (name) => {
    expectBadInput(
      () => assertPublicChannel(name),
      /^Channel name must be 1 to 256 characters with no spaces or control characters; got ".*"\.$/s,
      'channel',
    );
  });

  it('quotes the offending value, cut to 60 characters', () => {
    const error = thrown(() => assertPublicChannel(`${'x'.repeat(70)} y`)) as AppError;
    expect(error.message).toContain(`got ${JSON.stringify('x'.repeat(60))}.`);
  });

  it('reports the field it was given', () => {
    expectBadInput(() => assertPublicChannel('MESSAGES', 'name'), /reserved/, 'name');
  });
});

describe('assertPublicPattern', () => {
  it.each(['news.*', 'sensor.[0-9]', 'user:*', 'messages', 'MESSAGE', 'MESSAGESX', '[a-r]*', 'x' + '?'.repeat(PATTERN_MAX_WILDCARDS)])(
    'accepts %j',
    (pattern) => {
      expect(() => assertPublicPattern(pattern)).not.toThrow();
    },
  );

  it.each(['*', 'M*', '*S', '[A-Z]ESSAGES', 'MESSAGE?', '\\MESSAGES', 'switchboard:*', 'sw?tch*', '*:*', '[^x]*'])(
    'refuses %j, which could match a reserved channel, and suggests narrowing it',
    (pattern) => {
      expectBadInput(
        () => assertPublicPattern(pattern),
        new RegExp(
          `^Pattern ${JSON.stringify(pattern).replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')} could match reserved channels \\(.*MESSAGES.*switchboard:.*\\); narrow it, for example "news\\.\\*" instead of "\\*"\\.$`,
        ),
        'pattern',
      );
    },
  );

  it.each(['[abc', 'news.[0-9', 'news\\'])('refuses the malformed pattern %j and says why', (pattern) => {
    expectBadInput(() => assertPublicPattern(pattern), /^Pattern ".*" is malformed: .+\.$/, 'pattern');
  });

  it('names the unclosed class in the malformed-pattern message', () => {
    expectBadInput(() => assertPublicPattern('[abc'), /is malformed: a "\[" character class is not closed with "\]"\.$/, 'pattern');
    expectBadInput(() => assertPublicPattern('abc\\'), /is malformed: the pattern ends with a lone "\\"\.$/, 'pattern');
  });

  it(`refuses more than ${PATTERN_MAX_WILDCARDS} wildcards`, () => {
    expectBadInput(() => assertPublicPattern('x' + '?'.repeat(PATTERN_MAX_WILDCARDS + 1)), /^Pattern may use at most 16 wildcards\.$/, 'pattern');
    expectBadInput(() => assertPublicPattern('x' + '[0-9]'.repeat(PATTERN_MAX_WILDCARDS + 1)), /at most 16 wildcards/, 'pattern');
  });

  it('counts a run of stars as one wildcard', () => {
    expect(() => assertPublicPattern('x' + '*'.repeat(40))).not.toThrow();
  });

  it.each([
    ['', 'empty'],
    ['a'.repeat(CHANNEL_NAME_MAX_LENGTH + 1), 'too long'],
    ['news *', 'with a space'],
    ['news.\u0000*', 'with a NUL'],
  ])('refuses %j (%s) and says what a pattern must be', (pattern) => {
    expectBadInput(
      () => assertPublicPattern(pattern),
      /^Pattern must be 1 to 256 characters with no spaces or control characters; got ".*"\.$/s,
      'pattern',
    );
  });

  it('checks the shape before the syntax', () => {
    expectBadInput(() => assertPublicPattern('[a b'), /^Pattern must be 1 to 256 characters/, 'pattern');
  });

  it('reports the field it was given', () => {
    expectBadInput(() => assertPublicPattern('*', 'filter'), /could match reserved channels/, 'filter');
  });
});
