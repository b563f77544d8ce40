import { useEffect } from 'react';

/** How often the console reads queues, streams and channels again. */
export const POLL_MS = 2000;

/** Calls `refresh` every `intervalMs` while the component is mounted. */
export function usePolling(refresh: () => void, intervalMs = POLL_MS): void {
  useEffect(() => {
    const timer = setInterval(refresh, intervalMs);
    return () => clearInterval(timer);
  }, [refresh, intervalMs]);
}
