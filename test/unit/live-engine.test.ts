import type { Socket } from 'node:net';
import { GraphQLBoolean, GraphQLObjectType, GraphQLSchema, GraphQLString, type ExecutionResult, parse, execute, type OperationDefinitionNode } from 'graphql';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { type Announcement, type Emit, type LiveEngine, type OperationInfo, type ParkedSubscription, createLiveEngine } from '../../src/live/engine.js';
import { createSubscriptionRegistry, type EndReason } from '../../src/live/lifetime.js';
import type { FrameSink, LiveOperation, SharedPayload, Subscriber } from '../../src/live/subscriber.js';
import { type ViewerProbe, eachViewer, instrumentViewerClasses, liveSubscription, sameForEveryViewer, viewerClass, withProbe } from '../../src/live/viewer-classes.js';

/** What the engine touches of a TCP socket. */
function fakeNetSocket() {
  const log: string[] = [];
  let corks = 0;
  let writableLength = 0;
  const netSocket = {
    cork: () => (corks++, log.push('cork')),
    uncork: () => {
      corks--;
      log.push('uncork');
      if (corks === 0) writableLength = 0;
    },
    get writableLength() {
      return writableLength;
    },
  };
  return { log, netSocket: netSocket as unknown as Socket, wrote: (bytes: number) => ((writableLength += bytes), log.push(corks > 0 ? 'frame (corked)' : 'frame')) };
}

interface Message {
  id: string;
  room: string;
  from: string;
  text: string;
}

/** A schema like the chat's: `mine` has two classes per message. */
const schema = instrumentViewerClasses(
  new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLBoolean, resolve: () => true } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        message: {
          type: new GraphQLObjectType<Message, { viewer: string | null }>({
            name: 'Message',
            fields: {
              id: { type: GraphQLString, extensions: sameForEveryViewer },
              text: { type: GraphQLString, extensions: sameForEveryViewer },
              mine: {
                type: GraphQLBoolean,
                extensions: viewerClass<Message>((message, viewer) => message.from === viewer),
                resolve: (message, _args, context: { viewer: string | null }) => message.from === context.viewer,
              },
              // May differ for every viewer: never shared between two.
              seenBy: {
                type: GraphQLString,
                extensions: eachViewer,
                resolve: (_message, _args, context: { viewer: string | null }) => context.viewer,
              },
            },
          }),
          args: { after: { type: GraphQLString } },
          extensions: liveSubscription({ viewer: 'none', delivery: 'shared', subscriberArgs: ['after'] }),
          resolve: (message: Message) => message,
        },
      },
    }),
  }),
);

function infoOf(query: string, variableValues: Record<string, unknown> = {}): OperationInfo {
  const document = parse(query);
  return { schema, operation: document.definitions[0] as OperationDefinitionNode, fragments: {}, variableValues };
}

/** A subscriber with a recording sink; its executions run the real operation with its own viewer. */
function member(viewer: string | null, options: { maxBuffered?: number; sink?: boolean } = {}) {
  const frames: string[] = [];
  const dropped: string[] = [];
  const executedBy: string[] = [];
  const net = fakeNetSocket();
  let parked: ParkedSubscription | null = null;
  let finished: EndReason | 'error' | null = null;
  let buffered = 0;
  const sink: FrameSink = {
    transport: 'websocket',
    netSocket: net.netSocket,
    get open() {
      return finished === null;
    },
    get bufferedBytes() {
      return buffered;
    },
    write(payload: SharedPayload) {
      frames.push(payload.json.toString());
      net.wrote(payload.json.length);
    },
    drained: () => Promise.resolve(),
    attach: (value) => void (parked = value),
    finish: (reason) => void (finished = reason),
  };
  const subscriber: Subscriber = {
    viewerId: viewer,
    transport: 'websocket',
    watchEnd: () => () => undefined,
    dropSlowConsumer: (reason) => dropped.push(reason),
    execute: (operation: LiveOperation, rootValue: unknown, probe: ViewerProbe | null) => {
      executedBy.push(viewer ?? 'anonymous');
      return execute({ ...operation, rootValue, contextValue: withProbe({ viewer }, probe) }) as ExecutionResult;
    },
    sink: options.sink === false ? null : sink,
  };
  return {
    subscriber,
    frames,
    dropped,
    executedBy,
    net,
    setBuffered: (bytes: number) => void (buffered = bytes),
    get parked() {
      return parked;
    },
    get finished() {
      return finished;
    },
  };
}

