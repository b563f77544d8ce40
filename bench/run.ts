// `npm run bench`: Switchboard side by side with two reference servers, on one machine, in one run.
// Each scenario gets a fresh server process and a fresh load-generator process; the load
// generator reads the server's CPU time and RSS from /proc. Prints a table, writes JSON.
//   npm run bench               the full run (a few minutes)
//   npm run bench -- --quick    smaller numbers, to try it out
//   npm run bench -- --only burst-10k [--server switchboard]   one scenario (or server)
//   npm run bench -- --only queue      the queue scenario alone (bench/queue.ts: Switchboard's worker and BullMQ's)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { startEmbeddedRedis } from '../src/redis/embedded-server.js';
import type { LoadResult, LoadSpec } from './load-client.js';
import { type QueueBenchResult, runQueueBench } from './queue.js';

type ServerKind = 'bare-ws' | 'yoga-recipe' | 'switchboard' | 'switchboard-2w';
// Each runs as it would in production: Switchboard from its build (`npm start` runs dist/main.js),
// the reference scripts through tsx.
const SERVERS: Record<ServerKind, { label: string; entry: string[]; env?: Record<string, string> }> = {
  'bare-ws': { label: 'bare ws + one pre-serialised frame', entry: ['--import', 'tsx', 'bench/servers/bare-ws.ts'] },
  'yoga-recipe': {
    label: 'yoga docs recipe (yoga + graphql-ws + Pothos + graphql-redis-subscriptions)',
    entry: ['--import', 'tsx', 'bench/servers/yoga-recipe.ts'],
  },
  switchboard: { label: 'Switchboard', entry: ['dist/main.js'] },
  // CPU and memory are those of the supervisor and both workers together.
  'switchboard-2w': { label: 'Switchboard, WORKERS=2 (two processes on one port)', entry: ['dist/main.js'], env: { WORKERS: '2' } },
};
/** The servers every scenario compares; `switchboard-2w` runs only where a scenario names it. */
const DEFAULT_SERVERS: ServerKind[] = ['bare-ws', 'yoga-recipe', 'switchboard'];

interface Scenario {
  name: string;
  description: string;
  spec: Omit<LoadSpec, 'url' | 'token' | 'redisUrl' | 'serverPid'>;
  /** Default {@link DEFAULT_SERVERS}. */
  servers?: ServerKind[];
}

const quick = process.argv.includes('--quick');
const argument = (name: string) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
};
const scale = (n: number) => (quick ? Math.max(10, Math.round(n / 10)) : n);
const base = { mode: 'burst' as const, messages: 60, ratePerSecond: 20, durationMs: 5000, stalled: 0, padding: 0 };
const SCENARIOS: Scenario[] = [
  { name: 'burst-1k', description: `${scale(1000)} subscribers on 1 channel, 60 messages in a burst`, spec: { ...base, clients: scale(1000), channels: 1 } },
  { name: 'burst-10k', description: `${scale(10_000)} subscribers on 1 channel, 60 messages in a burst`, spec: { ...base, clients: scale(10_000), channels: 1 } },
  {
    name: 'burst-10k-1k-channels',
    description: `${scale(10_000)} subscribers over ${scale(1000)} channels, 6 messages per channel`,
    spec: { ...base, clients: scale(10_000), channels: scale(1000), messages: 6 },
  },
  {
    name: 'rate-1k',
    description: `${scale(1000)} subscribers on 1 channel, 20 messages/s for 5 s: latency below saturation`,
    spec: { ...base, mode: 'rate', clients: scale(1000), channels: 1 },
  },
  {
    name: 'rate-5k',
    description: `${scale(5000)} subscribers on 1 channel, 20 messages/s for 5 s: latency`,
    spec: { ...base, mode: 'rate', clients: scale(5000), channels: 1 },
  },
  {
    name: 'workers-10k',
    description: `${scale(10_000)} subscribers on 1 channel, 60 messages in a burst: one process against WORKERS=2`,
    spec: { ...base, clients: scale(10_000), channels: 1 },
    servers: ['switchboard', 'switchboard-2w'],
  },
  {
    name: 'stalled',
    description: `${scale(1000)} subscribers, 10 of them stop reading; 20 messages/s of 64 KiB for 5 s`,
    spec: { ...base, mode: 'rate', clients: scale(1000), channels: 1, stalled: 10, padding: 64 * 1024 },
  },
];

function waitForLine(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(match);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}:\n${output}`)));
  });
}

async function startServer(kind: ServerKind, redisUrl: string): Promise<{ child: ChildProcess; url: string; token: string | null }> {
  const env = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    REDIS_URL: redisUrl,
    LOG_LEVEL: 'info',
    SEED_DEMO: 'false',
    GRAPHIQL: 'false',
    MAX_SUBSCRIPTIONS_PER_CONNECTION: '10',
    // Thousands of sockets of one user from one address: the connection caps would refuse them.
    MAX_CONNECTIONS_PER_USER: '0',
    MAX_CONNECTIONS_PER_ADDRESS: '0',
    ...SERVERS[kind].env,
  };
  // BENCH_SERVER_NODE_ARGS adds node flags to the servers only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const extraArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  // The young generation starts at its full default size (16 MiB semi-spaces), so that V8 growing
  // it mid-run is not counted as memory the subscribers hold.
  const child = spawn(process.execPath, [...extraArgs, '--expose-gc', '--min-semi-space-size=16', '--import', './bench/gc-preload.js', ...SERVERS[kind].entry], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.resume();
  // Each prints its port once it listens (Switchboard in its "switchboard started" log line).
  const match = await waitForLine(child, kind.startsWith('switchboard') ? /"url":"http:\/\/127\.0\.0\.1:(\d+)/ : /"port":(\d+)/, kind);
  const port = Number(match[1]);
  child.stdout?.resume();
  const http = `http://127.0.0.1:${port}/graphql`;
  let token: string | null = null;
  if (kind.startsWith('switchboard')) {
    const response = await fetch(http, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `mutation { signUp(username: "bench${Date.now()}", password: "password123") { token } }` }),
    });
    token = ((await response.json()) as { data: { signUp: { token: string } } }).data.signUp.token;
  }
  return { child, url: http.replace('http', 'ws'), token };
}

