import type { Socket } from 'node:net';
import type { DocumentNode, ExecutionResult, GraphQLSchema } from 'graphql';
import type { ParkedSubscription } from './engine.js';
import type { EndReason } from './lifetime.js';
import type { ViewerProbe } from './viewer-classes.js';

/** Which transport a subscriber came over (metrics labels). */
export type LiveTransport = 'websocket' | 'sse';

/**
 * One serialised result, shared by every member of a group (or of one viewer class of it): the
 * JSON once, and each transport's framing of it made at most once.
 */
export class SharedPayload {
  private sseFrame: Buffer | null = null;

  constructor(
    /** The ExecutionResult as JSON bytes. */
    readonly json: Buffer,
  ) {}

  /** `event: next\ndata: <json>\n\n`: the same bytes for every SSE stream (distinct-connections mode has no ids). */
  sse(): Buffer {
    return (this.sseFrame ??= Buffer.concat([SSE_NEXT_PREFIX, this.json, SSE_FRAME_END]));
  }
}

const SSE_NEXT_PREFIX = Buffer.from('event: next\ndata: ');
const SSE_FRAME_END = Buffer.from('\n\n');

/**
 * Where a transport takes shared results for one subscription: a graphql-ws operation on a
 * socket, or one SSE stream. The engine writes, corks and measures; the sink only frames.
 */
export interface FrameSink {
  readonly transport: LiveTransport;
  /** The TCP socket under the sink: corked while one turn's frames are written. Null: none (tests). */
  readonly netSocket: Socket | null;
  /** Whether frames can still be written. */
  readonly open: boolean;
  /** Bytes written and not yet taken by the client (what backpressure measures). */
  readonly bufferedBytes: number;
  /** Writes one result. */
  write(payload: SharedPayload): void;
  /** Resolves once the bytes written so far have left (or the sink closed): what a long replay waits on. */
  drained(): Promise<void>;
  /** The engine took the subscription over: the transport waits on `parked` for its end. */
  attach(parked: ParkedSubscription): void;
  /** The subscription ended: `complete` for the server's end, `gone` when the client left, `error` with an error. */
  finish(reason: EndReason | 'error', error?: unknown): void;
}

/** The one operation a group runs per event: the same for every member (its key says so). */
export interface LiveOperation {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName: string | undefined;
  variableValues: Record<string, unknown>;
}

/**
 * What the live layer needs of a subscriber: not the GraphQL context, only who it is (for viewer
 * classes), how its life ends, how to cut it off, how to run an execution as it, and, when the
 * transport can take shared frames, where to write them.
 */
export interface Subscriber {
  /** The viewer's user id, or null when anonymous: what viewer-dependent fields classify by. */
  readonly viewerId: string | null;
  readonly transport: LiveTransport;
  /**
   * Calls `end` once when the client goes away (`'gone'`) or its session ends (`'complete'`);
   * returns the function that stops watching. A transport that ends its subscriptions itself
   * (WebSocket: the socket's close ends every operation, a session's end closes the socket) may
   * return a no-op. It may call `end` synchronously when the client is already gone.
   */
  watchEnd(end: (reason: EndReason) => void): () => void;
  /** Cuts the client off because it does not read fast enough (its queue or socket buffer is full). */
  dropSlowConsumer(reason: string): void;
  /**
   * Runs `operation` once for one event (the root value) as this subscriber: a context of its
   * own for this execution (fresh loaders), the transport's error masking, and `probe` placed
   * where viewer-classified fields record what they read.
   */
  execute(operation: LiveOperation, rootValue: unknown, probe: ViewerProbe | null): Promise<ExecutionResult> | ExecutionResult;
  /** Set when the transport writes shared frames (WebSocket, SSE over node's http); null: it pulls events itself. */
  readonly sink: FrameSink | null;
}
