import { GraphQLError, type ExecutionResult } from 'graphql';
import { maskError } from 'graphql-yoga';
import type { Logger } from 'pino';
import { ErrorCode, withCode } from './errors.js';

/** What a client sees instead of an unexpected error. */
export const MASKED_MESSAGE = 'Unexpected error.';

/**
 * Masks every error that is not meant for the client (anything but an AppError or GraphQL's own
 * errors) and logs it once with its cause and path. Yoga uses it for every HTTP, SSE and
 * WebSocket operation; the fan-out engine, which executes shared subscriptions itself, too.
 */
export function createErrorMasker(logger: Logger) {
  const mask = (error: unknown, message = MASKED_MESSAGE, isDev = false) => {
    const masked = maskError(error, message, isDev) as GraphQLError;
    if (masked !== error) {
      const original = error instanceof Error && 'originalError' in error ? ((error as GraphQLError).originalError ?? error) : error;
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
    maskResult: (result: ExecutionResult): ExecutionResult =>
      result.errors ? { ...result, errors: result.errors.map((error) => mask(error) as GraphQLError) } : result,
  };
}
