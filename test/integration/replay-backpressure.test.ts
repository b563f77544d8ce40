// A replay of large entries waits for the client inside a page, not only between pages: a page of
// 100 entries of 60 KiB (6 MB) written at once would pass SUBSCRIBER_QUEUE_BYTES (1 MiB) and drop
// a client that reads at the pace of a real network.
import { describe, expect, it } from 'vitest';
import { openRawSocket } from '../support/raw-socket.js';
import { FOLLOW } from '../support/operations.js';
import { useServers } from '../support/servers.js';

const { servers: [a], users: [reader] } = useServers({ servers: 1, users: ['big-reader'] });

describe('a replay of large entries', () => {
  it('delivers three pages of 100 entries of 60 KiB each to a client in the same process, without dropping it', async () => {
    const body = 'x'.repeat(60 * 1024);
    const { streams } = a.app.services;
    const ids: string[] = [];
    for (let i = 0; i < 300; i++) ids.push((await streams.add('replay-big', { body }, null)).id);
    const client = await openRawSocket(a.wsUrl);
    await client.init({ authToken: reader!.token });
    client.send({ id: 'r', type: 'subscribe', payload: { query: FOLLOW.toString(), variables: { stream: 'replay-big', after: '0' } } });
    const seen: string[] = [];
    let closed: { code: number } | null = null;
    void client.closed.then((close) => (closed = close));
    while (seen.length < ids.length && closed === null) {
      const message = await client.take(undefined, 30_000).catch(() => null);
      if (!message) break;
      if (message.type === 'next') seen.push((message.payload as { data: { events: { id: string } } }).data.events.id);
    }
    expect(closed).toBeNull();
    expect(seen).toEqual(ids);
    client.close();
  });
});
