import { describe, expect, it } from 'vitest';
import { CloseCode } from '../support/close-codes.js';
import { subscription, wsClient } from '../support/graphql.js';
import { openRawSocket } from '../support/raw-socket.js';
import { until } from '../support/wait.js';
import { useServers } from '../support/servers.js';
import { CHANNEL } from '../support/operations.js';

const { redis, server, users: [slow] } = useServers({ config: { subscriberQueueLimit: 50, subscriberQueueBytes: 1024 * 1024 }, users: ['slow'] });

describe('a subscriber that stops reading', () => {
  it('is closed with 1013 while the others keep receiving everything', async () => {
    const healthy = wsClient(server.wsUrl, slow.token);
    const healthySub = subscription(healthy, CHANNEL, { name: 'firehose' });

    const stalled = await openRawSocket(server.wsUrl);
    await stalled.init({ authToken: slow.token });
    stalled.send({ id: 's', type: 'subscribe', payload: { query: CHANNEL, variables: { name: 'firehose' } } });
    await until(async () => Number(((await redis.client.pubsub('NUMSUB', 'firehose')) as [string, number])[1]) > 0, 'subscription');
    await until(() => server.app.services.subscriptions.size >= 2, 'both subscriptions');
    // Stop reading: the kernel buffers fill, then the server's queue for this socket does.
    stalled.socket.pause();

    const message = 'x'.repeat(32 * 1024);
    const total = 400;
    for (let i = 0; i < total; i++) await redis.client.publish('firehose', JSON.stringify({ i, message }));

    await healthySub.waitForEvents(total, 15_000);
    expect(healthySub.events.map((event) => (event.data as { channel: { message: { i: number } } }).channel.message.i)).toEqual(
      Array.from({ length: total }, (_, i) => i),
    );
    await until(() => server.logs.text.includes('closing a slow consumer'), 'the slow-consumer log line');

    stalled.socket.resume();
    expect((await stalled.closed).code).toBe(CloseCode.TryAgainLater);
    // Its subscription is gone; the healthy one remains.
    await until(() => server.app.services.subscriptions.size === 1, 'the stalled subscription to end');
    await healthy.dispose();
  });
});
