import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { AppError, ErrorCode } from '../errors/app-error.js';

/** The `extensions.code` yoga's `maxRequestBodySize` gives a body over the limit. */
const YOGA_TOO_LARGE = 'REQUEST_ENTITY_TOO_LARGE';

/**
 * The 413 of a request body over MAX_REQUEST_BYTES, as Switchboard answers it: BAD_USER_INPUT with
 * the sizes, and `Connection: close`, so that the rest of a body that is never read (a chunked one
 * that goes on) ends with the connection instead of being drained.
 */
export function requestBodyTooLarge(maxBytes: number, declaredBytes: number | null): AppError {
  const message =
    declaredBytes === null ? `Request body is over the limit of ${maxBytes} bytes.` : `Request body is ${declaredBytes} bytes; the limit is ${maxBytes}.`;
  return new AppError(ErrorCode.BadUserInput, message, { http: { status: 413, headers: { connection: 'close' } } });
}

/**
 * Gives the refusals of yoga's `maxRequestBodySize` (which checks a declared Content-Length before
 * reading and counts a chunked body as it arrives) Switchboard's code and a message with the sizes:
 * see {@link requestBodyTooLarge}. Only the error is ours; the counting is yoga's.
 */
export function useRequestBodyErrors(maxBytes: number): Plugin {
  return {
    onResultProcess({ request, result, setResult }) {
      if (Array.isArray(result) || !('errors' in result) || !result.errors) return;
      const errors = result.errors as readonly GraphQLError[];
      if (!errors.some((error) => error instanceof GraphQLError && error.extensions.code === YOGA_TOO_LARGE)) return;
      const declared = request.headers.get('content-length');
      setResult({ errors: [requestBodyTooLarge(maxBytes, declared === null ? null : Number(declared))] });
    },
  };
}
