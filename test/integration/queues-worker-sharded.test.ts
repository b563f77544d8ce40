import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { encodeEnvelope } from '../../src/queues/job-codec.js';
import { jobSettledChannel } from '../../src/redis/keys.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';

// The worker command builds its job store from the same settings as the servers: under
// PUBSUB_MODE=sharded it SPUBLISHes what it settles, where the servers' `jobs` subscribers
// (SSUBSCRIBEd) hear it. A worker that ignored the setting PUBLISHed it where nobody listens.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { redis } = useServers({ servers: 0, backend: 'standalone' });

describe('npm run worker under PUBSUB_MODE=sharded', () => {
  it('SPUBLISHes the settled announcement of each job it acknowledges', async () => {
    const queue = 'sharded-worker';
    const listener = redis.client.duplicate();
    const settled: string[] = [];
    listener.on('smessage', (_channel: string, id: string) => settled.push(id));
    await listener.ssubscribe(jobSettledChannel(queue));
    try {
      await redis.client.lpush(queue, encodeEnvelope('sharded-job', 0, '{"n":1}'));
      const worker = spawn(process.execPath, ['--import', 'tsx', 'src/cli/worker.ts', '--queue', queue, '--max-jobs', '1'], {
        cwd: ROOT,
        env: { ...process.env, REDIS_URL: redis.url, PUBSUB_MODE: 'sharded', LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      worker.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => worker.once('exit', resolve));
      expect(code, stderr).toBe(0);
      // The SPUBLISH ran inside the ack script, before the worker exited; its delivery to this
      // listener may still be on the way.
      await until(() => settled.includes('sharded-job'), 'the settled announcement over sharded pub/sub');
    } finally {
      listener.disconnect();
    }
  });
});
