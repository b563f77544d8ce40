// Measures what waiting groupEvents consumers cost Redis, before (each in its own XREADGROUP BLOCK
// on a pooled connection) and after (wait rooms woken by the shared stream reader), in one run:
//   npx tsx test/measure/group-waits.ts [consumers=200] [entries=2000]
// Both modes run the same consumer code (src/streams/group-consumer.ts: `blocking` or `waits`)
// on one private redis-server. Not part of `npm test`.
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { startEmbeddedRedis } from '../../src/redis/embedded-server.js';
import { createBlockingPool } from '../../src/redis/blocking-pool.js';
import { createGroupConsumer, type GroupConsumer } from '../../src/streams/group-consumer.js';
import { createGroupWaits } from '../../src/streams/group-waits.js';
import { createStreamReaderHub } from '../../src/streams/reader-hub.js';
import { createStreamStore } from '../../src/streams/store.js';
import { until } from '../support/wait.js';

const CONSUMERS = Number(process.argv[2] ?? 200);
const ENTRIES = Number(process.argv[3] ?? 2000);
const TRICKLE = 200;
const IDLE_MS = 6000;
// Short, so that the idle window shows each mode's heartbeats (every 2 s) and claim sweeps (every 3 s).
const CLAIM_IDLE_MS = 6000;
const logger = pino({ level: 'silent' });

interface Sample {
  cpuMs: number;
  procCpuMs: number;
  calls: number;
  byCommand: Map<string, number>;
}

async function sample(redis: Redis, pid: number): Promise<Sample> {
  // utime + stime of redis-server: /proc counts 10 ms ticks, INFO cpu (its getrusage) microseconds.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const procCpuMs = ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  const cpu = await redis.info('cpu');
  const cpuMs = (Number(/used_cpu_user:([\d.]+)/.exec(cpu)?.[1]) + Number(/used_cpu_sys:([\d.]+)/.exec(cpu)?.[1])) * 1000;
  const stats = await redis.info('commandstats');
  const byCommand = new Map<string, number>();
  let calls = 0;
  for (const match of stats.matchAll(/cmdstat_([^:]+):calls=(\d+)/g)) {
    byCommand.set(match[1]!, Number(match[2]));
    calls += Number(match[2]);
  }
  return { cpuMs, procCpuMs, calls, byCommand };
}

function delta(before: Sample, after: Sample) {
  const commands: Record<string, number> = {};
  for (const [name, calls] of after.byCommand) {
    const diff = calls - (before.byCommand.get(name) ?? 0);
    if (diff > 0 && name !== 'info') commands[name] = diff;
  }
  return { cpuMs: after.cpuMs - before.cpuMs, procCpuMs: after.procCpuMs - before.procCpuMs, calls: after.calls - before.calls, commands };
}

const clients = async (redis: Redis) => {
  const info = await redis.info('clients');
  return { connected: Number(/connected_clients:(\d+)/.exec(info)?.[1]), blocked: Number(/blocked_clients:(\d+)/.exec(info)?.[1]) };
};

async function measure(mode: 'blocking' | 'shared', url: string, pid: number) {
  const admin = new Redis(url);
  const command = new Redis(url);
  const writer = new Redis(url);
  const stream = `measure-${mode}`;
  await admin.xgroup('CREATE', stream, 'g', '$', 'MKSTREAM');
  const base = await clients(admin);
  const pool = createBlockingPool({ url, maxConnections: CONSUMERS + 1, control: command, logger });
  const store = createStreamStore(command, { maxEventBytes: 65_536 });
  const hub = createStreamReaderHub({ store, blocking: pool, logger });
  const waits = createGroupWaits({ hub, logger });
  let delivered = 0;
  const consumers: GroupConsumer[] = [];
  const loops: Array<Promise<void>> = [];
  for (let i = 0; i < CONSUMERS; i++) {
    const consumer = createGroupConsumer({
      redis: command,
      ...(mode === 'shared' ? { waits } : { blocking: pool }),
      stream,
      group: 'g',
      consumer: `c${i}`,
      claimIdleMs: CLAIM_IDLE_MS,
      logger,
    });
    consumers.push(consumer);
    await consumer.start();
    loops.push(
      (async () => {
        for (;;) {
          const event = await consumer.next();
          if (!event) return;
          await command.xack(stream, 'g', event.id);
          delivered++;
        }
      })(),
    );
  }
  const allWaiting = async () => (mode === 'shared' ? waits.stats().waiting === CONSUMERS : (await clients(admin)).blocked === CONSUMERS);
  await until(allWaiting, 'every consumer waiting', 60_000);
  const waiting = await clients(admin);

  const idleStart = await sample(admin, pid);
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  const idle = delta(idleStart, await sample(admin, pid));

  // One entry at a time, each delivered before the next.
  const trickleStart = await sample(admin, pid);
  const trickleStarted = Date.now();
  for (let i = 0; i < TRICKLE; i++) {
    await writer.xadd(stream, '*', 'n', String(i));
    await until(() => delivered === i + 1, `trickle ${i}`);
  }
  const trickleMs = Date.now() - trickleStarted;
  await until(allWaiting, 'every consumer waiting again', 60_000);
  const trickle = delta(trickleStart, await sample(admin, pid));

  // A steady flow: batches of 20 every 10 ms.
  const flowStart = await sample(admin, pid);
  const flowStarted = Date.now();
  for (let sent = 0; sent < ENTRIES; sent += 20) {
    const batch = writer.pipeline();
    for (let i = 0; i < 20; i++) batch.xadd(stream, '*', 'n', String(sent + i));
    await batch.exec();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await until(() => delivered === TRICKLE + ENTRIES, 'the flow', 60_000);
  const flowMs = Date.now() - flowStarted;
  const flow = delta(flowStart, await sample(admin, pid));
  const duringFlow = await clients(admin);

  for (const consumer of consumers) consumer.stop();
  await Promise.all(loops);
  waits.close();
  await hub.close();
  await pool.close();
  await Promise.all([command.quit(), writer.quit()]);
  const pending = Number(((await admin.xpending(stream, 'g')) as [number])[0]);
  await admin.quit();
  return {
    mode,
    connections: { base: base.connected, waiting: waiting.connected, blocked: waiting.blocked, duringFlow: duringFlow.connected },
    idle: { seconds: IDLE_MS / 1000, cpuMsPerSecond: idle.cpuMs / (IDLE_MS / 1000), procCpuMs: idle.procCpuMs, callsPerSecond: idle.calls / (IDLE_MS / 1000), commands: idle.commands },
    trickle: { entries: TRICKLE, ms: trickleMs, cpuMsPerEntry: trickle.cpuMs / TRICKLE, procCpuMs: trickle.procCpuMs, callsPerEntry: trickle.calls / TRICKLE, commands: trickle.commands },
    flow: { entries: ENTRIES, ms: flowMs, cpuMsPerEntry: flow.cpuMs / ENTRIES, procCpuMs: flow.procCpuMs, callsPerEntry: flow.calls / ENTRIES, commands: flow.commands },
    pendingLeft: pending,
  };
}

const server = await startEmbeddedRedis();
const probe = new Redis(server.url);
const pid = Number(/process_id:(\d+)/.exec(await probe.info('server'))?.[1]);
await probe.quit();
console.log(`${CONSUMERS} consumers, one group, one stream; load average before: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
for (const mode of ['blocking', 'shared'] as const) {
  const result = await measure(mode, server.url, pid);
  console.log(JSON.stringify(result, null, 1));
  console.log(`load average: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
}
await server.stop();
