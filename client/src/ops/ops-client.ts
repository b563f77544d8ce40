import { createClient as createWsClient } from 'graphql-ws';
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';

const HTTP_URL = new URL(import.meta.env.VITE_GRAPHQL_URL ?? '/graphql', window.location.href).href;
const WS_URL = HTTP_URL.replace(/^http/, 'ws');

/** The console's connection: queries and mutations over HTTP, the `stats` subscription over graphql-ws. */
export interface OpsConnection {
  client: Client;
  dispose(): void;
}

/**
 * Connects the operations console. It signs in as the chat does: the session token in memory, or
 * the HttpOnly cookie after a reload. No normalised cache: every figure is read fresh.
 */
export function connectOps(token: string | null): OpsConnection {
  const ws = createWsClient({
    url: WS_URL,
    connectionParams: () => (token ? { authToken: token } : {}),
    retryAttempts: Infinity,
  });
  const client = new Client({
    url: HTTP_URL,
    preferGetMethod: false,
    requestPolicy: 'network-only',
    fetchOptions: (): RequestInit => ({
      credentials: 'same-origin',
      headers: token ? { authorization: `Bearer ${token}` } : undefined,
    }),
    exchanges: [
      cacheExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe(sink) {
            const unsubscribe = ws.subscribe({ ...request, query: request.query ?? '' }, sink);
            return { unsubscribe };
          },
        }),
      }),
      fetchExchange,
    ],
  });
  return { client, dispose: () => void ws.dispose() };
}
