/** Messages ioredis gives when a command could not reach Redis or got no answer. */
const UNAVAILABLE_MESSAGES = [
  'Command timed out',
  'Connection is closed.',
  "Stream isn't writeable",
  'Reached the max retries per request limit',
  // Redis Cluster: a slot whose master is failing over, a cluster client with no usable node.
  'Too many Cluster redirections',
  "Cluster isn't ready",
  'Cluster offline queue is full',
  'Failed to refresh slots cache',
  'None of startup nodes is available',
];
/** Redis replies that mean "not now" rather than "no". */
const UNAVAILABLE_REPLIES = /^(LOADING|BUSY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|READONLY)\b/;
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTCONN', 'ECONNABORTED']);

/**
 * Whether an error means Redis could not be reached or did not answer in time (a timeout, a
 * dropped or refused connection, a server still loading its data), as opposed to a refusal or a bug.
 */
export function isRedisUnavailableError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  if (UNAVAILABLE_MESSAGES.some((message) => error.message.startsWith(message))) return true;
  if (UNAVAILABLE_REPLIES.test(error.message)) return true;
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' && UNAVAILABLE_CODES.has(code);
}

/**
 * Calls `onTimeout` once `ms` have passed, but only after the I/O that was already waiting has
 * been handled: when the event loop was blocked past the deadline, its timers run before pending
 * socket reads, so a reply that came in time would otherwise be taken for a timeout.
 * Returns the function that cancels it.
 */
export function afterDeadline(ms: number, onTimeout: () => void): () => void {
  let immediate: NodeJS.Immediate | undefined;
  const timer = setTimeout(() => {
    // setImmediate runs after the poll phase, where the pending replies are read.
    immediate = setImmediate(onTimeout);
  }, ms);
  return () => {
    clearTimeout(timer);
    if (immediate) clearImmediate(immediate);
  };
}
