import { describe, expect, it } from 'vitest';
import {
  PASSWORD_MAX_BYTES,
  PASSWORD_MIN_LENGTH,
  assertValidPassword,
  assertValidUsername,
} from '../../src/accounts/credentials.js';
import { AppError } from '../../src/errors/app-error.js';
import { SESSION_COOKIE, bearerToken, cookieAllowedFor, cookieValue } from '../../src/transport/credentials.js';

function thrown(action: () => void): AppError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected the call to throw');
}

function expectBadInput(action: () => void, message: RegExp, field: string): void {
  const error = thrown(action);
  expect(error.extensions.code).toBe('BAD_USER_INPUT');
  expect(error.extensions.field).toBe(field);
  expect(error.message).toMatch(message);
}

describe('assertValidUsername', () => {
  it.each(['ab', 'alice', 'Bob_99', 'a.b-c_d', '0day', 'x'.repeat(32), 'A1', '9-'])('accepts %j', (username) => {
    expect(() => assertValidUsername(username)).not.toThrow();
  });

  it.each([
    ['', 'empty'],
    ['a', 'one character'],
    ['x'.repeat(33), '33 characters'],
    ['_alice', 'starting with "_"'],
    ['.alice', 'starting with "."'],
    ['-alice', 'starting with "-"'],
    ['ali ce', 'with a space'],
    [' alice', 'with a leading space'],
    ['alice\n', 'with a trailing newline'],
    ['alice:1', 'with a colon'],
    ['ali*', 'with a glob character'],
    ['émile', 'with a non-ASCII letter'],
    ['alice@example.com', 'with "@"'],
  ])('refuses %j (%s) and says what is allowed', (username) => {
    expectBadInput(
      () => assertValidUsername(username),
      /^Username must be 2 to 32 characters: letters, digits, "_", "\." or "-", starting with a letter or digit; got ".*"\.$/s,
      'username',
    );
  });

  it('quotes the refused username, cut to 40 characters', () => {
    const error = thrown(() => assertValidUsername('_'.repeat(50)));
    expect(error.message).toContain(`got ${JSON.stringify('_'.repeat(40))}.`);
  });
});

describe('assertValidPassword', () => {
  it('counts characters as people see them: four emoji are four characters, too short', () => {
    expect(() => assertValidPassword('😀😀😀😀')).toThrow(/at least 8 characters/);
    expect(() => assertValidPassword('😀😀😀😀😀😀😀😀')).not.toThrow();
  });

  it('has the documented limits', () => {
    expect(PASSWORD_MIN_LENGTH).toBe(8);
    expect(PASSWORD_MAX_BYTES).toBe(72);
  });

  it.each([
    ['12345678', 'exactly 8 characters'],
    ['correct horse battery staple', 'with spaces inside'],
    ['a'.repeat(72), 'exactly 72 ASCII bytes'],
    ['é'.repeat(36), '36 two-byte characters: exactly 72 bytes'],
    ['€'.repeat(24), '24 three-byte characters: exactly 72 bytes'],
    ['        x', 'spaces and one letter'],
  ])('accepts %j (%s)', (password) => {
    expect(() => assertValidPassword(password)).not.toThrow();
  });

  it.each(['', 'short', '1234567'])('refuses %j as shorter than 8 characters', (password) => {
    expectBadInput(() => assertValidPassword(password), /^Password must be at least 8 characters long\.$/, 'password');
  });

  it.each([
    ['a'.repeat(73), '73 ASCII bytes'],
    ['é'.repeat(37), '37 two-byte characters (74 bytes)'],
    ['é'.repeat(36) + 'a', '72 bytes of "é" and one more byte'],
    ['€'.repeat(25), '25 three-byte characters (75 bytes, only 25 characters)'],
    ['😀'.repeat(19), '19 four-byte emoji (76 bytes)'],
  ])('refuses %j (%s) as longer than 72 UTF-8 bytes', (password) => {
    expect(password.length).toBeLessThanOrEqual(73);
    expectBadInput(() => assertValidPassword(password), /^Password must be at most 72 bytes long \(UTF-8\)\.$/, 'password');
  });

  it.each([' '.repeat(8), ' '.repeat(72), '\t'.repeat(10)])('refuses %j, which is only spaces', (password) => {
    expectBadInput(() => assertValidPassword(password), /^Password must not be only spaces\.$/, 'password');
  });
});

