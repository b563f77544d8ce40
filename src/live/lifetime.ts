import type { Subscriber } from './subscriber.js';

/** How a subscription ended, as the one who ends it sees it. */
export type EndReason =
  /** The client went away (socket closed, request aborted, `complete` from the client): nothing more is sent. */
  | 'gone'
  /** The server completes it (session ended, shutdown, the source ended): what is queued goes first, then `complete`. */
  | 'complete';

/** What shutdown needs of an open subscription. */
export interface Closable {
  /** Completes it (after what it has already queued): the process is shutting down. */
  shutDown(): void;
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
      for (const subscription of [...open]) subscription.shutDown();
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

/**
 * A subscription object that is its own lifetime (a shared subscription's member: one object
 * less per idle subscription). It keeps the two fields and follows the same rules as
 * {@link holdLifetime}'s: {@link beginLifetime} once, and {@link endLifetime} first thing in its
 * own idempotent end.
 */
export interface OwnLifetime extends Closable {
  readonly ended: boolean;
  end(reason: EndReason): void;
  unwatch: (() => void) | null;
}

/** Starts `lifetime` (see {@link holdLifetime}): ends it at once with `'complete'` when shutdown began. */
export function beginLifetime(lifetime: OwnLifetime, subscriber: Subscriber, registry: SubscriptionRegistry): void {
  if (registry.closed) {
    lifetime.end('complete');
    return;
  }
  registry.add(lifetime);
  const unwatch = subscriber.watchEnd((reason) => lifetime.end(reason));
  // The subscriber may have been gone already, in which case watchEnd ended it at once.
  if (lifetime.ended) unwatch();
  else lifetime.unwatch = unwatch;
}

/** What an {@link OwnLifetime}'s end does first: out of the registry, its watches removed. */
export function endLifetime(lifetime: OwnLifetime, registry: SubscriptionRegistry): void {
  registry.delete(lifetime);
  lifetime.unwatch?.();
  lifetime.unwatch = null;
}

/** A class, so that an idle subscription's lifetime is one object rather than a set of closures. */
class HeldLifetime implements Lifetime, OwnLifetime {
  ended = false;
  unwatch: (() => void) | null = null;

  constructor(
    subscriber: Subscriber,
    private readonly registry: SubscriptionRegistry,
    private readonly owner: LifetimeOwner,
  ) {
    beginLifetime(this, subscriber, registry);
  }

  shutDown(): void {
    this.end('complete');
  }

  end(reason: EndReason): void {
    if (this.ended) return;
    this.ended = true;
    endLifetime(this, this.registry);
    this.owner.lifetimeEnded(reason);
  }
}
