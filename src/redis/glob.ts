/**
 * Redis glob patterns (the syntax of PSUBSCRIBE, KEYS and SCAN MATCH): `*`, `?`, `[abc]`, `[^a-z]`
 * and `\` escapes. Compiled to a small automaton so that we can answer two questions exactly:
 * does a pattern match a name, and could it match *any* name that starts with a given prefix.
 */

/**
 * Redis matches bytes, not characters (`stringmatchlen` in util.c), and compares class ranges as
 * C `char`s, which are signed: a UTF-8 byte of 0x80 or more sorts below every ASCII byte. Every
 * token here works on such signed bytes so that our answers are Redis's answers.
 */
type Token =
  | { kind: 'literal'; byte: number }
  | { kind: 'any-one' }
  | { kind: 'any-string' }
  | { kind: 'class'; negated: boolean; items: Array<{ from: number; to: number }> };

export class GlobSyntaxError extends Error {
  override name = 'GlobSyntaxError';
}

const signed = (byte: number) => (byte > 127 ? byte - 256 : byte);
const BACKSLASH = 0x5c;
const CLOSE = 0x5d;
const DASH = 0x2d;

/**
 * Splits a Redis glob into tokens, reading `[...]` exactly as Redis does: `\` escapes only the
 * byte that starts an item, and `x-y` is a range whatever `y` is (so `[!-]]` is the range `!`..`]`).
 * @throws GlobSyntaxError for an unterminated `[...]` class or a trailing `\`, which Redis would
 * read in ways that are easy to get wrong; we refuse them instead.
 */
export function parseGlob(pattern: string): Token[] {
  const bytes = Buffer.from(pattern, 'utf8');
  const tokens: Token[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === 0x2a) {
      if (tokens.at(-1)?.kind !== 'any-string') tokens.push({ kind: 'any-string' });
    } else if (byte === 0x3f) {
      tokens.push({ kind: 'any-one' });
    } else if (byte === BACKSLASH) {
      const next = bytes[++i];
      if (next === undefined) throw new GlobSyntaxError('the pattern ends with a lone "\\"');
      tokens.push({ kind: 'literal', byte: next });
    } else if (byte === 0x5b) {
      let j = i + 1;
      const negated = bytes[j] === 0x5e;
      if (negated) j++;
      const items: Array<{ from: number; to: number }> = [];
      let closed = false;
      for (; j < bytes.length; j++) {
        const current = bytes[j]!;
        if (current === BACKSLASH && j + 1 < bytes.length) {
          j++;
          items.push({ from: signed(bytes[j]!), to: signed(bytes[j]!) });
        } else if (current === CLOSE) {
          closed = true;
          break;
        } else if (j + 2 < bytes.length && bytes[j + 1] === DASH) {
          const [low, high] = [signed(current), signed(bytes[j + 2]!)].sort((a, b) => a - b) as [number, number];
          items.push({ from: low, to: high });
          j += 2;
        } else {
          items.push({ from: signed(current), to: signed(current) });
        }
      }
      if (!closed) throw new GlobSyntaxError('a "[" character class is not closed with "]"');
      tokens.push({ kind: 'class', negated, items });
      i = j;
    } else {
      tokens.push({ kind: 'literal', byte });
    }
  }
  return tokens;
}

function accepts(token: Token, byte: number): boolean {
  switch (token.kind) {
    case 'literal':
      return token.byte === byte;
    case 'any-one':
    case 'any-string':
      return true;
    case 'class': {
      const value = signed(byte);
      const inside = token.items.some((item) => value >= item.from && value <= item.to);
      return token.negated ? !inside : inside;
    }
  }
}

/** Positions reachable without consuming input: a `*` may match nothing. */
function closure(tokens: Token[], states: Set<number>): Set<number> {
  const result = new Set(states);
  for (const state of states) {
    let position = state;
    while (tokens[position]?.kind === 'any-string') result.add(++position);
  }
  return result;
}

function step(tokens: Token[], states: Set<number>, byte: number): Set<number> {
  const next = new Set<number>();
  for (const state of states) {
    const token = tokens[state];
    if (!token || !accepts(token, byte)) continue;
    next.add(token.kind === 'any-string' ? state : state + 1);
  }
  return closure(tokens, next);
}

function run(tokens: Token[], input: string | Uint8Array): Set<number> {
  let states = closure(tokens, new Set([0]));
  for (const byte of typeof input === 'string' ? Buffer.from(input, 'utf8') : input) {
    states = step(tokens, states, byte);
    if (states.size === 0) break;
  }
  return states;
}