async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/load-client.ts', JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (process.env.BENCH_DEBUG_HEAP) process.stderr.write(chunk);
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`load generator failed (${code}):\n${stderr}`);
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as LoadResult;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

async function main(): Promise<void> {
  const redis = await startEmbeddedRedis();
  const results: Array<{ scenario: string; server: ServerKind; result: LoadResult }> = [];
  let queueBench: { table: string; results: QueueBenchResult[] } | null = null;
  try {
    const only = argument('--only');
    const onlyServer = argument('--server');
    if (!onlyServer && (!only || only === 'queue')) queueBench = await runQueueBench(redis.url, { quick });
    for (const scenario of SCENARIOS.filter((entry) => !only || entry.name === only)) {
      for (const kind of (scenario.servers ?? DEFAULT_SERVERS).filter((entry) => !onlyServer || entry === onlyServer)) {
        const server = await startServer(kind, redis.url);
        try {
          const result = await runLoad({ ...scenario.spec, url: server.url, token: server.token, redisUrl: redis.url, serverPid: server.child.pid! });
          results.push({ scenario: scenario.name, server: kind, result });
          process.stderr.write(
            `${scenario.name.padEnd(22)} ${kind.padEnd(12)} ${fmt(result.cpuMicrosPerDelivery, 2)} µs/delivery, ${fmt(result.deliveriesPerSecond, 0)}/s, p99 ${fmt(result.p99Ms)} ms, ${result.deliveries}/${result.expected}\n`,
          );
        } finally {
          await stop(server.child);
        }
      }
    }
  } finally {
    await redis.stop();
  }

  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
  const lines: string[] = [];
  const cell = (scenario: string, kind: ServerKind, pick: (r: LoadResult) => string) => {
    const found = results.find((entry) => entry.scenario === scenario && entry.server === kind);
    return found ? pick(found.result) : 'n/a';
  };
  const kinds = Object.keys(SERVERS) as ServerKind[];
  lines.push(`Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}${quick ? ' (quick run)' : ''}`);
  lines.push('');
  lines.push(`| scenario | metric | ${kinds.join(' | ')} |`);
  lines.push(`| --- | --- | ${kinds.map(() => '---').join(' | ')} |`);
  for (const scenario of SCENARIOS.filter((entry) => results.some((result) => result.scenario === entry.name))) {
    const rows: Array<[string, (r: LoadResult) => string]> = [
      ['server CPU µs / delivery', (r) => fmt(r.cpuMicrosPerDelivery, 2)],
      ['load generator CPU µs / delivery', (r) => fmt(r.loadGeneratorCpuMicrosPerDelivery, 2)],
      ['deliveries / s', (r) => fmt(r.deliveriesPerSecond, 0)],
      ['p50 / p99 latency ms', (r) => `${fmt(r.p50Ms)} / ${fmt(r.p99Ms)}`],
      ['delivered / expected', (r) => `${r.deliveries} / ${r.expected}`],
    ];
    if (scenario.name === 'burst-10k') {
      rows.push(['RSS per idle subscriber KiB', (r) => fmt(r.idleBytesPerSubscriber / 1024, 1)]);
      rows.push(['heap per idle subscriber KiB', (r) => fmt(r.idleHeapBytesPerSubscriber / 1024, 1)]);
      rows.push(['V8 heap reserved per idle subscriber KiB', (r) => fmt(r.idleHeapTotalBytesPerSubscriber / 1024, 1)]);
    }
    if (scenario.name === 'stalled') {
      rows.push(['stalled clients closed', (r) => `${r.stalledClosed} / 10`]);
      rows.push(['server RSS growth MiB', (r) => fmt((r.rssPeakBytes - r.rssIdleBytes) / 2 ** 20, 1)]);
    }
    rows.forEach(([metric, pick], i) => {
      lines.push(`| ${i === 0 ? `${scenario.name}: ${scenario.description}` : ''} | ${metric} | ${kinds.map((kind) => cell(scenario.name, kind, pick)).join(' | ')} |`);
    });
  }
  if (queueBench) lines.push('', queueBench.table);
  const table = lines.join('\n');
  process.stdout.write(`\n${table}\n`);
  mkdirSync('bench/results', { recursive: true });
  // Only a full run replaces the published figures.
  const name = quick ? 'quick' : argument('--only') || argument('--server') ? 'partial' : 'latest';
  writeFileSync(
    `bench/results/${name}.json`,
    `${JSON.stringify({ date: new Date().toISOString(), machine, servers: SERVERS, scenarios: SCENARIOS, results, queue: queueBench?.results ?? null }, null, 2)}\n`,
  );
  writeFileSync(`bench/results/${name}.md`, `${table}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
