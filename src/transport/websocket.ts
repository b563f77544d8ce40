import { setMaxListeners } from 'node:events';
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { GraphQLError, execute as executeOperation, getOperationAST, type ExecutionArgs } from 'graphql';
import { CloseCode, type Context as GraphQLWsContext } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocket, WebSocketServer } from 'ws';
import type { Session } from '../accounts/sessions.js';
import type { Context, Services } from '../graphql/context.js';
import { AppError, ErrorCode } from '../graphql/errors.js';
import { createErrorMasker } from '../graphql/masking.js';
import { SESSION_COOKIE, bearerToken, cookieAllowedFor, cookieValue } from './credentials.js';
import { GRAPHQL_PATH, type Yoga } from './http.js';
import { OperationOrder } from './operation-order.js';
import type { ConnectionState } from './request-context.js';
import { dependsOnViewer } from './viewer-dependence.js';

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
  /** The server is shutting down. */
  GoingAway: 1001,
} as const;

/** How long a dropped slow consumer has to take the close frame before its socket is destroyed. */
const SLOW_CONSUMER_GRACE_MS = 2000;
const SHUTDOWN_POLL_MS = 10;
/** How long shutdown waits for clients to answer the close frame. */
const SOCKET_CLOSE_GRACE_MS = 1000;

type Extra = { socket: WebSocket; request: IncomingMessage };
type WsContext = GraphQLWsContext<Record<string, unknown> | undefined, Extra>;

interface Connection extends ConnectionState {
  ws: WsContext;
  cleanup(): void;
}

interface RootValue {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
  setupDone: () => void;
}

