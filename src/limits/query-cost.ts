import type { FieldComplexityValue } from '@pothos/plugin-complexity';
import { type GraphQLField, getNullableType, isListType } from 'graphql';
import type { Config } from '../config.js';

/**
 * What the cost estimate reads of a request's context (the GraphQL context is one): the
 * configured page size of `messages`; without `services` the default of 100 applies.
 */
export interface CostContext {
  services?: { config: Pick<Config, 'messagesPageMax'> };
}

/**
 * What one selected field costs in the query cost estimate (MAX_QUERY_COST), and by how much its
 * sub-selection is multiplied: the number of items the field may return.
 *
 * Why Pothos' complexity plugin and not graphql-armor's cost limit: armor's `costLimit` only reads
 * `first`/`last` when they are literals in the document (`events(last: $n)` would cost 1 item), knows
 * nothing of `ids` lists or of a field's default page size, and weighs every nested list again (a
 * connection's `edges` would multiply its page size once more). Pothos' rule runs with the request's
 * coerced variables and lets us say, per field, how many items it returns. armor still does the
 * document-only limits (aliases, depth, tokens, directives), which need no variables.
 */
export function fieldComplexity<C extends CostContext>(args: Record<string, unknown>, context: C, field: GraphQLField<unknown, C>): FieldComplexityValue {
  const count = listSize(args, context, field);
  return count === null ? FIELD_COST : { field: FIELD_COST, multiplier: count };
}

/** Every selected field costs this much, scalars included. */
const FIELD_COST = 1;
/** Items a list field without page arguments is assumed to return (Pothos' own default). */
export const DEFAULT_LIST_SIZE = 10;
/** Items a paged field returns when neither `first` nor `last` is given. */
const DEFAULT_PAGE_SIZES: Record<string, (context: CostContext) => number> = {
  'Query.events': () => 50,
  'Query.messages': (context) => context.services?.config.messagesPageMax ?? 100,
  'Query.deadJobs': () => 20,
};
/** The most items a paged field returns: a larger `first`/`last` is refused by the field itself (BAD_USER_INPUT). */
const PAGE_MAXIMA: Record<string, (context: CostContext) => number> = {
  'Query.events': () => 1000,
  'Query.messages': (context) => context.services?.config.messagesPageMax ?? 100,
  'Query.deadJobs': () => 100,
  'Query.users': () => 100,
};
/** Paged fields not in the table above are assumed to return this many items by default. */
const UNKNOWN_PAGE_SIZE = 100;
/** Lists that belong to a connection whose page size already multiplied them. */
const CONNECTION_LISTS = new Set(['edges', 'nodes']);

const asCount = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? Math.max(0, Math.floor(value)) : null);

function listSize<C extends CostContext>(args: Record<string, unknown>, context: C, field: GraphQLField<unknown, C>): number | null {
  const coordinate = `${fieldOwner(field)}.${field.name}`;
  const maximum = PAGE_MAXIMA[coordinate]?.(context) ?? Number.POSITIVE_INFINITY;
  const first = asCount(args.first);
  const last = asCount(args.last);
  if (first !== null || last !== null) return Math.min(maximum, Math.max(first ?? 0, last ?? 0));
  if (Array.isArray(args.ids)) return Math.min(maximum, args.ids.length);
  const names = field.args.map((arg) => arg.name);
  if (names.includes('first') || names.includes('last')) return DEFAULT_PAGE_SIZES[coordinate]?.(context) ?? UNKNOWN_PAGE_SIZE;
  if (!isListType(getNullableType(field.type))) return null;
  return CONNECTION_LISTS.has(field.name) ? 1 : DEFAULT_LIST_SIZE;
}

/** Pothos gives the field config no parent type; root fields are what the table names. */
function fieldOwner<C>(field: GraphQLField<unknown, C>): string {
  return (field.extensions as { pothosOptions?: unknown; pothosConfig?: { parentType?: string } } | undefined)?.pothosConfig?.parentType ?? 'Query';
}
