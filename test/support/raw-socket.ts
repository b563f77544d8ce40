import { WebSocket } from 'ws';

export interface RawMessage {
  type: string;
  id?: string;
  payload?: unknown;
}

/**
 * A bare graphql-transport-ws socket, for speaking the protocol message by message (and breaking
 * it on purpose) where a client library would hide what happens.
 */
export interface RawSocket {
  socket: WebSocket;
  send(message: unknown): void;
  sendText(text: string): void;
  /** The next message not yet taken that matches, waiting for it if needed. */
  take(predicate?: (message: RawMessage) => boolean, timeoutMs?: number): Promise<RawMessage>;
  /** All messages received so far and not taken. */
  readonly pending: RawMessage[];
  /** Resolves with the close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
  /** Opens, sends connection_init and waits for connection_ack. */
  init(payload?: Record<string, unknown>): Promise<void>;
  close(): void;
}

/** `localAddress`: the client socket's address (127.0.0.2, ...), to act as another client. */
export async function openRawSocket(
  url: string,
  options: { protocol?: string; headers?: Record<string, string>; localAddress?: string } = {},
): Promise<RawSocket> {
  const socket = new WebSocket(url, options.protocol ?? 'graphql-transport-ws', {
    headers: options.headers,
    ...(options.localAddress ? { localAddress: options.localAddress } : {}),
  });
  const pending: RawMessage[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    pending.push(JSON.parse(String(data)) as RawMessage);
    for (const wake of [...waiters]) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => {
      resolve({ code, reason: String(reason) });
      for (const wake of [...waiters]) wake();
    });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });

  const take: RawSocket['take'] = (predicate = () => true, timeoutMs = 5000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const index = pending.findIndex(predicate);
        if (index >= 0) {
          cleanup();
          resolve(pending.splice(index, 1)[0]!);
        } else if (socket.readyState === WebSocket.CLOSED) {
          cleanup();
          reject(new Error(`socket closed while waiting; pending: ${JSON.stringify(pending)}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for a message; pending: ${JSON.stringify(pending)}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  const raw: RawSocket = {
    socket,
    send: (message) => socket.send(JSON.stringify(message)),
    sendText: (text) => socket.send(text),
    take,
    pending,
    closed,
    async init(payload) {
      raw.send(payload ? { type: 'connection_init', payload } : { type: 'connection_init' });
      await take((message) => message.type === 'connection_ack');
    },
    close: () => socket.close(),
  };
  return raw;
}
