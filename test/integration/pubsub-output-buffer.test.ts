import { describe, expect, it } from 'vitest';
import { subscription, wsClient } from '../support/graphql.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';

// A server too slow to read its subscriber connection (here: SIGSTOP, as a starved machine would
// be) while messages keep coming: once the kernel's socket buffers are full, Redis queues the
// rest in the connection's output buffer and, past `client-output-buffer-limit pubsub`, closes
// the connection. What the server read before the close it delivers; it then subscribes again,
// and each `channel` subscriber gets one MISSED_MESSAGES event for the gap, between the last
// message before it and the first after, and goes on. Never a silent loss.

const bed = useServers({ servers: 1, users: ['slowreader'] });
const CHANNEL = 'subscription Channel($name: String!) { channel(name: $name) { message } }';
const PAYLOAD = 'x'.repeat(1000);

/** Subscribers of `flood`: the stopped server's subscriber connection, until Redis closes it. */
const floodSubscribers = async () => Number(((await bed.redis.client.pubsub('NUMSUB', 'flood')) as [string, number])[1]);

describe('client-output-buffer-limit pubsub', () => {
  it('a subscriber connection Redis closes for its output buffer: MISSED_MESSAGES once for the gap, never a silent loss', async () => {
    const { client: redis } = bed.redis;
    const [, previousLimits] = (await redis.config('GET', 'client-output-buffer-limit')) as [string, string];
    await redis.config('SET', 'client-output-buffer-limit', 'pubsub 256kb 128kb 1');
    // A server of its own process, so that it can be stopped as a whole; a client reading every frame.
    const main = await bed.startMain({ SUBSCRIBER_QUEUE_LIMIT: '1000000', SUBSCRIBER_QUEUE_BYTES: String(256 * 1024 * 1024) });
    try {
      const client = wsClient(main.url.replace('http', 'ws'), bed.user.token);
      const sub = subscription<{ channel: { message: { n: number } | string } }>(client, CHANNEL, { name: 'flood' });
      await until(async () => {
        await redis.publish('flood', '"warm-up"');
        return sub.events.length > 0;
      }, 'the subscription live');

      main.child.kill('SIGSTOP');
      let n = 0;
      const publishBatch = async () => {
        const pipeline = redis.pipeline();
        for (let index = 0; index < 1000; index++) pipeline.publish('flood', JSON.stringify({ n: n++, pad: PAYLOAD }));
        await pipeline.exec();
      };
      // Until Redis closed the stopped server's subscriber (the kernel buffers hold some MB first).
      while ((await floodSubscribers()) > 0) {
        if (n > 200_000) throw new Error('Redis never closed the subscriber connection');
        await publishBatch();
      }
      const lastBeforeResume = n - 1;
      main.child.kill('SIGCONT');
      // After the server is back: messages published now must arrive.
      await until(async () => {
        await publishBatch();
        return sub.events.some((event) => typeof event.data?.channel.message === 'object' && (event.data.channel.message as { n: number }).n > lastBeforeResume);
      }, 'messages after the restore', 30_000);

      const sequence = sub.events
        .filter((event) => event.data?.channel.message !== 'warm-up')
        .map((event) => (event.errors ? 'MISSED' : (event.data!.channel.message as { n: number }).n));
      const markers = sequence.filter((item) => item === 'MISSED');
      expect(markers).toHaveLength(1);
      const at = sequence.indexOf('MISSED');
      const delivered = sequence.filter((item): item is number => item !== 'MISSED');
      // In order, no duplicate, and every message missing is inside the one reported gap.
      expect([...delivered].sort((x, y) => x - y)).toEqual(delivered);
      expect(new Set(delivered).size).toBe(delivered.length);
      const lastBefore = (sequence[at - 1] as number | undefined) ?? -1;
      const firstAfter = sequence[at + 1] as number;
      expect(delivered.slice(0, at)).toEqual(Array.from({ length: lastBefore + 1 }, (_, index) => index));
      expect(delivered.slice(at)).toEqual(Array.from({ length: delivered.length - at }, (_, index) => firstAfter + index));
      expect(firstAfter).toBeGreaterThan(lastBefore + 1);
      expect(sub.completed).toBe(false);
      console.log(`output buffer: published ${n}, delivered before the gap ${lastBefore + 1}, lost ${firstAfter - lastBefore - 1}`);
      await client.dispose();
    } finally {
      main.child.kill('SIGCONT');
      await redis.config('SET', 'client-output-buffer-limit', previousLimits);
    }
  }, 120_000);
});
