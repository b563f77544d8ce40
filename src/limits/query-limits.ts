import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { createComplexityRule } from '@pothos/plugin-complexity';
import { BREAK, type DocumentNode, type ExecutionArgs, type ExecutionResult, GraphQLError, type ValidationContext, validate, visit } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import { AppError, ErrorCode } from '../errors/app-error.js';

/** The settings {@link useQueryLimits} reads. */
export type QueryLimitSettings = Pick<
  Config,
  'maxQueryDepth' | 'maxQueryAliases' | 'maxQueryTokens' | 'maxQueryDirectives' | 'maxQueryCost' | 'maxVariableDepth' | 'maxResponseBytes'
>;

/**
 * Every refusal of a limit is a client error: HTTP 400 whatever the request's Accept header. Yoga
 * answers 200 to `Accept: application/json` for errors it marks as the spec's request errors (parse
 * and validation failures), so the status is also set on the whole result (see `onResultProcess`).
 */
const LIMIT_CODES: ReadonlySet<unknown> = new Set([ErrorCode.QueryTooComplex, ErrorCode.ResponseTooLarge]);
const http400 = () => ({ http: { status: 400 } });

/**
 * The error of a refused operation: QUERY_TOO_COMPLEX, naming the setting, its value and what the
 * operation has (when known).
 */
export function queryLimitError(setting: string, what: string, max: number, found?: number): AppError {
  const over = found === undefined ? `more than ${max}` : `${found}, over the limit of ${max}`;
  return new AppError(ErrorCode.QueryTooComplex, `The operation has too many ${what}: ${over} (${setting}).`, {
    limit: setting,
    max,
    ...(found === undefined ? {} : { found }),
  });
}

/** armor's rules report `... limit of N exceeded, found M.`; this reads M back. */
function foundIn(error: GraphQLError): number | undefined {
  const match = /found (\d+)/.exec(error.message);
  return match ? Number(match[1]) : undefined;
}

/** An armor rule's rejection, reported as ours instead of armor's "Syntax Error: ...". */
const reject =
  (setting: string, what: string, max: number) =>
  (context: ValidationContext | null, error: GraphQLError): void => {
    context?.reportError(queryLimitError(setting, what, max, foundIn(error)));
  };

/**
 * How deeply arrays and objects nest in `value`, up to `limit + 1` (it stops looking there).
 * Iterative, so that a hostile value cannot overflow the stack while being measured.
 */
export function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (typeof child === 'object' && child !== null) stack.push([child, level]);
    }
  }
  return deepest;
}

/**
 * About how many bytes `value` takes as JSON, counting up to `limit` and stopping there: a cap
 * checked without building the string (a 241 MB response would otherwise be built first, and
 * past 512 MB V8 cannot build it at all). Strings count their UTF-16 length plus quotes, which
 * is exact for ASCII text without escapes.
 */
export function approximateJsonBytes(value: unknown, limit: number): number {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current === 'string') total += current.length + 3;
    else if (typeof current === 'number' || typeof current === 'boolean') total += 6;
    else if (current === null || current === undefined) total += 5;
    else if (Array.isArray(current)) {
      total += 2 + current.length;
      for (const item of current) stack.push(item);
    } else if (typeof current === 'object') {
      if (typeof (current as { toJSON?: unknown }).toJSON === 'function') {
        total += JSON.stringify(current)?.length ?? 0;
        continue;
      }
      for (const [key, item] of Object.entries(current)) {
        total += key.length + 4;
        stack.push(item);
      }
      total += 2;
    } else total += 8;
    if (total > limit) return total;
  }
  return total;
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

/** Arguments whose value sets a list's size in the cost estimate (see query-cost.ts). */
const SIZE_ARGUMENTS = new Set(['first', 'last', 'ids']);

/** Whether a variable gives the value of `first`, `last` or `ids` somewhere in the document. */
function sizeDependsOnVariables(document: DocumentNode): boolean {
  let depends = false;
  visit(document, {
    Argument(node) {
      if (!SIZE_ARGUMENTS.has(node.name.value)) return false;
      visit(node.value, {
        Variable() {
          depends = true;
          return BREAK;
        },
      });
      return depends ? BREAK : false;
    },
  });
  return depends;
}

/**
 * Costs of documents whose cost does not depend on their variables, by operation name: yoga
 * caches parsed documents, so a document sent again is the same object and costs nothing to check.
 */
const staticCosts = new WeakMap<DocumentNode, Map<string | null, number | null>>();
const dynamicDocuments = new WeakSet<DocumentNode>();

function costOf(args: ExecutionArgs, variables: Record<string, unknown>): number | null {
  const document = args.document as DocumentNode;
  const operationName = args.operationName ?? null;
  const cached = staticCosts.get(document)?.get(operationName);
  if (cached !== undefined) return cached;
  let cost: number | null = null;
  const errors = validate(args.schema, document, [
    createComplexityRule({
      context: args.contextValue as object,
      variableValues: variables,
      operationName,
      onResult: (result) => {
        cost = result.complexity;
      },
    }),
  ]);
  // Variables that do not coerce (or an unknown operation) are the executor's to report.
  if (errors.length > 0) return null;
  if (!dynamicDocuments.has(document)) {
    if (sizeDependsOnVariables(document)) dynamicDocuments.add(document);
    else {
      const byName = staticCosts.get(document) ?? new Map<string | null, number | null>();
      byName.set(operationName, cost);
      staticCosts.set(document, byName);
    }
  }
  return cost;
}

