import { setMaxListeners } from 'node:events';
import type { IncomingHttpHeaders, Server as HttpServer } from 'node:http';
import { GraphQLError, getOperationAST } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { WebSocket } from 'ws';
import type { Session } from '../accounts/sessions.js';
import type { Context, Services } from '../graphql/context.js';
import { AppError, ErrorCode, unavailable } from '../errors/app-error.js';
import { createErrorMasker } from '../graphql/masking.js';
import { afterDeadline } from '../redis/unavailable.js';
import { CONNECTION_CAP_CLOSE_CODE } from '../limits/connection-caps.js';
import { meterWebSocketSubscription } from '../metrics/live-metrics.js';
import { subscriptionField } from '../metrics/operation-metrics-plugin.js';
import { UNKNOWN_ADDRESS } from '../common/client-address.js';
import { SESSION_COOKIE, bearerToken, cookieAllowedFor, cookieValue } from './credentials.js';
import { createGraphQLWsServer, type OperationOutcome } from './graphql-ws-server.js';
import { GRAPHQL_PATH, type Yoga } from './http.js';
import { OperationOrder } from './operation-order.js';
import type { ConnectionState } from './request-context.js';
import { WsSubscription } from './ws-sink.js';

/**
 * Close codes this server sends besides graphql-ws's own (4400 bad message, 4401 subscribe before
 * ack, 4408 no `connection_init` in time, 4409 duplicate id, 4429 second `connection_init`).
 */
export const WsCloseCode = {
  /** `connection_init` carried an invalid or expired token, or the session ended or expired. */
  Forbidden: CloseCode.Forbidden,
  /** The client read too slowly and its queue filled up. Retryable: graphql-ws clients reconnect. */
  SlowConsumer: 1013,
  /** The server could not check the connection (Redis did not answer). Retryable. */
  TryAgainLater: 1013,
  /**
   * The instance is shutting down (SIGTERM). Sent without `complete` for the open subscriptions:
   * graphql-ws clients with `retryAttempts` reconnect (to another instance) and subscribe again.
   */
  ServiceRestart: 1012,
  /** MAX_CONNECTIONS_PER_ADDRESS (at the upgrade) or MAX_CONNECTIONS_PER_USER (at `connection_init`) reached. */
  TooManyConnections: CONNECTION_CAP_CLOSE_CODE,
} as const;

/** How long a dropped slow consumer has to take the close frame before its socket is destroyed. */
const SLOW_CONSUMER_GRACE_MS = 2000;
const SHUTDOWN_POLL_MS = 10;
/** How long a socket refused by a connection cap has to take the close frame before it is destroyed. */
const REFUSED_GRACE_MS = 1000;
/** How long shutdown waits for clients to answer the close frame. */
const SOCKET_CLOSE_GRACE_MS = 1000;

/** Closes a socket a connection cap refused; one that does not answer the close frame goes anyway. */
function refuse(socket: WebSocket, reason: string): void {
  socket.close(CONNECTION_CAP_CLOSE_CODE, reason);
  setTimeout(() => socket.terminate(), REFUSED_GRACE_MS).unref();
}

interface Connection extends ConnectionState {
  cleanup(): void;
}

export interface WebSocketTransport {
  /** Number of open WebSocket connections. */
  readonly connectionCount: number;
  /** Operations running on all sockets (subscriptions delivering, queries and mutations). */
  readonly operationCount: number;
  /** Operations not delivering yet: queries and mutations running, subscriptions being set up. */
  readonly settingUpCount: number;
  /**
   * Waits (up to `timeoutMs`) for running queries and mutations to answer, then closes every
   * socket with 1012 (Service Restart) without completing its subscriptions, and stops the server.
   */
  close(timeoutMs: number): Promise<void>;
}

/** Options of {@link createWebSocketTransport}. */
export interface WebSocketTransportOptions {
  /**
   * Called when a connection is accepted with a session; returns what to run when it closes.
   * Presence hangs on this. Default: nothing.
   */
  onAuthenticatedConnection?: (session: Session) => () => void;
}

/**
 * graphql-transport-ws on `ws` (see graphql-ws-server.ts), on the HTTP server's `/graphql` path. Each operation goes through
 * `yoga.getEnveloped`, so it has the same context, plugins and error masking as HTTP.
 */
