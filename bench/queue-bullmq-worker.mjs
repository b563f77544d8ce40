// The BullMQ side of the queue bench (bench/queue.ts): one process with one BullMQ `Worker` on a
// queue the bench filled with `addBulk`, doing no-op jobs until `count` are done. Plain JavaScript,
// no transpiler, so that its start-up is BullMQ's own. Prints one JSON line when done.
// Usage: node bench/queue-bullmq-worker.mjs <redisUrl> <queue> <concurrency> <count>
import { performance } from 'node:perf_hooks';
import { Worker } from 'bullmq';

const [redisUrl, queue, concurrency, count] = process.argv.slice(2);
const url = new URL(redisUrl);
const connection = { host: url.hostname, port: Number(url.port) };
const total = Number(count);
let done = 0;
let firstAt = 0;
const worker = new Worker(
  queue,
  async () => {
    if (firstAt === 0) firstAt = performance.now();
  },
  { connection, concurrency: Number(concurrency) },
);
worker.on('completed', () => {
  done++;
  if (done === total) {
    const finishedAt = performance.now();
    process.stdout.write(`${JSON.stringify({ done, firstJobAtMs: firstAt, finishedAtMs: finishedAt })}\n`);
    void worker.close().then(() => process.exit(0));
  }
});
worker.on('error', (error) => process.stderr.write(`${error.stack}\n`));