function engineWith(overrides: { maxPendingEvents?: number; maxBufferedBytes?: number } = {}): LiveEngine {
  return createLiveEngine({
    maxBufferedBytes: overrides.maxBufferedBytes ?? 1 << 20,
    maxPendingEvents: overrides.maxPendingEvents ?? 100,
    maxQueuedEvents: 100,
    maxQueuedBytes: 1 << 20,
    registry: createSubscriptionRegistry(),
    logger: pino({ level: 'silent' }),
  });
}

/** A source the test emits into, partitioned by room when asked. */
function testSource(partitioned = false) {
  let emit: Emit<Message> = () => undefined;
  const attachedPartitions: string[] = [];
  return {
    emit: (message: Message) => emit(message, 10),
    attachedPartitions,
    spec: {
      key: 'messages',
      attach: async (push: Emit<Message>) => ((emit = push), () => undefined),
      ...(partitioned
        ? {
            partitionOf: (message: Message) => message.room,
            attachPartition: (room: string, push: Emit<Message>) => {
              attachedPartitions.push(room);
              emit = push;
              return () => attachedPartitions.splice(attachedPartitions.indexOf(room), 1);
            },
          }
        : {}),
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
// Documents of this file's own small schema, not the API's: plain strings, as codegen types only the API's.
const TEXT = 'subscription { message { text } }';
const MINE = 'subscription { message { text mine } }';
const msg = (id: string, from = 'x', room = 'r'): Message => ({ id, room, from, text: `t${id}` });

describe('live engine', () => {
  it('runs one execution per event for a group and writes every member the shared bytes', async () => {
    const engine = engineWith();
    const source = testSource();
    const members = [member('a'), member('b'), member(null)];
    for (const m of members) await engine.open(m.subscriber, source.spec, { info: infoOf(TEXT) });
    source.emit(msg('1'));
    await settle();
    expect(engine.stats()).toMatchObject({ sources: 1, groups: 1, members: 3, executions: 1 });
    for (const m of members) expect(m.frames).toEqual(['{"data":{"message":{"text":"t1"}}}']);
  });

  it('splits a group by viewer class: `mine` costs two executions per event, right for the author and for everyone else', async () => {
    const engine = engineWith();
    const source = testSource();
    const members = ['ann', 'ben', 'cy', 'di'].map((viewer) => member(viewer));
    for (const m of members) await engine.open(m.subscriber, source.spec, { info: infoOf(MINE) });
    expect(engine.stats().groups).toBe(1);
    source.emit(msg('1', 'cy'));
    await settle();
    expect(engine.stats().executions).toBe(2);
    expect(members.map((m) => JSON.parse(m.frames[0]!).data.message.mine)).toEqual([false, false, true, false]);
    // An event by nobody subscribed: one class, one execution.
    source.emit(msg('2', 'zed'));
    await settle();
    expect(engine.stats().executions).toBe(3);
    expect(members.map((m) => JSON.parse(m.frames[1]!).data.message.mine)).toEqual([false, false, false, false]);
  });

  it('never executes as a member that has left: a group keeps no first member', async () => {
    const engine = engineWith();
    const source = testSource();
    const first = member('first');
    const second = member('second');
    const handle = await engine.open(first.subscriber, source.spec, { info: infoOf(TEXT) });
    await engine.open(second.subscriber, source.spec, { info: infoOf(TEXT) });
    source.emit(msg('1'));
    await settle();
    expect(first.executedBy).toEqual(['first']);
    await handle.return!();
    source.emit(msg('2'));
    await settle();
    expect(first.executedBy).toEqual(['first']);
    expect(second.executedBy).toEqual(['second']);
    expect(second.frames).toHaveLength(2);
    expect(first.frames).toHaveLength(1);
  });

  it('leaves `after` (a subscriber argument) out of the group key, but not other variables', async () => {
    const engine = engineWith();
    const source = testSource();
    const query = 'subscription($after: String) { message(after: $after) { text } }';
    await engine.open(member('a').subscriber, source.spec, { info: infoOf(query, { after: '1' }) });
    await engine.open(member('b').subscriber, source.spec, { info: infoOf(query, { after: '7' }) });
    expect(engine.stats().groups).toBe(1);
    const withText = 'subscription($after: String, $t: Boolean!) { message(after: $after) { text @include(if: $t) id } }';
    await engine.open(member('c').subscriber, source.spec, { info: infoOf(withText, { after: '1', t: true }) });
    await engine.open(member('d').subscriber, source.spec, { info: infoOf(withText, { after: '1', t: false }) });
    expect(engine.stats().groups).toBe(3);
  });

  it('filters a partitioned source per member with a set look-up: no event of a room reaches a non-member, and no one-member room costs an execution for the rest', async () => {
    const engine = engineWith();
    const source = testSource(true);
    const inPrivate = member('a');
    const outside = member('c');
    await engine.open(inPrivate.subscriber, source.spec, { info: infoOf(TEXT), partitions: ['0', 'a:b'] });
    await engine.open(outside.subscriber, source.spec, { info: infoOf(TEXT), partitions: ['0'] });
    expect(source.attachedPartitions.sort()).toEqual(['0', 'a:b']);
    source.emit(msg('1', 'a', 'a:b'));
    source.emit(msg('2', 'a', '0'));
    source.emit(msg('3', 'a', 'elsewhere'));
    await settle();
    expect(inPrivate.frames.map((frame) => JSON.parse(frame).data.message.text)).toEqual(['t1', 't2']);
    expect(outside.frames.map((frame) => JSON.parse(frame).data.message.text)).toEqual(['t2']);
    expect(engine.stats().executions).toBe(2);
  });

  it('replays, then joins the live group with no gap and no duplicate, whatever arrives while history is read', async () => {
    const engine = engineWith();
    const source = testSource();
    const live = member('live');
    await engine.open(live.subscriber, source.spec, { info: infoOf(TEXT) });
    const late = member('late');
    const stored = ['1', '2', '3', '4'].map((id) => msg(id));
    let releasePage: () => void = () => undefined;
    const pages: Array<number | null> = [];
    await engine.open(late.subscriber, source.spec, {
      info: infoOf(TEXT),
      replay: {
        keyOf: (message) => message.id,
        load: async (last) => {
          pages.push(last ? Number(last.id) : null);
          // The first page waits while live events arrive, some of them already stored.
          if (!last) {
            await new Promise<void>((resolve) => (releasePage = resolve));
            return { events: stored.slice(0, 2), more: true };
          }
          return { events: stored.slice(Number(last.id)), more: false };
        },
      },
    });
    await settle();
    source.emit(msg('3'));
    source.emit(msg('4'));
    source.emit(msg('5'));
    await settle();
    expect(engine.stats().replaying).toBe(1);
    releasePage();
    await settle();
    expect(engine.stats().replaying).toBe(0);
    source.emit(msg('6'));
    await settle();
    // A replayed id announced again later (a re-read after a gap) is still recognised.
    source.emit(msg('4'));
    await settle();
    expect(pages).toEqual([null, 2]);
    expect(late.frames.map((frame) => JSON.parse(frame).data.message.text)).toEqual(['t1', 't2', 't3', 't4', 't5', 't6']);
    expect(live.frames.map((frame) => JSON.parse(frame).data.message.text)).toEqual(['t3', 't4', 't5', 't6', 't4']);
    expect(engine.stats().groups).toBe(1);
  });

  it('shares one group between viewers for a per-viewer field, but executes once per viewer present and never gives one viewer another\'s result', async () => {
    const engine = engineWith();
    const source = testSource(true);
    const SEEN = 'subscription { message { text seenBy } }';
    const ann = member('ann');
    const annTab = member('ann');
    const ben = member('ben');
    const cy = member('cy');
    for (const [m, rooms] of [[ann, ['0']], [annTab, ['0']], [ben, ['0']], [cy, ['elsewhere']]] as const) {
      await engine.open(m.subscriber, source.spec, { info: infoOf(SEEN), partitions: rooms });
    }
    // A group per operation, not one per viewer: per-viewer sources (a user's rooms) cost a partition each.
    expect(engine.stats()).toMatchObject({ sources: 1, groups: 1, members: 4 });
    source.emit(msg('1', 'x', '0'));
    await settle();
    const seen = (m: ReturnType<typeof member>) => m.frames.map((frame) => JSON.parse(frame).data.message.seenBy);
    expect([seen(ann), seen(annTab), seen(ben), seen(cy)]).toEqual([['ann'], ['ann'], ['ben'], []]);
    // ann's two subscriptions share one execution; cy, in another room, costs none.
    expect(engine.stats().executions).toBe(2);
    expect([...ann.executedBy, ...annTab.executedBy].length + ben.executedBy.length + cy.executedBy.length).toBe(2);
  });

  it('keeps a member\'s partitions exact as they grow from one to many, and lets each go when it leaves', async () => {
    const engine = engineWith();
    const source = testSource(true);
    const m = member('a');
    const other = member('b');
    const handle = await engine.open(m.subscriber, source.spec, { info: infoOf(TEXT), partitions: ['0'] });
    await engine.open(other.subscriber, source.spec, { info: infoOf(TEXT), partitions: ['0'] });
    handle.addPartition('a:b');
    handle.addPartition('a:b');
    handle.addPartition('a:c');
    expect(source.attachedPartitions.sort()).toEqual(['0', 'a:b', 'a:c']);
    for (const [id, room] of [['1', '0'], ['2', 'a:b'], ['3', 'a:c'], ['4', 'b:c']] as const) source.emit(msg(id, 'x', room));
    await settle();
    expect(m.frames.map((frame) => JSON.parse(frame).data.message.text)).toEqual(['t1', 't2', 't3']);
    expect(other.frames.map((frame) => JSON.parse(frame).data.message.text)).toEqual(['t1']);
    await handle.return!();
    // Its own rooms go with it; the room the other member still has stays.
    expect(source.attachedPartitions).toEqual(['0']);
  });

  it('recognises every replayed event afterwards, however many were replayed (past the few kept in a list)', async () => {
    const engine = engineWith();
    const source = testSource();
    const live = member('live');
    await engine.open(live.subscriber, source.spec, { info: infoOf(TEXT) });
    const late = member('late');
    const stored = Array.from({ length: 40 }, (_, i) => msg(String(i + 1)));
    await engine.open(late.subscriber, source.spec, {
      info: infoOf(TEXT),
      replay: { keyOf: (message) => message.id, knownKeys: ['0'], load: async (last) => ({ events: last ? [] : stored, more: false }) },
    });
    await settle();
    // Announced again after the replay (a re-read after a pub/sub gap), new ones sorting before and
    // after every replayed key ('41' < '9' < '99' as strings), then the cursor itself.
    for (const id of ['1', '17', '40', '9', '41', '99', '0']) source.emit(msg(id));
    await settle();
    expect(late.frames.map((frame) => JSON.parse(frame).data.message.text)).toEqual([...stored.map((m) => m.text), 't41', 't99']);
  });

  it('keeps after a replay only the keys of events its source has still to announce, and lets each go once it has come', async () => {
    const engine = engineWith();
    const source = testSource(true);
    const live = member('live');
    await engine.open(live.subscriber, source.spec, { info: infoOf(TEXT), partitions: ['r', 's'] });
    const late = member('late');
    const stored = [msg('1'), msg('2', 'x', 's'), msg('3'), msg('4', 'x', 's'), msg('5')];
    // What the source has delivered already (it never delivers those again): 1, 2 and the cursor
    // (in r only: keys are unique across partitions); 3 is older than it could ever re-read.
    const states = new Map<string, Announcement>([['r/0', 'announced'], ['r/1', 'announced'], ['s/2', 'announced'], ['r/3', 'never']]);
    const asked: string[] = [];
    await engine.open(late.subscriber, source.spec, {
      info: infoOf(TEXT),
      partitions: ['r', 's'],
      replay: {
        keyOf: (message) => message.id,
        knownKeys: ['0'],
        announcement: (key, partition) => (asked.push(`${partition}/${key}`), states.get(`${partition}/${key}`) ?? 'may-come'),
        load: async (last) => ({ events: last ? [] : stored, more: false }),
      },
    });
    await settle();
    // 4 and 5 were stored and replayed but are still on their way: only their keys are kept.
    expect(engine.stats().replayedKeys).toBe(2);
    expect(asked).toContain('s/4');
    source.emit(msg('4', 'x', 's'));
    await settle();
    expect(engine.stats().replayedKeys).toBe(1);
    source.emit(msg('5'));
    source.emit(msg('6'));
    await settle();
    expect(engine.stats().replayedKeys).toBe(0);
    source.emit(msg('7', 'x', 's'));
    await settle();
    expect(late.frames.map((frame) => JSON.parse(frame).data.message.text)).toEqual(['t1', 't2', 't3', 't4', 't5', 't6', 't7']);
    expect(live.frames.map((frame) => JSON.parse(frame).data.message.text)).toEqual(['t4', 't5', 't6', 't7']);
  });

  it('keeps the newest replayed keys for the member\'s life when its source cannot say what it announced', async () => {
    const engine = engineWith();
    const source = testSource();
    const late = member('late');
    await engine.open(late.subscriber, source.spec, {
      info: infoOf(TEXT),
      replay: { keyOf: (message) => message.id, knownKeys: ['0'], load: async (last) => ({ events: last ? [] : [msg('1'), msg('2')], more: false }) },
    });
    await settle();
    source.emit(msg('2'));
    source.emit(msg('2'));
    await settle();
    expect(engine.stats().replayedKeys).toBe(3);
    expect(late.frames.map((frame) => JSON.parse(frame).data.message.text)).toEqual(['t1', 't2']);
  });

  it('gives a subscriber without a sink the raw events in its own bounded queue', async () => {
    const engine = engineWith();
    const source = testSource();
    const pulling = member('p', { sink: false });
    const handle = await engine.open(pulling.subscriber, source.spec, { info: infoOf(TEXT) });
    source.emit(msg('1'));
    source.emit(msg('2'));
    await settle();
    expect((await handle.next()).value).toEqual(msg('1'));
    expect((await handle.next()).value).toEqual(msg('2'));
    expect(engine.stats().executions).toBe(0);
    await handle.return!();
    expect(engine.stats()).toMatchObject({ sources: 0, members: 0 });
  });

  it('drops a group whose execution cannot keep up instead of queueing events without bound', async () => {
    const engine = engineWith({ maxPendingEvents: 3 });
    const source = testSource();
    const slow = member('s');
    let release: () => void = () => undefined;
    const hanging = new Promise<void>((resolve) => (release = resolve));
    const execute = slow.subscriber.execute;
    slow.subscriber.execute = async (...args) => (await hanging, execute(...args));
    await engine.open(slow.subscriber, source.spec, { info: infoOf(TEXT) });
    for (let i = 0; i < 3; i++) source.emit(msg(String(i)));
    expect(slow.dropped).toEqual([]);
    source.emit(msg('3'));
    expect(slow.dropped).toEqual(['more than 3 events waiting to be executed']);
    release();
  });

  it('drops a member whose sink holds more than maxBufferedBytes, and only it', async () => {
    const engine = engineWith({ maxBufferedBytes: 100 });
    const source = testSource();
    const stalled = member('s');
    const fine = member('f');
    await engine.open(stalled.subscriber, source.spec, { info: infoOf(TEXT) });
    await engine.open(fine.subscriber, source.spec, { info: infoOf(TEXT) });
    stalled.setBuffered(101);
    source.emit(msg('1'));
    await settle();
    expect(stalled.dropped).toEqual(['more than 100 bytes waiting in the socket']);
    expect(stalled.frames).toEqual([]);
    expect(fine.frames).toHaveLength(1);
  });

  it('sends the frames of one turn of the event loop in one corked write per socket', async () => {
    const engine = engineWith();
    const source = testSource();
    const m = member('a');
    await engine.open(m.subscriber, source.spec, { info: infoOf(TEXT) });
    for (const id of ['1', '2', '3']) source.emit(msg(id));
    await settle();
    expect(m.net.log).toEqual(['cork', 'frame (corked)', 'frame (corked)', 'frame (corked)', 'uncork']);
  });

  it('completes its members when the source ends, and ends a subscription born after shutdown at once', async () => {
    const registry = createSubscriptionRegistry();
    const engine = createLiveEngine({ maxBufferedBytes: 1 << 20, maxPendingEvents: 10, maxQueuedEvents: 10, maxQueuedBytes: 1 << 20, registry, logger: pino({ level: 'silent' }) });
    let end: () => void = () => undefined;
    const m = member('a');
    await engine.open(m.subscriber, { key: 'k', attach: async (_emit, stop) => ((end = stop), () => undefined) }, { info: infoOf(TEXT) });
    const ended = m.parked!.next();
    end();
    expect(await ended).toEqual({ value: undefined, done: true });
    expect(m.finished).toBe('complete');
    registry.closeAll();
    const late = member('b');
    const handle = await engine.open(late.subscriber, { key: 'k2', attach: async () => () => undefined }, { info: infoOf(TEXT) });
    expect(handle.ended).toBe(true);
    expect(engine.stats().members).toBe(0);
  });
});
