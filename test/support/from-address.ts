import { request, type IncomingMessage } from 'node:http';
import type { GraphQLResponse, Operation } from './graphql.js';

/**
 * Requests from a chosen loopback address (127.0.0.2, 127.0.0.3, ...: every 127/8 address is
 * local on Linux), so that one test can act as several clients for per-address limits.
 */
export interface FromAddress {
  /** The client socket's local address. */
  localAddress: string;
  /** Extra request headers, e.g. `x-forwarded-for`. */
  headers?: Record<string, string>;
  token?: string;
}

function headersOf(from: FromAddress, accept: string, body: string): Record<string, string | number> {
  return {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    accept,
    ...(from.token ? { authorization: `Bearer ${from.token}` } : {}),
    ...from.headers,
  };
}

/** POSTs one operation over HTTP from `from.localAddress`. */
export function postFrom<T = Record<string, unknown>, V = Record<string, unknown>>(
  url: string,
  query: Operation<T, V>,
  variables: V,
  from: FromAddress,
): Promise<GraphQLResponse<T>> {
  const body = JSON.stringify({ query: query.toString(), variables });
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', localAddress: from.localAddress, headers: headersOf(from, 'application/graphql-response+json, application/json', body), agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          try {
            const headers = new Headers();
            for (const [name, value] of Object.entries(response.headers)) if (typeof value === 'string') headers.set(name, value);
            resolve({ status: response.statusCode ?? 0, headers, body: JSON.parse(Buffer.concat(chunks).toString()) as GraphQLResponse<T>['body'] });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
        response.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** An SSE subscription stream opened from a chosen address. */
export interface SseStream {
  status: number;
  /** The `data:` payloads received so far, parsed. */
  readonly events: Array<Record<string, unknown>>;
  /** The whole body when the server answered with JSON instead of a stream (a refusal). */
  readonly json: GraphQLResponse['body'] | null;
  /** Resolves once the server has ended the response. */
  ended: Promise<void>;
  /** Closes the client's side. */
  close(): void;
}

/** Opens `POST /graphql` with `Accept: text/event-stream` from `from.localAddress`. */
export function sseFrom<V>(url: string, query: Operation<unknown, V>, variables: V, from: FromAddress): Promise<SseStream> {
  const body = JSON.stringify({ query: query.toString(), variables });
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', localAddress: from.localAddress, headers: headersOf(from, 'text/event-stream', body), agent: false },
      (response: IncomingMessage) => {
        const events: Array<Record<string, unknown>> = [];
        let text = '';
        let json: GraphQLResponse['body'] | null = null;
        const isStream = String(response.headers['content-type'] ?? '').includes('text/event-stream');
        const ended = new Promise<void>((done) => {
          response.on('close', () => done());
          response.on('end', () => done());
        });
        response.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (!isStream) return;
          let boundary;
          while ((boundary = text.indexOf('\n\n')) >= 0) {
            const frame = text.slice(0, boundary);
            text = text.slice(boundary + 2);
            for (const line of frame.split('\n')) if (line.startsWith('data:') && line.slice(5).trim()) events.push(JSON.parse(line.slice(5)) as Record<string, unknown>);
          }
        });
        response.on('end', () => {
          if (!isStream && text) json = JSON.parse(text) as GraphQLResponse['body'];
        });
        response.on('error', () => undefined);
        resolve({
          status: response.statusCode ?? 0,
          events,
          get json() {
            return json;
          },
          ended,
          close: () => req.destroy(),
        });
      },
    );
    req.on('error', (error) => reject(error));
    req.end(body);
  });
}
