import type { Socket } from 'node:net';
import type { ExecutionResult } from 'graphql';
import type { Logger } from 'pino';
import { WebSocket } from 'ws';

/**
 * What a WebSocket subscription hands the fan-out engine so that its events can be delivered
 * without a GraphQL execution and a JSON serialisation of its own.
 */
export interface FanoutTarget {
  socket: WebSocket;
  /** The TCP socket under `socket` (the upgrade request's socket): corked while a turn's frames are written. */
  netSocket: Socket;
  /** The graphql-transport-ws operation id: the only part of a `next` frame that differs between members. */
  subscriptionId: string;
  /** The Subscription field (a schema name): what delivery metrics are labelled by. */
  field?: string;
  /**
   * Subscriptions with equal keys produce equal results for equal events: the same document,
   * operation and variables, and the same viewer when the result depends on the viewer.
   */
  groupKey: string;
  /** Runs the operation for one event (the event is the root value), through yoga's envelop. */
  execute(root: unknown): Promise<ExecutionResult> | ExecutionResult;
  /** Closes the socket because it does not read fast enough. */
  dropSlowConsumer(reason: string): void;
  /** Set once the subscription has joined the engine. */
  parked?: ParkedSubscription;
}

/** Options of {@link createFanoutEngine}. */
export interface FanoutEngineOptions {
  /** A socket with more than this many bytes waiting to be sent is dropped as a slow consumer. */
  maxBufferedBytes: number;
  /**
   * Events waiting to be executed for one group. Past it the group cannot keep up (its execution
   * is the bottleneck) and its members are dropped as slow consumers, rather than queueing
   * without bound.
   */
  maxPendingEvents: number;
  logger: Logger;
  /** Called after each shared execution with the group's field and how many members were written (metrics). */
  onDelivered?: (field: string, written: number) => void;
}

/** A member's end of a shared subscription: what the WebSocket transport waits on. */
export interface ParkedSubscription extends AsyncIterableIterator<never> {
  /** Completes the subscription (the transport then sends `complete`). */
  close(): void;
}

/**
 * Identical subscriptions share one execution and one serialised payload per event: an event on a
 * source runs the operation once per group of equal subscriptions, serialises the result once,
 * and writes each member only its frame (its id around the shared payload). Per-viewer results
 * are never shared: the group key carries the viewer whenever the document selects a
 * viewer-dependent field.
 *
 * Subscriptions taken over here are "parked" for the transport: their iterator yields nothing and
 * only completes, so the transport still owns the protocol (ids, `complete`, errors at subscribe
 * time) while delivery bypasses it.
 */
export interface FanoutEngine {
  /**
   * Adds a subscription to the group of its key on a source, attaching the source first when it
   * is new (`attach` resolves once no event can be missed, and with its detacher).
   */
  join<E>(
    sourceKey: string,
    attach: (emit: (event: E) => void) => Promise<() => void>,
    target: FanoutTarget,
    /** Called once when the subscription ends, however it ends. */
    onFinish?: () => void,
  ): Promise<ParkedSubscription>;
  /** Sources attached / groups / members now, and executions so far (for tests and metrics). */
  stats(): { sources: number; groups: number; members: number; executions: number };
}

interface Group {
  key: string;
  field: string;
  source: Source;
  members: Set<Membership>;
  /** The first member's execution: every member's would give the same result. */
  execute: FanoutTarget['execute'];
  /** Events dispatched to the group and not yet delivered. */
  pending: number;
  /** Events of one group are executed and written in order. */
  tail: Promise<void>;
}

interface Source {
  key: string;
  groups: Map<string, Group>;
  ready: Promise<() => void>;
}

const DONE: IteratorResult<never> = { value: undefined as never, done: true };

/**
 * One subscription in the engine: what delivery needs of it (not its target, whose `execute`
 * holds the whole operation context) and the parked iterator the transport waits on. A class, so
 * that an idle subscription costs one object rather than a set of closures.
 */
class Membership implements ParkedSubscription {
  private finished = false;
  private wake: ((result: IteratorResult<never>) => void) | null = null;

