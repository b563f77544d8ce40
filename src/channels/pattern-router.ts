import type { Logger } from 'pino';
import { AppError, ErrorCode } from '../errors/app-error.js';
import { type GlobTokens, globMatches, globMatchesBytes, globMayMatchPrefixBytes, parseGlob } from '../redis/glob.js';
import { RESERVED_CHANNEL_PREFIXES, RESERVED_EXACT_CHANNELS, isReservedChannel } from '../redis/keys.js';
import type { PubSubGap, PubSubHub, PubSubListener, SubscribeOptions } from '../redis/pubsub-hub.js';

/**
 * Serves `channelPattern` subscriptions without giving Redis one PSUBSCRIBE per user pattern.
 *
 * Why: Redis matches every PUBLISH (of every client, chat included) against every pattern any
 * client holds; 5,000 patterns such as `[^Ms]*a*a*...*b1` made each PUBLISH 200 times slower for
 * everybody. Here Redis holds only *covers*: a fixed set of at most a few dozen cheap patterns that
 * together match exactly the non-reserved channels (`[^Ms]*`, `M[^E]*`, `ME[^S]*`, ..., `M`,
 * `ME`, ..., `s[^w]*`, ...), each failing on a reserved name within a few bytes. A user pattern
 * subscribes to the covers it can overlap (for most patterns, one: `[^Ms]*`), and each message of a
 * cover is matched in this process against that cover's user patterns with src/redis/glob.ts, which
 * matches as Redis does, byte for byte. The covers are disjoint, so a message reaches a pattern once.
 *
 * What one pattern costs is then this process's CPU, not Redis's, so the caps are per process:
 * distinct patterns per user (MAX_PATTERNS_PER_USER) and in all (MAX_PATTERNS_PER_PROCESS), and
 * wildcards per pattern (see names.ts). Redis's cost per PUBLISH does not grow with users, patterns
 * or instances beyond the covers (a few dozen per instance at most, whatever the users do), so no
 * count across instances is needed to protect it.
 */
export interface PatternRouter {
  /**
   * Delivers every message published on a channel matching `pattern` (a validated public pattern)
   * to `listener`, for `owner` (a user id; each owner's distinct patterns are counted). Resolves
   * with the remover once Redis has confirmed the covers, so nothing published after is missed.
   * @throws AppError RATE_LIMITED when the owner or this process already follows as many distinct
   *   patterns as allowed; Redis errors as they come (nothing stays registered then).
   */
  subscribe(pattern: string, owner: string, listener: PubSubListener, subscribeOptions?: SubscribeOptions): Promise<() => void>;
  /**
   * The caps of {@link subscribe}, checked alone: cheap, so that a user at the cap is refused
   * before the costlier checks (the policy) run. `subscribe` checks again.
   * @throws AppError RATE_LIMITED as `subscribe` would.
   */
  checkRoom(pattern: string, owner: string): void;
  /** Distinct user patterns and covers (PSUBSCRIBEs) held now, for tests and metrics. */
  stats(): { patterns: number; covers: number };
}

/** Options of {@link createPatternRouter}. */
export interface PatternRouterOptions {
  hub: PubSubHub;
  /** Distinct patterns one owner may follow at once; 0: no cap. */
  maxPatternsPerUser: number;
  /** Distinct patterns this process follows for everybody; 0: no cap. */
  maxPatternsPerProcess: number;
  logger: Logger;
}

/** A glob that Redis holds, and how to tell whether a user pattern can overlap it. */
interface Cover {
  glob: string;
  /** Whether some channel matched by the user pattern is matched by this cover. */
  overlaps(tokens: GlobTokens): boolean;
}

const escapeLiteral = (text: string) => text.replace(/[*?[\]\\]/g, (character) => `\\${character}`);
const escapeClassItem = (character: string) => (/[A-Za-z0-9]/.test(character) ? character : `\\${character}`);

interface TrieNode {
  children: Map<string, TrieNode>;
  /** This exact name is reserved. */
  exact: boolean;
  /** Every name from here down is reserved. */
  prefix: boolean;
}

