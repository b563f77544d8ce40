import type { Socket } from 'node:net';
import { type FragmentDefinitionNode, GraphQLError, type GraphQLSchema, Kind, type OperationDefinitionNode, print } from 'graphql';
import type { Logger } from 'pino';
import { type EndReason, type OwnLifetime, type SubscriptionRegistry, beginLifetime, endLifetime } from './lifetime.js';
import { EventQueue } from './queue.js';
import { type FrameSink, type LiveOperation, type LiveTransport, SharedPayload, type Subscriber } from './subscriber.js';
import { type OperationAnalysis, ViewerProbe, analyseOperation } from './viewer-classes.js';

/** Hands a source's event to the engine; `bytes` counts towards per-subscriber queue limits. */
export type Emit<E> = (event: E, bytes: number) => void;

/**
 * Where events come from: a pub/sub topic, a chat's rooms, a stream's shared reader. One source
 * per key per process, however many subscribe; it is attached on the first subscriber and
 * detached after the last.
 */
export interface LiveSource<E> {
  /** Subscriptions with equal keys get equal events. */
  key: string;
  /**
   * Attaches the source; resolves once no event can be missed, with the function that detaches
   * it. `end` completes every subscriber of the source (it has ended: a stream reader stopped).
   */
  attach(emit: Emit<E>, end: () => void): Promise<() => void>;
  /**
   * Partitioned sources (a chat's rooms): the partition of an event. A subscriber receives only
   * the events of its partitions (a set look-up per event and member, never an execution).
   */
  partitionOf?(event: E): string;
  /** Starts listening to one partition (at once); returns the function that stops. Called once per partition however many listen. */
  attachPartition?(partition: string, emit: Emit<E>): () => void;
}

/** One page of stored history, oldest first. */
export interface HistoryPage<E> {
  events: E[];
  /** Whether more history may follow the last event of this page. */
  more: boolean;
}

/** Replay-then-live: what a subscriber missed, from storage, before it joins the live group. */
export interface ReplaySpec<E> {
  /**
   * Reads the history after `last` (null: from the subscriber's resume point). Partitioned
   * sources: of `partitions`, the subscriber's partitions at the time (rooms opened during the
   * replay are among them from then on).
   */
  load(last: E | null, partitions: readonly string[]): Promise<HistoryPage<E>>;
  /** Identifies an event (the de-duplication of live events already replayed). */
  keyOf(event: E): string;
  /**
   * Whether a live event was already delivered, given the last one delivered (null: none yet).
   * Default: its key was among those replayed. Sources with ordered ids (streams) compare instead.
   */
  delivered?(event: E, last: E | null): boolean;
  /**
   * Keys the subscriber already has: its resume cursor. A live event with one of them is never
   * delivered, e.g. the message a client resumes after, still crossing a cluster's bus when the
   * subscription starts, or announced again by a re-read after a pub/sub gap.
   */
  knownKeys?: readonly string[];
  /**
   * Where the source stands with the event of `key` in `partition` (null for an unpartitioned
   * source): `announced` (a source announces an event once; keys are unique across partitions),
   * `never` (older than anything it could still announce or re-read), or `may-come`. Given, a
   * resumed subscriber keeps after its replay only the keys of replayed events that may still
   * come (in flight, or missed in a pub/sub gap that a re-read will announce), and lets each go
   * once it has come: an idle resumed subscriber then holds nothing. Without it, the newest
   * replayed keys are kept for the subscriber's life.
   */
  announcement?(key: string, partition: string | null): Announcement;
}

/** See {@link ReplaySpec.announcement}. */
export type Announcement = 'announced' | 'never' | 'may-come';

/** The operation a subscriber runs, as its `subscribe` resolver sees it (GraphQLResolveInfo has these). */
export interface OperationInfo {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
  variableValues: Record<string, unknown>;
}

/** Options of {@link LiveEngine.open}. */
export interface OpenOptions<E> {
  /** The subscriber's operation: its group key and its execution come from it. */
  info: OperationInfo;
  /** Partitioned sources: the partitions to start with (more with `addPartition`). */
  partitions?: Iterable<string>;
  /** Replay history first, then join the live group with no gap and no duplicate. */
  replay?: ReplaySpec<E>;
  /** Called once when the subscription ends, however it ends. */
  onEnd?: () => void;
}

