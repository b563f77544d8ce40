import { describe, expect, it } from 'vitest';
import { jobSettledChannel } from '../../src/redis/keys.js';
import { post, postData, subscription } from '../support/graphql.js';
import { useServers } from '../support/servers.js';
import { ACK_JOB, CHANNEL_NAMED as CHANNEL, DEQUEUE, ENQUEUE, PUBLISH } from '../support/operations.js';
import { until } from '../support/wait.js';

// PUBSUB_MODE=sharded on one redis-server (Redis 7 has sharded pub/sub without a cluster): the
// same commands as on a cluster, on the one subscriber connection.

const bed = useServers({ backend: 'standalone', config: { pubsubMode: 'sharded' }, users: ['solo'] });
const { server, redis } = bed;

const count = (reply: unknown) => Number((reply as [string, number])[1] ?? 0);

describe('PUBSUB_MODE=sharded on one server', () => {
  it('subscribes `channel` with SSUBSCRIBE and publishes with SPUBLISH', async () => {
    const sub = subscription(bed.wsClient(server, bed.user.token), CHANNEL, { name: 'solo-news' });
    await until(async () => count(await redis.client.call('PUBSUB', 'SHARDNUMSUB', 'solo-news')) === 1, 'a sharded subscriber');
    expect(count(await redis.client.pubsub('NUMSUB', 'solo-news'))).toBe(0);
    expect((await post(server.httpUrl, PUBLISH, { channel: 'solo-news', message: 'one' }, { token: bed.user.token })).body).toEqual({ data: { publish: true } });
    await redis.client.spublish('solo-news', '"two"');
    // A plain PUBLISH does not reach sharded subscribers: what plain clients must send changes.
    await redis.client.publish('solo-news', '"classic"');
    await redis.client.spublish('solo-news', '"three"');
    await sub.waitForEvents(3);
    expect(sub.events.map((event) => (event.data as { channel: { message: string } }).channel.message)).toEqual(['one', 'two', 'three']);
  });

  it('SPUBLISHes queue-settled from the queue scripts', async () => {
    const listener = redis.client.duplicate();
    const settled: string[] = [];
    listener.on('smessage', (_channel: string, id: string) => settled.push(id));
    await listener.ssubscribe(jobSettledChannel('solo-jobs'));
    await postData(server.httpUrl, ENQUEUE, { q: 'solo-jobs', p: 1 }, bed.user.token);
    const { dequeue: taken } = await postData(server.httpUrl, DEQUEUE, { q: 'solo-jobs' }, bed.user.token);
    await postData(server.httpUrl, ACK_JOB, { q: 'solo-jobs', id: taken!.id }, bed.user.token);
    await until(() => settled.includes(taken!.id), 'the settled announcement');
    listener.disconnect();
  });
});
