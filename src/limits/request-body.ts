import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ErrorCode } from '../errors/app-error.js';

/** The `extensions.code` yoga's `maxRequestBodySize` gives a body over the limit. */
const YOGA_TOO_LARGE = 'REQUEST_ENTITY_TOO_LARGE';

/** The message of a body over `maxBytes`: with its size when it was declared (Content-Length). */
export function requestBodyTooLargeMessage(maxBytes: number, declaredBytes: number | null): string {
  return declaredBytes === null ? `Request body is over the limit of ${maxBytes} bytes.` : `Request body is ${declaredBytes} bytes; the limit is ${maxBytes}.`;
}

/**
 * Gives the refusals of yoga's `maxRequestBodySize` (which checks a declared Content-Length before
 * reading and counts a chunked body as it arrives) Switchboard's answer: 413, a JSON body
 * `{ errors: [{ message, extensions: { code: BAD_USER_INPUT } }] }` whatever the Accept header
 * (the request was never run, so there is no event stream to open), and `Connection: close`, so
 * that the rest of a body that is never read (a chunked one that goes on) ends with the connection
 * instead of being drained. Only the answer is ours; the counting is yoga's.
 */
export function useRequestBodyErrors(maxBytes: number): Plugin {
  return {
    onResultProcess({ request, result, setResultProcessor }) {
      if (Array.isArray(result) || !('errors' in result) || !result.errors) return;
      const errors = result.errors as readonly GraphQLError[];
      if (!errors.some((error) => error instanceof GraphQLError && error.extensions.code === YOGA_TOO_LARGE)) return;
      const declared = request.headers.get('content-length');
      const message = requestBodyTooLargeMessage(maxBytes, declared === null ? null : Number(declared));
      const body = JSON.stringify({ errors: [{ message, extensions: { code: ErrorCode.BadUserInput } }] });
      setResultProcessor(
        (_result, fetchAPI) => new fetchAPI.Response(body, { status: 413, headers: { 'content-type': 'application/json; charset=utf-8', connection: 'close' } }),
        'application/json',
      );
    },
  };
}
