import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { Plugin } from 'graphql-yoga';

/** How long browsers and proxies may reuse the page without asking (it changes only with a deploy). */
export const GRAPHIQL_MAX_AGE_SECONDS = 3600;

/** What the page is rendered with (yoga's GraphiQL options). */
export interface GraphiQLPageOptions {
  title: string;
  subscriptionsProtocol: 'WS' | 'SSE' | 'GRAPHQL_SSE' | 'LEGACY_WS';
  defaultQuery: string;
}

interface RenderedPage {
  body: Uint8Array<ArrayBuffer>;
  gzipped: Uint8Array<ArrayBuffer>;
  etag: string;
  headers: Record<string, string>;
}

/**
 * The Content-Security-Policy of the page: its two inline scripts by hash (nothing else inline may
 * run), its own origin for fetches and WebSockets, blob: workers (Monaco's), inline styles and
 * data: images and fonts (the bundle inlines them), and no framing.
 */
function contentSecurityPolicy(html: string): string {
  const hashes = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
    (match) => `'sha256-${createHash('sha256').update(match[1] ?? '').digest('base64')}'`,
  );
  return [
    "default-src 'self'",
    `script-src 'self' ${hashes.join(' ')} blob:`,
    "worker-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self' ws: wss:",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

function render(options: GraphiQLPageOptions): RenderedPage {
  const html = renderGraphiQL(options);
  const body = new TextEncoder().encode(html);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return {
    body,
    gzipped: new Uint8Array(gzipSync(body)),
    etag,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': `public, max-age=${GRAPHIQL_MAX_AGE_SECONDS}`,
      etag,
      vary: 'Accept, Accept-Encoding',
      'content-security-policy': contentSecurityPolicy(html),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    },
  };
}

/**
 * Serves GraphiQL on `GET <path>` with `Accept: text/html`, as yoga would, but rendered once (on
 * the first request, not at start) and kept as bytes, gzipped when the client accepts it, with
 * cache headers, an ETag (a matching `If-None-Match` gets a 304 and no body) and a CSP. Yoga's own
 * GraphiQL renders and encodes its 9 MB page on every request (~75 ms of CPU each).
 */
export function useCachedGraphiQL(path: string, options: GraphiQLPageOptions): Plugin {
  let page: RenderedPage | null = null;
  return {
    onRequest({ request, url, fetchAPI, endResponse }) {
      if (request.method !== 'GET' || !request.headers.get('accept')?.includes('text/html')) return;
      if (url.pathname !== path && url.pathname !== `${path}/`) return;
      page ??= render(options);
      if (request.headers.get('if-none-match') === page.etag) {
        endResponse(new fetchAPI.Response(null, { status: 304, headers: { etag: page.etag, 'cache-control': page.headers['cache-control']! } }));
        return;
      }
      const gzip = /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '');
      // A fresh object each time: the Response may add to the headers it is given (content-length).
      const headers = gzip ? { ...page.headers, 'content-encoding': 'gzip' } : { ...page.headers };
      endResponse(new fetchAPI.Response(gzip ? page.gzipped : page.body, { status: 200, headers }));
    },
  };
}