describe('bearerToken', () => {
  it.each([undefined, null, ''])('returns undefined when there is no header (%j)', (header) => {
    expect(bearerToken(header)).toBeUndefined();
  });

  it.each([
    ['Bearer abc123', 'abc123'],
    ['bearer abc123', 'abc123'],
    ['BEARER abc123', 'abc123'],
    ['Bearer    abc123', 'abc123'],
    ['Bearer abc123   ', 'abc123'],
    ['Bearer\tabc123', 'abc123'],
    ['Bearer a.b-c_d~e+f/g=', 'a.b-c_d~e+f/g='],
  ])('reads the token of %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  it.each(['Bearer', 'Bearer ', 'Bearer   ', 'Bearer a b', 'Basic dXNlcjpwYXNz', 'Token abc', 'Bearerabc', ' Bearer abc', 'abc'])(
    'returns null for %j, which is not a bearer token',
    (header) => {
      expect(bearerToken(header)).toBeNull();
    },
  );
});

describe('cookieValue', () => {
  it('uses the name "session" for the session cookie', () => {
    expect(SESSION_COOKIE).toBe('session');
  });

  it.each([undefined, null, ''])('returns undefined without a header (%j)', (header) => {
    expect(cookieValue(header, 'session')).toBeUndefined();
  });

  it.each([
    ['session=abc', 'abc'],
    ['a=1; session=abc; b=2', 'abc'],
    ['a=1;session=abc;b=2', 'abc'],
    ['  session  =  abc  ', 'abc'],
    ['session=abc%20def%3B', 'abc def;'],
    ['session=a=b=c', 'a=b=c'],
    ['session=', ''],
    ['session=first; session=second', 'first'],
    ['theme=dark; session=tok', 'tok'],
  ])('reads the session cookie from %j', (header, value) => {
    expect(cookieValue(header, 'session')).toBe(value);
  });

  it.each([
    ['a=1; b=2', 'absent'],
    ['xsession=abc', 'only a longer name'],
    ['sessionx=abc', 'only a name it prefixes'],
    ['Session=abc', 'only another case'],
    ['session', 'a name without "="'],
    ['=abc', 'a value without a name'],
    ['session=%E0%A4%A', 'a value that is not valid percent-encoding'],
  ])('returns undefined for %j (%s)', (header) => {
    expect(cookieValue(header, 'session')).toBeUndefined();
  });

  it('reads other cookies by name', () => {
    expect(cookieValue('session=abc; theme=dark', 'theme')).toBe('dark');
  });
});

describe('cookieAllowedFor', () => {
  it.each([undefined, null, ''])('allows a request without an Origin (%j)', (origin) => {
    expect(cookieAllowedFor(origin, 'localhost:4000', [])).toBe(true);
    expect(cookieAllowedFor(origin, undefined, [])).toBe(true);
  });

  it('allows the server’s own origin', () => {
    expect(cookieAllowedFor('http://localhost:4000', 'localhost:4000', [])).toBe(true);
    expect(cookieAllowedFor('https://switchboard.example', 'switchboard.example', [])).toBe(true);
  });

  it('allows an origin on the allowed list', () => {
    const allowed = ['https://app.example.com', 'http://localhost:5173'];
    expect(cookieAllowedFor('https://app.example.com', 'api.example.com', allowed)).toBe(true);
    expect(cookieAllowedFor('http://localhost:5173', 'localhost:4000', allowed)).toBe(true);
    expect(cookieAllowedFor('http://localhost:5173', undefined, allowed)).toBe(true);
  });

  it.each([
    ['https://evil.example', 'localhost:4000', 'another site'],
    ['http://localhost:4001', 'localhost:4000', 'another port'],
    ['http://localhost', 'localhost:4000', 'no port where the host has one'],
    ['http://localhost:4000.evil.example', 'localhost:4000', 'a host that starts like ours'],
    ['http://sub.localhost:4000', 'localhost:4000', 'a subdomain'],
    ['https://app.example.com.evil.example', 'api.example.com', 'a host that contains an allowed one'],
  ])('refuses %j for host %j (%s)', (origin, host) => {
    expect(cookieAllowedFor(origin, host, ['https://app.example.com'])).toBe(false);
  });

  it('matches allowed origins exactly, not by prefix', () => {
    const allowed = ['https://app.example.com'];
    expect(cookieAllowedFor('https://app.example.com:8443', 'api.example.com', allowed)).toBe(false);
    expect(cookieAllowedFor('http://app.example.com', 'api.example.com', allowed)).toBe(false);
    expect(cookieAllowedFor('https://app.example.co', 'api.example.com', allowed)).toBe(false);
  });

  it.each([undefined, null, ''])('refuses an origin when the Host is unknown (%j)', (host) => {
    expect(cookieAllowedFor('http://localhost:4000', host, [])).toBe(false);
  });

  it.each(['null', 'not a url', 'localhost:4000', '//localhost:4000', 'http://'])('refuses the malformed origin %j', (origin) => {
    expect(cookieAllowedFor(origin, 'localhost:4000', [])).toBe(false);
  });
});
