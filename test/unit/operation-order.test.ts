import { describe, expect, it } from 'vitest';
import { OperationOrder } from '../../src/transport/operation-order.js';

/** Whether a promise has settled once every pending microtask has run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('OperationOrder', () => {
  it('lets the first operation of a connection run at once', async () => {
    const order = new OperationOrder();
    expect(await settled(order.enter(false).ready)).toBe(true);
    expect(await settled(new OperationOrder().enter(true).ready)).toBe(true);
  });

  it('makes a query entered after a pending subscription wait for its setupDone', async () => {
    const order = new OperationOrder();
    const subscription = order.enter(true);
    const query = order.enter(false);
    expect(await settled(query.ready)).toBe(false);
    subscription.setupDone();
    expect(await settled(query.ready)).toBe(true);
    await expect(query.ready).resolves.toBeUndefined();
  });

  it('does not make a query entered before the subscription wait', async () => {
    const order = new OperationOrder();
    const query = order.enter(false);
    order.enter(true);
    expect(await settled(query.ready)).toBe(true);
  });

  it('makes a query wait for every earlier subscription, in whatever order they finish', async () => {
    const order = new OperationOrder();
    const first = order.enter(true);
    const second = order.enter(true);
    const query = order.enter(false);
    second.setupDone();
    expect(await settled(query.ready)).toBe(false);
    first.setupDone();
    expect(await settled(query.ready)).toBe(true);
  });

  it('does not make a query wait for a subscription entered after it', async () => {
    const order = new OperationOrder();
    const first = order.enter(true);
    const query = order.enter(false);
    order.enter(true); // never set up
    first.setupDone();
    expect(await settled(query.ready)).toBe(true);
  });

  it('does not make a query wait for subscriptions that were already set up', async () => {
    const order = new OperationOrder();
    order.enter(true).setupDone();
    order.enter(true).setupDone();
    expect(await settled(order.enter(false).ready)).toBe(true);
  });

  it('does not make anything wait for a query or mutation', async () => {
    const order = new OperationOrder();
    order.enter(false); // never finishes, and has nothing to report
    expect(await settled(order.enter(false).ready)).toBe(true);
    expect(await settled(order.enter(true).ready)).toBe(true);
  });

  it('gives a later subscription a ready that waits for earlier ones too', async () => {
    const order = new OperationOrder();
    const first = order.enter(true);
    const second = order.enter(true);
    expect(await settled(first.ready)).toBe(true);
    expect(await settled(second.ready)).toBe(false);
    first.setupDone();
    expect(await settled(second.ready)).toBe(true);
  });

  it("lets a subscription report its setup without its own ready having resolved", async () => {
    const order = new OperationOrder();
    const first = order.enter(true);
    const second = order.enter(true);
    // The second is set up (or failed) before the first: its setupDone must count on its own.
    second.setupDone();
    expect(await settled(second.ready)).toBe(false);
    const query = order.enter(false);
    expect(await settled(query.ready)).toBe(false);
    first.setupDone();
    expect(await settled(query.ready)).toBe(true);
    // Nothing is pending any more.
    expect(await settled(order.enter(false).ready)).toBe(true);
  });

  it('treats setupDone twice as harmless', async () => {
    const order = new OperationOrder();
    const subscription = order.enter(true);
    const waiting = order.enter(false);
    subscription.setupDone();
    expect(() => subscription.setupDone()).not.toThrow();
    expect(await settled(waiting.ready)).toBe(true);

    // A later subscription is still waited for, and the repeated call does not release it.
    const later = order.enter(true);
    subscription.setupDone();
    const query = order.enter(false);
    expect(await settled(query.ready)).toBe(false);
    later.setupDone();
    expect(await settled(query.ready)).toBe(true);
  });

  it('gives queries a setupDone that does nothing', async () => {
    const order = new OperationOrder();
    const subscription = order.enter(true);
    const query = order.enter(false);
    expect(() => query.setupDone()).not.toThrow();
    expect(await settled(order.enter(false).ready)).toBe(false);
    subscription.setupDone();
    expect(await settled(order.enter(false).ready)).toBe(true);
  });

  it('forgets subscriptions once they are set up, so that a long-lived connection does not grow', () => {
    const order = new OperationOrder();
    for (let i = 0; i < 1000; i++) order.enter(true).setupDone();
    const pending = order.enter(true);
    // White-box: the set of pending setups is the only state; nothing else shows a leak.
    const internals = order as unknown as { pendingSetups: Set<Promise<void>> | null };
    expect(internals.pendingSetups?.size).toBe(1);
    pending.setupDone();
    // With nothing pending the set itself is released: an idle socket holds none.
    expect(internals.pendingSetups).toBeNull();
  });

  it('keeps connections apart', async () => {
    const a = new OperationOrder();
    const b = new OperationOrder();
    a.enter(true);
    expect(await settled(b.enter(false).ready)).toBe(true);
    expect(await settled(a.enter(false).ready)).toBe(false);
  });
});