export interface WebSocketTransport {
  /** Number of open, acknowledged connections. */
  readonly connectionCount: number;
  /**
   * Waits (up to `timeoutMs`) for open operations to finish, which they do once the subscription
   * registry has been closed, then closes every socket with 1001 and stops the server.
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
 * graphql-ws on `ws`, on the HTTP server's `/graphql` path. Each operation goes through
 * `yoga.getEnveloped`, so it has the same context, plugins and error masking as HTTP.
 */
export function createWebSocketTransport(
  httpServer: HttpServer,
  yoga: Yoga,
  services: Services,
  options: WebSocketTransportOptions = {},
): WebSocketTransport {
  const { config, logger, sessions, sessionWatcher } = services;
  const log = logger.child({ transport: 'ws' });
  const connections = new Map<WebSocket, Connection>();
  const errorMasker = createErrorMasker(logger);
  const wss = new WebSocketServer({ server: httpServer, path: GRAPHQL_PATH, maxPayload: config.maxRequestBytes });

  /** The session a `connection_init` asks for. `false`: refuse the connection (4403). */
  async function authenticate(ctx: WsContext): Promise<{ session: Session | null; tokenRejected: boolean } | false> {
    const { request } = ctx.extra;
    const authToken = ctx.connectionParams?.authToken;
    if (authToken !== undefined && authToken !== null) {
      if (typeof authToken !== 'string') return false;
      const session = await sessions.resolve(authToken);
      return session ? { session, tokenRejected: false } : false;
    }
    const header = bearerToken(request.headers.authorization);
    if (header !== undefined) {
      const session = header ? await sessions.resolve(header) : null;
      return session ? { session, tokenRejected: false } : false;
    }
    if (!cookieAllowedFor(request.headers.origin, request.headers.host, config.allowedOrigins)) {
      return { session: null, tokenRejected: false };
    }
    const cookie = cookieValue(request.headers.cookie, SESSION_COOKIE);
    if (!cookie) return { session: null, tokenRejected: false };
    // A stale cookie leaves the connection anonymous (it can still sign in) rather than refused.
    const session = await sessions.resolve(cookie);
    return { session, tokenRejected: session === null };
  }

  function openConnection(ctx: WsContext, session: Session | null, tokenRejected: boolean): void {
    const socket = ctx.extra.socket;
    const closed = new AbortController();
    // One listener per open subscription on this socket; they are removed as each one ends.
    setMaxListeners(0, closed.signal);
    const disposers: Array<() => void> = [];
    if (session) {
      disposers.push(
        sessionWatcher.watch(session, (reason) =>
          socket.close(WsCloseCode.Forbidden, reason === 'expired' ? 'Session expired' : 'Session ended'),
        ),
      );
      if (options.onAuthenticatedConnection) disposers.push(options.onAuthenticatedConnection(session));
    }
    connections.set(socket, {
      ws: ctx,
      session,
      tokenRejected,
      closed,
      order: new OperationOrder(),
      dropSlowConsumer(reason) {
        log.warn({ userId: session?.userId, reason }, 'closing a slow consumer');
        socket.close(WsCloseCode.SlowConsumer, 'Slow consumer: too many undelivered events');
        // A stalled reader may never take the close frame; its buffers must not outlive it.
        setTimeout(() => socket.terminate(), SLOW_CONSUMER_GRACE_MS).unref();
      },
      cleanup() {
        closed.abort();
        for (const dispose of disposers) dispose();
      },
    });
  }

  const graphqlWs = useServer<Record<string, unknown> | undefined, Extra>(
    {
      // Internal errors close sockets with a generic reason; the details go to our log.
      isProd: true,
      connectionInitWaitTimeout: config.connectionInitTimeoutMs,
      onConnect: async (ctx) => {
        let result;
        try {
          result = await authenticate(ctx);
        } catch (error) {
          // Redis did not answer: a retryable close, not graphql-ws's fatal 4500.
          log.warn({ err: error }, 'could not authenticate a connection');
          ctx.extra.socket.close(WsCloseCode.TryAgainLater, 'Try again later');
          return false;
        }
        if (result === false) return false;
        // The socket may have closed while Redis was answering.
        if (ctx.extra.socket.readyState !== WebSocket.OPEN) return false;
        openConnection(ctx, result.session, result.tokenRejected);
        return true;
      },
      onClose: (ctx) => {
        const connection = connections.get(ctx.extra.socket);
        connections.delete(ctx.extra.socket);
        connection?.cleanup();
      },
      onSubscribe: async (ctx, id, params) => {
        // Everything up to `order.enter` runs synchronously on message arrival: that fixes the order.
        const connection = connections.get(ctx.extra.socket);
        if (!connection) return [new AppError(ErrorCode.Unauthenticated, 'The connection is not acknowledged.')];
        if (Object.keys(ctx.subscriptions).length > config.maxSubscriptionsPerConnection) {
          return [
            new AppError(
              ErrorCode.RateLimited,
              `A connection may run at most ${config.maxSubscriptionsPerConnection} operations at once; complete some first.`,
            ),
          ];
        }
        const initial = { ...ctx, req: ctx.extra.request, socket: ctx.extra.socket, params, connection };
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
          if (!isSubscription) await ticket.ready;
          const rootValue: RootValue = { execute, subscribe, setupDone: ticket.setupDone };
          const contextValue = (await contextFactory()) as Context;
          if (isSubscription) {
            // Shared sources deliver this subscription through the fan-out engine.
            const viewer = dependsOnViewer(schema, document) ? (connection.session?.userId ?? '') : null;
            contextValue.fanout = {
              socket: ctx.extra.socket,
              netSocket: ctx.extra.request.socket,
              subscriptionId: id,
              groupKey: JSON.stringify([params.operationName ?? null, params.query, params.variables ?? null, viewer]),
              // graphql-js runs a subscription document's root fields once against the event,
              // as its own subscribe() does per event; yoga's executor would subscribe again.
              execute: async (root) =>
                errorMasker.maskResult(
                  await executeOperation({ schema, document, operationName: params.operationName, variableValues: params.variables, contextValue, rootValue: root }),
                ),
              dropSlowConsumer: connection.dropSlowConsumer,
            };
          }
          return { schema, operationName: params.operationName, document, variableValues: params.variables, contextValue, rootValue };
        } catch (error) {
          ticket.setupDone();
          throw error;
        }
      },
      execute: (args) => (args.rootValue as RootValue).execute(args) as ReturnType<NonNullable<Parameters<typeof useServer>[0]['execute']>>,
      subscribe: async (args) => {
        const root = args.rootValue as RootValue;
        try {
          const result = await root.subscribe(args);
          const parked = (args.contextValue as Context).fanout?.parked;
          if (parked) {
            // Delivered by the fan-out engine: graphql-ws only needs to wait on the parked
            // subscription, and nothing of the operation (context, executor wrappers) needs to
            // stay alive for it. graphql-ws keeps these args for the life of the subscription.
            const held = args as { contextValue?: unknown; rootValue?: unknown };
            held.contextValue = null;
            held.rootValue = null;
            return parked as unknown as Awaited<ReturnType<NonNullable<Parameters<typeof useServer>[0]['subscribe']>>>;
          }
          return result as Awaited<ReturnType<NonNullable<Parameters<typeof useServer>[0]['subscribe']>>>;
        } finally {
          root.setupDone();
        }
      },
    },
    wss,
    config.keepAliveMs,
  );

  const openOperations = () => {
    let count = 0;
    for (const connection of connections.values()) count += Object.keys(connection.ws.subscriptions).length;
    return count;
  };

  return {
    get connectionCount() {
      return connections.size;
    },
    async close(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      const waitUntil = async (done: () => boolean, until: number) => {
        while (!done() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, SHUTDOWN_POLL_MS));
      };
      await waitUntil(() => openOperations() === 0, deadline);
      // Sends 1001 to every client; resolves once all of them have closed.
      const disposed = graphqlWs.dispose();
      // Let clients answer the close frame, so that every connection's close hooks (presence)
      // run before Redis goes; cut off those that do not answer.
      await waitUntil(() => connections.size === 0, Math.min(deadline, Date.now() + SOCKET_CLOSE_GRACE_MS));
      for (const socket of wss.clients) socket.terminate();
      await disposed;
    },
  };
}
