import { describe, expect, it } from 'vitest';
import { jobSettledChannel } from '../../src/redis/keys.js';
import { post, postData, subscription } from '../support/graphql.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';

// PUBSUB_MODE=sharded on one redis-server (Redis 7 has sharded pub/sub without a cluster): the
// same commands as on a cluster, on the one subscriber connection.

const bed = useServers({ backend: 'standalone', config: { pubsubMode: 'sharded' }, users: ['solo'] });
const { server, redis } = bed;

const CHANNEL = 'subscription Channel($name: String!) { channel(name: $name) { channel message } }';
const PUBLISH = 'mutation Publish($channel: String!, $message: JSON!) { publish(channel: $channel, message: $message) }';
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
    await postData(server.httpUrl, 'mutation { enqueue(queue: "solo-jobs", payload: 1) { id } }', {}, bed.user.token);
    const taken = await postData<{ dequeue: { id: string } }>(server.httpUrl, 'mutation { dequeue(queue: "solo-jobs") { id } }', {}, bed.user.token);
    await postData(server.httpUrl, 'mutation($id: ID!) { ackJob(queue: "solo-jobs", id: $id) }', { id: taken.dequeue.id }, bed.user.token);
    await until(() => settled.includes(taken.dequeue.id), 'the settled announcement');
    listener.disconnect();
  });
});
