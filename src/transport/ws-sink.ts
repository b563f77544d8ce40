import type { ExecutionResult } from 'graphql';
import { WebSocket } from 'ws';
import type { ParkedSubscription } from '../live/engine.js';
import type { LiveMetrics } from '../metrics/live-metrics.js';
import type { EndReason } from '../live/lifetime.js';
import type { FrameSink, LiveOperation, SharedPayload, Subscriber } from '../live/subscriber.js';
import type { ViewerProbe } from '../live/viewer-classes.js';
import type { GraphQLWsConnection, ParkedOperation } from './graphql-ws-server.js';
import { type ConnectionState, executeAs } from './request-context.js';

const FRAME_SUFFIX = Buffer.from('}');
const CLOSING_BRACE = 0x7d;
const TEXT_FRAME = { binary: false };
const FIRST_FRAGMENTS = { binary: false, fin: false };
const LAST_FRAGMENT = { binary: false, fin: true };
/** Payloads from this size on are sent in fragments rather than copied into each member's frame. */
const FRAGMENT_ABOVE_BYTES = 16 * 1024;
/** What a replaying subscription may hold unsent before it reads its next page of history. */
const DRAINED_BELOW_BYTES = 64 * 1024;
const noop = () => undefined;

/**
 * Prefixes made so far, by operation id: clients that number their operations (the web client,
 * graphql-ws clients given a counter `generateID`) share one string per id across sockets.
 */
const prefixes = new Map<string, string>();
const PREFIXES_KEPT = 1024;

/** The `next` frame's prefix of an operation id, one string per id for every socket that uses it. */
function framePrefix(id: string): string {
  let prefix = prefixes.get(id);
  if (prefix === undefined) {
    prefix = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
    // Random ids (graphql-ws's default UUIDs) never repeat: the map stays bounded, and they
    // get a prefix of their own, as before.
    if (prefixes.size < PREFIXES_KEPT) prefixes.set(id, prefix);
  }
  return prefix;
}

/**
 * One graphql-transport-ws subscription that the live layer delivers: its subscriber (who it is,
 * how to run an execution as it) and its frame sink (each shared payload goes out as
 * `{"id":"<id>","type":"next","payload":<shared bytes>}`, the id being the only part that
 * differs between members) in one object, and what the graphql-ws server holds of it while it
 * runs (a {@link ParkedOperation}).
 *
 * What it holds while idle is what every subscription of a socket costs: its connection (shared
 * by the socket's operations: the session, the socket), its id, and once it has sent a frame that
 * frame's prefix (shared by the sockets that use the same id). It does not hold the operation's GraphQL context: each shared execution gets a
 * context of its own, made from the connection ({@link executeAs}).
 */
export class WsSubscription implements Subscriber, FrameSink, ParkedOperation {
  /** The engine's end of the subscription, once the engine delivers it. */
  parked: ParkedSubscription | null = null;
  /** Set once it has ended: the graphql-ws server sends `complete`, or `error` with this. */
  ended = false;
  error: unknown = null;
  /**
   * `{"id":"<id>","type":"next","payload":`, made with the first frame; a string, encoded into each
   * frame, because a small Buffer kept for the subscription's life would keep the 8 KiB pool
   * slab it was cut from alive, with every transient frame cut from the same slab.
   */
  private prefix: string | null = null;
  private prefixBytes = 0;
  /** Where it is counted in the metrics, and as what (see {@link meter}): no closure per subscription. */
  private meteredBy: LiveMetrics | null = null;
  private meteredField = '';

  constructor(
    private readonly connection: GraphQLWsConnection<ConnectionState>,
    private readonly id: string,
  ) {}

  // Subscriber

  get transport() {
    return 'websocket' as const;
  }

  get sink(): FrameSink {
    return this;
  }

  get viewerId(): string | null {
    return this.connection.state?.session?.userId ?? null;
  }

  /** The socket's close ends every operation, and a session's end closes the socket: nothing to watch. */
  watchEnd(): () => void {
    return noop;
  }

  dropSlowConsumer(reason: string): void {
    this.connection.state?.dropSlowConsumer(reason);
  }

  execute(operation: LiveOperation, rootValue: unknown, probe: ViewerProbe | null): Promise<ExecutionResult> {
    return executeAs(this.connection.state!, this, operation, rootValue, probe);
  }

  // FrameSink

  get netSocket() {
    return this.connection.netSocket;
  }

  get open(): boolean {
    return this.connection.socket.readyState === WebSocket.OPEN;
  }

  get bufferedBytes(): number {
    return this.connection.socket.bufferedAmount;
  }

  attach(parked: ParkedSubscription): void {
    this.parked = parked;
  }

  write(payload: SharedPayload): void {
    const { json } = payload;
    const { socket } = this.connection;
    let prefix = this.prefix;
    if (prefix === null) {
      prefix = this.prefix = framePrefix(this.id);
      this.prefixBytes = Buffer.byteLength(prefix);
    }
    if (json.length < FRAGMENT_ABOVE_BYTES) {
      // One text frame from bytes: no UTF-8 re-encoding of the shared payload per member.
      const frame = Buffer.allocUnsafe(this.prefixBytes + json.length + 1);
      // An ASCII prefix (as ids nearly always are) is copied byte for byte, without UTF-8 encoding.
      frame.write(prefix, 0, this.prefixBytes === prefix.length ? 'latin1' : 'utf8');
      json.copy(frame, this.prefixBytes);
      frame[frame.length - 1] = CLOSING_BRACE;
      socket.send(frame, TEXT_FRAME);
    } else {
      // A large payload is not copied per member: the message goes as three fragments, the
      // middle one the shared buffer itself.
      socket.send(prefix, FIRST_FRAGMENTS);
      socket.send(json, FIRST_FRAGMENTS);
      socket.send(FRAME_SUFFIX, LAST_FRAGMENT);
    }
  }

  async drained(): Promise<void> {
    const { netSocket } = this.connection;
    while (this.open && this.bufferedBytes > DRAINED_BELOW_BYTES) {
      await new Promise<void>((resolve) => {
        if (netSocket.writableNeedDrain) {
          const wake = () => {
            netSocket.off('drain', wake);
            netSocket.off('close', wake);
            resolve();
          };
          netSocket.once('drain', wake);
          netSocket.once('close', wake);
        } else setImmediate(resolve);
      });
    }
  }

  /** The engine ended it: the graphql-ws server tells the client (unless the client ended it). */
  finish(reason: EndReason | 'error', error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    if (reason === 'error') this.error = error ?? new Error('The subscription failed.');
    const { meteredBy } = this;
    this.meteredBy = null;
    meteredBy?.unsubscribedWebSocket(this.meteredField);
    this.connection.parkedEnded(this.id, this);
  }

  // ParkedOperation

  /** The client ended it (`complete`, or the socket closed). */
  close(): void {
    this.parked?.close();
  }

  /** Counts it as open in the metrics (by its Subscription field) until it ends. */
  meter(metrics: LiveMetrics, field: string): void {
    if (this.ended) return;
    metrics.subscribedWebSocket(field);
    this.meteredBy = metrics;
    this.meteredField = field;
  }
}