  constructor(
    readonly socket: WebSocket,
    readonly netSocket: Socket,
    readonly dropSlowConsumer: (reason: string) => void,
    /** `{"id":"<id>","type":"next","payload":` as bytes. */
    readonly prefix: Buffer,
    readonly group: Group,
    private readonly leave: (member: Membership) => void,
    private readonly onFinish: (() => void) | undefined,
  ) {}

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.leave(this);
    this.wake?.(DONE);
    this.wake = null;
    this.onFinish?.();
  }

  next(): Promise<IteratorResult<never>> {
    if (this.finished) return Promise.resolve(DONE);
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  return(): Promise<IteratorResult<never>> {
    this.finish();
    return Promise.resolve(DONE);
  }

  throw(error?: unknown): Promise<IteratorResult<never>> {
    this.finish();
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  close(): void {
    this.finish();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

const FRAME_SUFFIX = Buffer.from('}');
const TEXT_FRAME = { binary: false };
const FIRST_FRAGMENTS = { binary: false, fin: false };
const LAST_FRAGMENT = { binary: false, fin: true };
/** Payloads from this size on are sent in fragments rather than copied into each member's frame. */
const FRAGMENT_ABOVE_BYTES = 16 * 1024;
/**
 * A corked socket holding this many bytes is flushed at once rather than at the end of the turn,
 * so that corking never makes a fast reader look like a slow consumer.
 */
const CORKED_FLUSH_BYTES = 64 * 1024;

export function createFanoutEngine(options: FanoutEngineOptions): FanoutEngine {
  const sources = new Map<string, Source>();
  let executions = 0;

  // A socket written in this turn of the event loop stays corked until the turn ends: every frame
  // it gets meanwhile (a burst, or a backlog read from Redis in one go) leaves in one writev.
  // The syscall, not the frame, is what a delivery costs on loopback and in VMs.
  const corked = new Set<Socket>();
  const uncorkAll = () => {
    for (const netSocket of corked) netSocket.uncork();
    corked.clear();
  };
  function cork(netSocket: Socket): void {
    if (corked.has(netSocket)) {
      if (netSocket.writableLength < CORKED_FLUSH_BYTES) return;
      netSocket.uncork();
    } else if (corked.size === 0) {
      setImmediate(uncorkAll);
    }
    netSocket.cork();
    corked.add(netSocket);
  }

  function write(member: Membership, payload: Buffer): boolean {
    const { socket } = member;
    if (socket.readyState !== WebSocket.OPEN) return false;
    cork(member.netSocket);
    if (socket.bufferedAmount > options.maxBufferedBytes) {
      member.dropSlowConsumer(`more than ${options.maxBufferedBytes} bytes waiting in the socket`);
      return false;
    }
    if (payload.length < FRAGMENT_ABOVE_BYTES) {
      // One text frame from bytes: no UTF-8 re-encoding of the shared payload per member.
      socket.send(Buffer.concat([member.prefix, payload, FRAME_SUFFIX], member.prefix.length + payload.length + 1), TEXT_FRAME);
    } else {
      // A large payload is not copied per member: the message goes as three fragments, the
      // middle one the shared buffer itself.
      socket.send(member.prefix, FIRST_FRAGMENTS);
      socket.send(payload, FIRST_FRAGMENTS);
      socket.send(FRAME_SUFFIX, LAST_FRAGMENT);
    }
    return true;
  }

  async function deliver(group: Group, event: unknown): Promise<void> {
    if (group.members.size === 0) return;
    let payload: Buffer;
    executions++;
    try {
      payload = Buffer.from(JSON.stringify(await group.execute(event)));
    } catch (error) {
      // Resolver errors come back inside the result; this is an execution that could not run.
      options.logger.error({ err: error, group: group.key }, 'shared subscription execution failed');
      return;
    }
    let written = 0;
    for (const member of group.members) if (write(member, payload)) written++;
    options.onDelivered?.(group.field, written);
  }

  function dispatch(source: Source, event: unknown): void {
    for (const group of source.groups.values()) {
      if (group.pending >= options.maxPendingEvents) {
        for (const member of group.members) {
          member.dropSlowConsumer(`more than ${options.maxPendingEvents} events waiting to be executed`);
        }
        continue;
      }
      group.pending++;
      group.tail = group.tail.then(() => deliver(group, event)).finally(() => group.pending--);
    }
  }

  /** A member leaves: its group, then its source, go when they have no one left. */
  function leave(member: Membership): void {
    const { group } = member;
    const { source } = group;
    group.members.delete(member);
    if (group.members.size === 0 && source.groups.get(group.key) === group) source.groups.delete(group.key);
    if (source.groups.size === 0 && sources.get(source.key) === source) {
      sources.delete(source.key);
      void source.ready.then((detach) => detach(), () => undefined);
    }
  }

  return {
    async join(sourceKey, attach, target, onFinish) {
      let source = sources.get(sourceKey);
      if (!source) {
        const created: Source = { key: sourceKey, groups: new Map(), ready: Promise.resolve(() => undefined) };
        created.ready = attach((event) => dispatch(created, event));
        source = created;
        sources.set(sourceKey, created);
        created.ready.catch(() => {
          if (sources.get(sourceKey) === created) sources.delete(sourceKey);
        });
      }
      let group = source.groups.get(target.groupKey);
      if (!group) {
        group = { key: target.groupKey, field: target.field ?? 'unknown', source, members: new Set(), execute: target.execute, pending: 0, tail: Promise.resolve() };
        source.groups.set(target.groupKey, group);
      }
      const member = new Membership(
        target.socket,
        target.netSocket,
        target.dropSlowConsumer,
        Buffer.from(`{"id":${JSON.stringify(target.subscriptionId)},"type":"next","payload":`),
        group,
        leave,
        onFinish,
      );
      group.members.add(member);
      try {
        await source.ready;
      } catch (error) {
        member.finish();
        throw error;
      }
      return member;
    },
    stats() {
      let groups = 0;
      let members = 0;
      for (const source of sources.values()) {
        groups += source.groups.size;
        for (const group of source.groups.values()) members += group.members.size;
      }
      return { sources: sources.size, groups, members, executions };
    },
  };
}
