import type { ServerResponse } from 'node:http';
import { type ExecutionResult, execute as executeOperation } from 'graphql';
import type { Session } from '../accounts/sessions.js';
import { createUserLoader } from '../accounts/user-loader.js';
import type { Context, Services, SessionCookie } from '../graphql/context.js';
import { createErrorMasker } from '../graphql/masking.js';
import type { EndReason } from '../live/lifetime.js';
import type { FrameSink, LiveOperation, LiveTransport, Subscriber } from '../live/subscriber.js';
import { type ViewerProbe, withProbe } from '../live/viewer-classes.js';
import type { OperationOrder } from './operation-order.js';
import { UNKNOWN_ADDRESS } from '../common/client-address.js';
import { SESSION_COOKIE, bearerToken, cookieAllowedFor } from './credentials.js';
import { SseSink, sseSinks } from './sse.js';

/**
 * The parts of a GraphQL context that outlive one operation: what a shared execution's context is
 * made from ({@link executeAs}), so that a subscription need not keep the context it started with.
 */
export interface ExecutionIdentity {
  services: Services;
  session: Session | null;
  clientAddress: string;
  tokenRejected: boolean;
  closedSignal(): AbortSignal;
  cookie?: SessionCookie | null;
}

/** What a WebSocket connection knows about itself once `connection_init` is accepted. */
export interface ConnectionState extends ExecutionIdentity {
  session: Session | null;
  /** The client address of the upgrade request (see common/client-address.ts). */
  clientAddress: string;
  tokenRejected: boolean;
  /** Aborted when the socket closes; made on first use. */
  closedSignal(): AbortSignal;
  order: OperationOrder;
  /** Closes the socket because the client does not keep up. */
  dropSlowConsumer(reason: string): void;
}

/** Makes a context's subscriber and ties them together. */
function withSubscriber(context: Omit<Context, 'subscriber'>, subscriber: ContextSubscriber): Context {
  const full = context as Context;
  full.subscriber = subscriber;
  subscriber.context = full;
  return full;
}

/** Extra fields yoga's initial context carries for operations that arrive over WebSocket. */
export interface ServerContext {
  connection?: ConnectionState;
  /** HTTP: the client address of the request, resolved by the HTTP server (see common/client-address.ts). */
  clientAddress?: string;
  /** HTTP on node: the response (whatwg-node's server context), where an SSE stream's frames go. */
  res?: ServerResponse;
}

const maskers = new WeakMap<Services, ReturnType<typeof createErrorMasker>>();
const maskerOf = (services: Services) => {
  let masker = maskers.get(services);
  if (!masker) maskers.set(services, (masker = createErrorMasker(services.logger)));
  return masker;
};

/**
 * The caller as the live layer sees it. Its `execute` runs a shared operation with a context of
 * its own for that execution (this subscriber's session, fresh loaders): the engine calls it on
 * a group's current members only, so no member's context outlives its membership.
 */
export class ContextSubscriber implements Subscriber {
  /** Set right after the context is made (the context holds this subscriber too). */
  context!: Context;

  constructor(
    readonly transport: LiveTransport,
    readonly sink: FrameSink | null,
    private readonly ends: ((end: (reason: EndReason) => void) => () => void) | null,
    private readonly drop: (reason: string) => void,
  ) {}

  get viewerId(): string | null {
    return this.context.session?.userId ?? null;
  }

  watchEnd(end: (reason: EndReason) => void): () => void {
    return this.ends ? this.ends(end) : noop;
  }

  dropSlowConsumer(reason: string): void {
    this.drop(reason);
  }

  execute(operation: LiveOperation, rootValue: unknown, probe: ViewerProbe | null): Promise<ExecutionResult> {
    return executeAs(this.context, this, operation, rootValue, probe);
  }
}

/**
 * Runs one shared execution as `identity`: a context of its own (fresh loaders, the identity's
 * session; nothing of the operation that subscribed), the transport's error masking, and `probe`
 * where viewer-classified fields record what they read.
 */
export async function executeAs(
  identity: ExecutionIdentity,
  subscriber: Subscriber,
  operation: LiveOperation,
  rootValue: unknown,
  probe: ViewerProbe | null,
): Promise<ExecutionResult> {
  const { services } = identity;
  const contextValue: Context = withProbe(
    {
      services,
      session: identity.session,
      clientAddress: identity.clientAddress,
      tokenRejected: identity.tokenRejected,
      closedSignal: identity.closedSignal,
      cookie: identity.cookie ?? null,
      subscriber,
      loaders: { users: createUserLoader(services.redis) },
    },
    probe,
  );
  return maskerOf(services).maskResult(await executeOperation({ ...operation, contextValue, rootValue }));
}

