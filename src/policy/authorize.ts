import { AppError, ErrorCode, unauthenticated } from '../errors/app-error.js';
import { type GlobTokens, escapeGlob, globIsSubset, globMatches, globsIntersect, parseGlob } from '../redis/glob.js';
import type { Action, ActionOf, ResourceKind } from './actions.js';
import { ANY, type CompiledRule, type Policy, USER_ID_PLACEHOLDER, compileRules } from './policy.js';
import type { PolicyRequest } from './services.js';

/** Who is asking: the user id `{userId}` stands for, and the caller's roles. */
export interface Caller {
  userId: string;
  roles: readonly string[];
}

/** The answer to one question put to the policy. */
export type Decision = { allowed: true } | { allowed: false; reason: string };

/** A compiled policy. */
export interface PolicyEngine {
  readonly policy: Policy;
  /** May `caller` do `action` on the resource of this kind and name? */
  check(caller: Caller, kind: ResourceKind, action: Action, name: string): Decision;
  /**
   * May `caller` subscribe to a channel pattern? Only when the `pattern` rules allow the pattern
   * itself and every channel it can match is granted `subscribe` (proven on the patterns'
   * automata; what cannot be proven is refused).
   */
  checkPattern(caller: Caller, pattern: string): Decision;
  /** Whether `checkPattern` has this answer remembered (it then costs a map look-up). */
  hasPatternDecision(caller: Caller, pattern: string): boolean;
}

/** Parsed globs of `{userId}` rules per user, so that each is parsed once per user, not per call. */
const PLACEHOLDER_CACHE_MAX = 10_000;
/** Pattern decisions remembered per engine (oldest dropped first). */
const PATTERN_CACHE_MAX = 10_000;

const RESOURCE_WORDS: Record<ResourceKind, string> = {
  channel: 'channel',
  pattern: 'channel pattern',
  stream: 'stream',
  group: 'consumer group',
  queue: 'queue',
};

/** Builds the engine of a policy: rules are compiled once. */
export function createPolicyEngine(policy: Policy): PolicyEngine {
  const rules = compileRules(policy);
  const placeholderCache = new Map<string, GlobTokens>();
  const patternCache = new Map<string, Decision>();

  const tokensFor = (pattern: CompiledRule['patterns'][number], userId: string): GlobTokens => {
    if (pattern.tokens) return pattern.tokens;
    const key = `${pattern.template}\u0000${userId}`;
    let tokens = placeholderCache.get(key);
    if (!tokens) {
      tokens = parseGlob(pattern.template.split(USER_ID_PLACEHOLDER).join(escapeGlob(userId)));
      if (placeholderCache.size >= PLACEHOLDER_CACHE_MAX) placeholderCache.clear();
      placeholderCache.set(key, tokens);
    }
    return tokens;
  };

  const applies = (rule: CompiledRule, caller: Caller, kind: ResourceKind, action: Action) =>
    (rule.resources === ANY || rule.resources.includes(kind)) &&
    (rule.actions === ANY || rule.actions.includes(action)) &&
    (rule.roles === ANY || rule.roles.some((role) => caller.roles.includes(role)));

  const ruleName = (rule: CompiledRule) => `rule ${rule.index + 1}${rule.description ? ` (${rule.description})` : ''}`;

  const check: PolicyEngine['check'] = (caller, kind, action, name) => {
    for (const rule of rules) {
      if (!applies(rule, caller, kind, action)) continue;
      if (!rule.patterns.some((pattern) => globMatches(tokensFor(pattern, caller.userId), name))) continue;
      return rule.effect === 'allow' ? { allowed: true } : { allowed: false, reason: `denied by ${ruleName(rule)} of ${policy.source}` };
    }
    return { allowed: false, reason: `no rule of ${policy.source} allows it` };
  };

  return {
    policy,
    check,
    hasPatternDecision: (caller, pattern) => patternCache.has(patternCacheKey(caller, pattern)),
    checkPattern(caller, pattern) {
      // Proving a pattern safe can take milliseconds: remember the answers (per user id and roles).
      const cacheKey = patternCacheKey(caller, pattern);
      const cached = patternCache.get(cacheKey);
      if (cached) return cached;
      const decision = decidePattern(caller, pattern);
      if (patternCache.size >= PATTERN_CACHE_MAX) patternCache.delete(patternCache.keys().next().value!);
      patternCache.set(cacheKey, decision);
      return decision;
    },
  };

  function decidePattern(caller: Caller, pattern: string): Decision {
    const own = check(caller, 'pattern', 'subscribe', pattern);
    if (!own.allowed) return own;
    const tokens = parseGlob(pattern);
    // First rule to decide wins. A deny rule that could share a channel with the pattern refuses
    // it (some channel it matches would be denied, or was allowed only by an earlier rule that
    // covered part of it: refusing then is safe, never wrong the other way). An allow rule that
    // covers the whole pattern, with no earlier deny in the way, grants it.
    for (const rule of rules) {
      if (!applies(rule, caller, 'channel', 'subscribe')) continue;
      for (const entry of rule.patterns) {
        const ruleTokens = tokensFor(entry, caller.userId);
        if (rule.effect === 'deny' && globsIntersect(tokens, ruleTokens)) {
          return { allowed: false, reason: `it can match channels that ${ruleName(rule)} of ${policy.source} denies (${entry.template})` };
        }
        if (rule.effect === 'allow' && globIsSubset(tokens, ruleTokens)) return { allowed: true };
      }
    }
    return { allowed: false, reason: `it can match channels that no rule of ${policy.source} lets you subscribe to` };
  }
}

