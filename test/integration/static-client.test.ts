import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSchema, createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveClientPath, useStaticClient } from '../../src/transport/static-client.js';

// The static file plugin on its own, in front of a trivial yoga, over real HTTP: raw request
// paths (with `..`, encoded or not) reach it exactly as a hostile client sends them.

let scratch: string;
let built: string;
const servers: Server[] = [];

function serve(root: string): Promise<string> {
  const yoga = createYoga({
    schema: createSchema({ typeDefs: 'type Query { ok: Boolean }', resolvers: { Query: { ok: () => true } } }),
    graphiql: false,
    landingPage: false,
    plugins: [useStaticClient({ root, apiPaths: ['/graphql', '/health'] })],
  });
  const server = createServer(yoga);
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

/** A GET with the path sent byte for byte (fetch and URL would normalise `..` away). */
function rawGet(base: string, path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

let base: string;
let notBuiltBase: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'static-client-'));
  built = join(scratch, 'dist');
  mkdirSync(join(built, 'assets'), { recursive: true });
  writeFileSync(join(built, 'index.html'), '<!doctype html><title>client</title>');
  writeFileSync(join(built, 'assets', 'app-abc123.js'), 'console.log(1)');
  writeFileSync(join(built, 'favicon.svg'), '<svg/>');
  writeFileSync(join(built, '.env'), 'SECRET=dotfile');
  writeFileSync(join(scratch, 'secret.txt'), 'SECRET=outside');
  base = await serve(built);
  notBuiltBase = await serve(join(scratch, 'missing'));
});

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  rmSync(scratch, { recursive: true, force: true });
});

describe('serving the built client', () => {
  it('serves the page with no-cache and a CSP, hashed assets as immutable, other files for an hour', async () => {
    const page = await rawGet(base, '/');
    expect(page.status).toBe(200);
    expect(page.body).toBe('<!doctype html><title>client</title>');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const asset = await rawGet(base, '/assets/app-abc123.js');
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await rawGet(base, '/favicon.svg')).headers['cache-control']).toBe('public, max-age=3600');
  });

  it('answers a matching If-None-Match with 304, and HEAD without a body', async () => {
    const first = await fetch(`${base}/`);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/"/);
    const again = await fetch(`${base}/`, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const head = await rawGet(base, '/assets/app-abc123.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(String('console.log(1)'.length));
  });

  it('falls back to the page for client routes, but never for a missing asset', async () => {
    const route = await rawGet(base, '/rooms/0');
    expect(route.status).toBe(200);
    expect(route.body).toContain('<title>client</title>');
    expect((await rawGet(base, '/assets/gone-123.js')).status).toBe(404);
    expect((await rawGet(base, '/missing.css')).status).toBe(404);
  });

  it('never serves a file outside the client or a dot-file, however the path is spelt', async () => {
    for (const path of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/%2e%2e%5csecret.txt',
      '/.env',
      '/%2eenv',
      '/assets/%00.js',
      '/%E0%A4%A',
    ]) {
      const response = await rawGet(base, path);
      expect(response.body, path).not.toContain('SECRET');
      // Either refused, or the page itself (a path that normalises to a client route).
      if (response.status === 200) expect(response.body, path).toContain('<title>client</title>');
      else expect(response.status, path).toBe(404);
    }
    expect(resolveClientPath('/srv/client', '/..%2f..%2fetc/passwd')).toBeNull();
    expect(resolveClientPath('/srv/client', '/assets/a.js')).toBe('/srv/client/assets/a.js');
  });

  it('leaves API paths and other methods to yoga', async () => {
    const graphql = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ ok }' }),
    });
    expect(await graphql.json()).toEqual({ data: { ok: true } });
    const post = await fetch(`${base}/`, { method: 'POST' });
    expect(post.status).toBe(404);
    expect(await post.text()).not.toContain('<title>client</title>');
  });

  it('says how to build the client when it is not built', async () => {
    const page = await rawGet(notBuiltBase, '/');
    expect(page.status).toBe(503);
    expect(page.body).toContain('npm run build:client');
  });
});
