import type { Client } from 'graphql-ws';
import { type Operation, post, subscription } from './graphql.js';
import { ADD_EVENT, PUBLISH, SEND } from './operations.js';
import { openSse } from './sse.js';

/** One subscriber's view: the ids it received, in order, and the error codes it was sent. */
export interface Received {
  ids: string[];
  codes: string[];
  completed: () => boolean;
}

export { ADD_EVENT, CHANNEL, EVENTS, MESSAGE_ADDED, PUBLISH, SEND } from './operations.js';

/** A graphql-ws subscription whose ids (from `pick`) and error codes are collected. */
export function collect<T, V extends Record<string, unknown>>(client: Client, query: Operation<T, V>, variables: V, pick: (data: T) => string): Received {
  const sub = subscription<T, V>(client, query, variables);
  return {
    get ids() {
      return sub.events.filter((event) => event.data).map((event) => pick(event.data!));
    },
    get codes() {
      return sub.errorCodes.filter((code): code is string => typeof code === 'string');
    },
    completed: () => sub.completed,
  };
}

/** An SSE subscription whose ids (from `pick`) and error codes are collected, like {@link collect}. */
export function collectSse<T, V extends Record<string, unknown>>(url: string, token: string, query: Operation<T, V>, variables: V, pick: (data: T) => string) {
  const ids: string[] = [];
  const codes: string[] = [];
  const stream = openSse(url, query, variables, token, (frame) => {
    const data = /^data: (.*)$/m.exec(frame)?.[1];
    if (!data) return;
    const payload = JSON.parse(data) as { data?: T | null; errors?: Array<{ extensions?: { code?: string } }> };
    if (payload.data) ids.push(pick(payload.data));
    for (const error of payload.errors ?? []) if (error.extensions?.code) codes.push(error.extensions.code);
  });
  return {
    ids,
    codes,
    get sawComplete() {
      return stream.sawComplete;
    },
    get ended() {
      return stream.ended;
    },
    completed: () => stream.ended,
    close: () => stream.close(),
  };
}

/**
 * Writes as an app would, as fast as the server answers: a chat message, a stream entry and a
 * channel message per round. Only what the server acknowledged is counted as written.
 */
export function startWriter(options: { url: () => string; token: string; roomId: string; stream: string; channel: string }) {
  const messages: string[] = [];
  const events: string[] = [];
  const published: number[] = [];
  const failures: string[] = [];
  let running = true;
  let round = 0;
  const loop = (async () => {
    while (running) {
      const n = ++round;
      const url = options.url();
      const attempt = async <T, V>(query: Operation<T, V>, variables: V, keep: (data: T) => void) => {
        try {
          const response = await post(url, query, variables, { token: options.token });
          if (response.body.data && !response.body.errors) keep(response.body.data);
          else failures.push(String(response.body.errors?.[0]?.extensions?.code ?? response.status));
        } catch {
          failures.push('NETWORK');
        }
      };
      await Promise.all([
        attempt(SEND, { roomId: options.roomId, text: `m${n}` }, (data) => messages.push(data.sendMessage.id)),
        attempt(ADD_EVENT, { stream: options.stream, data: { n } }, (data) => events.push(data.addEvent.id)),
        attempt(PUBLISH, { channel: options.channel, message: n }, () => published.push(n)),
      ]);
      // Pacing only (a load generator's think time); nothing waits on it.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  return {
    messages,
    events,
    published,
    failures,
    /** Resolves once `count` more rounds were fully acknowledged than when called. */
    async acknowledged(count: number) {
      const target = Math.min(messages.length, events.length, published.length) + count;
      while (Math.min(messages.length, events.length, published.length) < target) await new Promise((resolve) => setTimeout(resolve, 10));
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}

/** What a subscriber missed of what was acknowledged, and what it got twice. */
export function tally(acknowledged: readonly string[], received: readonly string[]) {
  const got = new Set(received);
  const seen = new Set<string>();
  let duplicated = 0;
  for (const id of received) {
    if (seen.has(id)) duplicated++;
    seen.add(id);
  }
  return { lost: acknowledged.filter((id) => !got.has(id)).length, duplicated };
}
