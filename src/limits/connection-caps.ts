import type { ExecutionArgs } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { AppError, ErrorCode } from '../errors/app-error.js';
import { addressBucket } from '../common/client-address.js';

/**
 * The WebSocket close code of a connection refused by a cap (graphql-ws's "too many" code). Its
 * reason names the cap and its setting. graphql-ws clients treat it as fatal: no retry storm.
 */
export const CONNECTION_CAP_CLOSE_CODE = 4429;
/** The HTTP status of an SSE (or other HTTP) subscription refused by a cap, with RATE_LIMITED. */
export const CONNECTION_CAP_HTTP_STATUS = 429;

/** Which cap refused a connection. */
export type CapKind = 'user' | 'address';

/**
 * Caps on long-lived connections, counted together for both transports, in this process: open
 * WebSockets (per address from the upgrade, per user from an accepted `connection_init` with a
 * session) and HTTP subscription streams (SSE), per user and per client address (IPv6 by /64).
 * Per instance, not across instances: N instances behind a balancer allow up to N times the caps.
 */
export interface ConnectionCaps {
  /** Takes one slot for the address; false (nothing taken) when it already holds the maximum. */
  takeAddress(address: string): boolean;
  /** Gives back a slot {@link takeAddress} took. */
  releaseAddress(address: string): void;
  /** Takes one slot for the user; false (nothing taken) when it already holds the maximum. */
  takeUser(userId: string): boolean;
  /** Gives back a slot {@link takeUser} took. */
  releaseUser(userId: string): void;
  /**
   * Takes an address slot and, when signed in, a user slot, for an HTTP subscription stream.
   * Returns their release (idempotent). @throws AppError RATE_LIMITED (HTTP 429) naming the cap.
   */
  acquireStream(address: string, userId: string | null): () => void;
  /** The WebSocket close reason (at most 123 bytes) for a connection the cap refused. */
  closeReason(kind: CapKind): string;
  /** Open connections counted now, for tests and metrics (0 while that cap is off). */
  held(kind: CapKind, owner: string): number;
}

/** Options of {@link createConnectionCaps}. */
export interface ConnectionCapsOptions {
  /** MAX_CONNECTIONS_PER_USER; 0 turns the cap off. */
  perUser: number;
  /** MAX_CONNECTIONS_PER_ADDRESS; 0 turns the cap off. */
  perAddress: number;
  /**
   * Called with `connections_per_user` or `connections_per_address` each time a cap refuses a
   * connection (the `switchboard_denials_total` metric). Default: nothing.
   */
  onRefused?: (kind: string) => void;
}

/** Makes the caps of one process; counts start at 0 and live in memory only. */
export function createConnectionCaps(options: ConnectionCapsOptions): ConnectionCaps {
  const counts: Record<CapKind, Map<string, number>> = { user: new Map(), address: new Map() };
  const limits: Record<CapKind, number> = { user: options.perUser, address: options.perAddress };
  const settings: Record<CapKind, string> = { user: 'MAX_CONNECTIONS_PER_USER', address: 'MAX_CONNECTIONS_PER_ADDRESS' };
  const what: Record<CapKind, string> = { user: 'for this user', address: 'from this address' };

  // A cap that is off counts nothing: benchmarks with thousands of sockets pay no bookkeeping.
  const take = (kind: CapKind, owner: string): boolean => {
    if (limits[kind] === 0) return true;
    const map = counts[kind];
    const current = map.get(owner) ?? 0;
    if (current >= limits[kind]) {
      options.onRefused?.(`connections_per_${kind}`);
      return false;
    }
    map.set(owner, current + 1);
    return true;
  };
  const release = (kind: CapKind, owner: string): void => {
    if (limits[kind] === 0) return;
    const map = counts[kind];
    const left = (map.get(owner) ?? 1) - 1;
    if (left <= 0) map.delete(owner);
    else map.set(owner, left);
  };
  const refusal = (kind: CapKind) =>
    new AppError(
      ErrorCode.RateLimited,
      `Too many open connections ${what[kind]}: at most ${limits[kind]} WebSockets and SSE streams together (${settings[kind]}); close some first.`,
      { limit: limits[kind], setting: settings[kind], http: { status: CONNECTION_CAP_HTTP_STATUS } },
    );

  return {
    takeAddress: (address) => take('address', addressBucket(address)),
    releaseAddress: (address) => release('address', addressBucket(address)),
    takeUser: (userId) => take('user', userId),
    releaseUser: (userId) => release('user', userId),
    acquireStream(address, userId) {
      const bucket = addressBucket(address);
      if (!take('address', bucket)) throw refusal('address');
      if (userId !== null && !take('user', userId)) {
        release('address', bucket);
        throw refusal('user');
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        release('address', bucket);
        if (userId !== null) release('user', userId);
      };
    },
    closeReason: (kind) => `Too many connections ${what[kind]} (${settings[kind]}=${limits[kind]})`,
    held: (kind, owner) => counts[kind].get(kind === 'address' ? addressBucket(owner) : owner) ?? 0,
  };
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

/** What {@link useConnectionCaps} reads of an operation's context (the GraphQL context is one). */
export interface CountedContext {
  /** Set for operations over a WebSocket, whose socket is already counted. */
  connection?: unknown;
  /** The client address per-address caps count. */
  clientAddress: string;
  session: { userId: string } | null;
}

/**
 * Counts HTTP subscription streams (SSE) against the caps, from before the subscription is set up
 * until its stream ends (the client went away, or it completed). WebSocket operations are not
 * counted here: their socket already is.
 */
export function useConnectionCaps<TContext extends CountedContext>(caps: ConnectionCaps): Plugin<TContext> {
  return {
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const context = args.contextValue;
      if (context.connection) return undefined;
      const release = caps.acquireStream(context.clientAddress, context.session?.userId ?? null);
      setSubscribeFn(async (subscribeArgs: ExecutionArgs) => {
        try {
          const result = await subscribeFn(subscribeArgs);
          // An error result (refused, bad arguments) holds nothing open.
          if (!isAsyncIterable(result)) release();
          return result;
        } catch (error) {
          release();
          throw error;
        }
      });
      return {
        onSubscribeResult: ({ result }) => (isAsyncIterable(result) ? { onEnd: release } : undefined),
      };
    },
  };
}
