import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createPolicyEngine } from '../../src/policy/authorize.js';
import { DEFAULT_POLICY, PolicyError, loadPolicyFile, parsePolicy } from '../../src/policy/policy.js';
import { globIsSubset, globMatches, globsIntersect, parseGlob } from '../../src/redis/glob.js';

const user = (userId: string) => ({ userId, roles: ['user'] });
const service = { userId: 'apikey:1', roles: ['service'] };

describe('glob subset and intersection (what channelPattern grants rest on)', () => {
  // Small alphabet plus "z", a byte no pattern names, so that negated classes and `?` are tested too.
  const ALPHABET = ['a', 'b', '.', 'x', 'z'];
  const PIECES = ['a', 'b', '.', '?', '*', '[ab]', '[^a]', 'x'];
  const words: string[] = [''];
  for (let length = 1; length <= 5; length++) {
    for (const word of words.filter((w) => w.length === length - 1)) for (const char of ALPHABET) words.push(word + char);
  }
  let seed = 7;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const randomPattern = () => Array.from({ length: 1 + random(3) }, () => PIECES[random(PIECES.length)]!).join('');

  it('agrees with brute force over every word up to 5 bytes, for 300 random pairs', () => {
    for (let i = 0; i < 300; i++) {
      const [p, r] = [randomPattern(), randomPattern()];
      const [tp, tr] = [parseGlob(p), parseGlob(r)];
      const matchedP = words.filter((word) => globMatches(tp, word));
      const bruteSubset = matchedP.every((word) => globMatches(tr, word));
      const bruteIntersect = matchedP.some((word) => globMatches(tr, word));
      expect(globIsSubset(tp, tr), `${p} ⊆ ${r}`).toBe(bruteSubset);
      expect(globsIntersect(tp, tr), `${p} ∩ ${r}`).toBe(bruteIntersect);
    }
  });

  it.each([
    ['private.5.*', 'private.*', true],
    ['private.5*', 'private.5.*', false],
    ['*', 'private.*', false],
    ['news.[0-9]', 'news.*', true],
    ['news.*', 'news.?*', false],
    ['a*b*c', 'a*c', true],
  ])('%s ⊆ %s is %s', (inner, outer, expected) => {
    expect(globIsSubset(parseGlob(inner), parseGlob(outer))).toBe(expected);
  });

  it.each([
    ['*', 'private.*', true],
    ['?rivate.*', 'private.*', true],
    ['[a-o]*', 'private.*', false],
    ['news.*', 'private.*', false],
    ['*.x', 'private.*', true],
  ])('%s ∩ %s is %s', (a, b, expected) => {
    expect(globsIntersect(parseGlob(a), parseGlob(b))).toBe(expected);
  });
});

describe('the default policy', () => {
  const engine = createPolicyEngine(DEFAULT_POLICY);

  it('gives private.{userId}. names to their user, and service and admin, and nobody else', () => {
    for (const kind of ['channel', 'stream', 'group', 'queue'] as const) {
      const action = kind === 'channel' ? 'publish' : kind === 'queue' ? 'enqueue' : 'consume';
      expect(engine.check(user('5'), kind, action, 'private.5.orders').allowed).toBe(true);
      expect(engine.check(user('6'), kind, action, 'private.5.orders').allowed).toBe(false);
      expect(engine.check(user('55'), kind, action, 'private.5.orders').allowed).toBe(false);
      expect(engine.check(user('5'), kind, action, 'private.55.orders').allowed).toBe(false);
      expect(engine.check(service, kind, action, 'private.5.orders').allowed).toBe(true);
      expect(engine.check({ userId: '9', roles: ['admin'] }, kind, action, 'private.5.orders').allowed).toBe(true);
      expect(engine.check(user('6'), kind, action, 'orders').allowed).toBe(true);
    }
  });

  it('keeps pausing queues for service and admin', () => {
    expect(engine.check(user('5'), 'queue', 'pause', 'mail').allowed).toBe(false);
    expect(engine.check(user('5'), 'queue', 'resume', 'mail').allowed).toBe(false);
    expect(engine.check(service, 'queue', 'pause', 'mail').allowed).toBe(true);
  });

  it.each([
    ['private.5.*', true],
    ['private.5.[a-z]*', true],
    ['private.5*', false],
    ['private.*', false],
    ['*', false],
    ['p*', false],
    ['?rivate.*', false],
    ['*.orders', false],
    ['[a-o]*', true],
    ['news.*', true],
  ])('grants user 5 the pattern %s: %s', (pattern, expected) => {
    const decision = engine.checkPattern(user('5'), pattern);
    expect(decision.allowed).toBe(expected);
  });

  it('grants a service every pattern', () => {
    expect(engine.checkPattern(service, '*').allowed).toBe(true);
  });

  it('escapes a user id that holds glob characters', () => {
    expect(engine.check(user('a*'), 'channel', 'publish', 'private.a*.x').allowed).toBe(true);
    expect(engine.check(user('a*'), 'channel', 'publish', 'private.abc.x').allowed).toBe(false);
  });
});

