// An SSE stream the engine ends before its body is read (the session ended, shutdown began, the
// source failed while `open` waited): its last frames come before the body's end, over a real
// socket, and the process lives on.
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLBoolean, GraphQLObjectType, GraphQLSchema, type OperationDefinitionNode, parse } from 'graphql';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLiveEngine } from '../../src/live/engine.js';
import { type EndReason, createSubscriptionRegistry } from '../../src/live/lifetime.js';
import type { Subscriber } from '../../src/live/subscriber.js';
import { SseSink } from '../../src/transport/sse.js';

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLBoolean } } }),
  subscription: new GraphQLObjectType({ name: 'Subscription', fields: { tick: { type: GraphQLBoolean } } }),
});
const document = parse('subscription { tick }');

/** What each request does with its sink before the body is handed to node. */
let handle: (sink: SseSink) => Promise<void> | void = () => undefined;
const uncaught: unknown[] = [];
const onUncaught = (error: unknown) => void uncaught.push(error);
const server = createServer((_request: IncomingMessage, response: ServerResponse) => {
  const sink = new SseSink(response);
  void (async () => {
    await handle(sink);
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    sink.readable().pipe(response);
  })();
});

async function read(): Promise<string> {
  const { port } = server.address() as AddressInfo;
  const response = await fetch(`http://127.0.0.1:${port}/`);
  return response.text();
}

beforeAll(async () => {
  process.on('uncaughtException', onUncaught);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  process.off('uncaughtException', onUncaught);
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

// Before the fix the body failed after its ping and the response hung: a short bound says so quickly.
describe('an SSE stream finished before its body exists', { timeout: 10_000 }, () => {
  it.each<[EndReason | 'error', string[]]>([
    ['complete', [':', 'event: complete\ndata:']],
    ['error', [':', 'event: next\ndata: {"errors":[{"message":"boom"}]}', 'event: complete\ndata:']],
  ])('sends its %s frames before the end of the body', async (reason, frames) => {
    handle = (sink) => sink.finish(reason, new Error('boom'));
    const body = await read();
    // Give a push after EOF its turn to raise its error.
    await new Promise((resolve) => setImmediate(resolve));
    expect(body.split('\n\n').filter(Boolean)).toEqual(frames);
    expect(uncaught).toEqual([]);
  });

  it('completes a subscription the engine ends before it is attached (shutdown began), without an error on the body', async () => {
    const registry = createSubscriptionRegistry();
    registry.closeAll();
    const engine = createLiveEngine({
      maxBufferedBytes: 1 << 20,
      maxPendingEvents: 100,
      maxQueuedEvents: 100,
      maxQueuedBytes: 1 << 20,
      registry,
      logger: pino({ level: 'silent' }),
    });
    handle = async (sink) => {
      const subscriber: Subscriber = {
        viewerId: null,
        transport: 'sse',
        sink,
        watchEnd: () => () => undefined,
        dropSlowConsumer: () => undefined,
        execute: () => ({ data: { tick: true } }),
      };
      const live = await engine.open(subscriber, { key: 'early', attach: async () => () => undefined }, {
        info: { schema, operation: document.definitions[0] as OperationDefinitionNode, fragments: {}, variableValues: {} },
      });
      expect(live.ended).toBe(true);
    };
    const body = await read();
    await new Promise((resolve) => setImmediate(resolve));
    expect(body.split('\n\n').filter(Boolean)).toEqual([':', 'event: complete\ndata:']);
    expect(uncaught).toEqual([]);
  });
});
