import type { IncomingHttpHeaders, IncomingMessage, Server as HttpServer } from 'node:http';
import type { Socket } from 'node:net';
import { GraphQLError, type ExecutionResult } from 'graphql';
import {
  CloseCode,
  GRAPHQL_TRANSPORT_WS_PROTOCOL,
  MessageType,
  handleProtocols,
  parseMessage,
  type Message,
  type SubscribePayload,
} from 'graphql-ws';
import type { Logger } from 'pino';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

/**
 * A subscription whose events something else writes (the live engine, through a sink that knows
 * this socket): the server only ends it early, and is told when it ends
 * ({@link GraphQLWsConnection.parkedEnded}). Nothing of the server waits on it meanwhile.
 */
export interface ParkedOperation {
  /** Ends it because the client completed it or the socket closed (nothing more is sent for it). */
  close(): void;
  /** Whether it has ended on the server's side. */
  readonly ended: boolean;
  /** Why it failed, when it ended with an error (sent as the operation's `error`); null otherwise. */
  readonly error: unknown;
}

/**
 * What an operation came to:
 * - GraphQL errors: it was refused before it ran (an `error` message);
 * - a result: a query, a mutation, or a subscription that could not start (`next`, `complete`);
 * - an async iterable: a subscription whose events this server sends;
 * - `{ parked }`: a subscription the live engine delivers; the server is told when it ends.
 */
export type OperationOutcome = readonly GraphQLError[] | ExecutionResult | AsyncIterable<ExecutionResult> | { parked: ParkedOperation };

/** What the server knows of one socket, as its hooks see it. */
export interface GraphQLWsConnection<State> {
  readonly socket: WebSocket;
  /** The TCP socket under `socket`. */
  readonly netSocket: Socket;
  /** Set once `connection_init` has been accepted. */
  readonly state: State | null;
  /** Operations running or being set up, the one being started included. */
  readonly operationCount: number;
  /**
   * A parked operation ended on the server's side: the client gets `complete` (or `error`),
   * unless it ended the operation itself. Before `onOperation` has returned it, this does nothing
   * and the server looks at `parked.ended` when it does.
   */
  parkedEnded(id: string, parked: ParkedOperation): void;
}

/** Options of {@link createGraphQLWsServer}. */
export interface GraphQLWsServerOptions<State> {
  httpServer: HttpServer;
  path: string;
  /** Larger messages close the socket with 1009. */
  maxPayloadBytes: number;
  /** A socket without `connection_init` after this long is closed with 4408. */
  connectionInitWaitTimeoutMs: number;
  /** Every socket is pinged this often and terminated when it has not answered the previous ping. 0: never. */
  keepAliveMs: number;
  logger: Logger;
  /**
   * Decides a `connection_init`: the connection's state, or false to close with 4403. The
   * upgrade request's headers are only kept until then. If the socket has closed while this ran,
   * the state is dropped unused, so set up nothing that needs undoing after its last await.
   */
  onConnect(socket: WebSocket, params: Readonly<Record<string, unknown>> | undefined, headers: IncomingHttpHeaders): Promise<State | false>;
  /** Called once when an accepted connection closes, after its operations have been told to end. */
  onClose(state: State): void;
  /**
   * Called as each socket opens, with its upgrade request: false refuses it (the hook has closed
   * the socket with its own code), and nothing more happens to it. Connection caps hang on this.
   * Default: every socket is accepted.
   */
  onOpen?(socket: WebSocket, request: IncomingMessage): boolean;
  /** Called once when a socket that `onOpen` accepted closes, whether or not `connection_init` came. */
  onSocketClose?(socket: WebSocket): void;
  /** Called with the close code of every socket that closes, refused ones included (metrics). Default: nothing. */
  onCloseCode?(code: number): void;
  /**
   * Runs one `subscribe` message. It is called synchronously on the message's arrival, so the
   * order of calls is the order of messages.
   */
  onOperation(connection: GraphQLWsConnection<State>, id: string, payload: SubscribePayload): Promise<OperationOutcome>;
  /** The error a client sees for a subscription whose event source failed. */
  maskError(error: unknown): GraphQLError;
}

export interface GraphQLWsServer {
  /** Open sockets. */
  readonly connectionCount: number;
  /** Operations running on all sockets. */
  readonly operationCount: number;
  /** Operations not yet delivering events: queries and mutations running, subscriptions being set up. */
  readonly settingUpCount: number;
  /**
   * Stops accepting, closes every socket with `code` (its operations end without `complete`: the
   * socket is closing before any could be sent), and resolves once the sockets have closed.
   */
  close(code: number, reason: string): Promise<void>;
  /** Destroys every socket still open. */
  terminateAll(): void;
}

/** A running operation: what to call to end it early. */
type Running = AsyncIterator<unknown> | ParkedOperation;

/**
 * One socket. Its methods live on the prototype and its timers are shared, so that an idle
 * connection costs little more than its `ws` socket.
 */
