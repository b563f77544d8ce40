/** Name of the HttpOnly cookie that carries the session token in browsers. */
export const SESSION_COOKIE = 'session';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * The token of an `Authorization: Bearer <token>` header. `undefined` when there is no header;
 * `null` when there is one but it is not a bearer token (which counts as a rejected token).
 */
export function bearerToken(header: string | null | undefined): string | null | undefined {
  if (!header) return undefined;
  return BEARER.exec(header)?.[1] ?? null;
}

/** The value of one cookie in a `Cookie` header. */
export function cookieValue(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) {
      try {
        return decodeURIComponent(part.slice(index + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * Whether a request may use the session cookie: browsers send it to us from any page, so it is
 * honoured only when the request comes from our own origin, an allowed one, or no page at all
 * (no `Origin` header: curl, server-to-server, same-origin GETs). This is the cross-site WebSocket
 * hijacking and CSRF guard; bearer tokens need none, as pages cannot add them for another site.
 */
export function cookieAllowedFor(origin: string | null | undefined, host: string | null | undefined, allowedOrigins: readonly string[]): boolean {
  if (!origin) return true;
  if (allowedOrigins.includes(origin)) return true;
  try {
    return Boolean(host) && new URL(origin).host === host;
  } catch {
    return false;
  }
}