/**
 * The covers: for each node of the trie of reserved names (path `p`, next bytes `C`), `p[^C]*`
 * (names that leave the reserved names after `p`) and `p` itself when `p` is not reserved; nothing
 * below a reserved prefix. Together they match every name that is not reserved, and nothing else.
 */
export function reservedComplementCovers(exact: readonly string[], prefixes: readonly string[]): Cover[] {
  const root: TrieNode = { children: new Map(), exact: false, prefix: false };
  const insert = (name: string, kind: 'exact' | 'prefix') => {
    let node = root;
    for (const character of name) {
      let next = node.children.get(character);
      if (!next) {
        next = { children: new Map(), exact: false, prefix: false };
        node.children.set(character, next);
      }
      node = next;
    }
    node[kind] = true;
  };
  for (const name of exact) insert(name, 'exact');
  for (const name of prefixes) insert(name, 'prefix');

  const covers: Cover[] = [];
  const walk = (node: TrieNode, path: string) => {
    if (node.prefix) return;
    if (path !== '' && !node.exact) {
      covers.push({ glob: escapeLiteral(path), overlaps: (tokens) => globMatches(tokens, path) });
    }
    const excluded = [...node.children.keys()];
    const pathBytes = Buffer.from(path, 'utf8');
    const excludedBytes = new Set(excluded.map((character) => Buffer.from(character, 'utf8')[0]!));
    covers.push({
      glob: excluded.length === 0 ? `${escapeLiteral(path)}?*` : `${escapeLiteral(path)}[^${excluded.map(escapeClassItem).join('')}]*`,
      overlaps: (tokens) => {
        // Most patterns cannot even start with the path: one run rules the cover out.
        if (!globMayMatchPrefixBytes(tokens, pathBytes)) return false;
        const probe = Buffer.alloc(pathBytes.length + 1);
        pathBytes.copy(probe);
        for (let byte = 1; byte < 256; byte++) {
          if (excludedBytes.has(byte)) continue;
          probe[pathBytes.length] = byte;
          if (globMayMatchPrefixBytes(tokens, probe)) return true;
        }
        return false;
      },
    });
    for (const [character, child] of node.children) walk(child, path + character);
  };
  walk(root, '');
  return covers;
}

interface UserPattern {
  pattern: string;
  tokens: GlobTokens;
  listeners: Set<PubSubListener>;
  /** The listeners' `onGap`: told once per restore, however many of its covers it spans. */
  gapHandlers: Map<PubSubListener, (gap: PubSubGap) => void>;
  lastGapUntil: number;
  covers: string[];
  ready: Promise<unknown>;
}

interface CoverEntry {
  patterns: Set<UserPattern>;
  /** The hub subscription: resolves with its remover once Redis confirmed the PSUBSCRIBE. */
  removal: Promise<() => void>;
}

