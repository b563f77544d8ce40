import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { Plugin } from 'graphql-yoga';
import type { ParkedSubscription } from '../live/engine.js';
import type { EndReason } from '../live/lifetime.js';
import type { FrameSink, SharedPayload } from '../live/subscriber.js';

/** The headers yoga's own SSE result processor sends (graphql-sse's distinct connections mode). */
const SSE_HEADERS = {
  'Content-Type': 'text/event-stream',
  Connection: 'keep-alive',
  'Cache-Control': 'no-cache',
  'Content-Encoding': 'none',
} as const;
/** A comment line: starts the body at once (some browsers wait for the first byte) and keeps idle streams open. */
const PING = Buffer.from(':\n\n');
const COMPLETE = Buffer.from('event: complete\ndata:\n\n');
/** Yoga's keep-alive interval for SSE (12 s); one timer for every open stream. */
const PING_MS = 12_000;
/** What a replaying stream may hold unsent before it reads its next page of history. */
const DRAINED_BELOW_BYTES = 64 * 1024;

const ignore = () => undefined;

const pinged = new Set<SseSink>();
let pinger: NodeJS.Timeout | null = null;

function startPinging(sink: SseSink): void {
  pinged.add(sink);
  if (pinger) return;
  pinger = setInterval(() => {
    for (const open of pinged) open.ping();
  }, PING_MS);
  pinger.unref();
}

function stopPinging(sink: SseSink): void {
  pinged.delete(sink);
  if (pinged.size === 0 && pinger) {
    clearInterval(pinger);
    pinger = null;
  }
}

/** The body of one SSE response: the engine pushes frames, node pipes them to the socket. */
class SseBody extends Readable {
  constructor(private readonly sink: SseSink) {
    super();
  }

  override _read(): void {
    // Frames are pushed as events arrive; backpressure is measured, not waited on.
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.sink.bodyDestroyed();
    callback(error);
  }
}

/**
 * One SSE stream as a frame sink of the live layer: every member of a group gets the same
 * `event: next` bytes (made once per group and event), written straight into the response
 * that node pipes to the socket, with the engine's backpressure (bytes in the body plus bytes in
 * the response's buffer).
 */
export class SseSink implements FrameSink {
  readonly transport = 'sse' as const;
  parked: ParkedSubscription | null = null;
  /** Called once the stream has ended, however (the yoga result's iterator is returned then). */
  onDone: (() => void) | null = null;
  private body: SseBody | null = null;
  private done = false;

  constructor(private readonly response: ServerResponse) {}

  get netSocket() {
    return this.response.socket;
  }

  get open(): boolean {
    return !this.done && !this.response.destroyed;
  }

  /** Whether the stream has ended. */
  get finished(): boolean {
    return this.done;
  }

  get bufferedBytes(): number {
    return (this.body?.readableLength ?? 0) + this.response.writableLength;
  }

  /** The response body (made on first use, starting with a ping). */
  readable(): Readable {
    if (!this.body) {
      const body = this.makeBody();
      if (this.done) body.push(null);
      else startPinging(this);
    }
    return this.body!;
  }

  /** Makes the body with its first ping, and nothing after it: whoever makes it decides its end. */
  private makeBody(): SseBody {
    const body = new SseBody(this);
    // A failing body (the socket's error, a frame pushed after its end) ends this stream: it
    // must never be an unlistened 'error' that ends the process.
    body.on('error', ignore);
    body.push(PING);
    this.body = body;
    return body;
  }

  attach(parked: ParkedSubscription): void {
    this.parked = parked;
  }

  write(payload: SharedPayload): void {
    this.readable().push(payload.sse());
  }

  ping(): void {
    if (this.open && this.bufferedBytes === 0) this.body?.push(PING);
  }

  async drained(): Promise<void> {
    while (this.open && this.bufferedBytes > DRAINED_BELOW_BYTES) {
      await new Promise<void>((resolve) => {
        if (this.response.writableNeedDrain) {
          const wake = () => {
            this.response.off('drain', wake);
            this.response.off('close', wake);
            resolve();
          };
          this.response.once('drain', wake);
          this.response.once('close', wake);
        } else setImmediate(resolve);
      });
    }
  }

  finish(reason: EndReason | 'error', error?: unknown): void {
    if (this.done) return;
    this.done = true;
    stopPinging(this);
    if (reason === 'gone') {
      this.body?.destroy();
      if (!this.body) this.response.destroy();
    } else {
      // Not readable(): a body made now is already done, and its end must follow these frames.
      const body = this.body ?? this.makeBody();
      if (reason === 'error') {
        const message = error instanceof Error ? error.message : 'Unexpected error.';
        body.push(Buffer.from(`event: next\ndata: ${JSON.stringify({ errors: [{ message }] })}\n\n`));
      }
      body.push(COMPLETE);
      body.push(null);
    }
    this.onDone?.();
    this.onDone = null;
  }

  /** Cuts the stream (a slow consumer): the client sees the connection drop and reconnects. */
  destroy(): void {
    this.response.destroy();
  }

  /** The client went away (node destroyed the body when the response closed). */
  bodyDestroyed(): void {
    if (!this.done) this.parked?.close();
    this.done = true;
    stopPinging(this);
  }
}

/** The SSE sink of each HTTP request that may become a stream (see request-context.ts). */
export const sseSinks = new WeakMap<Request, SseSink>();

/**
 * Hands SSE subscriptions that the live layer delivers to their sink: yoga's SSE result
 * processor would execute and serialise every event per stream; here the response body is the
 * sink, which the engine writes shared frames into. Everything before (parsing, validation,
 * auth, limits, the subscribe resolver) is yoga's as for any request.
 */
export function useLiveSse(): Plugin {
  return {
    onResultProcess({ request, result, acceptableMediaTypes, setResultProcessor }) {
      const sink = sseSinks.get(request);
      if (!sink?.parked || !acceptableMediaTypes.includes('text/event-stream')) return;
      setResultProcessor((_result, fetchAPI) => {
        // The execution's own iterator (graphql-js's, metered) yields nothing: it ends with the stream.
        const end = () => {
          const iterator = result as Partial<AsyncIterator<unknown>>;
          void iterator.return?.()?.catch(() => undefined);
        };
        if (sink.finished) end();
        else sink.onDone = end;
        return new fetchAPI.Response(sink.readable() as unknown as BodyInit, { status: 200, headers: SSE_HEADERS });
      }, 'text/event-stream');
    },
  };
}
