import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { GraphQLError, type ExecutionResult } from 'graphql';
import { ErrorCode, unavailable, withCode } from '../errors/app-error.js';

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

/** Request-level errors (bad variables, unknown operation name) come back without a path. */
function codeRequestErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.some((error) => !error.path && !error.extensions?.code)) return result;
  return { ...result, errors: result.errors.map((error) => (error.path ? error : withCode(error, ErrorCode.BadUserInput))) };
}

/**
 * Gives every error a client can receive an `extensions.code`: parse failures, validation
 * failures and request errors such as a variable of the wrong type. Resolver errors carry their
 * own (AppError) or are masked.
 */
export function useErrorCodes(): Plugin {
  return {
    onParse: () => ({ result, replaceParseResult }) => {
      if (result instanceof GraphQLError) replaceParseResult(withCode(result, ErrorCode.ParseFailed));
    },
    onValidate: () => ({ result, setResult }) => {
      if (result.length > 0) setResult(result.map((error) => withCode(error, ErrorCode.ValidationFailed)));
    },
    onExecute: () => ({
      onExecuteDone: ({ result, setResult }) => {
        if (!isAsyncIterable(result)) setResult(codeRequestErrors(result));
      },
    }),
    onSubscribe: () => ({
      onSubscribeResult: ({ result, setResult }) => {
        if (!isAsyncIterable(result)) setResult(codeRequestErrors(result));
      },
    }),
  };
}

/** What {@link useFailFast} needs to know of Redis. */
export interface AvailabilitySource {
  readonly available: boolean;
  /** Why not, for the log. */
  readonly cause: string | null;
}

/**
 * While Redis does not answer (see `RedisHealth`), every GraphQL request fails at once with
 * UNAVAILABLE (HTTP 503 and `Retry-After` over HTTP; an `error` over WebSocket) instead of
 * waiting out REDIS_COMMAND_TIMEOUT_MS in each of its commands. Nothing runs, so nothing is half-done.
 */
export function useFailFast(health: AvailabilitySource, graphqlPath: string, logger: Logger): Plugin {
  // One line per refused operation, with the cause the health probe saw.
  const refusal = () => {
    logger.warn({ err: { message: health.cause ?? 'no answer' } }, 'redis unavailable: operation refused with UNAVAILABLE');
    return unavailable();
  };
  return {
    onRequest: ({ request, url, fetchAPI, endResponse }) => {
      if (health.available || url.pathname !== graphqlPath) return;
      // GraphiQL's page needs no Redis.
      if (request.method === 'GET' && !url.searchParams.has('query')) return;
      const error = refusal();
      const { http, ...extensions } = error.extensions as { http: { status: number; headers: Record<string, string> } };
      endResponse(
        new fetchAPI.Response(JSON.stringify({ errors: [{ message: error.message, extensions }] }), {
          status: http.status,
          headers: { 'content-type': 'application/json; charset=utf-8', ...http.headers },
        }),
      );
    },
    onExecute: ({ setResultAndStopExecution }) => {
      if (!health.available) setResultAndStopExecution({ errors: [refusal()] });
    },
    onSubscribe: ({ setResultAndStopExecution }) => {
      if (!health.available) setResultAndStopExecution({ errors: [refusal()] });
    },
  };
}