/** Builds the router on the process's pub/sub hub. Subscribes to nothing until a pattern comes. */
export function createPatternRouter(options: PatternRouterOptions): PatternRouter {
  const { hub, logger } = options;
  const covers = reservedComplementCovers(RESERVED_EXACT_CHANNELS, RESERVED_CHANNEL_PREFIXES);
  const patterns = new Map<string, UserPattern>();
  const coverEntries = new Map<string, CoverEntry>();
  /** owner -> pattern -> subscriptions. */
  const owners = new Map<string, Map<string, number>>();

  const refuse = (message: string, setting: string, limit: number) =>
    new AppError(ErrorCode.RateLimited, message, { limit, setting });

  function deliver(entry: CoverEntry, channel: string, payload: string): void {
    // Defence in depth: covers never match reserved channels; check anyway.
    if (isReservedChannel(channel)) return;
    const name = Buffer.from(channel, 'utf8');
    for (const userPattern of entry.patterns) {
      if (!globMatchesBytes(userPattern.tokens, name)) continue;
      for (const listener of userPattern.listeners) {
        try {
          listener({ channel, payload });
        } catch (error) {
          logger.error({ err: error, channel }, 'pattern listener failed');
        }
      }
    }
  }

  function joinCover(glob: string, userPattern: UserPattern): Promise<unknown> {
    let entry = coverEntries.get(glob);
    if (!entry) {
      const created: CoverEntry = { patterns: new Set(), removal: Promise.resolve(() => undefined) };
      created.removal = hub.subscribe({ kind: 'pattern', pattern: glob }, ({ channel, payload }) => deliver(created, channel, payload), {
        onGap: (gap) => {
          for (const userPattern of created.patterns) {
            if (userPattern.lastGapUntil === gap.until) continue;
            userPattern.lastGapUntil = gap.until;
            for (const onGap of userPattern.gapHandlers.values()) onGap(gap);
          }
        },
      });
      created.removal.catch(() => {
        if (coverEntries.get(glob) === created) coverEntries.delete(glob);
      });
      coverEntries.set(glob, created);
      entry = created;
    }
    entry.patterns.add(userPattern);
    return entry.removal;
  }

  function leaveCover(glob: string, userPattern: UserPattern): void {
    const entry = coverEntries.get(glob);
    if (!entry) return;
    entry.patterns.delete(userPattern);
    if (entry.patterns.size > 0) return;
    coverEntries.delete(glob);
    entry.removal.then((remove) => remove(), () => undefined);
  }

  function forget(userPattern: UserPattern): void {
    if (patterns.get(userPattern.pattern) !== userPattern) return;
    patterns.delete(userPattern.pattern);
    for (const glob of userPattern.covers) leaveCover(glob, userPattern);
  }

  function release(owner: string, pattern: string): void {
    const held = owners.get(owner);
    const count = (held?.get(pattern) ?? 1) - 1;
    if (!held) return;
    if (count > 0) held.set(pattern, count);
    else held.delete(pattern);
    if (held.size === 0) owners.delete(owner);
  }

  function checkRoom(pattern: string, owner: string): void {
    const held = owners.get(owner);
    if (held && !held.has(pattern) && options.maxPatternsPerUser > 0 && held.size >= options.maxPatternsPerUser) {
      throw refuse(
        `Too many patterns: at most ${options.maxPatternsPerUser} distinct patterns per user at once (MAX_PATTERNS_PER_USER); complete some first.`,
        'MAX_PATTERNS_PER_USER',
        options.maxPatternsPerUser,
      );
    }
    if (!patterns.has(pattern) && options.maxPatternsPerProcess > 0 && patterns.size >= options.maxPatternsPerProcess) {
      throw refuse(
        `This server follows as many distinct patterns as it may (${options.maxPatternsPerProcess}, MAX_PATTERNS_PER_PROCESS); try a pattern already in use, or later.`,
        'MAX_PATTERNS_PER_PROCESS',
        options.maxPatternsPerProcess,
      );
    }
  }

  return {
    checkRoom,
    async subscribe(pattern, owner, listener, subscribeOptions = {}) {
      checkRoom(pattern, owner);
      const held = owners.get(owner) ?? new Map<string, number>();
      let userPattern = patterns.get(pattern);
      if (!userPattern) {
        const tokens = parseGlob(pattern);
        const created: UserPattern = { pattern, tokens, listeners: new Set(), gapHandlers: new Map(), lastGapUntil: 0, covers: covers.filter((cover) => cover.overlaps(tokens)).map((cover) => cover.glob), ready: Promise.resolve() };
        created.ready = Promise.all(created.covers.map((glob) => joinCover(glob, created)));
        patterns.set(pattern, created);
        userPattern = created;
      }
      held.set(pattern, (held.get(pattern) ?? 0) + 1);
      owners.set(owner, held);
      const current = userPattern;
      current.listeners.add(listener);
      if (subscribeOptions.onGap) current.gapHandlers.set(listener, subscribeOptions.onGap);
      try {
        await current.ready;
      } catch (error) {
        current.listeners.delete(listener);
        current.gapHandlers.delete(listener);
        release(owner, pattern);
        if (current.listeners.size === 0) forget(current);
        throw error;
      }
      let removed = false;
      return () => {
        if (removed) return;
        removed = true;
        current.listeners.delete(listener);
        current.gapHandlers.delete(listener);
        release(owner, pattern);
        if (current.listeners.size === 0) forget(current);
      };
    },
    stats: () => ({ patterns: patterns.size, covers: coverEntries.size }),
  };
}
