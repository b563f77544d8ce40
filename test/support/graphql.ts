import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { createClient, type Client, type ExecutionResult, type FormattedExecutionResult } from 'graphql-ws';
import { WebSocket } from 'ws';
import { SIGN_UP } from './operations.js';

/**
 * An operation: a typed document from `graphql()` (test/support/operations.ts, test/gql), whose
 * result type `T` and variables `V` the helpers below take on, or a plain string (for operations
 * a test sends broken on purpose, or has not typed).
 */
export type Operation<T = Record<string, unknown>, V = Record<string, unknown>> = string | (DocumentTypeDecoration<T, V> & { toString(): string });

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: ExecutionResult<T> & { errors?: Array<{ message: string; extensions?: { code?: string } & Record<string, unknown> }> };
}

/** POSTs one operation over HTTP, as a client library would. */
export async function post<T = Record<string, unknown>, V = Record<string, unknown>>(
  url: string,
  query: Operation<T, V>,
  variables: V = {} as V,
  options: { token?: string; headers?: Record<string, string> } = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query: query.toString(), variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse<T>['body'] };
}

/** The `extensions.code` of each error in a response. */
export const codes = (response: GraphQLResponse<unknown>) => (response.body.errors ?? []).map((error) => error.extensions?.code);

/** How many responses came with each first error code (`OK` for none): `{ UNAUTHENTICATED: 5, RATE_LIMITED: 35 }`. */
export function countCodes(responses: ReadonlyArray<GraphQLResponse<unknown>>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const response of responses) {
    const code = String(codes(response)[0] ?? 'OK');
    counts[code] = (counts[code] ?? 0) + 1;
  }
  return counts;
}

let userCounter = 0;
/** Signs up a fresh user (unique name per call) and returns its token and id. */
export async function signUpUser(url: string, prefix = 'user'): Promise<{ token: string; id: string; username: string }> {
  const username = `${prefix}${process.pid}x${++userCounter}`;
  const response = await post(url, SIGN_UP, { u: username, p: 'password123' });
  if (!response.body.data) throw new Error(`signUp failed: ${JSON.stringify(response.body)}`);
  return { token: response.body.data.signUp.token, id: response.body.data.signUp.user.id, username };
}

/**
 * A graphql-ws client that does not retry, so that failures show. Lazy by default (connects on
 * the first operation, closes after the last); `lazy: false` connects at once and stays, like an
 * open browser tab.
 */
export function wsClient(url: string, authToken?: string, options: { lazy?: boolean } = {}): Client {
  return createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: authToken ? { authToken } : {},
    retryAttempts: 0,
    lazy: options.lazy ?? true,
    // A tab that the server closes is part of several tests; they check the close themselves.
    onNonLazyError: () => undefined,
  });
}

/** An open, acknowledged connection that stays open until disposed: a browser tab. */
export async function openTab(url: string, authToken: string): Promise<Client> {
  const client = wsClient(url, authToken, { lazy: false });
  await new Promise<void>((resolve, reject) => {
    const off = client.on('connected', () => {
      off();
      resolve();
    });
    client.on('closed', (event) => reject(new Error(`tab closed: ${JSON.stringify(event)}`)));
  });
  return client;
}

/** Runs a subscription and exposes its events as they come. */
export function subscription<T = Record<string, unknown>, V extends Record<string, unknown> = Record<string, unknown>>(client: Client, query: Operation<T, V>, variables: V = {} as V) {
  const events: Array<FormattedExecutionResult<T, unknown>> = [];
  const waiters: Array<() => void> = [];
  let completed = false;
  let failure: unknown = null;
  const wake = () => waiters.splice(0).forEach((wakeUp) => wakeUp());
  const dispose = client.subscribe<T>(
    { query: query.toString(), variables },
    {
      next: (value) => {
        events.push(value);
        wake();
      },
      error: (error) => {
        failure = error;
        completed = true;
        wake();
      },
      complete: () => {
        completed = true;
        wake();
      },
    },
  );
  const until = async (predicate: () => boolean, what: string, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(events)}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  };
  return {
    events,
    dispose,
    get completed() {
      return completed;
    },
    get failure() {
      return failure;
    },
    /** The error codes the server sent: in a `next` payload (graphql-ws's way) or an `error` message. */
    get errorCodes(): Array<string | undefined> {
      const fromEvents = events.flatMap((event) => (event.errors ?? []).map((error) => error.extensions?.code as string | undefined));
      const fromFailure = Array.isArray(failure) ? (failure as Array<{ extensions?: { code?: string } }>).map((error) => error.extensions?.code) : [];
      return [...fromEvents, ...fromFailure];
    },
    get errorMessages(): string[] {
      const fromEvents = events.flatMap((event) => (event.errors ?? []).map((error) => error.message));
      const fromFailure = Array.isArray(failure) ? (failure as Array<{ message: string }>).map((error) => error.message) : [];
      return [...fromEvents, ...fromFailure];
    },
    /** Resolves once `count` events have arrived. */
    waitForEvents: (count: number, timeoutMs?: number) => until(() => events.length >= count, `${count} events`, timeoutMs),
    /** Resolves once the server completed or errored the subscription. */
    waitForEnd: (timeoutMs?: number) => until(() => completed, 'the end of the subscription', timeoutMs),
  };
}

/** POSTs an operation that must succeed and returns its data. @throws with the response otherwise. */
export async function postData<T, V = Record<string, unknown>>(url: string, query: Operation<T, V>, variables: V, token?: string): Promise<T> {
  const response = await post<T, V>(url, query, variables, token ? { token } : {});
  if (!response.body.data) throw new Error(JSON.stringify(response.body));
  return response.body.data;
}

/** Starts a subscription that the server must refuse, and returns the error codes it sent. */
export async function refusedSubscriptionCodes<V extends Record<string, unknown>>(url: string, token: string, query: Operation<unknown, V>, variables: V = {} as V) {
  const client = wsClient(url, token);
  const sub = subscription(client, query, variables);
  await sub.waitForEnd();
  await client.dispose();
  return { codes: sub.errorCodes, messages: sub.errorMessages };
}
