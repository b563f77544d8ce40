import { AppError, ErrorCode } from '../errors/app-error.js';

/**
 * Caps how many operations of one kind one owner (a user id) runs at once in this process, so
 * that one user holding the maximum leaves room for everybody else. In-process on purpose: what it
 * protects (blocking connections, readers) is per process too.
 */
export interface ConcurrencyLimiter {
  /**
   * Takes one slot for `owner`. Returns its release (idempotent: a second call does nothing).
   * @throws AppError RATE_LIMITED, naming the limit, when `owner` already holds `limit` slots.
   */
  acquire(owner: string): () => void;
  /** Slots `owner` holds now (for tests and metrics). */
  held(owner: string): number;
}

/** Options of {@link createConcurrencyLimiter}. */
export interface ConcurrencyLimiterOptions {
  /** Most slots one owner may hold at once; 0 turns the cap off. */
  limit: number;
  /** What is limited, for the error message: e.g. "blocking operations". */
  what: string;
  /** The setting that changes the limit, for the error message: e.g. "MAX_BLOCKING_OPERATIONS_PER_USER". */
  setting: string;
}

export function createConcurrencyLimiter(options: ConcurrencyLimiterOptions): ConcurrencyLimiter {
  const { limit, what, setting } = options;
  const counts = new Map<string, number>();
  return {
    acquire(owner) {
      const current = counts.get(owner) ?? 0;
      if (limit > 0 && current >= limit) {
        throw new AppError(
          ErrorCode.RateLimited,
          `Too many concurrent ${what}: at most ${limit} per user at once (${setting}); wait for one to end.`,
          { limit, setting },
        );
      }
      counts.set(owner, current + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (counts.get(owner) ?? 1) - 1;
        if (left <= 0) counts.delete(owner);
        else counts.set(owner, left);
      };
    },
    held: (owner) => counts.get(owner) ?? 0,
  };
}
