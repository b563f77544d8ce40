import type { Subscriber } from './subscriber.js';

/** How a subscription ended, as the one who ends it sees it. */
export type EndReason =
  /** The client went away (socket closed, request aborted, `complete` from the client): nothing more is sent. */
  | 'gone'
  /** The server completes it (session ended, shutdown, the source ended): what is queued goes first, then `complete`. */
  | 'complete';

/** What shutdown needs of an open subscription. */
export interface Closable {
  /** Completes it (after what it has already queued). */
  close(): void;
}

/** The open subscriptions of this process, so that shutdown can complete them. */
export interface SubscriptionRegistry {
  add(subscription: Closable): void;
  delete(subscription: Closable): void;
  /** Completes every open subscription (after what it has queued); new ones are refused from now on. */
  closeAll(): void;
  readonly size: number;
  readonly closed: boolean;
}

/** Makes the registry of one process (`createApp` holds it; shutdown calls `closeAll`). */
export function createSubscriptionRegistry(): SubscriptionRegistry {
  const open = new Set<Closable>();
  let closed = false;
  return {
    add: (subscription) => void open.add(subscription),
    delete: (subscription) => void open.delete(subscription),
    closeAll() {
      closed = true;
      for (const subscription of [...open]) subscription.close();
    },
    get size() {
      return open.size;
    },
    get closed() {
      return closed;
    },
  };
}

/** A subscription's tie to its client, its session and the process; see {@link holdLifetime}. */
export interface Lifetime {
  /** Whether it has ended (however). */
  readonly ended: boolean;
  /** Ends it now (idempotent): `end` runs once, the watches are removed. */
  end(reason: EndReason): void;
}

/** What a lifetime tells when it ends, as an object (an idle subscription then holds no closure for it). */
export interface LifetimeOwner {
  lifetimeEnded(reason: EndReason): void;
}

/**
 * THE lifetime primitive of the live layer: every subscription, shared or not, ends through it.
 * It calls `onEnd` exactly once, when the first of these happens:
 * - the client goes away (`subscriber.watchEnd` reports `'gone'`),
 * - the client's session ends on any instance (`watchEnd` reports `'complete'`),
 * - the process shuts down (the registry's `closeAll`: `'complete'`),
 * - the owner calls `end` (the source ended, the client was too slow, the client completed).
 *
 * When the registry is already closed (shutdown began) the lifetime is born ended and `onEnd`
 * runs at once with `'complete'`.
 */
export function holdLifetime(subscriber: Subscriber, registry: SubscriptionRegistry, onEnd: ((reason: EndReason) => void) | LifetimeOwner): Lifetime {
  return new HeldLifetime(subscriber, registry, typeof onEnd === 'function' ? { lifetimeEnded: onEnd } : onEnd);
}

/** A class, so that an idle subscription's lifetime is one object rather than a set of closures. */
class HeldLifetime implements Lifetime, Closable {
  ended = false;
  private unwatch: (() => void) | null = null;

  constructor(
    subscriber: Subscriber,
    private readonly registry: SubscriptionRegistry,
    private readonly owner: LifetimeOwner,
  ) {
    if (registry.closed) {
      this.end('complete');
      return;
    }
    registry.add(this);
    const unwatch = subscriber.watchEnd((reason) => this.end(reason));
    // The subscriber may have been gone already, in which case watchEnd ended this at once.
    if (this.ended) unwatch();
    else this.unwatch = unwatch;
  }

  close(): void {
    this.end('complete');
  }

  end(reason: EndReason): void {
    if (this.ended) return;
    this.ended = true;
    this.registry.delete(this);
    this.unwatch?.();
    this.unwatch = null;
    this.owner.lifetimeEnded(reason);
  }
}
