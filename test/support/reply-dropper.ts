import { type Server, type Socket, connect, createServer } from 'node:net';

/** A TCP proxy in front of Redis that can lose the reply to one command (see {@link startReplyDropper}). */
export interface ReplyDropper {
  /** `redis://127.0.0.1:PORT`: connect through the proxy. */
  url: string;
  /**
   * The next command whose bytes contain `marker` reaches Redis, and the reply that Redis sends
   * after it is thrown away with its connection (both sides closed): the command ran, its client
   * never heard so. Resolves once that has happened. (The bytes dropped are the first Redis sends
   * after the marker's chunk: on a client that pipelines, they may answer an earlier command, and
   * the marked one may not have run before the connection closed. A test that its double run
   * breaks fails only when it did run: it can pass by luck, never fail by it.)
   */
  dropReplyTo(marker: string): Promise<void>;
  /** Connections made through the proxy so far (a client that reconnects adds one). */
  readonly connections: number;
  close(): Promise<void>;
}

/**
 * A real network fault, not a mock: the connection breaks between Redis's execution of a command
 * and its client's reading of the reply, as when a link resets or a proxy restarts. What a
 * client library does then (ioredis sends the commands still unanswered again once it has
 * reconnected) is what a test of it sees.
 */
export async function startReplyDropper(target: { host: string; port: number }): Promise<ReplyDropper> {
  let armed: { marker: Buffer; done: () => void } | null = null;
  let connections = 0;
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    connections++;
    const upstream = connect(target.port, target.host);
    open.add(client).add(upstream);
    let dropping: (() => void) | null = null;
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      if (armed && chunk.includes(armed.marker)) {
        dropping = armed.done;
        armed = null;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (dropping) {
        // The reply (and whatever came with it) is lost with the connection.
        const done = dropping;
        dropping = null;
        closeBoth();
        done();
        return;
      }
      client.write(chunk);
    });
    for (const socket of [client, upstream]) {
      socket.on('error', () => undefined);
      socket.on('close', () => {
        open.delete(socket);
        closeBoth();
      });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('the proxy has no port');
  return {
    url: `redis://127.0.0.1:${address.port}`,
    dropReplyTo(marker) {
      return new Promise<void>((resolve) => {
        armed = { marker: Buffer.from(marker), done: resolve };
      });
    },
    get connections() {
      return connections;
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
