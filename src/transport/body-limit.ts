import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '../errors/app-error.js';

/** The part of an IncomingMessage that whatwg-node takes as the request body (see below). */
type RequestWithBody = IncomingMessage & { body?: Buffer };

/**
 * Hands a request on to `next` (yoga) only once its body is known to fit in `maxBytes`, and
 * answers 413 otherwise. Every HTTP request goes through it; WebSocket upgrades do not (they
 * never reach the request handler, and `ws` has its own `maxPayload`).
 *
 * - A declared `Content-Length` over the limit: 413 at once, nothing read. One within the limit
 *   goes straight on: Node's parser never reads past a declared length.
 * - A body without a declared length (`Transfer-Encoding: chunked`): read here and counted as it
 *   arrives. Past the limit: 413, and the connection closes, so the rest is never kept. Within
 *   it: the bytes go to yoga as `request.body`, which whatwg-node's adapter uses as the body in
 *   place of the (now consumed) stream; that is the path it has for Express's body parsers.
 *   Yoga reads a whole body before it runs anything, so reading it first here changes nothing
 *   for it, and it never sees more than the limit.
 */
export function limitRequestBody(
  request: IncomingMessage,
  response: ServerResponse,
  maxBytes: number,
  next: () => void,
): void {
  const declared = request.headers['content-length'];
  if (request.headers['transfer-encoding'] === undefined) {
    const length = Number(declared ?? 0);
    if (length > maxBytes) {
      refuse(response, `Request body is ${length} bytes; the limit is ${maxBytes}.`);
      return;
    }
    next();
    return;
  }

  const chunks: Buffer[] = [];
  let received = 0;
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (received <= maxBytes) {
      chunks.push(chunk);
      return;
    }
    stopReading();
    chunks.length = 0;
    // `connection: close` makes Node close the socket as soon as the 413 is written; until
    // then, whatever else arrives is dropped (the stream keeps flowing with no listener).
    refuse(response, `Request body is over the limit of ${maxBytes} bytes.`);
  };
  const onEnd = () => {
    stopReading();
    (request as RequestWithBody).body = Buffer.concat(chunks, received);
    next();
  };
  // A client that goes away mid-body: nothing to answer.
  const onAborted = () => stopReading();
  const stopReading = () => {
    request.off('data', onData);
    request.off('end', onEnd);
    request.off('error', onAborted);
  };
  request.on('data', onData);
  request.on('end', onEnd);
  request.on('error', onAborted);
}

/** The 413 answer: a GraphQL-style error, and no keep-alive (the rest of the body is not read). */
function refuse(response: ServerResponse, message: string): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code: ErrorCode.BadUserInput } }] });
  response.writeHead(413, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' });
  response.end(body);
}