/** Whether the glob matches the whole of `name`, as PSUBSCRIBE would. */
export function globMatches(tokens: Token[], name: string): boolean {
  return run(tokens, name).has(tokens.length);
}

/**
 * Whether some name that starts with `prefix` is matched by the glob. Errs towards true: a
 * class that could match nothing at all still counts as matching.
 */
export function globMayMatchPrefix(tokens: Token[], prefix: string): boolean {
  return run(tokens, prefix).size > 0;
}

/** {@link globMatches} on bytes already encoded (a channel name matched against many patterns). */
export function globMatchesBytes(tokens: Token[], name: Uint8Array): boolean {
  return run(tokens, name).has(tokens.length);
}

/** {@link globMayMatchPrefix} on bytes: whether some name starting with these bytes is matched. */
export function globMayMatchPrefixBytes(tokens: Token[], prefix: Uint8Array): boolean {
  return run(tokens, prefix).size > 0;
}

/** How many `*`, `?` and classes a pattern uses: a bound on matching cost. */
export function wildcardCount(tokens: Token[]): number {
  return tokens.filter((token) => token.kind !== 'literal').length;
}

/**
 * Groups of bytes that every token of these patterns treats alike: deciding questions about two
 * patterns needs one representative byte per group, not all 256.
 */
function byteRepresentatives(patterns: Token[][]): number[] {
  const seen = new Map<string, number>();
  for (let byte = 0; byte < 256; byte++) {
    const signature = patterns.map((tokens) => tokens.map((token) => (accepts(token, byte) ? '1' : '0')).join('')).join('|');
    if (!seen.has(signature)) seen.set(signature, byte);
  }
  return [...seen.values()];
}

const stateKey = (states: Set<number>) => [...states].sort((a, b) => a - b).join(',');

/** How many pairs of automaton states {@link globIsSubset} and {@link globsIntersect} explore before giving up. */
export const GLOB_COMPARE_MAX_STATES = 10_000;

/**
 * Runs both patterns' automata side by side over every byte string (determinised on the fly:
 * each side is the set of positions it can be in), calling `visit` on each reachable pair.
 * `visit` returns true to stop. Returns 'stopped', 'exhausted' (every pair seen) or 'too-big'.
 */
function explorePairs(
  a: Token[],
  b: Token[],
  visit: (sa: Set<number>, sb: Set<number>) => boolean,
  needsB: boolean,
): 'stopped' | 'exhausted' | 'too-big' {
  const bytes = byteRepresentatives([a, b]);
  const start: [Set<number>, Set<number>] = [closure(a, new Set([0])), closure(b, new Set([0]))];
  const seen = new Set<string>([`${stateKey(start[0])}|${stateKey(start[1])}`]);
  const queue = [start];
  while (queue.length > 0) {
    const [sa, sb] = queue.shift()!;
    if (visit(sa, sb)) return 'stopped';
    if (sa.size === 0) continue;
    for (const byte of bytes) {
      const next: [Set<number>, Set<number>] = [step(a, sa, byte), step(b, sb, byte)];
      // Once a side can match nothing more, so can every pair after it (`needsB`: b matters).
      if (next[0].size === 0 || (needsB && next[1].size === 0)) continue;
      const key = `${stateKey(next[0])}|${stateKey(next[1])}`;
      if (seen.has(key)) continue;
      if (seen.size >= GLOB_COMPARE_MAX_STATES) return 'too-big';
      seen.add(key);
      queue.push(next);
    }
  }
  return 'exhausted';
}

/**
 * Whether every name that `inner` matches is also matched by `outer`, exactly as Redis matches
 * (bytes, signed class ranges). Sound in one direction by design: when the comparison would take
 * more than {@link GLOB_COMPARE_MAX_STATES} steps it answers false ("not proven").
 */
export function globIsSubset(inner: Token[], outer: Token[]): boolean {
  const end = explorePairs(inner, outer, (si, so) => si.has(inner.length) && !so.has(outer.length), false);
  return end === 'exhausted';
}

/**
 * Whether some name is matched by both patterns. Errs towards true: when the comparison would
 * take more than {@link GLOB_COMPARE_MAX_STATES} steps it answers true ("not proven disjoint").
 */
export function globsIntersect(a: Token[], b: Token[]): boolean {
  const end = explorePairs(a, b, (sa, sb) => sa.has(a.length) && sb.has(b.length), true);
  return end !== 'exhausted';
}

/** `text` with every glob special character escaped, so that the glob matches exactly `text`. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (char) => `\\${char}`);
}

/** A parsed glob (the tokens {@link parseGlob} returns). */
export type GlobTokens = Token[];
