// Reference server 1: the floor. A bare `ws` server that subscribes once to Redis per channel and
// writes one pre-serialised frame, identical for every socket, per message. It speaks just enough
// graphql-transport-ws for the load generator (ack, and `subscribe` to one channel).
import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import { WebSocketServer, type WebSocket } from 'ws';

const port = Number(process.env.PORT ?? 0);
const redis = new Redis(process.env.REDIS_URL!);
const listeners = new Map<string, Set<WebSocket>>();

redis.on('message', (channel: string, message: string) => {
  const sockets = listeners.get(channel);
  if (!sockets) return;
  const frame = Buffer.from(`{"id":"1","type":"next","payload":{"data":{"channel":{"channel":${JSON.stringify(channel)},"message":${message}}}}}`);
  for (const socket of sockets) socket.send(frame, { binary: false });
});

const server = createServer();
const wss = new WebSocketServer({ server, path: '/graphql', handleProtocols: () => 'graphql-transport-ws' });
wss.on('connection', (socket) => {
  let channel: string | null = null;
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { type: string; payload?: { variables?: { name?: string } } };
    if (message.type === 'connection_init') socket.send('{"type":"connection_ack"}');
    else if (message.type === 'subscribe') {
      channel = message.payload?.variables?.name ?? 'updates';
      let set = listeners.get(channel);
      if (!set) {
        listeners.set(channel, (set = new Set()));
        void redis.subscribe(channel);
      }
      set.add(socket);
    }
  });
  socket.on('close', () => {
    if (channel) listeners.get(channel)?.delete(socket);
  });
});
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ ready: true, port: typeof address === 'object' && address ? address.port : port })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
