// A GraphQL subscription over Server-Sent Events (`POST /graphql`, `Accept: text/event-stream`),
// read frame by frame as a browser's EventSource would see them.
import type { Operation } from './graphql.js';

/** An open SSE subscription. */
export interface SseFrames {
  /** Every frame so far (the text between two blank lines), in order: `:`, `event: next\ndata: {...}`, `event: complete\ndata:`. */
  readonly frames: string[];
  /** The parsed `data` of each `event: next` frame. */
  readonly results: Array<{ data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: { code?: string } }> }>;
  /** Whether the response has ended (completed by the server, cut off, or closed). */
  readonly ended: boolean;
  /** Aborts the request and resolves once reading stopped. */
  close(): Promise<void>;
}

/**
 * Opens `query` as an SSE stream on `url`, with `token` as the bearer when given; `onFrame` sees
 * each frame as it comes. A stream cut off (by the server or by `close`) just ends.
 */
export function openSse<V>(url: string, query: Operation<unknown, V>, variables: V, token?: string, onFrame: (frame: string) => void = () => undefined): SseFrames {
  const frames: string[] = [];
  let ended = false;
  const controller = new AbortController();
  const done = (async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: query.toString(), variables }),
      signal: controller.signal,
    });
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        frames.push(frame);
        onFrame(frame);
      }
    }
  })()
    // Cut off (or aborted): what an SSE client reconnects after.
    .catch(() => undefined)
    .finally(() => (ended = true));
  return {
    frames,
    get results() {
      return frames.filter((frame) => frame.startsWith('event: next')).map((frame) => JSON.parse(frame.slice(frame.indexOf('data: ') + 6)) as SseFrames['results'][number]);
    },
    get ended() {
      return ended;
    },
    close: async () => {
      controller.abort();
      await done;
    },
  };
}