/** A member's end of a shared subscription: what a transport waits on (it yields nothing, it only ends). */
export interface ParkedSubscription extends AsyncIterableIterator<never> {
  /** Ends it as if the client had left. */
  close(): void;
}

/** `extensions.code` of {@link SlowConsumerError}. */
export const SLOW_CONSUMER = 'SLOW_CONSUMER';

/**
 * What a subscriber that pulls (no frame sink) gets when it was dropped as too slow: events were
 * left out, so its iterator throws this rather than completing as if nothing was missed.
 */
export class SlowConsumerError extends GraphQLError {
  constructor(reason: string) {
    super(`Dropped as a slow consumer: ${reason}.`, { extensions: { code: SLOW_CONSUMER } });
    this.name = 'SlowConsumerError';
  }
}

/** What members get when a delivery failed half-way (a bug): which of them got the event is unknown. */
const deliveryFailed = () =>
  new GraphQLError('The subscription failed: an event could not be delivered.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });

/** What `open` returns: the iterator to hand graphql-js (events for pulling transports, nothing for frame sinks). */
export interface LiveHandle<E> extends AsyncIterableIterator<E> {
  /** Partitioned sources: starts receiving one more partition (a room opened). */
  addPartition(partition: string): void;
  readonly ended: boolean;
}

/** Options of {@link createLiveEngine}. */
export interface LiveEngineOptions {
  /** A sink with more than this many bytes waiting to be sent is dropped as a slow consumer. */
  maxBufferedBytes: number;
  /**
   * Events waiting to be executed for one group, or buffered for one replaying member. Past it
   * the group (or member) cannot keep up and is dropped as a slow consumer rather than queueing
   * without bound.
   */
  maxPendingEvents: number;
  /** Events (and bytes) held for a subscriber that pulls (no frame sink). */
  maxQueuedEvents: number;
  maxQueuedBytes: number;
  registry: SubscriptionRegistry;
  logger: Logger;
  /** After each execution: its field (metrics). */
  onExecution?: (field: string) => void;
  /** After each event written: field, transport, how many written. */
  onDelivered?: (field: string, transport: LiveTransport, written: number) => void;
}

/**
 * The one delivery path of every shared subscription, on every transport. An event on a source
 * runs the operation once per group of equal subscriptions (and, within it, once per viewer
 * class when the operation selects classified fields), serialises the result once, and writes
 * each member's sink the shared bytes. Subscribers that pull (no sink) get the raw event in a
 * bounded queue of their own.
 */
export interface LiveEngine {
  /**
   * Subscribes: attaches the source when it is new, joins (or makes) the group of the
   * operation, starts the replay when asked. Resolves once no live event can be missed.
   * @throws whatever the source's `attach` throws (the subscription is then ended).
   */
  open<E>(subscriber: Subscriber, source: LiveSource<E>, options: OpenOptions<E>): Promise<LiveHandle<E>>;
  /**
   * Sources attached / groups / members now, executions so far, members replaying history now,
   * and the replayed keys resumed members still keep to recognise live events (tests, metrics).
   */
  stats(): { sources: number; groups: number; members: number; executions: number; replaying: number; replayedKeys: number };
  /** Members replaying history now: a counter, cheap enough for every metrics scrape (stats() walks every member). */
  readonly replaying: number;
}

interface Source {
  key: string;
  spec: LiveSource<unknown>;
  groups: Map<string, Group>;
  ready: Promise<() => void>;
  partitions: Map<string, { count: number; detach: () => void }>;
  emit: Emit<unknown>;
  /** Set once its last member left and its detach was called (it may have left `sources` before: it ended). */
  detached: boolean;
}

interface Group {
  key: string;
  source: Source;
  /** null: the group of subscribers that pull raw events (nothing is executed). */
  operation: LiveOperation | null;
  analysis: OperationAnalysis | null;
  members: Set<Member>;
  pending: number;
  tail: Promise<void>;
}

const DONE: IteratorResult<never> = { value: undefined as never, done: true };
const RAW_GROUP = '\u0000raw';
/** Replayed keys remembered per member for the de-duplication of live events. */
const DEDUPLICATION_WINDOW = 1000;
/**
 * A corked socket holding this many bytes is flushed at once rather than at the end of the turn,
 * so that corking never makes a fast reader look like a slow consumer.
 */
const CORKED_FLUSH_BYTES = 64 * 1024;

const printed = new WeakMap<OperationDefinitionNode, string>();

/**
 * One subscription in the engine. A class, so that an idle member costs one object: it holds
 * its subscriber (never another member's), its sink or queue, its partitions and its lifetime.
 */
class Member implements LiveHandle<unknown>, ParkedSubscription, OwnLifetime {
  /** Its lifetime's watch of the subscriber (the member is its own lifetime: see lifetime.ts). */
  unwatch: (() => void) | null = null;
  /** Set while replaying: live events (and their payloads) waiting until history is delivered. */
  replayBuffer: Array<{ event: unknown; payload: SharedPayload | null; bytes: number }> | null = null;
  /**
   * After a replay: recognises live events that history already delivered (stored before the
   * history was read, announced after; or announced again by a re-read after a pub/sub gap).
   * Bounded: the newest replayed keys only, or one comparison for ordered ids.
   */
  dedup: Replayed | null = null;
  private wake: { resolve: (result: IteratorResult<never>) => void; reject: (error: unknown) => void } | null = null;
  private failure: unknown = null;
  private left = false;
  /** Delivered over SSE (metrics labels). */
  readonly sse: boolean;

  constructor(
    readonly engine: Engine,
    readonly subscriber: Subscriber,
    readonly sink: FrameSink | null,
    readonly queue: EventQueue<unknown> | null,
    readonly group: Group,
    /**
     * Partitioned sources: the member's partitions; one partition (most members) is the string
     * itself, more are a set. Null: none yet, or the source is not partitioned.
     */
    public partitions: string | Set<string> | null,
    readonly onEnd: (() => void) | undefined,
  ) {
    this.sse = subscriber.transport === 'sse';
  }

  get ended(): boolean {
    return this.left;
  }

  accepts(event: unknown): boolean {
    const { partitionOf } = this.group.source.spec;
    return partitionOf === undefined || this.has(partitionOf(event));
  }

  /** Whether the member receives the events of `partition` (a partitioned source's). */
  has(partition: string): boolean {
    const { partitions } = this;
    return partitions === partition || (partitions !== null && typeof partitions === 'object' && partitions.has(partition));
  }

  /** The member's partitions now. */
  partitionList(): string[] {
    const { partitions } = this;
    return partitions === null ? [] : typeof partitions === 'string' ? [partitions] : [...partitions];
  }

  addPartition(partition: string): void {
    if (this.group.source.spec.partitionOf === undefined || this.ended || this.has(partition)) return;
    const { partitions } = this;
    if (partitions === null) this.partitions = partition;
    else if (typeof partitions === 'string') this.partitions = new Set([partitions, partition]);
    else partitions.add(partition);
    this.engine.retainPartition(this.group.source, partition);
  }

  /** Ends it (idempotent): its lifetime first, then everything it holds. */
  end(reason: EndReason): void {
    if (this.left) return;
    endLifetime(this, this.engine.registry);
    this.ended_(reason);
  }

  /** The process is shutting down: completed after what it has queued. */
  shutDown(): void {
    this.end('complete');
  }

  fail(error: unknown): void {
    if (this.ended) return;
    this.failure = error;
    this.sink?.finish('error', error);
    this.end('gone');
  }

  /** The lifetime ended: leave everything, tell whoever waits. */
  ended_(reason: EndReason): void {
    if (this.left) return;
    this.left = true;
    this.engine.leave(this);
    if (this.failure === null) this.sink?.finish(reason);
    if (this.queue) {
      if (this.failure !== null) this.queue.abort();
      else if (reason === 'complete') this.queue.close();
      else this.queue.abort();
    }
    const wake = this.wake;
    this.wake = null;
    if (wake) {
      if (this.failure !== null) wake.reject(this.failure);
      else wake.resolve(DONE);
    }
    this.onEnd?.();
  }

  async next(): Promise<IteratorResult<never>> {
    if (this.queue) {
      const result = (await this.queue.next()) as IteratorResult<never>;
      if (result.done && this.failure !== null) throw this.failure;
      return result;
    }
    if (this.ended) {
      if (this.failure !== null) throw this.failure;
      return DONE;
    }
    return new Promise((resolve, reject) => {
      this.wake = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<never>> {
    this.end('gone');
    return Promise.resolve(DONE);
  }

  throw(error?: unknown): Promise<IteratorResult<never>> {
    this.end('gone');
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  close(): void {
    this.end('gone');
  }

  /** Resolves once what was written so far has left (frames) or been taken (queue). */
  drained(): Promise<void> {
    if (this.queue) return this.queue.whenEmpty();
    return this.sink ? this.sink.drained() : Promise.resolve();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/**
 * Recently kept replay keys, one copy each: the subscribers that resume from the same point
 * replay the same events (each read from storage, so each with its own copy of the key) and
 * would otherwise each keep their own copies for their lives. Bounded: the oldest go first.
 */
const recentKeys = new Map<string, string>();
const RECENT_KEYS = 4096;

function sharedKey(key: string): string {
  const known = recentKeys.get(key);
  if (known !== undefined) return known;
  if (recentKeys.size >= RECENT_KEYS) recentKeys.delete(recentKeys.keys().next().value as string);
  recentKeys.set(key, key);
  return key;
}

/**
 * What a replay delivered, as far as live events need to know: the keys replayed (the newest
 * {@link DEDUPLICATION_WINDOW}, with the resume cursor's), or for ordered ids the last event
 * delivered. One object per resumed subscription, holding nothing of the replay's reading.
 */
class Replayed {
  last: unknown = null;
  /** While replaying, with `announcement`: the partition of each kept key (for {@link settle}). */
  private partitionOfKey: Map<string, string> | null;
  /**
   * The keys kept, sorted: a live event's key is looked up by bisection, and one that sorts
   * after the last is new at once (as chat ids and stream ids are, for new events). An array of
   * shared strings costs a pointer per key; a set would cost three or four times that.
   */
  private keys: string[] | null;

  constructor(
    private readonly keyOf: (event: unknown) => string,
    private readonly ordered: ((event: unknown, last: unknown) => boolean) | undefined,
    knownKeys: readonly string[] | undefined,
    private readonly announcement: ((key: string, partition: string | null) => Announcement) | undefined,
    private readonly partitionOf: ((event: unknown) => string) | undefined,
  ) {
    this.keys = ordered ? null : [...new Set((knownKeys ?? []).map(sharedKey))].sort();
    this.partitionOfKey = !ordered && announcement && partitionOf ? new Map() : null;
  }

  /** Nothing left to recognise: the member can let go of it. */
  get empty(): boolean {
    return this.keys !== null && this.keys.length === 0;
  }

  /** Keys kept (0 for ordered ids). */
  get size(): number {
    return this.keys?.length ?? 0;
  }

  record(event: unknown): void {
    this.last = event;
    const { keys } = this;
    if (keys === null) return;
    const key = sharedKey(this.keyOf(event));
    this.partitionOfKey?.set(key, sharedKey(this.partitionOf!(event)));
    // History comes oldest first: nearly always an append.
    if (keys.length === 0 || key > keys[keys.length - 1]!) keys.push(key);
    else {
      const at = position(keys, key);
      if (keys[at] === key) return;
      keys.splice(at, 0, key);
    }
    // The newest (greatest) keys only.
    if (keys.length > DEDUPLICATION_WINDOW) this.partitionOfKey?.delete(keys.shift()!);
  }

  /** Whether `event` was delivered already. */
  seen(event: unknown): boolean {
    if (this.ordered) return this.ordered(event, this.last);
    const keys = this.keys!;
    const key = this.keyOf(event);
    if (keys.length === 0 || key > keys[keys.length - 1]!) return false;
    return keys[position(keys, key)] === key;
  }

  /**
   * The replay is over: only what recognises live events is kept, at its exact size; with
   * `announcement`, only the keys of events that may still come.
   */
  settle(partitions: readonly string[]): void {
    if (this.ordered) return;
    this.last = null;
    const { announcement, partitionOfKey } = this;
    if (!announcement) this.keys = this.keys!.slice();
    else {
      const mayCome = (key: string): boolean => {
        const partition = partitionOfKey?.get(key);
        if (partition !== undefined || !this.partitionOf) return announcement(key, partition ?? null) === 'may-come';
        // A known key (the resume cursor) has no partition recorded: gone once one of the
        // member's partitions has announced it, or none of them ever could.
        const states = partitions.map((each) => announcement(key, each));
        return !states.includes('announced') && states.includes('may-come');
      };
      this.keys = this.keys!.filter(mayCome);
    }
    this.partitionOfKey = null;
  }

  /** A live event: true when it was delivered already; ordered ids move on with the others. */
  live(event: unknown): boolean {
    if (this.seen(event)) {
      // The source announces an event once: the key has done its work.
      if (this.announcement && this.keys) this.keys.splice(position(this.keys, this.keyOf(event)), 1);
      return true;
    }
    if (this.ordered) this.last = event;
    return false;
  }
}

/** Where `key` is or would go in the sorted `keys`. */
function position(keys: readonly string[], key: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (keys[middle]! < key) low = middle + 1;
    else high = middle;
  }
  return low;
}

class Engine implements LiveEngine {
  private readonly sources = new Map<string, Source>();
  private executions = 0;
  /** Members replaying history now (until they have joined their live group, or ended). */
  replaying = 0;
  private readonly corked = new Set<Socket>();
  private readonly uncorkAll = () => {
    for (const netSocket of this.corked) netSocket.uncork();
    this.corked.clear();
  };

  constructor(private readonly options: LiveEngineOptions) {}

  get registry(): SubscriptionRegistry {
    return this.options.registry;
  }

  async open<E>(subscriber: Subscriber, spec: LiveSource<E>, options: OpenOptions<E>): Promise<LiveHandle<E>> {
    const source = this.sourceOf(spec as LiveSource<unknown>);
    const group = subscriber.sink ? this.frameGroup(source, options.info) : this.rawGroup(source);
    const { maxQueuedEvents, maxQueuedBytes } = this.options;
    let member: Member | null = null;
    const queue = subscriber.sink
      ? null
      : new EventQueue<unknown>({
          maxItems: maxQueuedEvents,
          maxBytes: maxQueuedBytes,
          onOverflow: () => member && this.dropSlow(member, `more than ${maxQueuedEvents} events or ${maxQueuedBytes} bytes waiting`),
          onFinish: () => member?.end('gone'),
        });
    member = new Member(this, subscriber, subscriber.sink, queue, group, null, options.onEnd);
    if (options.replay) member.replayBuffer = [];
    group.members.add(member);
    const joined = member;
    beginLifetime(joined, subscriber, this.options.registry);
    if (joined.ended) return joined as LiveHandle<E>;
    for (const partition of options.partitions ?? []) joined.addPartition(partition);
    try {
      await source.ready;
    } catch (error) {
      joined.end('gone');
      throw error;
    }
    if (joined.ended) return joined as LiveHandle<E>;
    subscriber.sink?.attach(joined);
    if (options.replay) void this.replay(joined, options.replay as ReplaySpec<unknown>);
    return joined as LiveHandle<E>;
  }

  stats() {
    let groups = 0;
    let members = 0;
    let replayedKeys = 0;
    for (const source of this.sources.values()) {
      groups += source.groups.size;
      for (const group of source.groups.values()) {
        members += group.members.size;
        for (const member of group.members) replayedKeys += member.dedup?.size ?? 0;
      }
    }
    return { sources: this.sources.size, groups, members, executions: this.executions, replaying: this.replaying, replayedKeys };
  }

  private sourceOf(spec: LiveSource<unknown>): Source {
    const existing = this.sources.get(spec.key);
    if (existing) return existing;
    const source: Source = {
      key: spec.key,
      spec,
      groups: new Map(),
      ready: Promise.resolve(() => undefined),
      partitions: new Map(),
      emit: (event, bytes) => this.dispatch(source, event, bytes),
      detached: false,
    };
    source.ready = spec.attach(source.emit, () => this.endSource(source));
    this.sources.set(spec.key, source);
    source.ready.catch(() => {
      if (this.sources.get(spec.key) === source) this.sources.delete(spec.key);
    });
    return source;
  }

  private frameGroup(source: Source, info: OperationInfo): Group {
    const fragments = Object.values(info.fragments);
    const analysis = analyseOperation(info.schema, info.operation, fragments);
    const variables: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(info.variableValues)) if (!analysis.subscriberVariables.has(name)) variables[name] = value;
    let text = printed.get(info.operation);
    if (text === undefined) {
      text = print({ kind: Kind.DOCUMENT, definitions: [info.operation, ...fragments] });
      printed.set(info.operation, text);
    }
    // Not the viewer: a per-viewer operation is executed once per viewer present (see deliver).
    const key = JSON.stringify([text, variables]);
    let group = source.groups.get(key);
    if (!group) {
      group = {
        key,
        source,
        // The operation only: no member's context, so no member's leaving can leave it in use.
        operation: {
          schema: info.schema,
          document: { kind: Kind.DOCUMENT, definitions: [info.operation, ...fragments] },
          operationName: info.operation.name?.value,
          variableValues: info.variableValues,
        },
        analysis,
        members: new Set(),
        pending: 0,
        tail: Promise.resolve(),
      };
      source.groups.set(key, group);
    }
    return group;
  }

  private rawGroup(source: Source): Group {
    let group = source.groups.get(RAW_GROUP);
    if (!group) {
      group = { key: RAW_GROUP, source, operation: null, analysis: null, members: new Set(), pending: 0, tail: Promise.resolve() };
      source.groups.set(RAW_GROUP, group);
    }
    return group;
  }

  retainPartition(source: Source, partition: string): void {
    const held = source.partitions.get(partition);
    if (held) {
      held.count++;
      return;
    }
    source.partitions.set(partition, { count: 1, detach: source.spec.attachPartition!(partition, source.emit) });
  }

  private releasePartition(source: Source, partition: string): void {
    const held = source.partitions.get(partition);
    if (!held || --held.count > 0) return;
    source.partitions.delete(partition);
    held.detach();
  }

  /** A member leaves: its partitions, its group, then its source go when no one is left. */
  leave(member: Member): void {
    const { group } = member;
    const { source } = group;
    if (!group.members.delete(member)) return;
    const { partitions } = member;
    if (typeof partitions === 'string') this.releasePartition(source, partitions);
    else if (partitions) for (const partition of partitions) this.releasePartition(source, partition);
    if (group.members.size === 0 && source.groups.get(group.key) === group) source.groups.delete(group.key);
    if (source.groups.size === 0 && !source.detached) {
      source.detached = true;
      if (this.sources.get(source.key) === source) this.sources.delete(source.key);
      void source.ready.then((detach) => detach(), () => undefined);
    }
  }

  /**
   * The source ended: each member completes after the deliveries already dispatched to its group,
   * and the last to leave detaches it (see leave). It leaves `sources` now, so that a subscriber
   * arriving meanwhile attaches a fresh source rather than joining one that has ended.
   */
  private endSource(source: Source): void {
    if (this.sources.get(source.key) === source) this.sources.delete(source.key);
    for (const group of source.groups.values()) {
      group.tail = group.tail
        .then(() => {
          for (const member of [...group.members]) member.end('complete');
        })
        .catch((error: unknown) => this.linkFailed(group, group.members, error));
    }
  }

  private dispatch(source: Source, event: unknown, bytes: number): void {
    for (const group of source.groups.values()) {
      if (group.pending >= this.options.maxPendingEvents) {
        // Every member leaves now: the group is gone, and no later event drops them again.
        const reason = `more than ${this.options.maxPendingEvents} events waiting to be executed`;
        for (const member of [...group.members]) this.dropSlow(member, reason);
        continue;
      }
      group.pending++;
      // Two links per event as before (the second settles either way): a failed delivery never
      // stops the group's later ones.
      group.tail = group.tail
        .then(() => this.deliver(group, event, bytes))
        .then(
          () => void group.pending--,
          (error: unknown) => {
            group.pending--;
            this.linkFailed(group, group.members, error);
          },
        );
    }
  }

  private async deliver(group: Group, event: unknown, bytes: number): Promise<void> {
    const { operation, analysis } = group;
    if (!operation || !analysis) {
      for (const member of group.members) if (member.accepts(event)) this.emit(member, event, null, bytes);
      return;
    }
    let representative: Member | null = null;
    for (const member of group.members) {
      if (member.accepts(event)) {
        representative = member;
        break;
      }
    }
    if (!representative) return;
    if (analysis.perViewer) return this.deliverPerViewer(group, event, bytes);
    if (!analysis.classified) {
      // One execution for everyone (the common case): no list of members is built.
      const payload = await this.execute(group, representative, event, null);
      if (payload) this.writeAll(group, group.members, event, payload, bytes, null);
      return;
    }
    // One execution per viewer class present.
    let rest: Iterable<Member> = group.members;
    while (representative) {
      const probe = new ViewerProbe(representative.subscriber.viewerId);
      const payload = await this.execute(group, representative, event, probe);
      if (!payload) return;
      const others = this.writeAll(group, rest, event, payload, bytes, probe);
      rest = others;
      representative = others[0] ?? null;
    }
  }

  /**
   * An operation that selects a field which may differ for every viewer (or declares nothing):
   * one execution per viewer among the members the event is for, never a result shared between
   * two viewers. The group is still one (its operation, its source), so a source of one user's
   * events costs a partition, not a group, per user.
   */
  private async deliverPerViewer(group: Group, event: unknown, bytes: number): Promise<void> {
    const byViewer = new Map<string | null, Member[]>();
    for (const member of group.members) {
      if (!member.accepts(event)) continue;
      const members = byViewer.get(member.subscriber.viewerId);
      if (members) members.push(member);
      else byViewer.set(member.subscriber.viewerId, [member]);
    }
    await Promise.all(
      Array.from(byViewer.values(), async (members) => {
        const payload = await this.execute(group, members[0]!, event, null);
        // Members that left while it ran are skipped (they are out of the group).
        if (payload) this.writeAll(group, members.filter((member) => !member.ended), event, payload, bytes, null);
      }),
    );
  }

  /** Runs the group's operation for one event as `representative`, serialised; null: it could not run. */
  private async execute(group: Group, representative: Member, event: unknown, probe: ViewerProbe | null): Promise<SharedPayload | null> {
    const field = group.analysis!.field;
    this.executions++;
    this.options.onExecution?.(field);
    try {
      return new SharedPayload(Buffer.from(JSON.stringify(await representative.subscriber.execute(group.operation!, event, probe))));
    } catch (error) {
      // Resolver errors come back inside the result; this is an execution that could not run.
      this.options.logger.error({ err: error, field }, 'shared subscription execution failed');
      return null;
    }
  }

  /**
   * Writes one payload to the members that accept the event and (with a probe) are in the
   * representative's class; returns the accepting members of other classes.
   */
  private writeAll(group: Group, members: Iterable<Member>, event: unknown, payload: SharedPayload, bytes: number, probe: ViewerProbe | null): Member[] {
    const others: Member[] = [];
    let websocket = 0;
    let sse = 0;
    // The hot loop of every delivery: members that left are already out of the group's set.
    const { partitionOf } = group.source.spec;
    const partition = partitionOf ? partitionOf(event) : null;
    for (const member of members) {
      if (partition !== null && !member.has(partition)) continue;
      if (probe) {
        if (member.ended) continue;
        if (!probe.matches(member.subscriber.viewerId)) {
          others.push(member);
          continue;
        }
      }
      if (this.emit(member, event, payload, bytes)) {
        if (member.sse) sse++;
        else websocket++;
      }
    }
    const field = group.analysis!.field;
    if (websocket > 0) this.options.onDelivered?.(field, 'websocket', websocket);
    if (sse > 0) this.options.onDelivered?.(field, 'sse', sse);
    return others;
  }

  /** Hands one live event to one member: its replay buffer, its queue, or its sink. */
  private emit(member: Member, event: unknown, payload: SharedPayload | null, bytes: number): boolean {
    if (member.replayBuffer) {
      if (member.replayBuffer.length >= this.options.maxPendingEvents) {
        this.dropSlow(member, `more than ${this.options.maxPendingEvents} live events waiting while history is replayed`);
        return false;
      }
      member.replayBuffer.push({ event, payload, bytes });
      return false;
    }
    const { dedup } = member;
    if (dedup?.live(event)) {
      if (dedup.empty) member.dedup = null;
      return false;
    }
    return this.write(member, event, payload, bytes);
  }

  private write(member: Member, event: unknown, payload: SharedPayload | null, bytes: number): boolean {
    if (member.queue) {
      member.queue.push(event, bytes);
      return true;
    }
    const sink = member.sink!;
    if (!sink.open || payload === null) return false;
    if (sink.netSocket) this.cork(sink.netSocket);
    if (sink.bufferedBytes > this.options.maxBufferedBytes) {
      this.dropSlow(member, `more than ${this.options.maxBufferedBytes} bytes waiting in the socket`);
      return false;
    }
    sink.write(payload);
    return true;
  }

  /**
   * Cuts a member off as too slow, once: the transport drops its client (a WebSocket closes with
   * 1013, an SSE stream is cut), and the member leaves its group at once, so that no later event
   * reaches it (or drops it again) and none is skipped silently. One that pulls gets a
   * {@link SlowConsumerError} from its iterator, not a complete.
   */
  private dropSlow(member: Member, reason: string): void {
    if (member.ended) return;
    member.subscriber.dropSlowConsumer(reason);
    if (member.queue) member.fail(new SlowConsumerError(reason));
    else member.end('gone');
  }

  // A socket written in this turn of the event loop stays corked until the turn ends: every frame
  // it gets meanwhile (a burst, or a backlog read from Redis in one go) leaves in one writev.
  // The syscall, not the frame, is what a delivery costs on loopback and in VMs.
  private cork(netSocket: Socket): void {
    if (this.corked.has(netSocket)) {
      if (netSocket.writableLength < CORKED_FLUSH_BYTES) return;
      netSocket.uncork();
    } else if (this.corked.size === 0) {
      setImmediate(this.uncorkAll);
    }
    netSocket.cork();
    this.corked.add(netSocket);
  }

  /**
   * THE replay-then-live of the layer. The member is already in its group, buffering live events;
   * history is delivered page by page (the next page only once the last has left, and within a
   * page a pause whenever half of maxBufferedBytes waits in the sink), then, on the
   * group's own queue of deliveries (so that every event dispatched before is in the buffer), the
   * buffered live events that history did not already deliver, and from then on live events.
   */
  private async replay(member: Member, spec: ReplaySpec<unknown>): Promise<void> {
    // Counted from the first page until the member has joined its live group (or ended).
    this.replaying++;
    try {
      await this.replayThenJoin(member, spec);
    } finally {
      this.replaying--;
    }
  }

  private async replayThenJoin(member: Member, spec: ReplaySpec<unknown>): Promise<void> {
    const replayed = new Replayed(
      spec.keyOf as (event: unknown) => string,
      spec.delivered,
      spec.knownKeys,
      spec.announcement,
      member.group.source.spec.partitionOf,
    );
    // Half the drop limit: the replay waits well before a slow consumer would be dropped.
    const lowMark = this.options.maxBufferedBytes / 2;
    try {
      for (;;) {
        const page = await spec.load(replayed.last, member.partitionList());
        for (const event of page.events) {
          if (member.ended) return;
          if (!(await this.replayOne(member, event))) return;
          replayed.record(event);
          // Within a page too: a page of large events written at once would pass the limit.
          if (member.sink && member.sink.bufferedBytes > lowMark) {
            await member.drained();
            if (member.ended) return;
          }
        }
        if (!page.more || page.events.length === 0) break;
        await member.drained();
        if (member.ended) return;
      }
    } catch (error) {
      member.fail(error);
      return;
    }
    const { group } = member;
    const joined = group.tail
      .then(() => {
        const buffered = member.replayBuffer ?? [];
        member.replayBuffer = null;
        if (member.ended) return;
        for (const { event, payload, bytes } of buffered) {
          if (replayed.seen(event)) continue;
          replayed.record(event);
          this.write(member, event, payload, bytes);
        }
        // From now on: live events only (the spec, and what its reading held, are let go; so is
        // the last event when keys, not ordered ids, recognise what was delivered).
        replayed.settle(member.partitionList());
        member.dedup = replayed.empty ? null : replayed;
      })
      .catch((error: unknown) => this.linkFailed(group, [member], error));
    group.tail = joined;
    await joined;
  }

  /**
   * A link of a group's queue of deliveries threw (a bug: executions' errors are caught). It is
   * logged, and `members` are failed, since which of them got what is unknown; the queue goes on.
   */
  private linkFailed(group: Group, members: Iterable<Member>, error: unknown): void {
    this.options.logger.error({ err: error, field: group.analysis?.field }, 'a shared subscription delivery failed');
    for (const member of [...members]) {
      try {
        member.fail(deliveryFailed());
      } catch (failure) {
        this.options.logger.error({ err: failure }, 'could not end a subscription after a failed delivery');
      }
    }
  }

  /** One history event for one member: executed as that member (its own replay), or queued raw. */
  private async replayOne(member: Member, event: unknown): Promise<boolean> {
    if (member.queue) {
      // A page at a time: the replay waits for the queue to empty before it reads the next page.
      member.queue.push(event, 0);
      return !member.ended;
    }
    const { group } = member;
    this.executions++;
    const result = await member.subscriber.execute(group.operation!, event, null);
    if (member.ended) return false;
    return this.write(member, event, new SharedPayload(Buffer.from(JSON.stringify(result))), 0);
  }
}

/** Makes the engine of one process (`createApp` holds it). */
export function createLiveEngine(options: LiveEngineOptions): LiveEngine {
  return new Engine(options);
}
