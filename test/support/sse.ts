// A GraphQL subscription over Server-Sent Events (`POST /graphql`, `Accept: text/event-stream`),
// read frame by frame as a browser's EventSource would see them.
import type { Operation } from './graphql.js';

/** An open SSE subscription. */
export interface SseFrames {
  /** Every frame so far (the text between two blank lines), in order: `:`, `event: next\ndata: {...}`, `event: complete\ndata:`. */
  readonly frames: string[];
  /** The parsed `data` of each `event: next` frame. */
  readonly results: Array<{ data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: { code?: string } }> }>;
  /**
   * Whether the request is over, for any reason: completed by the server, refused (a 4xx has a
   * body that ends), cut off, failed to connect, or closed. Which one: `status`, `sawComplete`, `error`.
   */
  readonly ended: boolean;
  /** The response's HTTP status once its headers came; undefined before, or when the request failed first. */
  readonly status: number | undefined;
  /** Whether the server sent `event: complete`: the end of a stream that completed as it should. */
  readonly sawComplete: boolean;
  /** Why the request failed (no connection, or the stream cut off), when it did; not set by `close()`. */
  readonly error: unknown;
  /** Aborts the request and resolves once reading stopped. */
  close(): Promise<void>;
}

/**
 * Opens `query` as an SSE stream on `url`, with `token` as the bearer when given; `onFrame` sees
 * each frame as it comes. A stream cut off (by the server or by `close`) just ends: a test that
 * expects a clean end checks `status` and `sawComplete` too.
 */
export function openSse<V>(url: string, query: Operation<unknown, V>, variables: V, token?: string, onFrame: (frame: string) => void = () => undefined): SseFrames {
  const frames: string[] = [];
  let ended = false;
  let status: number | undefined;
  let sawComplete = false;
  let error: unknown;
  const controller = new AbortController();
  const done = (async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: query.toString(), variables }),
      signal: controller.signal,
    });
    status = response.status;
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        frames.push(frame);
        if (/^event: complete/m.test(frame)) sawComplete = true;
        onFrame(frame);
      }
    }
  })()
    // Cut off (or aborted): what an SSE client reconnects after. Kept for the test, unless close() aborted it.
    .catch((failure: unknown) => {
      if (!controller.signal.aborted) error = failure;
    })
    .finally(() => (ended = true));
  return {
    frames,
    get results() {
      return frames.filter((frame) => frame.startsWith('event: next')).map((frame) => JSON.parse(frame.slice(frame.indexOf('data: ') + 6)) as SseFrames['results'][number]);
    },
    get ended() {
      return ended;
    },
    get status() {
      return status;
    },
    get sawComplete() {
      return sawComplete;
    },
    get error() {
      return error;
    },
    close: async () => {
      controller.abort();
      await done;
    },
  };
}
