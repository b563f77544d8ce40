import { CloseCode, createClient as createWsClient, type Client as WsClient, type SubscribePayload } from 'graphql-ws';
import { Client, cacheExchange, fetchExchange, subscriptionExchange, type Operation } from 'urql';
import { createChatCache } from './cache';
import { type ConnectionStateStore, createConnectionStateStore } from './connection-state';
import { type ResumeCursor, createResumeCursor } from './resume-cursor';

/**
 * The API: same origin by default (`npm start` serves the client; the dev server proxies
 * /graphql). VITE_GRAPHQL_URL points a dev build at another origin, where the token in memory
 * (bearer header, `authToken`) stands in for the cookie.
 */
const HTTP_URL = new URL(import.meta.env.VITE_GRAPHQL_URL ?? '/graphql', window.location.href).href;
const WS_URL = HTTP_URL.replace(/^http/, 'ws');

/** Reconnect back-off: 0.5 s, 1 s, 2 s ... up to 10 s, with jitter so that clients spread out. */
const RETRY_BASE_MS = 500;
const RETRY_MAX_MS = 10_000;
/** How often the client pings; a pong that does not come within PONG_TIMEOUT_MS means the link is dead. */
const PING_INTERVAL_MS = 10_000;
const PONG_TIMEOUT_MS = 5_000;
/** The server closed with graphql-ws's "Forbidden" (4403): the session ended or expired. */
const SESSION_ENDED_CLOSE_CODE = CloseCode.Forbidden;

/** Set on a subscription's context: resubscribe from the newest message held after every reconnect. */
export const RESUME_FROM_NEWEST = { resumeFromNewestMessage: true } as const;

/** A signed-in connection to the API: urql over HTTP and graphql-ws, and its live state. */
export interface ChatConnection {
  client: Client;
  state: ConnectionStateStore;
  resume: ResumeCursor;
  dispose(): void;
}

/** Options of {@link connectChat}. */
export interface ChatConnectionOptions {
  /** The session token from signIn/signUp, kept in memory only; null after a reload (the cookie then authenticates). */
  token: string | null;
  /** The server closed the socket because the session ended (signed out elsewhere, expired). */
  onSessionEnded(): void;
}

const isCloseEvent = (value: unknown): value is { code: number } =>
  typeof value === 'object' && value !== null && 'code' in value && typeof (value as { code: unknown }).code === 'number';

/** Waits before a reconnect attempt; gives up waiting as soon as the browser says it is online again. */
function waitBeforeRetry(retries: number): Promise<void> {
  const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** retries) * (0.5 + Math.random() / 2);
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      window.removeEventListener('online', done);
      resolve();
    };
    const timer = setTimeout(done, delay);
    window.addEventListener('online', done);
  });
}

/**
 * The subscribe payload of an operation. For a resumable one, `variables.after` is a getter:
 * graphql-ws serialises the payload each time it sends `subscribe`, which it does again after
 * every reconnect, so each resubscription asks for the messages after the newest one this client
 * holds instead of the cursor of the first subscribe.
 */
function payloadOf(request: { query?: string; operationName?: string; variables?: Record<string, unknown>; extensions?: Record<string, unknown> }, operation: Operation, resume: ResumeCursor): SubscribePayload {
  const base = { query: request.query ?? '', operationName: request.operationName, extensions: request.extensions };
  if (operation.context.resumeFromNewestMessage !== true) return { ...base, variables: request.variables };
  return {
    ...base,
    get variables() {
      return { ...request.variables, after: resume.newest() };
    },
  };
}

/**
 * Connects a signed-in user: queries and subscriptions over one WebSocket that stays open (which
 * is what makes the user online) and reconnects forever; mutations over HTTP.
 *
 * Queries go on the socket because the server answers a query only after the subscriptions sent
 * before it on the same socket are set up: a list read after subscribing to its changes misses
 * none. Mutations go over HTTP because graphql-ws resends what was in flight after a reconnect,
 * which must never send a message twice, and because signIn/signOut set and clear the cookie.
 */
export function connectChat(options: ChatConnectionOptions): ChatConnection {
  const state = createConnectionStateStore();
  const resume = createResumeCursor();
  let disposed = false;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;

  let operationIds = 0;
  const ws: WsClient = createWsClient({
    url: WS_URL,
    connectionParams: () => (options.token ? { authToken: options.token } : {}),
    lazy: false,
    retryAttempts: Infinity,
    retryWait: waitBeforeRetry,
    shouldRetry: (event) => !(isCloseEvent(event) && event.code === SESSION_ENDED_CLOSE_CODE),
    onNonLazyError: (event) => {
      if (!disposed && isCloseEvent(event) && event.code === SESSION_ENDED_CLOSE_CODE) options.onSessionEnded();
    },
    keepAlive: PING_INTERVAL_MS,
    // Ids only need to be unique on one socket: small counters rather than the default UUIDs keep
    // each frame short, and let the server share one frame prefix per id across sockets.
    generateID: () => String(++operationIds),
    on: {
      connecting: (isRetry) => state.set(isRetry ? (navigator.onLine ? 'reconnecting' : 'offline') : 'connecting'),
      connected: () => state.set('connected', true),
      closed: () => {
        clearTimeout(pongTimer);
        if (!disposed) state.set(navigator.onLine ? 'reconnecting' : 'offline');
      },
      // A half-open link (sleeping laptop, dropped Wi-Fi) never closes by itself: give up on it
      // when our ping goes unanswered, and let the retry loop connect afresh.
      ping: (received) => {
        if (!received) pongTimer = setTimeout(() => ws.terminate(), PONG_TIMEOUT_MS);
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimer);
      },
    },
  });

  // The browser knows before the socket does: a socket over a network that went away is dead.
  const onOffline = () => {
    state.set('offline');
    ws.terminate();
  };
  window.addEventListener('offline', onOffline);

  const client = new Client({
    url: HTTP_URL,
    preferGetMethod: false,
    fetchOptions: (): RequestInit => ({
      credentials: 'same-origin',
      headers: options.token ? { authorization: `Bearer ${options.token}` } : undefined,
    }),
    exchanges: [
      createChatCache(resume),
      subscriptionExchange({
        isSubscriptionOperation: (operation) => operation.kind === 'subscription' || operation.kind === 'query',
        forwardSubscription: (request, operation) => ({
          subscribe(sink) {
            const unsubscribe = ws.subscribe(payloadOf(request, operation, resume), sink);
            return { unsubscribe };
          },
        }),
      }),
      fetchExchange,
    ],
  });

  return {
    client,
    state,
    resume,
    dispose() {
      disposed = true;
      clearTimeout(pongTimer);
      window.removeEventListener('offline', onOffline);
      void ws.dispose();
    },
  };
}

/** The client of the sign-in screen: HTTP only, no cache worth keeping. */
export function anonymousClient(): Client {
  return new Client({
    url: HTTP_URL,
    preferGetMethod: false,
    requestPolicy: 'network-only',
    fetchOptions: { credentials: 'same-origin' },
    exchanges: [cacheExchange, fetchExchange],
  });
}
