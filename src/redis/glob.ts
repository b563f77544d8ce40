/**
 * Redis glob patterns (the syntax of PSUBSCRIBE, KEYS and SCAN MATCH): `*`, `?`, `[abc]`, `[^a-z]`
 * and `\` escapes. Compiled to a small automaton so that we can answer two questions exactly:
 * does a pattern match a name, and could it match *any* name that starts with a given prefix.
 */

type Token =
  | { kind: 'literal'; char: string }
  | { kind: 'any-one' }
  | { kind: 'any-string' }
  | { kind: 'class'; negated: boolean; items: Array<{ from: string; to: string }> };

export class GlobSyntaxError extends Error {
  override name = 'GlobSyntaxError';
}

/**
 * Splits a Redis glob into tokens.
 * @throws GlobSyntaxError for an unterminated `[...]` class or a trailing `\`, which Redis would
 *   read in ways that are easy to get wrong; we refuse them instead.
 */
export function parseGlob(pattern: string): Token[] {
  const chars = Array.from(pattern);
  const tokens: Token[] = [];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    if (char === '*') {
      if (tokens.at(-1)?.kind !== 'any-string') tokens.push({ kind: 'any-string' });
    } else if (char === '?') {
      tokens.push({ kind: 'any-one' });
    } else if (char === '\\') {
      const next = chars[++i];
      if (next === undefined) throw new GlobSyntaxError('the pattern ends with a lone "\\"');
      tokens.push({ kind: 'literal', char: next });
    } else if (char === '[') {
      let j = i + 1;
      const negated = chars[j] === '^';
      if (negated) j++;
      const items: Array<{ from: string; to: string }> = [];
      let closed = false;
      for (; j < chars.length; j++) {
        let c = chars[j]!;
        if (c === ']') {
          closed = true;
          break;
        }
        if (c === '\\') {
          const escaped = chars[++j];
          if (escaped === undefined) break;
          c = escaped;
        }
        if (chars[j + 1] === '-' && chars[j + 2] !== undefined && chars[j + 2] !== ']') {
          let end = chars[j + 2]!;
          j += 2;
          if (end === '\\') {
            const escaped = chars[++j];
            if (escaped === undefined) break;
            end = escaped;
          }
          items.push(c <= end ? { from: c, to: end } : { from: end, to: c });
        } else {
          items.push({ from: c, to: c });
        }
      }
      if (!closed) throw new GlobSyntaxError('a "[" character class is not closed with "]"');
      tokens.push({ kind: 'class', negated, items });
      i = j;
    } else {
      tokens.push({ kind: 'literal', char });
    }
  }
  return tokens;
}

function accepts(token: Token, char: string): boolean {
  switch (token.kind) {
    case 'literal':
      return token.char === char;
    case 'any-one':
    case 'any-string':
      return true;
    case 'class': {
      const inside = token.items.some((item) => char >= item.from && char <= item.to);
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

function step(tokens: Token[], states: Set<number>, char: string): Set<number> {
  const next = new Set<number>();
  for (const state of states) {
    const token = tokens[state];
    if (!token || !accepts(token, char)) continue;
    next.add(token.kind === 'any-string' ? state : state + 1);
  }
  return closure(tokens, next);
}

function run(tokens: Token[], input: string): Set<number> {
  let states = closure(tokens, new Set([0]));
  for (const char of input) {
    states = step(tokens, states, char);
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

/** How many `*`, `?` and classes a pattern uses: a bound on matching cost. */
export function wildcardCount(tokens: Token[]): number {
  return tokens.filter((token) => token.kind !== 'literal').length;
}
