// What the engine does with a member it drops as too slow, and with a delivery that fails: the
// member leaves its group at once (a subscriber that pulls gets an error, not a complete), and the
// group goes on delivering to the others.
import { GraphQLObjectType, GraphQLSchema, GraphQLString, type OperationDefinitionNode, parse } from 'graphql';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { type Emit, type LiveSource, type OperationInfo, createLiveEngine } from '../../src/live/engine.js';
import { createSubscriptionRegistry } from '../../src/live/lifetime.js';
import type { Subscriber } from '../../src/live/subscriber.js';

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString } } }),
  subscription: new GraphQLObjectType({ name: 'Subscription', fields: { tick: { type: GraphQLString } } }),
});
// This file's own schema, not the API's: a plain string.
const info: OperationInfo = { schema, operation: parse('subscription { tick }').definitions[0] as OperationDefinitionNode, fragments: {}, variableValues: {} };

function engineWith(limit: number) {
  return createLiveEngine({
    maxBufferedBytes: 1 << 20,
    maxPendingEvents: limit,
    maxQueuedEvents: 1 << 20,
    maxQueuedBytes: 1 << 30,
    registry: createSubscriptionRegistry(),
    logger: pino({ level: 'silent' }),
  });
}

/** A subscriber that pulls raw events (no sink), counting its drops. */
function puller() {
  const drops: string[] = [];
  const subscriber: Subscriber = {
    viewerId: null,
    transport: 'sse',
    sink: null,
    watchEnd: () => () => undefined,
    dropSlowConsumer: (reason) => void drops.push(reason),
    execute: () => ({ data: null }),
  };
  return { subscriber, drops };
}

function source(key = 'ticks'): { spec: LiveSource<string>; emit: Emit<string> } {
  let push: Emit<string> = () => undefined;
  return { spec: { key, attach: async (emit) => ((push = emit), () => undefined) }, emit: (event, bytes) => push(event, bytes) };
}

const SLOW_CONSUMER = 'SLOW_CONSUMER';
describe('a member dropped as too slow', () => {
  it('leaves an overflowing group at once: each member is dropped once, and one that pulls gets SLOW_CONSUMER, not a complete', async () => {
    const engine = engineWith(10);
    const ticks = source();
    const members = Array.from({ length: 100 }, puller);
    const handles = await Promise.all(members.map(({ subscriber }) => engine.open<string>(subscriber, ticks.spec, { info })));
    // One burst in one turn: the group's deliveries run only after it.
    for (let i = 0; i < 1000; i++) ticks.emit(String(i), 1);
    expect(members.reduce((sum, { drops }) => sum + drops.length, 0)).toBe(100);
    expect(engine.stats()).toMatchObject({ sources: 0, groups: 0, members: 0 });
    const handle = handles[0]!;
    const seen: string[] = [];
    const failure = await (async () => {
      try {
        for (;;) {
          const result = await handle.next();
          if (result.done) return null;
          seen.push(result.value);
        }
      } catch (error) {
        return error as { extensions?: { code?: string } };
      }
    })();
    expect(failure?.extensions?.code).toBe(SLOW_CONSUMER);
  });

  it('leaves its group when its replay buffer overflows, with SLOW_CONSUMER for one that pulls', async () => {
    const engine = engineWith(5);
    const ticks = source();
    const slow = puller();
    let loaded: (page: { events: string[]; more: boolean }) => void = () => undefined;
    const handle = await engine.open<string>(slow.subscriber, ticks.spec, {
      info,
      replay: { keyOf: (event) => event, load: () => new Promise((resolve) => (loaded = resolve)) },
    });
    for (let i = 0; i < 20; i++) {
      ticks.emit(String(i), 1);
      await Promise.resolve();
    }
    expect(slow.drops).toHaveLength(1);
    expect(handle.ended).toBe(true);
    expect(engine.stats()).toMatchObject({ members: 0 });
    loaded({ events: ['old'], more: false });
    await expect(handle.next()).rejects.toMatchObject({ extensions: { code: SLOW_CONSUMER } });
  });
});

/** Resolves with the next result, or rejects after `ms` (the engine's bug this file checks would leave it pending for ever). */
function within<T>(promise: Promise<T>, ms = 2000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`nothing within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

describe('a delivery that fails', () => {
  it('fails the members it may have skipped (an error, not a silent gap) and never stops the group\'s later deliveries', async () => {
    const engine = engineWith(100);
    let push: Emit<string> = () => undefined;
    // A partitioned source whose partitionOf throws for one event: a bug inside a delivery.
    const spec: LiveSource<string> = {
      key: 'rooms',
      attach: async () => () => undefined,
      partitionOf: (event) => {
        if (event === 'bad') throw new Error('no partition');
        return 'r';
      },
      attachPartition: (_partition, emit) => ((push = emit), () => undefined),
    };
    const first = await engine.open<string>(puller().subscriber, spec, { info, partitions: ['r'] });
    const second = await engine.open<string>(puller().subscriber, spec, { info, partitions: ['r'] });
    push('bad', 1);
    await expect(within(first.next())).rejects.toMatchObject({ extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(second.ended).toBe(true);
    // The group's queue goes on: a subscriber after it gets the next events.
    const third = await engine.open<string>(puller().subscriber, spec, { info, partitions: ['r'] });
    const fourth = await engine.open<string>(puller().subscriber, spec, { info, partitions: ['r'] });
    push('good', 1);
    expect(await within(third.next())).toEqual({ value: 'good', done: false });
    push('bad', 1);
    push('after', 1);
    await expect(within(fourth.next())).resolves.toEqual({ value: 'good', done: false });
    await expect(within(fourth.next())).rejects.toMatchObject({ extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    const fifth = await engine.open<string>(puller().subscriber, spec, { info, partitions: ['r'] });
    push('last', 1);
    expect(await within(fifth.next())).toEqual({ value: 'last', done: false });
  });
});
