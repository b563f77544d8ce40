/**
 * Per-connection ordering of graphql-transport-ws operations. Each incoming message is handled
 * concurrently, so a `subscribe` followed by a `publish` mutation on the same socket could publish
 * before Redis has confirmed the subscription, and the client would miss its own event. Here every
 * query or mutation waits until each subscription that arrived before it is set up.
 *
 * `enter` must be called synchronously when the message arrives (the server calls `onOperation`
 * before its first await), which is what fixes the order.
 */
export class OperationOrder {
  /** Made when a subscription is being set up, dropped when none is: most sockets idle without one. */
  private pendingSetups: Set<Promise<void>> | null = null;

  /**
   * Registers an operation. Returns `ready`, which resolves when every earlier subscription has
   * finished setting up, and `setupDone`, which a subscription must call once it is set up or has
   * failed (queries and mutations may ignore it).
   */
  enter(isSubscription: boolean): { ready: Promise<void>; setupDone: () => void } {
    const earlier = this.pendingSetups ? [...this.pendingSetups] : [];
    const ready = earlier.length === 0 ? Promise.resolve() : Promise.all(earlier).then(() => undefined);
    if (!isSubscription) return { ready, setupDone: () => undefined };
    let resolveSetup!: () => void;
    const setup = new Promise<void>((resolve) => {
      resolveSetup = resolve;
    });
    (this.pendingSetups ??= new Set()).add(setup);
    return {
      ready,
      setupDone: () => {
        this.pendingSetups?.delete(setup);
        if (this.pendingSetups?.size === 0) this.pendingSetups = null;
        resolveSetup();
      },
    };
  }
}
