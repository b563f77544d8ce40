import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postData, subscription } from '../support/graphql.js';
import { type ReplyDropper, startReplyDropper } from '../support/reply-dropper.js';
import { type TestServer, startTestServer } from '../support/server.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';

// A connection to Redis that breaks after Redis ran a command and before its reply arrived: the
// server's client (ioredis) reconnects and sends the unanswered commands again, so Redis runs
// them twice. Writes whose second run would store a second copy must recognise themselves.

const bed = useServers({ users: ['resend'] });
let proxy: ReplyDropper;
let proxied: TestServer;

beforeAll(async () => {
  proxy = await startReplyDropper({ host: '127.0.0.1', port: bed.redis.port });
  // A second server whose every Redis connection goes through the proxy (the bed's own servers
  // take the bed's Redis whatever their overrides say).
  proxied = await startTestServer(proxy.url);
});

afterAll(async () => {
  await proxied?.stop();
  await proxy?.close();
});

const ENQUEUE = 'mutation Enqueue($queue: String!, $payload: JSON!) { enqueue(queue: $queue, payload: $payload) { id } }';
const SEND = 'mutation Send($roomId: ID!, $text: String!) { sendMessage(roomId: $roomId, text: $text) { id } }';
const ADD = 'mutation Add($stream: String!, $data: JSON!) { addEvent(stream: $stream, data: $data) { id } }';
const ADDED = 'subscription { messageAdded(roomId: "0") { id text } }';

/** Runs `write` while the reply to the command holding `marker` is lost, and checks it was. */
async function withLostReply<T>(marker: string, write: () => Promise<T>): Promise<T> {
  const connectionsBefore = proxy.connections;
  const lost = proxy.dropReplyTo(marker);
  const result = await write();
  await lost;
  // The client did reconnect, and so could only have had its answer from the command run again.
  expect(proxy.connections).toBeGreaterThan(connectionsBefore);
  return result;
}

describe('a write whose reply was lost with its connection', () => {
  it('enqueue adds the job once, and answers with its id', async () => {
    const queue = `resend-${randomBytes(4).toString('hex')}`;
    const marker = `lost-reply-${randomBytes(6).toString('hex')}`;
    const { enqueue } = await withLostReply(marker, () =>
      postData<{ enqueue: { id: string } }>(proxied.httpUrl, ENQUEUE, { queue, payload: { marker } }, bed.user.token),
    );
    const items = await bed.redis.client.lrange(queue, 0, -1);
    expect(items.filter((item) => item.includes(marker))).toHaveLength(1);
    expect(items[0]).toContain(enqueue.id);
    // A second, ordinary enqueue still adds a job of its own.
    await postData(proxied.httpUrl, ENQUEUE, { queue, payload: { n: 2 } }, bed.user.token);
    expect(await bed.redis.client.llen(queue)).toBe(2);
  });

  it('addEvent stores the entry once, and answers with its id', async () => {
    const stream = `resend-${randomBytes(4).toString('hex')}`;
    const marker = `lost-reply-${randomBytes(6).toString('hex')}`;
    const { addEvent } = await withLostReply(marker, () =>
      postData<{ addEvent: { id: string } }>(proxied.httpUrl, ADD, { stream, data: { marker } }, bed.user.token),
    );
    const entries = (await bed.redis.client.xrange(stream, '-', '+')) as Array<[string, string[]]>;
    expect(entries.map(([id]) => id)).toEqual([addEvent.id]);
    // The same data added again on purpose is a new entry.
    const again = await postData<{ addEvent: { id: string } }>(proxied.httpUrl, ADD, { stream, data: { marker } }, bed.user.token);
    expect(again.addEvent.id).not.toBe(addEvent.id);
    expect(await bed.redis.client.xlen(stream)).toBe(2);
  });

  it('sendMessage stores the message once and delivers it once', async () => {
    const listener = subscription<{ messageAdded: { id: string; text: string } }>(bed.wsClient(bed.server, bed.user.token), ADDED);
    await until(async () => {
      await postData(bed.server.httpUrl, SEND, { roomId: '0', text: 'warm-up' }, bed.user.token);
      return listener.events.length > 0;
    }, 'the listener');
    const marker = `lost-reply-${randomBytes(6).toString('hex')}`;
    const { sendMessage } = await withLostReply(marker, () =>
      postData<{ sendMessage: { id: string } }>(proxied.httpUrl, SEND, { roomId: '0', text: marker }, bed.user.token),
    );
    const after = await postData<{ sendMessage: { id: string } }>(bed.server.httpUrl, SEND, { roomId: '0', text: 'after' }, bed.user.token);
    await until(() => listener.events.some((event) => event.data?.messageAdded.id === after.sendMessage.id), 'the next message');
    const stored = (await bed.redis.client.zrange('room:0', 0, -1)).filter((member) => member.includes(marker));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toContain(sendMessage.id);
    expect(listener.events.filter((event) => event.data?.messageAdded.text === marker)).toHaveLength(1);
  });
});