class Connection<State> implements GraphQLWsConnection<State> {
  state: State | null = null;
  private initReceived = false;
  /** Answered the last ping. */
  alive = true;
  /** The upgrade request's headers, until `connection_init` has been decided. */
  private headers: IncomingHttpHeaders | null;
  initTimer: NodeJS.Timeout | null = null;
  /** null: being set up. */
  private readonly operations = new Map<string, Running | null>();

  constructor(
    readonly socket: WebSocket,
    readonly netSocket: Socket,
    headers: IncomingHttpHeaders,
    private readonly options: GraphQLWsServerOptions<State>,
  ) {
    this.headers = headers;
  }

  get operationCount(): number {
    return this.operations.size;
  }

  get settingUpCount(): number {
    let count = 0;
    for (const running of this.operations.values()) if (running === null) count++;
    return count;
  }

  private send(message: unknown): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  /**
   * Sends and resolves once the frame has been handed to the kernel: a subscription's loop that
   * waits on it reads its source no faster than the client reads the socket, so a slow client
   * fills that subscription's bounded queue instead of this process's memory.
   */
  private sendAndDrain(message: unknown): Promise<void> {
    if (this.socket.readyState !== WebSocket.OPEN) return Promise.resolve();
    return new Promise((resolve) => this.socket.send(JSON.stringify(message), () => resolve()));
  }

  private close(code: number, reason: string): void {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.close(code, reason);
  }

  private internalError(error: unknown): void {
    this.options.logger.error({ err: error }, 'graphql-ws message handling failed');
    this.close(CloseCode.InternalServerError, 'Internal server error');
  }

  receive(data: RawData): void {
    let message: Message;
    try {
      message = parseMessage(String(data));
    } catch {
      this.close(CloseCode.BadRequest, 'Invalid message received');
      return;
    }
    switch (message.type) {
      case MessageType.ConnectionInit:
        if (this.initReceived) return this.close(CloseCode.TooManyInitialisationRequests, 'Too many initialisation requests');
        this.initReceived = true;
        if (this.initTimer) clearTimeout(this.initTimer);
        this.initTimer = null;
        void this.connect(message.payload);
        return;
      case MessageType.Ping:
        this.send(message.payload ? { type: MessageType.Pong, payload: message.payload } : { type: MessageType.Pong });
        return;
      case MessageType.Pong:
        return;
      case MessageType.Subscribe:
        if (this.state === null) return this.close(CloseCode.Unauthorized, 'Unauthorized');
        if (this.operations.has(message.id)) {
          return this.close(CloseCode.SubscriberAlreadyExists, `Subscriber for ${message.id} already exists`);
        }
        this.operations.set(message.id, null);
        void this.run(message.id, message.payload);
        return;
      case MessageType.Complete: {
        const running = this.operations.get(message.id);
        this.operations.delete(message.id);
        if (running) endQuietly(running);
        return;
      }
      default:
        // Valid messages, but only a server sends them.
        this.close(CloseCode.BadRequest, `Unexpected message of type ${message.type} from a client`);
    }
  }

  private async connect(payload: unknown): Promise<void> {
    const headers = this.headers ?? {};
    this.headers = null;
    let state: State | false;
    try {
      const params = typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? (payload as Record<string, unknown>) : undefined;
      state = await this.options.onConnect(this.socket, params, headers);
    } catch (error) {
      this.internalError(error);
      return;
    }
    if (state === false) return this.close(CloseCode.Forbidden, 'Forbidden');
    if (this.socket.readyState !== WebSocket.OPEN) return;
    this.state = state;
    this.send({ type: MessageType.ConnectionAck });
  }

  private async run(id: string, payload: SubscribePayload): Promise<void> {
    let outcome: OperationOutcome;
    try {
      outcome = await this.options.onOperation(this, id, payload);
    } catch (error) {
      this.operations.delete(id);
      this.internalError(error);
      return;
    }
    const wanted = this.operations.has(id);
    if (isGraphQLErrors(outcome)) {
      this.operations.delete(id);
      if (wanted) this.send({ id, type: MessageType.Error, payload: outcome });
      return;
    }
    if ('parked' in outcome) {
      const { parked } = outcome;
      if (!wanted) return parked.close();
      // The engine writes its events and says when it ends; nothing here waits on it meanwhile.
      this.operations.set(id, parked);
      if (parked.ended) this.parkedEnded(id, parked);
      return;
    }
    if (isAsyncIterable(outcome)) {
      const iterator = outcome[Symbol.asyncIterator]();
      if (!wanted) return endQuietly(iterator);
      this.operations.set(id, iterator);
      await this.iterate(id, iterator);
      return;
    }
    this.operations.delete(id);
    if (!wanted) return;
    this.send({ id, type: MessageType.Next, payload: outcome });
    this.send({ id, type: MessageType.Complete });
  }

  private async iterate(id: string, iterator: AsyncIterator<ExecutionResult>): Promise<void> {
    try {
      for (;;) {
        const { value, done } = await iterator.next();
        if (done || this.operations.get(id) !== iterator) break;
        await this.sendAndDrain({ id, type: MessageType.Next, payload: value });
      }
    } catch (error) {
      if (this.operations.get(id) === iterator) {
        this.operations.delete(id);
        this.send({ id, type: MessageType.Error, payload: [this.options.maskError(error)] });
      }
      return;
    }
    this.ended(id, iterator);
  }

