import type { Session } from '../accounts/sessions.js';
import { createUserLoader } from '../accounts/user-loader.js';
import type { Context, Services, SessionCookie } from '../graphql/context.js';
import type { OperationOrder } from './operation-order.js';
import { UNKNOWN_ADDRESS } from './client-address.js';
import { SESSION_COOKIE, bearerToken, cookieAllowedFor } from './credentials.js';

/** What a WebSocket connection knows about itself once `connection_init` is accepted. */
export interface ConnectionState {
  session: Session | null;
  /** The client address of the upgrade request (see client-address.ts). */
  clientAddress: string;
  tokenRejected: boolean;
  /** Aborted when the socket closes; made on first use. */
  closedSignal(): AbortSignal;
  order: OperationOrder;
  /** Closes the socket because the client does not keep up. */
  dropSlowConsumer(reason: string): void;
}

/** Extra fields yoga's initial context carries for operations that arrive over WebSocket. */
export interface ServerContext {
  connection?: ConnectionState;
  /** HTTP: the client address of the request, resolved by the HTTP server (see client-address.ts). */
  clientAddress?: string;
}

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
): Promise<Context> {
  if (connection) {
    return {
      services,
      session: connection.session,
      clientAddress: connection.clientAddress,
      tokenRejected: connection.tokenRejected,
      closedSignal: connection.closedSignal,
      dropSlowConsumer: connection.dropSlowConsumer,
      cookie: null,
      loaders: { users: createUserLoader(services.redis) },
    };
  }
  const token = await httpToken(request, services);
  const session = token ? await services.identities.resolve(token) : null;
  return {
    services,
    session,
    clientAddress,
    tokenRejected: token !== undefined && session === null,
    closedSignal: () => request.signal,
    // The stream's own queue has already been cut off; SSE has no close code to send.
    dropSlowConsumer: (reason) => {
      services.metrics.live.droppedSlow('sse');
      services.logger.warn({ transport: 'sse', reason }, 'dropped a slow subscriber');
    },
    cookie: cookieFor(request, services.config.cookieSecure),
    loaders: { users: createUserLoader(services.redis) },
  };
}
