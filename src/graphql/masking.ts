import { GraphQLError, type ExecutionResult } from 'graphql';
import { maskError } from 'graphql-yoga';
import type { Logger } from 'pino';
import { isRedisUnavailableError } from '../redis/unavailable.js';
import { ErrorCode, unavailable, withCode } from '../errors/app-error.js';

/** What a client sees instead of an unexpected error. */
export const MASKED_MESSAGE = 'Unexpected error.';

/**
 * Masks every error that is not meant for the client (anything but an AppError or GraphQL's own
 * errors) and logs it once with its cause and path. Yoga uses it for every HTTP, SSE and
 * WebSocket operation; the fan-out engine, which executes shared subscriptions itself, too.
 */
export function createErrorMasker(logger: Logger) {
  const mask = (error: unknown, message = MASKED_MESSAGE, isDev = false) => {
    const original = originalOf(error);
    // Redis unreachable or too slow: a retryable UNAVAILABLE (HTTP 503), logged once with its cause.
    if (isRedisUnavailableError(original)) {
      const located = error instanceof GraphQLError ? error : null;
      logger.warn({ err: original, path: located?.path }, 'redis unavailable: operation failed with UNAVAILABLE');
      const reply = unavailable();
      return new GraphQLError(reply.message, {
        nodes: located?.nodes,
        source: located?.source,
        positions: located?.positions,
        path: located?.path,
        extensions: reply.extensions,
      });
    }
    const masked = maskError(error, message, isDev) as GraphQLError;
    if (masked !== error) {
      logger.error({ err: original, path: (error as { path?: unknown }).path }, 'unexpected error in an operation');
      return masked;
    }
    // The executor's name for "cannot tell which operation to run" is the client's mistake.
    if (masked.extensions?.code === 'OPERATION_RESOLUTION_FAILURE') {
      return new GraphQLError(masked.message, { extensions: { ...masked.extensions, code: ErrorCode.BadUserInput } });
    }
    // GraphQL's own field errors (a null in a non-null field, a value a scalar cannot show) are
    // our data's fault, not the client's: they keep their message and get a code.
    if (masked.path && !masked.extensions?.code) {
      logger.warn({ err: masked.message, path: masked.path }, 'field error in an operation');
      return withCode(masked, ErrorCode.Internal);
    }
    return masked;
  };
  return {
    maskError: mask,
    /**
     * Yoga's `logging` option. Yoga logs every error the masker replaced, as a bare Error that a
     * JSON logger shows as `{}`; the masker has logged it already, with its cause, so that is dropped.
     */
    yogaLogging: (yogaLogger: Logger) => {
      const fields = (args: unknown[]) => ({ args: args.map((arg) => (arg instanceof Error ? { message: arg.message, name: arg.name } : arg)) });
      return {
        debug: (...args: unknown[]) => yogaLogger.debug(fields(args), 'yoga'),
        info: (...args: unknown[]) => yogaLogger.info(fields(args), 'yoga'),
        warn: (...args: unknown[]) => yogaLogger.warn(fields(args), 'yoga'),
        error: (...args: unknown[]) => {
          if (args.length > 0 && args.every((arg) => arg instanceof Error)) return;
          yogaLogger.error(fields(args), 'yoga');
        },
      };
    },
    maskResult: (result: ExecutionResult): ExecutionResult =>
      result.errors ? { ...result, errors: result.errors.map((error) => mask(error) as GraphQLError) } : result,
  };
}

/** The error a resolver threw, under GraphQL's located wrapper. */
function originalOf(error: unknown): unknown {
  let current = error;
  while (current instanceof GraphQLError && current.originalError) current = current.originalError;
  return current;
}
