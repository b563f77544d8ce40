import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** Where Prometheus scrapes, on the metrics listener (and nowhere on the public one). */
export const METRICS_PATH = '/metrics';

/** Options of {@link createMetricsServer}. */
export interface MetricsServerOptions {
  /** METRICS_PORT; 0 picks a free one. */
  port: number;
  /** METRICS_HOST. Default loopback: metrics are for the operator's scraper, not the public. */
  host: string;
}

/** The listener that serves `GET /metrics` (Prometheus text format) and nothing else. */
export interface MetricsServer {
  /** Listens; resolves with the URL of `/metrics`. */
  start(): Promise<string>;
  stop(): Promise<void>;
  readonly server: Server;
}

/** A separate listener, so the public port never exposes metrics (it answers `/metrics` with 404). */
export function createMetricsServer(registry: Registry, options: MetricsServerOptions): MetricsServer {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== METRICS_PATH || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found: GET /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(request.method === 'HEAD' ? undefined : text),
      (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`metrics failed: ${String(error)}\n`),
    );
  });
  return {
    server,
    start: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.host, () => {
          server.off('error', reject);
          const { port } = server.address() as AddressInfo;
          const host = options.host.includes(':') ? `[${options.host}]` : options.host;
          resolve(`http://${host}:${port}${METRICS_PATH}`);
        });
      }),
    stop: () => new Promise((resolve) => (server.listening ? server.close(() => resolve()) : resolve())),
  };
}
