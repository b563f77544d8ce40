/** Waits `ms`, or less when `signal` aborts first (it never rejects). */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** Retry delay after `failures` failures in a row: 100 ms doubling up to 5 s. */
export const backoffMs = (failures: number) => Math.min(5000, 100 * 2 ** Math.min(failures - 1, 6));