const patternCacheKey = (caller: Caller, pattern: string) => `${caller.userId}\u0000${caller.roles.join(',')}\u0000${pattern}`;

const engines = new WeakMap<Policy, PolicyEngine>();

/** The engine of a policy, compiled on first use and kept as long as the policy lives. */
export function policyEngineFor(policy: Policy): PolicyEngine {
  let engine = engines.get(policy);
  if (!engine) {
    engine = createPolicyEngine(policy);
    engines.set(policy, engine);
  }
  return engine;
}

/** The signed-in caller of an operation. @throws AppError UNAUTHENTICATED without one. */
export function callerOf(context: Pick<PolicyRequest, 'session'>): Caller {
  if (!context.session) throw unauthenticated();
  return context.session;
}

const ACTION_WORDS: Record<Action, string> = {
  subscribe: 'subscribe to',
  publish: 'publish on',
  readHistory: 'read the history of',
  append: 'append to',
  trim: 'trim',
  createGroup: 'create consumer groups on',
  consume: 'consume from',
  ack: 'acknowledge entries of',
  stats: 'see the stats of',
  enqueue: 'enqueue on',
  dequeue: 'dequeue from',
  deadJobs: 'see the dead jobs of',
  pause: 'pause',
  resume: 'resume',
  rateLimit: 'set the rate limit of',
  inspect: 'inspect',
  retryDead: 'retry the dead jobs of',
  purgeDead: 'purge the dead jobs of',
};

function forbidden(kind: ResourceKind, action: Action, name: string, reason: string): AppError {
  return new AppError(ErrorCode.Forbidden, `You may not ${ACTION_WORDS[action]} ${RESOURCE_WORDS[kind]} ${JSON.stringify(name)} (${action} on ${kind}): ${reason}.`, {
    action,
    resource: kind,
    name,
  });
}

/**
 * The one policy check of a field: call it with the resource kind, the action and the name
 * before anything touches Redis, e.g. `authorize(context, 'queue', 'enqueue', args.queue)`.
 * @throws AppError FORBIDDEN (with `extensions.action`, `resource`, `name`) when the policy
 * denies it, UNAUTHENTICATED when nobody is signed in.
 */
export function authorize<K extends ResourceKind>(context: PolicyRequest, kind: K, action: ActionOf<K>, name: string): void {
  const decision = policyEngineFor(context.services.config.policy).check(callerOf(context), kind, action, name);
  if (!decision.allowed) throw forbidden(kind, action, name, decision.reason);
}

/**
 * The policy check of `channelPattern`: the pattern itself, and every channel it can match.
 * @throws AppError FORBIDDEN or UNAUTHENTICATED as {@link authorize}.
 */
export function authorizePattern(context: PolicyRequest, pattern: string): void {
  const engine = policyEngineFor(context.services.config.policy);
  const caller = callerOf(context);
  if (!engine.hasPatternDecision(caller, pattern)) spendPatternProof(context, caller.userId);
  const decision = engine.checkPattern(caller, pattern);
  if (!decision.allowed) throw forbidden('pattern', 'subscribe', pattern, decision.reason);
}

/** Per instance (its services), per user: proofs of new patterns in the current minute. */
const patternProofs = new WeakMap<object, Map<string, { windowStart: number; count: number }>>();
const PROOF_WINDOW_MS = 60_000;
const PROOF_USERS_SWEEP_AT = 10_000;

/**
 * Counts one proof of a new pattern against MAX_PATTERN_CHECKS_PER_USER_PER_MINUTE: without it,
 * a user could send distinct patterns the policy refuses, each costing milliseconds of CPU and
 * holding nothing that the pattern caps count.
 * @throws AppError RATE_LIMITED, with `retryAfterSeconds`, past the limit.
 */
function spendPatternProof(context: PolicyRequest, userId: string): void {
  const limit = context.services.config.maxPatternChecksPerUserPerMinute;
  if (limit === 0) return;
  let users = patternProofs.get(context.services);
  if (!users) {
    users = new Map();
    patternProofs.set(context.services, users);
  }
  const now = Date.now();
  // Windows of users who went quiet are swept once there are many, so the map stays small.
  if (users.size > PROOF_USERS_SWEEP_AT) for (const [user, past] of users) if (now - past.windowStart >= PROOF_WINDOW_MS) users.delete(user);
  const current = users.get(userId);
  const window = current && now - current.windowStart < PROOF_WINDOW_MS ? current : { windowStart: now, count: 0 };
  if (window.count >= limit) {
    throw new AppError(
      ErrorCode.RateLimited,
      `Too many new channel patterns: at most ${limit} per minute per user (MAX_PATTERN_CHECKS_PER_USER_PER_MINUTE); patterns already checked are not counted.`,
      { limit, setting: 'MAX_PATTERN_CHECKS_PER_USER_PER_MINUTE', retryAfterSeconds: Math.max(1, Math.ceil((window.windowStart + PROOF_WINDOW_MS - now) / 1000)) },
    );
  }
  window.count++;
  users.set(userId, window);
}