describe('policy files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'policy-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('reads YAML and JSON, and applies rules in order with deny by default', () => {
    const yaml = file(
      'ok.yaml',
      `rules:
  - resources: [stream]
    names: ["audit.*"]
    roles: [user]
    actions: [trim]
    effect: deny
  - resources: "*"
    names: ["*"]
    roles: [user]
    actions: "*"
`,
    );
    const json = file('ok.json', JSON.stringify({ rules: [{ resources: ['channel'], names: ['news.*'], roles: '*', actions: ['subscribe'] }] }));
    const fromYaml = createPolicyEngine(loadPolicyFile(yaml));
    expect(fromYaml.check(user('1'), 'stream', 'trim', 'audit.log').allowed).toBe(false);
    expect(fromYaml.check(user('1'), 'stream', 'append', 'audit.log').allowed).toBe(true);
    expect(fromYaml.check({ userId: 'k', roles: ['service'] }, 'stream', 'append', 'audit.log').allowed).toBe(false);
    const fromJson = createPolicyEngine(loadPolicyFile(json));
    expect(fromJson.check(user('1'), 'channel', 'subscribe', 'news.a').allowed).toBe(true);
    expect(fromJson.check(user('1'), 'channel', 'publish', 'news.a').allowed).toBe(false);
    expect(loadConfig({ POLICY_FILE: yaml }).policy.source).toBe(yaml);
  });

  it('says what is wrong, one line per mistake', () => {
    const bad = file(
      'bad.yaml',
      `rules:
  - resources: [chanel]
    names: ["news.["]
    roles: []
    actions: [publsh]
  - resources: [channel]
    names: ["x"]
    roles: "*"
    actions: [enqueue]
    effect: maybe
    extra: 1
`,
    );
    let error: unknown;
    try {
      loadPolicyFile(bad);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PolicyError);
    const problems = (error as PolicyError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^rules\[0\]\.resources\[0\]: expected one of channel, pattern, stream, group, queue$/),
        expect.stringMatching(/^rules\[0\]\.roles: expected a non-empty list/),
        expect.stringMatching(/^rules\[0\]\.actions\[0\]: expected one of subscribe, publish/),
        expect.stringMatching(/^rules\[1\]\.effect: expected "allow" or "deny"$/),
        expect.stringMatching(/^rules\[1\]: unknown key "extra"$/),
      ]),
    );
    // Globs and actions per kind are checked once the shape is right.
    const semantic = file('semantic.json', JSON.stringify({ rules: [{ resources: ['channel'], names: ['news.['], roles: '*', actions: ['enqueue'] }] }));
    expect(() => loadPolicyFile(semantic)).toThrow(/rules\[0\]\.names\[0\]: "news\.\[" is not a valid Redis glob[^\n]*\n\s+rules\[0\]\.actions\[0\]: "enqueue" is not an action of channel \(it is one of queue\)/);
  });

  it('turns a bad POLICY_FILE into a ConfigError beside the other settings', () => {
    const broken = file('broken.json', '{ "rules": [ ');
    let error: unknown;
    try {
      loadConfig({ POLICY_FILE: broken, PORT: 'x' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as Error).message.split('\n');
    expect(lines[0]).toBe('Invalid configuration:');
    expect(lines).toContain('  PORT="x": expected a whole number');
    expect(lines.some((line) => line.startsWith(`  POLICY_FILE=${JSON.stringify(broken)}: not valid JSON`))).toBe(true);
    expect(() => loadConfig({ POLICY_FILE: join(dir, 'missing.yaml') })).toThrow(/POLICY_FILE=.*missing\.yaml": cannot read the file/);
  });

  it('refuses rules that are not lists, or an empty document', () => {
    expect(() => parsePolicy(null, 'x')).toThrow(PolicyError);
    expect(() => parsePolicy({ rules: {} }, 'x')).toThrow(/rules: expected a list of rules/);
  });
});