const noop = () => undefined;

/** The part of `request.cookieStore` (from useCookies) that we use. */
interface CookieStoreLike {
  get(name: string): Promise<{ value?: string | undefined } | undefined | null>;
  set(cookie: {
    name: string;
    value: string;
    path: string;
    domain: null;
    expires: number;
    httpOnly: boolean;
    secure: boolean;
    sameSite: 'lax';
  }): Promise<void>;
}

type RequestWithCookies = Request & { cookieStore?: CookieStoreLike };

function cookieFor(request: RequestWithCookies, secure: boolean): SessionCookie | null {
  const store = request.cookieStore;
  if (!store) return null;
  const attributes = { name: SESSION_COOKIE, path: '/', httpOnly: true, sameSite: 'lax' as const, secure, domain: null };
  return {
    set: (token, expiresAt) => store.set({ ...attributes, value: token, expires: expiresAt }),
    clear: () => store.set({ ...attributes, value: '', expires: 0 }),
  };
}

/**
 * The session token of an HTTP request: the bearer header first, else the session cookie when
 * the request's origin may use it. `undefined`: none was sent; `null`: one was sent but unusable.
 */
async function httpToken(request: RequestWithCookies, services: Services): Promise<string | null | undefined> {
  const bearer = bearerToken(request.headers.get('authorization'));
  if (bearer !== undefined) return bearer;
  if (!cookieAllowedFor(request.headers.get('origin'), request.headers.get('host'), services.config.allowedOrigins)) {
    return undefined;
  }
  const cookie = await request.cookieStore?.get(SESSION_COOKIE);
  return cookie?.value ? cookie.value : undefined;
}

/** Builds the context of an operation: from its connection over WebSocket, from headers over HTTP. */
export async function createRequestContext(
  services: Services,
  request: RequestWithCookies,
  connection: ConnectionState | undefined,
  clientAddress: string = UNKNOWN_ADDRESS,
  response?: ServerResponse,
): Promise<Context> {
  if (connection) {
    // The WebSocket transport replaces this subscriber with one that has the operation's sink;
    // the socket's close and the session's end (which closes the socket) end its operations.
    return withSubscriber(
      {
        services,
        session: connection.session,
        clientAddress: connection.clientAddress,
        tokenRejected: connection.tokenRejected,
        closedSignal: connection.closedSignal,
        cookie: null,
        loaders: { users: createUserLoader(services.redis) },
      },
      new ContextSubscriber('websocket', null, null, connection.dropSlowConsumer),
    );
  }
  const token = await httpToken(request, services);
  const session = token ? await services.identities.resolve(token) : null;
  // A request that asks for an event stream, on node's http: shared subscriptions write its frames.
  const sink = response && request.headers.get('accept')?.includes('text/event-stream') ? new SseSink(response) : null;
  if (sink) sseSinks.set(request, sink);
  let dropped = false;
  const subscriber = new ContextSubscriber(
    'sse',
    sink,
    (end) => {
      const gone = () => end('gone');
      if (request.signal.aborted) {
        end('gone');
        return noop;
      }
      request.signal.addEventListener('abort', gone, { once: true });
      const unwatch = session ? services.sessionWatcher.watch(session, () => end('complete')) : noop;
      return () => {
        request.signal.removeEventListener('abort', gone);
        unwatch();
      };
    },
    (reason) => {
      // Once per request, however often its subscription reports it.
      if (dropped) return;
      dropped = true;
      services.metrics.live.droppedSlow('sse');
      services.logger.warn({ transport: 'sse', reason }, 'dropped a slow subscriber');
      // SSE has no close code: the stream is cut, and graphql-sse clients reconnect. A stream
      // without a sink (it pulls) is ended by the engine with SLOW_CONSUMER.
      sink?.destroy();
    },
  );
  return withSubscriber(
    {
      services,
      session,
      clientAddress,
      tokenRejected: token !== undefined && session === null,
      closedSignal: () => request.signal,
      cookie: cookieFor(request, services.config.cookieSecure),
      loaders: { users: createUserLoader(services.redis) },
    },
    subscriber,
  );
}