  parkedEnded(id: string, parked: ParkedOperation): void {
    if (this.operations.get(id) !== parked) return;
    if (parked.error === null) return this.ended(id, parked);
    // Its replay failed.
    this.operations.delete(id);
    this.send({ id, type: MessageType.Error, payload: [this.options.maskError(parked.error)] });
  }

  /** An operation ended on the server's side: the client is told, unless it asked for the end. */
  private ended(id: string, running: Running): void {
    if (this.operations.get(id) !== running) return;
    this.operations.delete(id);
    this.send({ id, type: MessageType.Complete });
  }

  /** The socket closed: every operation ends, then the connection's own resources go. */
  closed(): void {
    if (this.initTimer) clearTimeout(this.initTimer);
    this.initTimer = null;
    this.headers = null;
    const running = [...this.operations.values()];
    this.operations.clear();
    for (const operation of running) if (operation) endQuietly(operation);
    if (this.state !== null) this.options.onClose(this.state);
  }
}

function endQuietly(running: Running): void {
  if ('close' in running) return running.close();
  running.return?.()?.catch(() => undefined);
}

function isGraphQLErrors(outcome: OperationOutcome): outcome is readonly GraphQLError[] {
  return Array.isArray(outcome) && outcome.length > 0 && outcome.every((error) => error instanceof GraphQLError);
}

function isAsyncIterable(outcome: unknown): outcome is AsyncIterable<ExecutionResult> {
  return typeof (outcome as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

/**
 * A server for the graphql-transport-ws protocol on `ws`, with graphql-ws's own message parsing,
 * close codes and behaviour (4400, 4401, 4403, 4406, 4408, 4409, 4429, 4500). It differs from
 * graphql-ws's `useServer` in what a connection costs while it waits: no closures or suspended
 * async functions per connection or per fan-out subscription, one keep-alive timer for all
 * sockets, and the upgrade request released after `connection_init`.
 */
export function createGraphQLWsServer<State>(options: GraphQLWsServerOptions<State>): GraphQLWsServer {
  const { logger } = options;
  const connections = new Map<WebSocket, Connection<State>>();
  const wss = new WebSocketServer({ server: options.httpServer, path: options.path, maxPayload: options.maxPayloadBytes, handleProtocols });

  // Shared listeners: `this` is the socket.
  function onMessage(this: WebSocket, data: RawData): void {
    connections.get(this)?.receive(data);
  }
  function onPong(this: WebSocket): void {
    const connection = connections.get(this);
    if (connection) connection.alive = true;
  }
  function onError(this: WebSocket, error: Error): void {
    // ws closes the socket itself (1002, 1009); this only keeps the error from being unhandled.
    logger.debug({ err: error }, 'WebSocket protocol error');
  }
  function onClose(this: WebSocket): void {
    const connection = connections.get(this);
    connections.delete(this);
    connection?.closed();
    options.onSocketClose?.(this);
  }

  function onAnyClose(code: number): void {
    options.onCloseCode?.(code);
  }

  wss.on('connection', (socket, request) => {
    socket.on('close', onAnyClose);
    if (socket.protocol !== GRAPHQL_TRANSPORT_WS_PROTOCOL) {
      socket.close(CloseCode.SubprotocolNotAcceptable, 'Subprotocol not acceptable');
      return;
    }
    if (options.onOpen && !options.onOpen(socket, request)) {
      socket.on('error', onError);
      return;
    }
    const connection = new Connection(socket, request.socket, request.headers, options);
    connections.set(socket, connection);
    socket.on('message', onMessage);
    socket.on('pong', onPong);
    socket.on('error', onError);
    // `on`, not `once`: a close comes once, and `once` would wrap the listener per socket.
    socket.on('close', onClose);
    if (options.connectionInitWaitTimeoutMs > 0) {
      connection.initTimer = setTimeout(() => {
        connection.initTimer = null;
        socket.close(CloseCode.ConnectionInitialisationTimeout, 'Connection initialisation timeout');
      }, options.connectionInitWaitTimeoutMs);
    }
  });

  const keepAlive =
    options.keepAliveMs > 0
      ? setInterval(() => {
          for (const connection of connections.values()) {
            if (!connection.alive) {
              connection.socket.terminate();
              continue;
            }
            connection.alive = false;
            connection.socket.ping();
          }
        }, options.keepAliveMs)
      : null;
  keepAlive?.unref();

  return {
    get connectionCount() {
      return connections.size;
    },
    get operationCount() {
      let count = 0;
      for (const connection of connections.values()) count += connection.operationCount;
      return count;
    },
    get settingUpCount() {
      let count = 0;
      for (const connection of connections.values()) count += connection.settingUpCount;
      return count;
    },
    async close(code, reason) {
      if (keepAlive) clearInterval(keepAlive);
      for (const socket of wss.clients) socket.close(code, reason);
      await new Promise<void>((resolve, reject) => wss.close((error) => (error ? reject(error) : resolve())));
    },
    terminateAll() {
      for (const socket of wss.clients) socket.terminate();
    },
  };
}
