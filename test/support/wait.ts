/**
 * Waits for a condition that an event will make true (a message arrived, Redis shows a
 * subscriber), checking every 10 ms. Never a fixed sleep: it returns as soon as it holds.
 * @throws naming `what` when it does not hold within `timeoutMs`.
 */
export async function until(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
