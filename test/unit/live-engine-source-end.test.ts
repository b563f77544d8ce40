// A source that ends is detached once its last member has left, as every source is; a subscriber
// that arrives meanwhile attaches a fresh one.
import { GraphQLObjectType, GraphQLSchema, GraphQLString, type OperationDefinitionNode, parse } from 'graphql';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { type LiveSource, type OperationInfo, createLiveEngine } from '../../src/live/engine.js';
import { createSubscriptionRegistry } from '../../src/live/lifetime.js';
import type { Subscriber } from '../../src/live/subscriber.js';

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString } } }),
  subscription: new GraphQLObjectType({ name: 'Subscription', fields: { tick: { type: GraphQLString } } }),
});
// This file's own schema, not the API's: a plain string.
const info: OperationInfo = { schema, operation: parse('subscription { tick }').definitions[0] as OperationDefinitionNode, fragments: {}, variableValues: {} };
const puller = (): Subscriber => ({ viewerId: null, transport: 'sse', sink: null, watchEnd: () => () => undefined, dropSlowConsumer: () => undefined, execute: () => ({ data: null }) });

describe('a source that ends', () => {
  it('is detached after its last member leaves, once', async () => {
    const engine = createLiveEngine({
      maxBufferedBytes: 1 << 20,
      maxPendingEvents: 10,
      maxQueuedEvents: 10,
      maxQueuedBytes: 1 << 20,
      registry: createSubscriptionRegistry(),
      logger: pino({ level: 'silent' }),
    });
    const attached: Array<{ end: () => void; detached: number }> = [];
    const spec: LiveSource<string> = {
      key: 'ending',
      attach: async (_emit, end) => {
        const state = { end, detached: 0 };
        attached.push(state);
        return () => void state.detached++;
      },
    };
    const handles = [await engine.open<string>(puller(), spec, { info }), await engine.open<string>(puller(), spec, { info })];
    attached[0]!.end();
    for (const handle of handles) expect(await handle.next()).toEqual({ value: undefined, done: true });
    await new Promise((resolve) => setImmediate(resolve));
    expect(attached[0]!.detached).toBe(1);
    expect(engine.stats()).toMatchObject({ sources: 0, members: 0 });
    // A later subscriber gets a source of its own, detached when it leaves.
    const later = await engine.open<string>(puller(), spec, { info });
    expect(attached).toHaveLength(2);
    await later.return!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(attached.map((state) => state.detached)).toEqual([1, 1]);
  });
});
