// What recognising a resent addEvent costs Redis: the store's add with and without
// `resendWindowMs` (a script with a write token, or a plain XADD), in one run on one private
// redis-server, interleaved rounds:
//   npx tsx test/measure/stream-add-cost.ts [adds per round=20000] [rounds=3]
// Not part of `npm test`.
import { Redis } from 'ioredis';
import { startEmbeddedRedis } from '../../src/redis/embedded-server.js';
import { createStreamStore } from '../../src/streams/store.js';

const ADDS = Number(process.argv[2] ?? 20_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const IN_FLIGHT = 50;

async function redisCpuMs(redis: Redis): Promise<number> {
  const cpu = await redis.info('cpu');
  return (Number(/used_cpu_user:([\d.]+)/.exec(cpu)?.[1]) + Number(/used_cpu_sys:([\d.]+)/.exec(cpu)?.[1])) * 1000;
}

async function main(): Promise<void> {
  const server = await startEmbeddedRedis();
  const redis = new Redis(server.url);
  const modes = {
    'plain XADD': createStreamStore(redis, { maxEventBytes: 65_536 }),
    'with write token': createStreamStore(redis, { maxEventBytes: 65_536, resendWindowMs: 10_000 }),
  };
  const results: Record<string, number[]> = {};
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [mode, store] of Object.entries(modes)) {
        const stream = `cost-${round}-${mode.replace(/\W/g, '')}`;
        const before = await redisCpuMs(redis);
        let next = 0;
        await Promise.all(
          Array.from({ length: IN_FLIGHT }, async () => {
            while (next < ADDS) {
              next++;
              await store.add(stream, { sensor: 'door', value: String(next) }, null);
            }
          }),
        );
        (results[mode] ??= []).push(((await redisCpuMs(redis)) - before) * 1000 / ADDS);
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    for (const [mode, values] of Object.entries(results)) {
      console.log(`${mode}: Redis CPU per add ${median(values).toFixed(2)} µs (rounds ${values.map((value) => value.toFixed(2)).join(', ')})`);
    }
    console.log(`Redis memory used: ${(await redis.info('memory')).match(/used_memory_human:(\S+)/)?.[1]}`);
  } finally {
    redis.disconnect();
    await server.stop();
  }
}

await main();
