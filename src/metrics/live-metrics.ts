import type { Counter, Gauge } from 'prom-client';
import type { TransportLabel } from './metrics.js';

/**
 * Close codes counted under their own label; any other code a client sends (3000-4999 are free
 * for applications) counts as `other`, so the label set stays bounded.
 */
const KNOWN_CLOSE_CODES = new Set([
  1000, 1001, 1002, 1003, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 1015,
  4400, 4401, 4403, 4406, 4408, 4409, 4429, 4500,
]);

/** Running totals of this instance, as the `stats` subscription reports them. */
export interface LiveTotals {
  /** WebSocket connections accepted (after `connection_ack`) and SSE streams opened, so far. */
  connections: number;
  /** Subscriptions open now, on both transports. */
  subscriptions: number;
  /** SSE subscription streams open now (each SSE stream is one subscription). */
  sseStreams: number;
  /** Subscription results written to clients, so far. */
  deliveries: number;
  /** Fan-out executions, each shared by a group of equal WebSocket subscriptions, so far. */
  sharedExecutions: number;
  /** Subscribers cut off as too slow, so far. */
  slowSubscribersDropped: number;
  /** Requests refused by a limit or a permission, so far. */
  denials: number;
}

/**
 * The one small interface the transports (and later the delivery layer) call to report what
 * happens to connections and subscriptions. prom-client stays behind it: a hook is one call.
 */
export interface LiveMetrics {
  /** A connection was accepted: a WebSocket after `connection_ack`, an SSE stream as it opens. */
  connected(transport: TransportLabel): void;
  /** A WebSocket closed with this code (the peer's, 1005 without one, 1006 when cut off). */
  closed(code: number): void;
  /** A subscription began on a Subscription field; returns its end, which may be called more than once. */
  subscribed(field: string, transport: TransportLabel): () => void;
  /**
   * The same without a closure per subscription: a WebSocket subscription the engine delivers
   * keeps only its field, and calls {@link unsubscribedWebSocket} once when it ends.
   */
  subscribedWebSocket(field: string): void;
  /** A subscription counted by {@link subscribedWebSocket} ended (call it exactly once). */
  unsubscribedWebSocket(field: string): void;
  /** `count` results of a subscription on `field` were written to clients. */
  delivered(field: string, transport: TransportLabel, count?: number): void;
  /** The fan-out engine executed one event once for a group of equal subscriptions. */
  sharedExecution(field: string): void;
  /** A subscriber (a socket, an SSE stream) was cut off as too slow. */
  droppedSlow(transport: TransportLabel): void;
  /** A request was refused by a limit or a permission. */
  denied(kind: string): void;
  /** The running totals (cheap: plain numbers, no registry walk). */
  totals(): LiveTotals;
}

/** The prom-client series {@link createLiveMetrics} moves. */
export interface LiveSeries {
  connections: Counter<'transport'>;
  closes: Counter<'code'>;
  subscriptions: Gauge<'field'>;
  deliveries: Counter<'field' | 'transport'>;
  sharedExecutions: Counter<'field'>;
  slowSubscribersDropped: Counter<'transport'>;
  denials: Counter<'kind'>;
}

