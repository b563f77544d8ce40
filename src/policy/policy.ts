import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { type GlobTokens, GlobSyntaxError, parseGlob } from '../redis/glob.js';
import { ACTIONS_BY_KIND, ALL_ACTIONS, type Action, OPERATIONS_ACTIONS, RESOURCE_KINDS, type ResourceKind } from './actions.js';

/** The placeholder a rule's name pattern may hold: the caller's user id. */
export const USER_ID_PLACEHOLDER = '{userId}';
/** Matches every resource kind, role or action in a rule. */
export const ANY = '*';

/** One rule of a policy, as written in the file. */
export interface PolicyRule {
  /** Free text shown in FORBIDDEN messages of deny rules and in logs. */
  description?: string;
  /** The kinds of resource it covers, or `*` for all. */
  resources: readonly ResourceKind[] | typeof ANY;
  /** Redis globs of the names it covers; `{userId}` stands for the caller's user id. */
  names: readonly string[];
  /** Roles it applies to (a caller with any of them), or `*` for every signed-in caller. */
  roles: readonly string[] | typeof ANY;
  /** Actions it covers, or `*` for every action of its resources. */
  actions: readonly Action[] | typeof ANY;
  /** `allow` (the default) or `deny`. */
  effect: 'allow' | 'deny';
}

/** How consumer names of stream consumer groups are bound to their callers. */
export interface ConsumerPolicy {
  /**
   * When true, the first caller to read as a consumer name of a group owns that name: nobody else
   * may read as it (and so take over its pending entries). Default true.
   */
  bindToCaller: boolean;
  /** Roles that may read as any consumer name (trusted backends). Default `service`, `admin`. */
  exemptRoles: readonly string[];
}

/**
 * Which roles may do which actions on which names. Rules are tried in order; the first rule that
 * covers the resource kind, the action, one of the caller's roles and the name decides. When none
 * does, the action is denied.
 */
export interface Policy {
  rules: readonly PolicyRule[];
  consumers: ConsumerPolicy;
  /** Where it came from, for messages: a file path or "the default policy". */
  source: string;
}

/** A rule with its name patterns ready to match (those without `{userId}` parsed once). */
export interface CompiledRule extends PolicyRule {
  index: number;
  patterns: ReadonlyArray<{ template: string; hasPlaceholder: boolean; tokens: GlobTokens | null }>;
}

