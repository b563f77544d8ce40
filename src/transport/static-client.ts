import { readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'graphql-yoga';

/** Where `npm run build:client` (Vite) writes the web client. */
export const CLIENT_DIST_DIR = fileURLToPath(new URL('../../client/dist/', import.meta.url));

/** Vite puts content-hashed files here: their name changes whenever their content does. */
const HASHED_ASSETS_PREFIX = '/assets/';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/**
 * The page may load its own scripts and styles and talk to its own origin (HTTP and WebSocket:
 * CSP 'self' covers ws:/wss: to the same host) and nothing else. React renders message text as
 * text, so this is a second line of defence, not the first.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Switchboard</title></head>
<body><h1>The web client is not built</h1>
<p>Run <code>npm run build:client</code> (<code>npm start</code> does it when <code>client/dist</code> is missing),
or open the API in GraphiQL at <a href="/graphql">/graphql</a>.</p></body></html>`;

/** Options of {@link useStaticClient}. */
export interface StaticClientOptions {
  /** The built client: a directory with index.html and assets/. Default {@link CLIENT_DIST_DIR}. */
  root?: string;
  /**
   * Paths that stay with yoga: exact paths, and everything below them. Default: none; pass the
   * GraphQL endpoint and the health and readiness paths.
   */
  apiPaths: readonly string[];
  /**
   * Paths answered 404 here, neither the client's page nor the API: `/metrics`, which only the
   * metrics listener serves, must not look like it exists on the public port. Default: none.
   */
  notFoundPaths?: readonly string[];
}

interface FoundFile {
  path: string;
  size: number;
  mtimeMs: number;
}

async function findFile(path: string): Promise<FoundFile | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? { path, size: info.size, mtimeMs: info.mtimeMs } : null;
  } catch {
    return null;
  }
}

/**
 * The file a URL path names inside `root`, or null when it names nothing we serve: a path that
 * does not decode, has a NUL, a backslash, `..` or a dot-file segment, or leads outside `root`.
 */
export function resolveClientPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment.startsWith('.'))) return null;
  const path = join(root, ...segments);
  const inside = relative(root, path);
  if (inside.startsWith('..') || isAbsolute(inside) || inside.split(sep).includes('..')) return null;
  return path;
}

/** Cache-Control by kind of file: hashed assets forever, the page always revalidated. */
function cacheControl(urlPath: string, isPage: boolean): string {
  if (isPage) return 'no-cache';
  if (urlPath.startsWith(HASHED_ASSETS_PREFIX)) return 'public, max-age=31536000, immutable';
  return 'public, max-age=3600';
}

const etagOf = (file: FoundFile) => `W/"${file.size.toString(16)}-${Math.trunc(file.mtimeMs).toString(16)}"`;

/**
 * Serves the built web client at `/`: its files with sensible cache headers, and index.html for
 * any other GET that is not an API path (the client's own routes). Only GET and HEAD; API paths
 * and other methods go on to yoga untouched.
 */
export function useStaticClient(options: StaticClientOptions): Plugin {
  const root = options.root ?? CLIENT_DIST_DIR;
  const isApiPath = (path: string) => options.apiPaths.some((api) => path === api || path.startsWith(`${api}/`));
  const notFound = new Set(options.notFoundPaths ?? []);

  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      if (isApiPath(url.pathname)) return;
      const respond = (status: number, body: BodyInit | null, headers: Record<string, string>) =>
        endResponse(
          new fetchAPI.Response(request.method === 'HEAD' ? null : body, {
            status,
            headers: { 'x-content-type-options': 'nosniff', ...headers },
          }),
        );

      const requested = resolveClientPath(root, url.pathname);
      if (requested === null || notFound.has(url.pathname)) return respond(404, 'Not found', { 'content-type': 'text/plain; charset=utf-8' });
      let file = url.pathname.endsWith('/') ? null : await findFile(requested);
      let isPage = file !== null && extname(file.path) === '.html';
      if (file === null) {
        // A missing asset is a 404, never the page: a script tag must not receive HTML.
        if (url.pathname.startsWith(HASHED_ASSETS_PREFIX) || (extname(url.pathname) !== '' && extname(url.pathname) !== '.html')) {
          return respond(404, 'Not found', { 'content-type': 'text/plain; charset=utf-8' });
        }
        file = await findFile(join(root, 'index.html'));
        isPage = true;
        if (file === null) {
          return respond(503, NOT_BUILT_PAGE, { 'content-type': CONTENT_TYPES['.html']!, 'cache-control': 'no-store' });
        }
      }

      const etag = etagOf(file);
      const headers: Record<string, string> = {
        'content-type': CONTENT_TYPES[extname(file.path)] ?? 'application/octet-stream',
        'cache-control': cacheControl(url.pathname, isPage),
        etag,
      };
      if (isPage) {
        headers['content-security-policy'] = CONTENT_SECURITY_POLICY;
        headers['referrer-policy'] = 'same-origin';
      }
      if (request.headers.get('if-none-match') === etag) return respond(304, null, headers);
      let body: Uint8Array<ArrayBuffer>;
      try {
        // (A copy into a plain ArrayBuffer, which is what a fetch Response body is typed to take.)
        body = new Uint8Array(await readFile(file.path));
      } catch {
        // Removed between stat and read (a rebuild in progress).
        return respond(404, 'Not found', { 'content-type': 'text/plain; charset=utf-8' });
      }
      headers['content-length'] = String(body.byteLength);
      return respond(200, body, headers);
    },
  };
}