/** Binds {@link LiveMetrics} to the registry's series, keeping plain totals beside them. */
export function createLiveMetrics(series: LiveSeries): LiveMetrics {
  /** One labels object per Subscription field (a bounded set: the schema's fields). */
  const fieldLabels = new Map<string, { field: string }>();
  const labelsOf = (field: string) => {
    let labels = fieldLabels.get(field);
    if (!labels) fieldLabels.set(field, (labels = { field }));
    return labels;
  };
  /** Moves the open subscriptions of `field` by `by` (+1 opened, -1 ended). */
  const count = (field: string, transport: TransportLabel, by: 1 | -1) => {
    totals.subscriptions += by;
    if (transport === 'sse') totals.sseStreams += by;
    // By labels, not a `labels()` child: a child is an object with five bound functions (about
    // 0.6 KiB), which an open subscription's closure would hold for its life.
    series.subscriptions.inc(labelsOf(field), by);
  };
  const totals: LiveTotals = { connections: 0, subscriptions: 0, sseStreams: 0, deliveries: 0, sharedExecutions: 0, slowSubscribersDropped: 0, denials: 0 };
  return {
    connected(transport) {
      totals.connections++;
      series.connections.labels(transport).inc();
    },
    closed(code) {
      series.closes.labels(KNOWN_CLOSE_CODES.has(code) ? String(code) : 'other').inc();
    },
    subscribed(field, transport) {
      count(field, transport, 1);
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        count(field, transport, -1);
      };
    },
    subscribedWebSocket: (field) => count(field, 'websocket', 1),
    unsubscribedWebSocket: (field) => count(field, 'websocket', -1),
    delivered(field, transport, count = 1) {
      if (count <= 0) return;
      totals.deliveries += count;
      series.deliveries.labels(field, transport).inc(count);
    },
    sharedExecution(field) {
      totals.sharedExecutions++;
      series.sharedExecutions.labels(field).inc();
    },
    droppedSlow(transport) {
      totals.slowSubscribersDropped++;
      series.slowSubscribersDropped.labels(transport).inc();
    },
    denied(kind) {
      totals.denials++;
      series.denials.labels(kind).inc();
    },
    totals: () => ({ ...totals }),
  };
}

/**
 * Counts a WebSocket subscription that the live engine does not deliver (the transport counts
 * those itself): an iterator's results are counted as the transport takes them. Anything else (a
 * subscription that could not start) passes through untouched.
 */
export function meterWebSocketSubscription<O>(live: LiveMetrics, field: string, outcome: O): O {
  if (typeof outcome !== 'object' || outcome === null) return outcome;
  if (Symbol.asyncIterator in outcome) return meterStream(live, field, 'websocket', outcome as AsyncIterable<unknown>) as O;
  return outcome;
}

/** Counts a subscription's results while its iterator is open. */
export function meterStream(live: LiveMetrics, field: string, transport: TransportLabel, source: AsyncIterable<unknown>): AsyncIterableIterator<unknown> {
  return watchStream(source, live.subscribed(field, transport), () => live.delivered(field, transport));
}

/**
 * Wraps an iterator: `onValue` runs for each value it yields, `onEnd` once when it ends (done, an
 * error, `return` or `throw`). Not an async generator: a generator's `return()` would wait for the
 * pending `next()` (the next event), so a client that left would keep its Redis subscription until
 * something was published. A class, so that an open subscription holds one small object, not a
 * closure per method.
 */
export function watchStream(source: AsyncIterable<unknown>, onEnd: () => void, onValue: () => void = noop): AsyncIterableIterator<unknown> {
  return new WatchedStream(source[Symbol.asyncIterator](), onEnd, onValue);
}

const noop = () => undefined;

class WatchedStream implements AsyncIterableIterator<unknown> {
  private ended = false;

  constructor(
    private readonly iterator: AsyncIterator<unknown>,
    private readonly onEnd: () => void,
    private readonly onValue: () => void,
  ) {}

  [Symbol.asyncIterator]() {
    return this;
  }

  async next(): Promise<IteratorResult<unknown>> {
    try {
      const step = await this.iterator.next();
      if (step.done) this.end();
      else this.onValue();
      return step;
    } catch (error) {
      this.end();
      throw error;
    }
  }

  async return(value?: unknown): Promise<IteratorResult<unknown>> {
    this.end();
    return this.iterator.return ? this.iterator.return(value) : { done: true, value };
  }

  async throw(error?: unknown): Promise<IteratorResult<unknown>> {
    this.end();
    if (this.iterator.throw) return this.iterator.throw(error);
    throw error;
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd();
  }
}