/** Thrown when a policy is invalid; `problems` has one line per mistake. */
export class PolicyError extends Error {
  override name = 'PolicyError';
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`Invalid policy (${source}):\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
  }
}

const list = <T extends z.ZodType>(item: T) => z.union([z.literal(ANY), z.array(item).min(1, { message: `expected a non-empty list, or "${ANY}"` })]);

const ruleSchema = z
  .object({
    description: z.string().optional(),
    resources: list(z.enum(RESOURCE_KINDS, { message: `expected one of ${RESOURCE_KINDS.join(', ')}` })),
    names: z
      .array(z.string().min(1, { message: 'expected a non-empty name pattern' }), { message: 'expected a list of name patterns' })
      .min(1, { message: 'expected a non-empty list of name patterns' }),
    roles: list(z.string().min(1, { message: 'expected a non-empty role name' })),
    actions: list(z.enum(ALL_ACTIONS as [Action, ...Action[]], { message: `expected one of ${ALL_ACTIONS.join(', ')}` })),
    effect: z.enum(['allow', 'deny'], { message: 'expected "allow" or "deny"' }).default('allow'),
  })
  .strict();

const policySchema = z
  .object({
    rules: z.array(ruleSchema, { message: 'expected a list of rules' }),
    consumers: z
      .object({
        bindToCaller: z.boolean({ message: 'expected true or false' }).default(true),
        exemptRoles: z.array(z.string().min(1)).default(['service', 'admin']),
      })
      .strict()
      .default({ bindToCaller: true, exemptRoles: ['service', 'admin'] }),
  })
  .strict();

/** `rules[2].actions[0]` from a zod path. */
function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part)), '');
}

/** The mistakes zod does not see: globs that do not parse, actions that fit none of the rule's resources. */
function semanticProblems(rules: ReadonlyArray<z.infer<typeof ruleSchema>>): string[] {
  const problems: string[] = [];
  rules.forEach((rule, index) => {
    rule.names.forEach((name, i) => {
      try {
        parseGlob(name.split(USER_ID_PLACEHOLDER).join('0'));
      } catch (error) {
        if (!(error instanceof GlobSyntaxError)) throw error;
        problems.push(`rules[${index}].names[${i}]: ${JSON.stringify(name)} is not a valid Redis glob: ${error.message}`);
      }
    });
    if (rule.actions === ANY) return;
    const kinds = rule.resources === ANY ? RESOURCE_KINDS : rule.resources;
    rule.actions.forEach((action, i) => {
      if (!kinds.some((kind) => (ACTIONS_BY_KIND[kind] as readonly string[]).includes(action))) {
        const fits = RESOURCE_KINDS.filter((kind) => (ACTIONS_BY_KIND[kind] as readonly string[]).includes(action));
        problems.push(`rules[${index}].actions[${i}]: "${action}" is not an action of ${kinds.join(' or ')} (it is one of ${fits.join(', ')})`);
      }
    });
  });
  return problems;
}

/**
 * Checks a policy document (already parsed from JSON or YAML).
 * @throws PolicyError with one line per mistake.
 */
export function parsePolicy(document: unknown, source: string): Policy {
  const parsed = policySchema.safeParse(document);
  if (!parsed.success) {
    // A `"*"`-or-list field fails as a union: report what is wrong with the list, which is what was meant.
    const flatten = (issues: readonly z.core.$ZodIssue[], prefix: ReadonlyArray<PropertyKey>): Array<z.core.$ZodIssue & { fullPath: PropertyKey[] }> =>
      issues.flatMap((issue) => {
        const fullPath = [...prefix, ...issue.path];
        if (issue.code === 'invalid_union' && issue.errors.length > 0) {
          // The list branch's own complaints, unless it complains that the value is no list at all.
          const branch = issue.errors.at(-1)!;
          if (branch.length > 0 && !branch.some((inner) => inner.path.length === 0 && inner.code === 'invalid_type')) return flatten(branch, fullPath);
          return [{ ...issue, message: `expected a list, or "${ANY}"`, fullPath }];
        }
        return [{ ...issue, fullPath }];
      });
    const problems = flatten(parsed.error.issues, []).map((issue) => {
      const where = formatPath(issue.fullPath);
      if (issue.code === 'unrecognized_keys') return `${where ? `${where}: ` : ''}unknown ${issue.keys.length > 1 ? 'keys' : 'key'} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`;
      return `${where || 'policy'}: ${issue.message}`;
    });
    throw new PolicyError(source, problems);
  }
  const problems = semanticProblems(parsed.data.rules);
  if (problems.length > 0) throw new PolicyError(source, problems);
  return { rules: parsed.data.rules, consumers: parsed.data.consumers, source };
}

/**
 * Reads and checks the policy file named by POLICY_FILE: YAML (`.yaml`, `.yml`) or JSON (any
 * other name; YAML is a superset, so JSON parses either way).
 * @throws PolicyError when it cannot be read, does not parse, or is invalid.
 */
export function loadPolicyFile(path: string): Policy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PolicyError(path, [`cannot read the file: ${(error as Error).message}`]);
  }
  let document: unknown;
  try {
    document = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new PolicyError(path, [`not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${(error as Error).message.split('\n')[0]}`]);
  }
  return parsePolicy(document, path);
}

/** Prepares a policy's rules for matching. */
export function compileRules(policy: Policy): CompiledRule[] {
  return policy.rules.map((rule, index) => ({
    ...rule,
    index,
    patterns: rule.names.map((template) => {
      const hasPlaceholder = template.includes(USER_ID_PLACEHOLDER);
      return { template, hasPlaceholder, tokens: hasPlaceholder ? null : parseGlob(template) };
    }),
  }));
}

/**
 * The policy used when POLICY_FILE is not set. The operations actions (`inspect`, `retryDead`,
 * `purgeDead`: streamInfo, channels, retryDeadJobs, purgeDeadJobs) are for `admin` only, on every
 * name. Names under `private.{userId}.` belong to that
 * user; `service` and `admin` may use every name; pausing and rate-limiting queues is for `service` and `admin`;
 * everything else is open to every signed-in caller (the last rule: replace it to lock down).
 */
export const DEFAULT_POLICY: Policy = parsePolicy(
  {
    rules: [
      { description: 'operations insight and dead-letter replay are for admins', resources: ANY, names: ['*'], roles: ['admin'], actions: [...OPERATIONS_ACTIONS] },
      { description: 'operations insight and dead-letter replay are for admins', resources: ANY, names: ['*'], roles: ANY, actions: [...OPERATIONS_ACTIONS], effect: 'deny' },
      {
        description: "a user's own private names",
        resources: ANY,
        names: [`private.${USER_ID_PLACEHOLDER}.*`],
        roles: ANY,
        actions: ANY,
      },
      { description: 'backends and admins may use every name', resources: ANY, names: ['*'], roles: ['service', 'admin'], actions: ANY },
      {
        description: "names under private.<id>. belong to the user with that id",
        resources: ANY,
        names: ['private.*'],
        roles: ANY,
        actions: ANY,
        effect: 'deny',
      },
      {
        description: 'pausing, resuming and rate-limiting queues is for services and admins',
        resources: ['queue'],
        names: ['*'],
        roles: ANY,
        actions: ['pause', 'resume', 'rateLimit'],
        effect: 'deny',
      },
      { description: 'everything else is open to every signed-in caller', resources: ANY, names: ['*'], roles: ANY, actions: ANY },
    ],
  },
  'the default policy',
);
