// The queue bench: Switchboard's worker command and BullMQ's `Worker` side by side, on one Redis,
// in one run: no-op jobs, one worker process each, at concurrency 1 and 8.
//   npm run bench -- --only queue [--quick]     (or npm run bench:queue)
// Each run fills a fresh queue first (BullMQ: `addBulk`; Switchboard: LPUSH of plain items, as any
// producer does), then starts one worker process and times it from its spawn (with process start)
// and from its first job to its last. Switchboard's worker runs from the build (`npm run worker`
// runs dist/cli/worker.js), BullMQ's from a plain .mjs file: neither pays for a transpiler.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startEmbeddedRedis } from '../src/redis/embedded-server.js';
import { cpuMicros } from './proc.js';

/** One worker run. */
export interface QueueBenchResult {
  system: System;
  concurrency: number;
  jobs: number;
  /** From spawning the worker process to its last job done. */
  totalMs: number;
  /** From its first job to its last. */
  fromFirstJobMs: number;
  /** CPU time of the worker process, per job (µs). */
  workerCpuMicrosPerJob: number;
  /** CPU time of redis-server, per job (µs). */
  redisCpuMicrosPerJob: number;
}

/** BullMQ; Switchboard's worker as it comes; and with `--prefetch 0` (one round trip per job, nothing taken ahead). */
type System = 'bullmq' | 'switchboard' | 'switchboard-prefetch-0';
const SYSTEMS: readonly System[] = ['bullmq', 'switchboard', 'switchboard-prefetch-0'];

const fmt = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const perSecond = (jobs: number, ms: number) => (jobs * 1000) / ms;

async function redisPid(redis: Redis): Promise<number> {
  const info = await redis.info('server');
  return Number(/process_id:(\d+)/.exec(info)?.[1]);
}

async function runSwitchboard(redisUrl: string, redis: Redis, concurrency: number, jobs: number, prefetch: number | null): Promise<QueueBenchResult> {
  const queue = `bench-sb-${concurrency}-${Date.now()}`;
  for (let i = 0; i < jobs; i += 1000) {
    await redis.lpush(queue, ...Array.from({ length: Math.min(1000, jobs - i) }, (_, k) => JSON.stringify({ n: i + k })));
  }
  const pid = await redisPid(redis);
  const redisCpuBefore = cpuMicros(pid);
  const started = performance.now();
  const extra = prefetch === null ? [] : ['--prefetch', String(prefetch)];
  const child = spawn(process.execPath, ['dist/cli/worker.js', '--queue', queue, '--concurrency', String(concurrency), '--max-jobs', String(jobs), ...extra], {
    env: { ...process.env, REDIS_URL: redisUrl, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let firstAt = 0;
  let finished = 0;
  let lines = 0;
  let workerCpu = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    if (firstAt === 0) firstAt = performance.now();
    for (const byte of chunk) if (byte === 10) lines++;
    if (lines >= jobs && finished === 0) {
      // Its last job is printed just before it is acknowledged; the exit that follows is not timed.
      finished = performance.now();
      if (child.pid) workerCpu = cpuMicros(child.pid);
    }
  });
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0 || lines !== jobs) throw new Error(`switchboard worker exited with ${code} after ${lines} of ${jobs} jobs`);
  const redisCpu = cpuMicros(pid) - redisCpuBefore;
  await redis.del(queue);
  return {
    system: prefetch === 0 ? 'switchboard-prefetch-0' : 'switchboard',
    concurrency,
    jobs,
    totalMs: finished - started,
    fromFirstJobMs: finished - firstAt,
    workerCpuMicrosPerJob: workerCpu / jobs,
    redisCpuMicrosPerJob: redisCpu / jobs,
  };
}

async function runBullmq(redisUrl: string, redis: Redis, concurrency: number, jobs: number): Promise<QueueBenchResult> {
  const name = `bench-bullmq-${concurrency}-${Date.now()}`;
  const url = new URL(redisUrl);
  const queue = new Queue(name, { connection: { host: url.hostname, port: Number(url.port) } });
  for (let i = 0; i < jobs; i += 1000) {
    await queue.addBulk(Array.from({ length: Math.min(1000, jobs - i) }, (_, k) => ({ name: 'noop', data: { n: i + k } })));
  }
  const pid = await redisPid(redis);
  const redisCpuBefore = cpuMicros(pid);
  const started = performance.now();
  const child = spawn(process.execPath, ['bench/queue-bullmq-worker.mjs', redisUrl, name, String(concurrency), String(jobs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  let workerCpu = 0;
  let finished = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (output.includes('\n') && finished === 0) {
      finished = performance.now();
      if (child.pid) workerCpu = cpuMicros(child.pid);
    }
  });
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) throw new Error(`bullmq worker exited with ${code}`);
  const report = JSON.parse(output.trim()) as { done: number; firstJobAtMs: number; finishedAtMs: number };
  const redisCpu = cpuMicros(pid) - redisCpuBefore;
  await queue.obliterate({ force: true });
  await queue.close();
  return {
    system: 'bullmq',
    concurrency,
    jobs,
    totalMs: finished - started,
    fromFirstJobMs: report.finishedAtMs - report.firstJobAtMs,
    workerCpuMicrosPerJob: workerCpu / jobs,
    redisCpuMicrosPerJob: redisCpu / jobs,
  };
}

