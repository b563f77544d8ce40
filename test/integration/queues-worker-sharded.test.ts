import { describe, expect, it } from 'vitest';
import { encodeEnvelope } from '../../src/queues/job-codec.js';
import { jobSettledChannel } from '../../src/redis/keys.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';

// The worker command builds its job store from the same settings as the servers: under
// PUBSUB_MODE=sharded it SPUBLISHes what it settles, where the servers' `jobs` subscribers
// (SSUBSCRIBEd) hear it. A worker that ignored the setting PUBLISHed it where nobody listens.

const bed = useServers({ servers: 0, backend: 'standalone' });
const { redis } = bed;

describe('npm run worker under PUBSUB_MODE=sharded', () => {
  it('SPUBLISHes the settled announcement of each job it acknowledges', async () => {
    const queue = 'sharded-worker';
    const listener = redis.client.duplicate();
    const settled: string[] = [];
    listener.on('smessage', (_channel: string, id: string) => settled.push(id));
    await listener.ssubscribe(jobSettledChannel(queue));
    try {
      await redis.client.lpush(queue, encodeEnvelope('sharded-job', 0, '{"n":1}'));
      const worker = bed.startCommand('worker', ['--queue', queue, '--max-jobs', '1'], { PUBSUB_MODE: 'sharded' });
      expect(await worker.exited, worker.stderr()).toBe(0);
      // The SPUBLISH ran inside the ack script, before the worker exited; its delivery to this
      // listener may still be on the way.
      await until(() => settled.includes('sharded-job'), 'the settled announcement over sharded pub/sub');
    } finally {
      listener.disconnect();
    }
  });
});