export function createWebSocketTransport(
  httpServer: HttpServer,
  yoga: Yoga,
  services: Services,
  options: WebSocketTransportOptions = {},
): WebSocketTransport {
  const { config, logger, identities, sessionWatcher, clientAddresses, connectionCaps } = services;
  /** What each open socket holds of the connection caps (its address, and its user once signed in). */
  const capSlots = new WeakMap<WebSocket, { address: string; userId: string | null }>();
  const log = logger.child({ transport: 'ws' });
  const errorMasker = createErrorMasker(logger);

  /** The session a `connection_init` asks for. `false`: refuse the connection (4403). */
  async function authenticate(
    params: Readonly<Record<string, unknown>> | undefined,
    headers: IncomingHttpHeaders,
  ): Promise<{ session: Session | null; tokenRejected: boolean } | false> {
    const authToken = params?.authToken;
    if (authToken !== undefined && authToken !== null) {
      if (typeof authToken !== 'string') return false;
      const session = await identities.resolve(authToken);
      return session ? { session, tokenRejected: false } : false;
    }
    const header = bearerToken(headers.authorization);
    if (header !== undefined) {
      const session = header ? await identities.resolve(header) : null;
      return session ? { session, tokenRejected: false } : false;
    }
    if (!cookieAllowedFor(headers.origin, headers.host, config.allowedOrigins)) {
      return { session: null, tokenRejected: false };
    }
    const cookie = cookieValue(headers.cookie, SESSION_COOKIE);
    if (!cookie) return { session: null, tokenRejected: false };
    // A stale cookie leaves the connection anonymous (it can still sign in) rather than refused.
    const session = await identities.resolve(cookie);
    return { session, tokenRejected: session === null };
  }

  function openConnection(socket: WebSocket, session: Session | null, tokenRejected: boolean, clientAddress: string): Connection {
    // Made on first use: only operations outside the fan-out engine listen for the close.
    let closed: AbortController | null = null;
    let ended = false;
    let dropped = false;
    const disposers: Array<() => void> = [];
    services.metrics.live.connected('websocket');
    if (session) {
      disposers.push(
        sessionWatcher.watch(session, (reason) =>
          socket.close(WsCloseCode.Forbidden, reason === 'expired' ? 'Session expired' : 'Session ended'),
        ),
      );
      if (options.onAuthenticatedConnection) disposers.push(options.onAuthenticatedConnection(session));
    }
    return {
      services,
      session,
      clientAddress,
      tokenRejected,
      closedSignal() {
        if (!closed) {
          closed = new AbortController();
          // One listener per such open operation; each is removed as its operation ends.
          setMaxListeners(0, closed.signal);
          // An operation still being set up when the socket closed gets an aborted signal.
          if (ended) closed.abort();
        }
        return closed.signal;
      },
      order: new OperationOrder(),
      dropSlowConsumer(reason) {
        // Once per connection: each of its subscriptions may report it.
        if (dropped) return;
        dropped = true;
        if (socket.readyState === WebSocket.OPEN) services.metrics.live.droppedSlow('websocket');
        log.warn({ userId: session?.userId, reason }, 'closing a slow consumer');
        socket.close(WsCloseCode.SlowConsumer, 'Slow consumer: too many undelivered events');
        // A stalled reader may never take the close frame; its buffers must not outlive it.
        setTimeout(() => socket.terminate(), SLOW_CONSUMER_GRACE_MS).unref();
      },
      cleanup() {
        ended = true;
        closed?.abort();
        for (const dispose of disposers) dispose();
      },
    };
  }

  const server = createGraphQLWsServer<Connection>({
    httpServer,
    path: GRAPHQL_PATH,
    maxPayloadBytes: config.maxRequestBytes,
    connectionInitWaitTimeoutMs: config.connectionInitTimeoutMs,
    keepAliveMs: config.keepAliveMs,
    logger: log,
    maskError: (error) => errorMasker.maskError(error) as GraphQLError,
    onConnect: async (socket, params, headers) => {
      let result;
      try {
        // While Redis does not answer, refuse at once rather than after the lookup's timeout.
        if (!services.redisHealth.available) throw unavailable();
        result = await withDeadline(authenticate(params, headers), Math.min(config.redisCommandTimeoutMs, config.connectionInitTimeoutMs));
      } catch (error) {
        // Redis did not answer: a retryable close, not a fatal 4500.
        log.warn({ err: error instanceof Error ? error.message : error }, 'could not authenticate a connection: Redis unavailable');
        socket.close(WsCloseCode.TryAgainLater, 'Try again later');
        return false;
      }
      if (result === false) return false;
      // The socket may have closed while Redis was answering.
      if (socket.readyState !== WebSocket.OPEN) return false;
      const slots = capSlots.get(socket);
      if (result.session && slots) {
        if (!connectionCaps.takeUser(result.session.userId)) {
          refuse(socket, connectionCaps.closeReason('user'));
          return false;
        }
        // Given back when the socket closes, whatever happens to the connection meanwhile.
        slots.userId = result.session.userId;
      }
      return openConnection(socket, result.session, result.tokenRejected, slots?.address ?? UNKNOWN_ADDRESS);
    },
    onClose: (connection) => connection.cleanup(),
    onCloseCode: (code) => services.metrics.live.closed(code),
    onOpen: (socket, request) => {
      const address = clientAddresses.resolve(request.socket.remoteAddress, request.headers['x-forwarded-for']);
      if (!connectionCaps.takeAddress(address)) {
        refuse(socket, connectionCaps.closeReason('address'));
        return false;
      }
      capSlots.set(socket, { address, userId: null });
      return true;
    },
    onSocketClose: (socket) => {
      const slots = capSlots.get(socket);
      if (!slots) return;
      capSlots.delete(socket);
      connectionCaps.releaseAddress(slots.address);
      if (slots.userId !== null) connectionCaps.releaseUser(slots.userId);
    },
    onOperation: async (wsConnection, id, params): Promise<OperationOutcome> => {
      // Everything up to `order.enter` runs synchronously on message arrival: that fixes the order.
      const connection = wsConnection.state!;
      if (wsConnection.operationCount > config.maxSubscriptionsPerConnection) {
        return [
          new AppError(
            ErrorCode.RateLimited,
            `A connection may run at most ${config.maxSubscriptionsPerConnection} operations at once; complete some first.`,
          ),
        ];
      }
      const initial = { params, connection };
      const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped(
        initial as unknown as Parameters<Yoga['getEnveloped']>[0],
      );
      let document;
      try {
        document = parse(params.query);
      } catch (error) {
        if (error instanceof GraphQLError) return [error];
        throw error;
      }
      const errors = validate(schema, document);
      if (errors.length > 0) return [...errors];
      const operation = getOperationAST(document, params.operationName);
      if (!operation) {
        return [
          new AppError(
            ErrorCode.BadUserInput,
            params.operationName
              ? `The document has no operation named "${params.operationName}".`
              : 'The document has several operations: say which one with "operationName".',
          ),
        ];
      }
      const isSubscription = operation.operation === 'subscription';
      const ticket = connection.order.enter(isSubscription);
      try {
        const args = { schema, document, operationName: params.operationName, variableValues: params.variables };
        if (!isSubscription) {
          await ticket.ready;
          return (await execute({ ...args, contextValue: await contextFactory() })) as OperationOutcome;
        }
        const contextValue = (await contextFactory()) as Context;
        // Shared subscriptions write this operation's frames through the live engine; the
        // subscription holds the connection, not this context (see ws-sink.ts).
        const subscription = new WsSubscription(wsConnection, id);
        contextValue.subscriber = subscription;
        const result = await subscribe({ ...args, contextValue });
        const field = subscriptionField(document, params.operationName);
        if (!subscription.parked) return meterWebSocketSubscription(services.metrics.live, field, result as OperationOutcome);
        // Delivered by the engine: nothing of the execution stays alive for it.
        subscription.meter(services.metrics.live, field);
        return { parked: subscription };
      } finally {
        ticket.setupDone();
      }
    },
  });

  return {
    get connectionCount() {
      return server.connectionCount;
    },
    get operationCount() {
      return server.operationCount;
    },
    get settingUpCount() {
      return server.settingUpCount;
    },
    async close(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      const waitUntil = async (done: () => boolean, until: number) => {
        while (!done() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, SHUTDOWN_POLL_MS));
      };
      await waitUntil(() => server.settingUpCount === 0, deadline);
      // Sends 1012 to every client; resolves once all of them have closed.
      const closed = server.close(WsCloseCode.ServiceRestart, 'Service restart');
      // Let clients answer the close frame, so that every connection's close hooks (presence)
      // run before Redis goes; cut off those that do not answer.
      await waitUntil(() => server.connectionCount === 0, Math.min(deadline, Date.now() + SOCKET_CLOSE_GRACE_MS));
      server.terminateAll();
      await closed;
    },
  };
}

/** `work`, or UNAVAILABLE when it has not settled within `ms`. */
async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let cancel: (() => void) | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_resolve, reject) => {
        cancel = afterDeadline(ms, () => reject(unavailable(`Redis did not answer within ${ms} ms.`)));
      }),
    ]);
  } finally {
    cancel?.();
  }
}