/** Runs the scenario on `redisUrl` and returns its table (markdown) and results. */
export async function runQueueBench(redisUrl: string, options: { quick?: boolean; rounds?: number } = {}): Promise<{ table: string; results: QueueBenchResult[] }> {
  const jobs = options.quick ? 1000 : 10_000;
  const rounds = options.rounds ?? (options.quick ? 1 : 3);
  const redis = new Redis(redisUrl);
  const results: QueueBenchResult[] = [];
  try {
    for (const concurrency of [1, 8]) {
      for (let round = 0; round < rounds; round++) {
        // Alternate who goes first, so neither always gets the warmer machine.
        const order = round % 2 === 0 ? SYSTEMS : [...SYSTEMS].reverse();
        for (const system of order) {
          const result =
            system === 'bullmq'
              ? await runBullmq(redisUrl, redis, concurrency, jobs)
              : await runSwitchboard(redisUrl, redis, concurrency, jobs, system === 'switchboard' ? null : 0);
          results.push(result);
          process.stderr.write(
            `queue ${system.padEnd(22)} concurrency ${concurrency}: ${fmt(perSecond(jobs, result.totalMs))} jobs/s with process start, ${fmt(perSecond(jobs, result.fromFirstJobMs))} from its first job\n`,
          );
        }
      }
    }
  } finally {
    redis.disconnect();
  }
  const best = (system: string, concurrency: number, pick: (r: QueueBenchResult) => number) =>
    Math.max(...results.filter((r) => r.system === system && r.concurrency === concurrency).map(pick));
  const median = (system: string, concurrency: number, pick: (r: QueueBenchResult) => number) => {
    const values = results
      .filter((r) => r.system === system && r.concurrency === concurrency)
      .map(pick)
      .sort((x, y) => x - y);
    return values[Math.floor(values.length / 2)] ?? Number.NaN;
  };
  const lines = [
    `Queue: ${jobs.toLocaleString('en')} no-op jobs, one worker process, one Redis; median of ${rounds} run(s) each, best in brackets. ${cpus()[0]?.model ?? ''}, ${cpus().length} cores, Node ${process.version}.`,
    '',
    '| concurrency | metric | BullMQ 6 `Worker` | Switchboard `npm run worker` | Switchboard `--prefetch 0` |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const concurrency of [1, 8]) {
    const rows: Array<[string, (r: QueueBenchResult) => number, number]> = [
      ['jobs/s, with process start', (r) => perSecond(r.jobs, r.totalMs), 0],
      ['jobs/s, from its first job', (r) => perSecond(r.jobs, r.fromFirstJobMs), 0],
      ['worker CPU µs / job', (r) => r.workerCpuMicrosPerJob, 1],
      ['redis-server CPU µs / job', (r) => r.redisCpuMicrosPerJob, 1],
    ];
    rows.forEach(([metric, pick, digits], i) => {
      const cell = (system: string) =>
        digits === 0 ? `${fmt(median(system, concurrency, pick))} (${fmt(best(system, concurrency, pick))})` : fmt(median(system, concurrency, pick), digits);
      lines.push(`| ${i === 0 ? String(concurrency) : ''} | ${metric} | ${SYSTEMS.map(cell).join(' | ')} |`);
    });
  }
  return { table: lines.join('\n'), results };
}

// Run on its own: `npm run bench:queue [-- --quick]`.
if (process.argv[1]?.endsWith('queue.ts')) {
  const quick = process.argv.includes('--quick');
  void (async () => {
    const embedded = process.env.REDIS_URL ? null : await startEmbeddedRedis();
    const redisUrl = process.env.REDIS_URL ?? embedded!.url;
    try {
      const { table, results } = await runQueueBench(redisUrl, { quick });
      process.stdout.write(`\n${table}\n`);
      mkdirSync('bench/results', { recursive: true });
      const name = quick ? 'queue-quick' : 'queue';
      writeFileSync(`bench/results/${name}.json`, `${JSON.stringify({ date: new Date().toISOString(), results }, null, 2)}\n`);
      writeFileSync(`bench/results/${name}.md`, `${table}\n`);
    } finally {
      await embedded?.stop();
    }
  })().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
