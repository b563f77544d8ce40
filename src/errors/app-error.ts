/**
 * The error vocabulary of the whole app: every `extensions.code` a client can see and the one
 * error class that carries it. Neutral on purpose: domains, Redis helpers, CLIs and transports
 * import it without importing the GraphQL schema layer (`src/graphql/`). `AppError` extends
 * graphql-js's `GraphQLError` (the package, not our layer) so that yoga and graphql-ws send it as is.
 */
import { GraphQLError } from 'graphql';

/** Every `extensions.code` a client can see, besides GraphQL's own parse and validation codes. */
export const ErrorCode = {
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  BadUserInput: 'BAD_USER_INPUT',
  NotFound: 'NOT_FOUND',
  Conflict: 'CONFLICT',
  RateLimited: 'RATE_LIMITED',
  /**
   * Redis cannot be reached or did not answer within REDIS_COMMAND_TIMEOUT_MS. Retryable: nothing
   * was half-done that a retry would repeat wrongly; `extensions.retryAfterSeconds` says when.
   * HTTP responses carry status 503 and `Retry-After`.
   */
  Unavailable: 'UNAVAILABLE',
  /**
   * Sent inside a `channel` / `channelPattern` event (the subscription goes on): this instance's
   * subscription to Redis was interrupted, so messages published between
   * `extensions.since` and `extensions.until` may be missing. Plain PUBLISH is not stored.
   */
  MissedMessages: 'MISSED_MESSAGES',
  /**
   * The operation was refused before it ran: it exceeds a query limit (aliases, depth, tokens,
   * directives, cost, variable nesting). `extensions.limit` names the setting, `extensions.max` its
   * value and `extensions.found` what the operation has (when it is known). HTTP 400.
   */
  QueryTooComplex: 'QUERY_TOO_COMPLEX',
  /** The result would exceed MAX_RESPONSE_BYTES; `extensions.max` and `extensions.found` say by how much. HTTP 400. */
  ResponseTooLarge: 'RESPONSE_TOO_LARGE',
  /** The document does not parse. */
  ParseFailed: 'GRAPHQL_PARSE_FAILED',
  /** The document does not validate against the schema. */
  ValidationFailed: 'GRAPHQL_VALIDATION_FAILED',
  /**
   * A subscription read over plain HTTP (`Accept: multipart/mixed`) was dropped because its reader
   * fell behind: events were left out, so it ends with this error rather than a complete. (A
   * WebSocket closes with 1013 instead; an SSE stream is cut.) The live layer raises it
   * (`live/engine.ts`, which cannot import this module): the two must stay equal.
   */
  SlowConsumer: 'SLOW_CONSUMER',
  /** Masked: something went wrong on our side; details are in the server log. */
  Internal: 'INTERNAL_SERVER_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * An error meant for the client: its message is shown as is, with `extensions.code`. Anything
 * thrown that is not an AppError (or a GraphQL parse/validation error) is masked and logged.
 */
export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
    this.name = 'AppError';
  }

  get code(): ErrorCode {
    return this.extensions.code as ErrorCode;
  }
}

export const unauthenticated = (message = 'You must be signed in: send a session token as "Authorization: Bearer <token>".') =>
  new AppError(ErrorCode.Unauthenticated, message);

/** Seconds a client should wait before retrying an UNAVAILABLE operation. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 1;

/** Redis is unreachable or too slow: a retryable error with HTTP status 503 and `Retry-After`. */
export const unavailable = (message = 'Redis is unavailable right now; retry shortly.') =>
  new AppError(ErrorCode.Unavailable, message, {
    retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS,
    retryable: true,
    http: { status: 503, headers: { 'Retry-After': String(UNAVAILABLE_RETRY_AFTER_SECONDS) } },
  });

export const badInput = (message: string, field?: string) =>
  new AppError(ErrorCode.BadUserInput, message, field ? { field } : {});

/** Returns the error with `extensions.code` set when it has none yet. */
export function withCode(error: GraphQLError, code: ErrorCode): GraphQLError {
  if (error.extensions.code) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
}
