/**
 * Waits for a condition that an event will make true (a message arrived, Redis shows a
 * subscriber), checking every 10 ms. Never a fixed sleep: it returns as soon as it holds.
 * Each check races the time left, so a check that never answers (a command to a SIGSTOPped
 * node) times out too, instead of hanging the test until vitest's own timeout.
 * @throws naming `what` when it does not hold within `timeoutMs`.
 */
export async function until(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), Math.max(0, deadline - Date.now()))));
    // Promise.race subscribes to the check, so one that rejects after the deadline is not unhandled.
    const held = await Promise.race([Promise.resolve().then(predicate), late]).finally(() => clearTimeout(timer));
    if (held === 'late') throw new Error(`timed out waiting for ${what} (the last check had not answered)`);
    if (held) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