/**
 * Checks what must be known before an operation runs: the nesting of its variables, then its
 * cost estimate with those variables. Returns the refusal, or null to run it.
 */
function checkBeforeExecution(args: ExecutionArgs, settings: QueryLimitSettings): GraphQLError | null {
  const variables = (args.variableValues ?? {}) as Record<string, unknown>;
  const depth = nestingDepth(variables, settings.maxVariableDepth + 1);
  // The variables object itself is one level.
  if (depth - 1 > settings.maxVariableDepth) {
    return queryLimitError('MAX_VARIABLE_DEPTH', 'levels of nesting in its variables', settings.maxVariableDepth, depth - 1 > settings.maxVariableDepth + 1 ? undefined : depth - 1);
  }
  const cost = costOf(args, variables);
  if (cost === null) return null;
  if (cost > settings.maxQueryCost) return queryLimitError('MAX_QUERY_COST', 'items for its cost estimate', settings.maxQueryCost, cost);
  return null;
}

/**
 * Limits on what one operation may ask for, checked before it runs, over HTTP, SSE and WebSocket
 * alike (the WebSocket transport runs operations through `yoga.getEnveloped`, so these hooks apply):
 * - while parsing: MAX_QUERY_TOKENS (graphql-armor's token-counting parser), and a document nested
 *   too deeply for the parser's recursion is refused, not a 500;
 * - at validation (document only, so yoga's validation cache stays correct): MAX_QUERY_ALIASES,
 *   MAX_QUERY_DEPTH and MAX_QUERY_DIRECTIVES (graphql-armor);
 * - before execution (they need the variables): MAX_VARIABLE_DEPTH, and MAX_QUERY_COST with Pothos'
 *   complexity rule (see query-cost.ts for why that one);
 * - after a query or mutation ran: MAX_RESPONSE_BYTES, measured without building the JSON.
 * Each refusal is QUERY_TOO_COMPLEX (RESPONSE_TOO_LARGE for the last) with HTTP status 400.
 */
export function useQueryLimits(settings: QueryLimitSettings): Plugin[] {
  const armor = EnvelopArmorPlugin({
    maxTokens: { n: settings.maxQueryTokens },
    maxAliases: {
      n: settings.maxQueryAliases,
      propagateOnRejection: false,
      onReject: [reject('MAX_QUERY_ALIASES', 'aliases', settings.maxQueryAliases)],
    },
    maxDepth: {
      n: settings.maxQueryDepth,
      propagateOnRejection: false,
      onReject: [reject('MAX_QUERY_DEPTH', 'levels of nested fields', settings.maxQueryDepth)],
    },
    maxDirectives: {
      n: settings.maxQueryDirectives,
      propagateOnRejection: false,
      onReject: [reject('MAX_QUERY_DIRECTIVES', 'directives', settings.maxQueryDirectives)],
    },
    // Cost is weighed with the variables, before execution (below).
    costLimit: { enabled: false },
    // Unchanged behaviour: GraphQL's "Did you mean ...?" hints stay.
    blockFieldSuggestion: { enabled: false },
  }) as Plugin;

  const limits: Plugin = {
    onParse: () => ({ result, replaceParseResult }) => {
      if (result instanceof GraphQLError && /Token limit of \d+ exceeded/.test(result.message)) {
        replaceParseResult(queryLimitError('MAX_QUERY_TOKENS', 'tokens', settings.maxQueryTokens));
      } else if (result instanceof RangeError) {
        // Nested so deeply that the parser's recursion ran out of stack: the client's doing.
        replaceParseResult(queryLimitError('MAX_QUERY_DEPTH', 'levels of nesting to parse', settings.maxQueryDepth));
      }
    },
    onExecute: ({ args, setResultAndStopExecution }) => {
      const refusal = checkBeforeExecution(args, settings);
      if (refusal) {
        setResultAndStopExecution({ errors: [refusal] });
        return;
      }
      return {
        onExecuteDone: ({ result, setResult }) => {
          if (isAsyncIterable(result)) return;
          const bytes = approximateJsonBytes(result, settings.maxResponseBytes);
          if (bytes > settings.maxResponseBytes) {
            setResult({
              errors: [
                new AppError(
                  ErrorCode.ResponseTooLarge,
                  `The response would be more than ${settings.maxResponseBytes} bytes (MAX_RESPONSE_BYTES); ask for smaller pages or fewer aliases.`,
                  { limit: 'MAX_RESPONSE_BYTES', max: settings.maxResponseBytes },
                ),
              ],
            });
          }
        },
      };
    },
    onSubscribe: ({ args, setResultAndStopExecution }) => {
      const refusal = checkBeforeExecution(args, settings);
      if (refusal) setResultAndStopExecution({ errors: [refusal] });
    },
    onResultProcess: ({ result, setResult }) => {
      if (Array.isArray(result) || isAsyncIterable(result)) return;
      const single = result as ExecutionResult;
      if (!single.errors?.some((error) => LIMIT_CODES.has(error.extensions?.code))) return;
      // Yoga reads the result's own `extensions.http` first and strips it from the body.
      setResult({ ...single, extensions: { ...single.extensions, ...http400() } });
    },
  };
  return [armor, limits];
}
