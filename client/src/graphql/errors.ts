import type { CombinedError } from 'urql';

/**
 * A sentence for the user from a failed operation: the server's own message (they say what was
 * expected and what came), or what went wrong on the way.
 */
export function describeError(error: CombinedError): string {
  const first = error.graphQLErrors[0];
  if (first) return first.message;
  if (error.networkError) {
    return typeof navigator !== 'undefined' && !navigator.onLine
      ? 'You are offline. Check the network and try again.'
      : 'Could not reach the server. Try again in a moment.';
  }
  return error.message;
}

/** The `extensions.code` of the first GraphQL error, if any. */
export const errorCode = (error: CombinedError): string | undefined => {
  const code = error.graphQLErrors[0]?.extensions?.code;
  return typeof code === 'string' ? code : undefined;
};
