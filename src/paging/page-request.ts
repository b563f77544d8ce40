import { badInput } from '../errors/app-error.js';

/** Relay's PageInfo, shared by every connection type. */
export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/** The four Relay arguments as GraphQL hands them over. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/**
 * A validated page request. `forward`: the `count` items after `after` (or from the start);
 * `backward`: the `count` items before `before` (or up to the end). Either way the page is
 * returned in list order (oldest first).
 */
export interface PageRequest {
  direction: 'forward' | 'backward';
  count: number;
  after: string | null;
  before: string | null;
}

/**
 * Checks Relay arguments. `first` and `last` may not be combined; each must be 0 to `maxSize`.
 * With neither, `defaultSize` items are taken in `defaultDirection`.
 * @throws AppError BAD_USER_INPUT naming the argument at fault.
 */
export function parsePageArgs(
  args: PageArgs,
  options: { maxSize: number; defaultSize: number; defaultDirection: 'forward' | 'backward' },
): PageRequest {
  const { first, last } = args;
  if (first != null && last != null) throw badInput('Pass either "first" or "last", not both.', 'first');
  for (const [name, value] of [
    ['first', first],
    ['last', last],
  ] as const) {
    if (value != null && (value < 0 || value > options.maxSize)) {
      throw badInput(`"${name}" must be between 0 and ${options.maxSize}; got ${value}.`, name);
    }
  }
  const direction = first != null ? 'forward' : last != null ? 'backward' : options.defaultDirection;
  return { direction, count: first ?? last ?? options.defaultSize, after: args.after ?? null, before: args.before ?? null };
}
