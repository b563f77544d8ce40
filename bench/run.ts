// `npm run bench`: Switchboard side by side with two reference servers, on one machine, in one run.
// Each scenario gets a fresh server process and a fresh load-generator process; the load
// generator reads the server's CPU time and RSS from /proc. Prints a table, writes JSON.
//   npm run bench               the full run (half an hour or more on a 2-core machine; × N with --repeat N)
//   npm run bench -- --quick    smaller numbers, to try it out
//   npm run bench -- --only burst-10k[,rate-1k...] [--server switchboard]   some scenarios (or one server)
//   npm run bench -- --skip queue      everything but the named scenarios (still the published figures)
//   npm run bench -- --only queue      the queue scenario alone (bench/queue.ts: Switchboard's worker and BullMQ's)
//   npm run bench -- --only cluster-fanout --out cluster   standalone Redis against a local 3-master cluster
//                                      (classic, sharded), written to bench/results/cluster.* (what bench:plan reads)
//   npm run bench -- --repeat 3 ...    3 rounds, interleaved (round 1: every selected scenario on every server,
//                                      then round 2 ...): the tables show each figure's median, CPU µs / delivery
//                                      with its min–max and each app ratio with the min–max of its rounds' ratios
//                                      (this machine's ratios move by ±0.15 between single runs)
//   npm run bench -- --only rate-5k-below,chat-client-5k-below,chat-room-mine-5k-below,sse-5k-below,events-5k-below
//                                      the 5k app rows against the channel path below saturation (8 messages/s;
//                                      at 20/s the channel path fills both cores and batches its writes)
//   --out NAME                         writes bench/results/NAME.{md,json} (default: latest for a full run or
//                                      one with --skip, partial with --only or --server, quick with --quick)
// Output: bench/results/<name>.md (the tables) and .json: `results` one entry per scenario and server
// (each figure the median of its rounds: what bench:plan reads), `raw` every round's figures.
// Memory per idle subscriber: (at rest with all − before any) / N, and marginal: (at rest with all −
// at rest with the first 10%) / the other 90% (without the per-process JIT code of the code paths;
// n/a where a scenario's spec sets `warm: 0`: presence-storm, whose memory is not reported).
// Server CPU at rest: before each measured window the load generator reads the server's CPU over an
// idle window (every subscriber connected, nothing published) as long as the measured window (its
// duration in rate mode; 5 s for a burst), in ms per wall second; µs / delivery net of the at-rest
// CPU = (the window's CPU − that rate × the window's wall time) / deliveries, which leaves out the
// per-user timers and GC that run whatever is delivered (n/a in presence-storm and stalled, where
// it is not measured). BENCH_IDLE_MS=N sets the idle window's length: the server's timers are
// global, every 5 s (stats), 10 s (presence heartbeat) and 12 s (keepalive), so 60000 covers whole
// periods of each; a shorter window may or may not hold a heartbeat or a keepalive round.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { Redis } from 'ioredis';
import { startEmbeddedRedis } from '../src/redis/embedded-server.js';
import { type TestCluster, startTestCluster } from '../test/support/redis-cluster.js';
import type { LoadResult, LoadSpec } from './load-client.js';
import { type QueueBenchResult, runQueueBench } from './queue.js';

type ServerKind = 'bare-ws' | 'yoga-recipe' | 'switchboard' | 'switchboard-base' | 'switchboard-2w' | 'switchboard-cluster-classic' | 'switchboard-cluster-sharded';
/**
 * BENCH_BASE_DIR=<a checkout with its own dist/ and node_modules>: that build runs as
 * `switchboard-base` before `switchboard` in every scenario, so a change is measured against the
 * code before it in one run (the same load on the machine for both).
 */
const BASE_DIR = process.env.BENCH_BASE_DIR;
// Each runs as it would in production: Switchboard from its build (`npm start` runs dist/main.js),
// the reference scripts through tsx.
const SERVERS: Record<ServerKind, { label: string; entry: string[]; env?: Record<string, string> }> = {
  'bare-ws': { label: 'bare ws + one pre-serialised frame', entry: ['--import', 'tsx', 'bench/servers/bare-ws.ts'] },
  'yoga-recipe': {
    label: 'yoga docs recipe (yoga + graphql-ws + Pothos + graphql-redis-subscriptions)',
    entry: ['--import', 'tsx', 'bench/servers/yoga-recipe.ts'],
  },
  switchboard: { label: 'Switchboard', entry: ['dist/main.js'] },
  'switchboard-base': { label: `Switchboard, the build in ${BASE_DIR ?? 'BENCH_BASE_DIR'}`, entry: [`${BASE_DIR ?? '.'}/dist/main.js`] },
  // CPU and memory are those of the supervisor and both workers together.
  'switchboard-2w': { label: 'Switchboard, WORKERS=2 (two processes on one port)', entry: ['dist/main.js'], env: { WORKERS: '2' } },
  // On the local 3-master + 3-replica cluster (REDIS_CLUSTER_NODES instead of REDIS_URL).
  'switchboard-cluster-classic': { label: 'Switchboard on a 3-master cluster, PUBSUB_MODE=classic', entry: ['dist/main.js'], env: { PUBSUB_MODE: 'classic' } },
  'switchboard-cluster-sharded': { label: 'Switchboard on a 3-master cluster, PUBSUB_MODE=sharded', entry: ['dist/main.js'], env: { PUBSUB_MODE: 'sharded' } },
};
/** The servers every scenario compares; the others run only where a scenario names them. */
const DEFAULT_SERVERS: ServerKind[] = ['bare-ws', 'yoga-recipe', 'switchboard'];
/** The columns of the main table. */
const MAIN_KINDS: ServerKind[] = ['bare-ws', 'yoga-recipe', ...(BASE_DIR ? (['switchboard-base'] as const) : []), 'switchboard', 'switchboard-2w'];
// WORKERS=2 on one Redis: two subscribing instances, for what each more instance costs Redis.
const CLUSTER_KINDS: ServerKind[] = ['switchboard', 'switchboard-2w', 'switchboard-cluster-classic', 'switchboard-cluster-sharded'];
const onCluster = (kind: ServerKind) => kind.startsWith('switchboard-cluster');

interface Scenario {
  name: string;
  description: string;
  spec: Omit<LoadSpec, 'url' | 'token' | 'redisUrl' | 'serverPid'>;
  /** Default {@link DEFAULT_SERVERS}. */
  servers?: ServerKind[];
  /** The scenario of the channel path its CPU and memory are compared with (the summary table). */
  baseline?: string;
  /** The same channel path with a distinct user per socket, as this scenario has (like with like). */
  usersBaseline?: string;
}

const quick = process.argv.includes('--quick');
const argument = (name: string) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
};
/** `--repeat N`: N interleaved rounds; the tables show each figure's median. */
const repeat = Number(argument('--repeat') ?? 1);
if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat wants a whole number of rounds ≥ 1, not ${argument('--repeat')}`);
/** BENCH_IDLE_MS: the idle window's length (the server's CPU at rest); default the load generator's. */
const IDLE_MS = process.env.BENCH_IDLE_MS === undefined ? undefined : Number(process.env.BENCH_IDLE_MS);
if (IDLE_MS !== undefined && (!Number.isInteger(IDLE_MS) || IDLE_MS < 0)) throw new Error(`BENCH_IDLE_MS wants a whole number of ms ≥ 0, not ${process.env.BENCH_IDLE_MS}`);
const scale = (n: number) => (quick ? Math.max(10, Math.round(n / 10)) : n);
const base = { mode: 'burst' as const, messages: 60, ratePerSecond: 20, durationMs: 5000, stalled: 0, padding: 0 };
/**
 * Messages/s of the 5k below-saturation rows: 40,000 deliveries/s at 5,000 subscribers. Measured on
 * the idle machine (bench/results/app-start.json): at 20/s rate-5k took 0.62 core of the server and
 * 0.97 of the load generator, chat-client-5k 0.84 + 0.94 (with Redis, nearly both cores), and rate-5k
 * fell to 6.2 µs / delivery against rate-1k's 8.0; at 8/s both need about 0.7 core in all.
 */
const BELOW_5K_RATE = 8;
const BELOW_5K_MS = 10_000;
const below5k = { ...base, mode: 'rate' as const, ratePerSecond: BELOW_5K_RATE, durationMs: BELOW_5K_MS };
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
  // The channel path with one signed-in user per socket, as the app scenarios have: what a
  // subscriber holds is compared like with like (a user's session watch and presence are per user).
  {
    name: 'rate-1k-users',
    description: `rate-1k with ${scale(1000)} distinct signed-in users (one per socket, as in the app scenarios)`,
    spec: { ...base, mode: 'rate', clients: scale(1000), channels: 1, users: 'distinct' },
    servers: ['switchboard'],
  },
  {
    name: 'rate-5k-users',
    description: `rate-5k with ${scale(5000)} distinct signed-in users`,
    spec: { ...base, mode: 'rate', clients: scale(5000), channels: 1, users: 'distinct' },
    servers: ['switchboard'],
  },
  // 5k below saturation: at 20 messages/s (100,000 deliveries/s) the channel path fills both cores
  // and writes several frames per writev, which lowers its µs / delivery; at BELOW_5K_RATE neither
  // path saturates, so that the 5k app rows compare with a channel path under the same conditions.
  {
    name: 'rate-5k-below',
    description: `${scale(5000)} subscribers on 1 channel, ${BELOW_5K_RATE} messages/s for ${BELOW_5K_MS / 1000} s: below saturation, the baseline of the 5k app rows`,
    spec: { ...below5k, clients: scale(5000), channels: 1 },
    // The yoga recipe saturates long before 40,000 deliveries/s (see rate-5k).
    servers: ['bare-ws', 'switchboard'],
  },
  {
    name: 'rate-5k-below-users',
    description: `rate-5k-below with ${scale(5000)} distinct signed-in users (one per socket, as in the 5k app rows)`,
    spec: { ...below5k, clients: scale(5000), channels: 1, users: 'distinct' },
    servers: ['switchboard'],
  },
  {
    name: 'workers-10k',
    description: `${scale(10_000)} subscribers on 1 channel, 60 messages in a burst: one process against WORKERS=2`,
    spec: { ...base, clients: scale(10_000), channels: 1 },
    servers: ['switchboard', 'switchboard-2w'],
  },
  // The app, not only channels (issue 15): the same rate as rate-1k / rate-5k, so that each row
  // compares with the channel path at the same number of subscribers.
  {
    name: 'chat-client-1k',
    description: `${scale(1000)} distinct users with the web client's three subscriptions (messageAdded(after:) with its fragments, presence, roomAdded); 20 messages/s in General for 5 s`,
    spec: { ...base, mode: 'rate', workload: 'chat-client', clients: scale(1000), channels: 1 },
    servers: ['switchboard'],
    baseline: 'rate-1k',
    usersBaseline: 'rate-1k-users',
  },
  {
    name: 'chat-client-5k',
    description: `the same with ${scale(5000)} distinct users`,
    spec: { ...base, mode: 'rate', workload: 'chat-client', clients: scale(5000), channels: 1 },
    servers: ['switchboard'],
    baseline: 'rate-5k',
    usersBaseline: 'rate-5k-users',
  },
  {
    name: 'chat-room-1k',
    description: `${scale(1000)} distinct users on messageAdded(roomId: "0") { id roomId text createdAt from { id username } }; 20 messages/s for 5 s`,
    spec: { ...base, mode: 'rate', workload: 'chat-room', clients: scale(1000), channels: 1 },
    servers: ['switchboard'],
    baseline: 'rate-1k',
    usersBaseline: 'rate-1k-users',
  },
  {
    name: 'chat-room-mine-1k',
    description: `the same selecting the viewer-dependent \`mine\``,
    spec: { ...base, mode: 'rate', workload: 'chat-room-mine', clients: scale(1000), channels: 1 },
    servers: ['switchboard'],
    baseline: 'rate-1k',
    usersBaseline: 'rate-1k-users',
  },
  {
    name: 'sse-1k',
    description: `${scale(1000)} channel(name) subscribers over SSE (one stream each); 20 messages/s for 5 s`,
    spec: { ...base, mode: 'rate', transport: 'sse', clients: scale(1000), channels: 1 },
    servers: ['yoga-recipe', 'switchboard'],
    baseline: 'rate-1k',
  },
  {
    name: 'events-1k',
    description: `${scale(1000)} events(stream) followers of one stream; 20 XADD/s for 5 s`,
    spec: { ...base, mode: 'rate', workload: 'events', clients: scale(1000), channels: 1 },
    servers: ['switchboard'],
    baseline: 'rate-1k',
    usersBaseline: 'rate-1k-users',
  },
  // The 5k app rows at the rate of rate-5k-below, each against it.
  {
    name: 'chat-client-5k-below',
    description: `chat-client-5k at ${BELOW_5K_RATE} messages/s for ${BELOW_5K_MS / 1000} s (below saturation)`,
    spec: { ...below5k, workload: 'chat-client', clients: scale(5000), channels: 1 },
    servers: ['switchboard'],
    baseline: 'rate-5k-below',
    usersBaseline: 'rate-5k-below-users',
  },
  {
    name: 'chat-room-mine-5k-below',
    description: `${scale(5000)} distinct users on messageAdded(roomId: "0") selecting \`mine\`; ${BELOW_5K_RATE} messages/s for ${BELOW_5K_MS / 1000} s`,
    spec: { ...below5k, workload: 'chat-room-mine', clients: scale(5000), channels: 1 },
    servers: ['switchboard'],
    baseline: 'rate-5k-below',
    usersBaseline: 'rate-5k-below-users',
  },
  {
    name: 'sse-5k-below',
    description: `${scale(5000)} channel(name) subscribers over SSE; ${BELOW_5K_RATE} messages/s for ${BELOW_5K_MS / 1000} s`,
    spec: { ...below5k, transport: 'sse', clients: scale(5000), channels: 1 },
    servers: ['switchboard'],
    baseline: 'rate-5k-below',
  },
  {
    name: 'events-5k-below',
    description: `${scale(5000)} events(stream) followers of one stream; ${BELOW_5K_RATE} XADD/s for ${BELOW_5K_MS / 1000} s`,
    spec: { ...below5k, workload: 'events', clients: scale(5000), channels: 1 },
    servers: ['switchboard'],
    baseline: 'rate-5k-below',
    usersBaseline: 'rate-5k-below-users',
  },
  {
    name: 'presence-storm',
    description: `${scale(1000)} users online with the web client's subscriptions; ${scale(1000)} more come online (a signed-in WebSocket each) as fast as they can`,
    // Its memory is not reported; all at once, as before the marginal figures.
    spec: { ...base, workload: 'presence-storm', clients: scale(1000), arrivals: scale(1000), channels: 1, warm: 0 },
    servers: ['switchboard'],
    baseline: 'rate-1k',
    usersBaseline: 'rate-1k-users',
  },
  // Issue 12: the same fan-out on one Redis and on the cluster; Redis CPU per published message, per node.
  {
    name: 'cluster-fanout',
    description: `${scale(1000)} subscribers over ${scale(500)} channels, 10 messages/s per channel for 5 s: standalone Redis against a 3-master + 3-replica cluster`,
    spec: { ...base, mode: 'rate', ratePerSecond: 10, clients: scale(1000), channels: scale(500) },
    servers: CLUSTER_KINDS,
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

/** Where a server's Redis is: one URL, or a cluster's seeds. */
type RedisTarget = { url: string } | { clusterNodes: string };

async function startServer(kind: ServerKind, target: RedisTarget): Promise<{ child: ChildProcess; url: string; token: string | null; metricsUrl?: string }> {
  // The server is given exactly one of REDIS_URL and REDIS_CLUSTER_NODES, whatever this shell has.
  const inherited = { ...process.env };
  delete inherited.REDIS_URL;
  delete inherited.REDIS_CLUSTER_NODES;
  const env = {
    ...inherited,
    PORT: '0',
    HOST: '127.0.0.1',
    ...('url' in target ? { REDIS_URL: target.url } : { REDIS_CLUSTER_NODES: target.clusterNodes }),
    LOG_LEVEL: 'info',
    SEED_DEMO: 'false',
    GRAPHIQL: 'false',
    MAX_SUBSCRIPTIONS_PER_CONNECTION: '10',
    // Thousands of sockets of one user from one address: the connection caps would refuse them.
    MAX_CONNECTIONS_PER_USER: '0',
    MAX_CONNECTIONS_PER_ADDRESS: '0',
    // Its metrics, on a port of their own: the load generator reads whether replays are still running.
    ...(kind.startsWith('switchboard') ? { METRICS_PORT: '0' } : {}),
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
  const match = await waitForLine(child, kind.startsWith('switchboard') ? /"url":"http:\/\/127\.0\.0\.1:(\d+)[^"]*"(?:,"metricsUrl":"([^"]+)")?[^\n]*\n/ : /"port":(\d+)/, kind);
  const port = Number(match[1]);
  const metricsUrl = match[2];
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
  return { child, url: http.replace('http', 'ws'), token, ...(metricsUrl ? { metricsUrl } : {}) };
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
  // JSON has no NaN: a figure not measured (the marginal ones with `warm: 0`) comes back as null.
  const parsed = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
  for (const [key, value] of Object.entries(parsed)) if (value === null) parsed[key] = NaN;
  return parsed as unknown as LoadResult;
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
const kib = (bytes: number) => fmt(bytes / 1024, 1);

async function redisPid(url: string): Promise<number> {
  const client = new Redis(url);
  try {
    return Number(/process_id:(\d+)/.exec(await client.info('server'))?.[1]);
  } finally {
    client.disconnect();
  }
}

/** The cluster's nodes as `m1`…, `r1`… (replica of m1 …), with their process ids. */
async function clusterNodes(cluster: TestCluster): Promise<Array<{ label: string; pid: number; port: number }>> {
  const masters = await cluster.masters();
  const masterIds = await Promise.all(masters.map(async (node) => String(await node.client.call('CLUSTER', 'MYID'))));
  const labelled: Array<{ label: string; pid: number; port: number }> = [];
  for (const node of cluster.nodes) {
    const pid = Number(/process_id:(\d+)/.exec(await node.client.info('server'))?.[1]);
    const index = masters.indexOf(node);
    if (index >= 0) labelled.push({ label: `m${index + 1}`, pid, port: node.port });
    else {
      const nodes = String(await node.client.call('CLUSTER', 'NODES'));
      const myself = nodes.split('\n').find((line) => line.includes('myself'))!;
      const masterId = myself.split(' ')[3]!;
      labelled.push({ label: `r${masterIds.indexOf(masterId) + 1}`, pid, port: node.port });
    }
  }
  return labelled.sort((a, b) => a.label.localeCompare(b.label));
}

interface Row {
  scenario: string;
  server: ServerKind;
  /** 1…`--repeat`: rounds run every selected scenario on every server before the next begins. */
  round: number;
  /** From starting the server to the load generator's result. */
  wallClockSeconds: number;
  result: LoadResult;
}

/** The median (of an even count, the mean of the middle two). */
function median(values: number[]): number {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * One result of several rounds: each figure the median of its rounds (each Redis node's too),
 * each independently, so one round's outlier moves no figure. The close codes are the last round's.
 */
function medianResult(rounds: LoadResult[]): LoadResult {
  const last = rounds.at(-1)!;
  if (rounds.length === 1) return last;
  const merged: Record<string, unknown> = { ...last };
  for (const [key, value] of Object.entries(last)) {
    if (typeof value === 'number') merged[key] = median(rounds.map((round) => (round as unknown as Record<string, number>)[key]!));
  }
  const ofNode = <T extends { label: string }>(pick: (r: LoadResult) => T[], label: string, field: (node: T) => number) =>
    median(rounds.map((round) => {
      const node = pick(round).find((entry) => entry.label === label);
      return node ? field(node) : NaN;
    }));
  merged.redisCpuMicrosPerMessage = last.redisCpuMicrosPerMessage.map(({ label }) => ({ label, micros: ofNode((r) => r.redisCpuMicrosPerMessage, label, (node) => node.micros) }));
  merged.busMessagesPerMessage = last.busMessagesPerMessage.map(({ label }) => ({
    label,
    sent: ofNode((r) => r.busMessagesPerMessage, label, (node) => node.sent),
    received: ofNode((r) => r.busMessagesPerMessage, label, (node) => node.received),
  }));
  return merged as unknown as LoadResult;
}

async function main(): Promise<void> {
  const redis = await startEmbeddedRedis();
  /** Every round's figures; the tables read their medians. */
  const raw: Row[] = [];
  const failures: Array<{ scenario: string; server: ServerKind; round: number; error: string }> = [];
  let queueBench: { table: string; results: QueueBenchResult[] } | null = null;
  let cluster: TestCluster | null = null;
  const load = { before: loadavg(), after: [0, 0, 0] };
  try {
    const only = argument('--only');
    const onlyServer = argument('--server');
    const names = only?.split(',');
    const skipped = argument('--skip')?.split(',') ?? [];
    const selected = SCENARIOS.filter((entry) => (!names || names.includes(entry.name)) && !skipped.includes(entry.name));
    if (!onlyServer && (!names || names.includes('queue')) && !skipped.includes('queue')) queueBench = await runQueueBench(redis.url, { quick });
    const standalonePid = await redisPid(redis.url);
    // A build from before cluster mode would ignore REDIS_CLUSTER_NODES and start a Redis of its own.
    const clusterMode = readFileSync('dist/config.js', 'utf8').includes('REDIS_CLUSTER_NODES');
    for (let round = 1; round <= repeat; round++) {
      const label = repeat > 1 ? `round ${round}/${repeat} ` : '';
      for (const scenario of selected) {
        const kinds = (scenario.servers ?? DEFAULT_SERVERS)
          .flatMap((entry): ServerKind[] => (entry === 'switchboard' && BASE_DIR ? ['switchboard-base', 'switchboard'] : [entry]))
          .filter((entry) => !onlyServer || entry === onlyServer || (onlyServer === 'switchboard' && entry === 'switchboard-base'));
        for (const kind of kinds) {
          if (onCluster(kind) && !clusterMode) {
            process.stderr.write(`${label}${scenario.name.padEnd(22)} ${kind}: skipped (this build has no REDIS_CLUSTER_NODES)\n`);
            continue;
          }
          let redisNodes: LoadSpec['redisNodes'] = [{ label: 'standalone', pid: standalonePid }];
          let target: RedisTarget = { url: redis.url };
          if (onCluster(kind)) {
            // One cluster for the run, flushed between servers.
            cluster ??= await startTestCluster();
            await Promise.all((await cluster.masters()).map((node) => node.client.flushall()));
            redisNodes = (await clusterNodes(cluster)).map(({ label, pid, port }) => ({ label, pid, url: `redis://127.0.0.1:${port}` }));
            target = { clusterNodes: cluster.seeds };
          }
          const startedAt = Date.now();
          let server: Awaited<ReturnType<typeof startServer>>;
          try {
            server = await startServer(kind, target);
          } catch (error) {
            failures.push({ scenario: scenario.name, server: kind, round, error: String(error).slice(0, 500) });
            process.stderr.write(`${label}${scenario.name.padEnd(22)} ${kind}: did not start: ${String(error).slice(0, 500)}\n`);
            continue;
          }
          try {
            const result = await runLoad({
              ...scenario.spec,
              url: server.url,
              token: server.token,
              redisUrl: 'url' in target ? target.url : target.clusterNodes,
              redisCluster: onCluster(kind),
              pubsubMode: kind === 'switchboard-cluster-sharded' ? 'sharded' : 'classic',
              redisNodes,
              serverPid: server.child.pid!,
              ...(server.metricsUrl ? { metricsUrl: server.metricsUrl } : {}),
              ...(IDLE_MS === undefined ? {} : { idleMs: IDLE_MS }),
            });
            const wallClockSeconds = Math.round((Date.now() - startedAt) / 100) / 10;
            raw.push({ scenario: scenario.name, server: kind, round, wallClockSeconds, result });
            process.stderr.write(
              `${label}${scenario.name.padEnd(22)} ${kind.padEnd(12)} ${fmt(result.cpuMicrosPerDelivery, 2)} µs/delivery (${fmt(result.netCpuMicrosPerDelivery, 2)} net of ${fmt(result.idleCpuMsPerSecond)} ms/s at rest), ${fmt(result.deliveriesPerSecond, 0)}/s, p99 ${fmt(result.p99Ms)} ms, ${result.deliveries}/${result.expected}, ${kib(result.idleBytesPerSubscriber)} KiB RSS/subscriber (marginal ${kib(result.marginalIdleBytesPerSubscriber)}), closes ${JSON.stringify(result.closeCodes)}, ${wallClockSeconds} s\n`,
            );
          } catch (error) {
            // One server failing a scenario (a mode the build lacks, a timeout) leaves the rest of the run.
            failures.push({ scenario: scenario.name, server: kind, round, error: String(error).slice(0, 500) });
            process.stderr.write(`${label}${scenario.name.padEnd(22)} ${kind}: failed: ${String(error).slice(0, 500)}\n`);
          } finally {
            await stop(server.child);
          }
        }
      }
    }
  } finally {
    load.after = loadavg();
    await cluster?.stop();
    await redis.stop();
  }

  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverageBefore: load.before.map((value) => Number(value.toFixed(2))),
    loadAverageAfter: load.after.map((value) => Number(value.toFixed(2))),
  };
  // One row per scenario and server, in the order they first ran: each figure the median of its rounds.
  const results = [...new Map(raw.map((row) => [`${row.scenario} ${row.server}`, row])).values()].map(({ scenario, server }) => {
    const rounds = raw.filter((row) => row.scenario === scenario && row.server === server);
    return { scenario, server, rounds: rounds.length, result: medianResult(rounds.map((row) => row.result)) };
  });
  const find = (scenario: string, kind: ServerKind) => results.find((entry) => entry.scenario === scenario && entry.server === kind)?.result;
  const roundsOf = (scenario: string, kind: ServerKind) => raw.filter((row) => row.scenario === scenario && row.server === kind);
  /** ` (min–max)` of a figure over the rounds, when there are several. */
  const range = (values: number[], digits = 2) => {
    const finite = values.filter((value) => Number.isFinite(value));
    return finite.length > 1 ? ` (${fmt(Math.min(...finite), digits)}–${fmt(Math.max(...finite), digits)})` : '';
  };
  const lines: string[] = [];
  lines.push(`Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}${quick ? ' (quick run)' : ''}`);
  lines.push(`Load average (1, 5, 15 min) at the start: ${machine.loadAverageBefore.join(', ')}; at the end: ${machine.loadAverageAfter.join(', ')}`);
  if (repeat > 1) lines.push(`${repeat} rounds, interleaved (every scenario on every server, then again): each figure is the median of its rounds; server CPU µs / delivery (and net of the at-rest CPU) shows its min–max over the rounds, each ratio its min–max over the rounds' ratios.`);

  // 1. Every scenario on the servers it ran on.
  const table = (kinds: ServerKind[], scenarios: Scenario[], extraRows: (scenario: Scenario) => Array<[string, (r: LoadResult) => string]>) => {
    if (!scenarios.some((entry) => results.some((result) => result.scenario === entry.name))) return;
    lines.push('');
    lines.push(`| scenario | metric | ${kinds.join(' | ')} |`);
    lines.push(`| --- | --- | ${kinds.map(() => '---').join(' | ')} |`);
    for (const scenario of scenarios.filter((entry) => results.some((result) => result.scenario === entry.name))) {
      // The third element: the figure whose min–max over the rounds follows the median.
      const rows: Array<[string, (r: LoadResult) => string, ((r: LoadResult) => number)?]> = [
        ['server CPU µs / delivery', (r) => fmt(r.cpuMicrosPerDelivery, 2), (r) => r.cpuMicrosPerDelivery],
        ['server CPU at rest, ms/s', (r) => fmt(r.idleCpuMsPerSecond, 1)],
        ['server CPU µs / delivery net of the at-rest CPU', (r) => fmt(r.netCpuMicrosPerDelivery, 2), (r) => r.netCpuMicrosPerDelivery],
        ['load generator CPU µs / delivery', (r) => fmt(r.loadGeneratorCpuMicrosPerDelivery, 2)],
        ['deliveries / s', (r) => fmt(r.deliveriesPerSecond, 0)],
        ['p50 / p99 latency ms', (r) => `${fmt(r.p50Ms)} / ${fmt(r.p99Ms)}`],
        ['delivered / expected', (r) => `${r.deliveries} / ${r.expected}`],
        ...extraRows(scenario),
      ];
      rows.forEach(([metric, pick, spread], i) => {
        const cells = kinds.map((kind) => {
          const found = find(scenario.name, kind);
          if (!found) return '';
          return spread ? `${pick(found)}${range(roundsOf(scenario.name, kind).map((row) => spread(row.result)))}` : pick(found);
        });
        lines.push(`| ${i === 0 ? `${scenario.name}: ${scenario.description}` : ''} | ${metric} | ${cells.join(' | ')} |`);
      });
    }
  };
  const memoryScenarios = new Set(['burst-10k', 'rate-1k', 'rate-5k', 'rate-1k-users', 'rate-5k-users', 'chat-client-1k', 'chat-client-5k', 'rate-5k-below', 'rate-5k-below-users', 'chat-client-5k-below']);
  table(
    MAIN_KINDS,
    SCENARIOS.filter((entry) => entry.name !== 'cluster-fanout'),
    (scenario) => {
      const rows: Array<[string, (r: LoadResult) => string]> = [];
      if (memoryScenarios.has(scenario.name)) {
        rows.push(['RSS per idle subscriber KiB', (r) => kib(r.idleBytesPerSubscriber)]);
        rows.push(['heap per idle subscriber KiB', (r) => kib(r.idleHeapBytesPerSubscriber)]);
        rows.push(['V8 heap reserved per idle subscriber KiB', (r) => kib(r.idleHeapTotalBytesPerSubscriber)]);
        rows.push(['marginal RSS per idle subscriber KiB (after the first 10%)', (r) => kib(r.marginalIdleBytesPerSubscriber)]);
        rows.push(['marginal heap per idle subscriber KiB (after the first 10%)', (r) => kib(r.marginalIdleHeapBytesPerSubscriber)]);
      }
      if (scenario.name === 'presence-storm') rows.push(['storm: first arrival to last delivery, s', (r) => fmt(r.wallMs / 1000, 1)]);
      if (scenario.name === 'stalled') {
        rows.push(['stalled clients closed', (r) => `${r.stalledClosed} / 10`]);
        rows.push(['server RSS growth MiB', (r) => fmt((r.rssPeakBytes - r.rssIdleBytes) / 2 ** 20, 1)]);
      }
      return rows;
    },
  );

  // 2. The app against the channel path (issue 15's targets), measured in this run (and for the
  // base build, when there is one).
  for (const kind of ['switchboard-base', 'switchboard'] as const) {
    const compared = SCENARIOS.filter((entry) => entry.baseline && find(entry.name, kind));
    if (compared.length === 0) continue;
    const who = kind === 'switchboard' ? 'Switchboard' : 'Switchboard base build';
    lines.push('');
    lines.push(
      `| ${who}, subscription | µs / delivery | channel path (same subscribers) µs / delivery | ratio (target ≤ 1.3×) | ratio net of the at-rest CPU | channel path, a user per socket, µs / delivery | ratio | ratio net of the at-rest CPU |`,
    );
    lines.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
    const cpuRange = (name: string) => range(roundsOf(name, kind).map((row) => row.result.cpuMicrosPerDelivery));
    const versus = (app: string, own: LoadResult, name: string | undefined) => {
      const base = name ? find(name, kind) : undefined;
      if (!name || !base) return ['n/a', 'n/a', 'n/a'];
      // Round k of the app row against round k of its baseline: the two ran minutes apart, not a whole run.
      const baseRounds = roundsOf(name, kind);
      const ratio = (pick: (r: LoadResult) => number) => {
        const perRound = roundsOf(app, kind).flatMap((row) => {
          const paired = baseRounds.find((entry) => entry.round === row.round);
          return paired ? [pick(row.result) / pick(paired.result)] : [];
        });
        const ofMedians = pick(own) / pick(base);
        return Number.isFinite(ofMedians) ? `${fmt(ofMedians, 2)}×${range(perRound)}` : 'n/a';
      };
      const spread = cpuRange(name);
      return [
        `${fmt(base.cpuMicrosPerDelivery, 2)}${spread ? `${spread} in ${name}` : ` (${name})`}`,
        ratio((r) => r.cpuMicrosPerDelivery),
        ratio((r) => r.netCpuMicrosPerDelivery),
      ];
    };
    for (const scenario of compared) {
      const own = find(scenario.name, kind)!;
      lines.push(`| ${scenario.name} | ${fmt(own.cpuMicrosPerDelivery, 2)}${cpuRange(scenario.name)} | ${versus(scenario.name, own, scenario.baseline).join(' | ')} | ${versus(scenario.name, own, scenario.usersBaseline).join(' | ')} |`);
    }
    // Like with like first: a channel subscriber with a user of its own, as every web client has.
    const memoryPairs: Array<[string, string]> = [
      ['chat-client-1k', 'rate-1k-users'],
      ['chat-client-5k', 'rate-5k-users'],
      ['chat-client-1k', 'rate-1k'],
      ['chat-client-5k-below', 'rate-5k-below-users'],
      ['chat-client-5k', 'rate-5k'],
      ['chat-client-5k-below', 'rate-5k-below'],
    ];
    const pairs = memoryPairs.filter(([app, channel]) => find(app, kind) && find(channel, kind));
    if (pairs.length > 0) {
      lines.push('');
      lines.push(`| ${who}, memory per idle subscriber | web client (three subscriptions) KiB | channel subscriber KiB | ratio (target ≤ 1.5×) |`);
      lines.push('| --- | --- | --- | --- |');
      for (const [app, channel] of pairs) {
        const own = find(app, kind)!;
        const base = find(channel, kind)!;
        lines.push(`| RSS, ${app} vs ${channel} | ${kib(own.idleBytesPerSubscriber)} | ${kib(base.idleBytesPerSubscriber)} | ${fmt(own.idleBytesPerSubscriber / base.idleBytesPerSubscriber, 2)}× |`);
        lines.push(`| heap, ${app} vs ${channel} | ${kib(own.idleHeapBytesPerSubscriber)} | ${kib(base.idleHeapBytesPerSubscriber)} | ${fmt(own.idleHeapBytesPerSubscriber / base.idleHeapBytesPerSubscriber, 2)}× |`);
        // What the other 90% added once the first 10% were ready: without per-process JIT code.
        lines.push(`| marginal RSS, ${app} vs ${channel} | ${kib(own.marginalIdleBytesPerSubscriber)} | ${kib(base.marginalIdleBytesPerSubscriber)} | ${fmt(own.marginalIdleBytesPerSubscriber / base.marginalIdleBytesPerSubscriber, 2)}× |`);
        lines.push(`| marginal heap, ${app} vs ${channel} | ${kib(own.marginalIdleHeapBytesPerSubscriber)} | ${kib(base.marginalIdleHeapBytesPerSubscriber)} | ${fmt(own.marginalIdleHeapBytesPerSubscriber / base.marginalIdleHeapBytesPerSubscriber, 2)}× |`);
      }
    }
  }

  // 3. Standalone against the cluster: the server's side and each Redis node's.
  const clusterScenario = SCENARIOS.find((entry) => entry.name === 'cluster-fanout')!;
  if (results.some((entry) => entry.scenario === clusterScenario.name)) {
    const nodeLabels = [...new Set(results.filter((entry) => entry.scenario === clusterScenario.name).flatMap((entry) => entry.result.redisCpuMicrosPerMessage.map((node) => node.label)))];
    table(CLUSTER_KINDS, [clusterScenario], () => [
      ['messages published', (r) => String(r.published)],
      ...nodeLabels.map((label): [string, (r: LoadResult) => string] => [
        `Redis CPU µs / published message, ${label}`,
        (r) => {
          const node = r.redisCpuMicrosPerMessage.find((entry) => entry.label === label);
          return node ? fmt(node.micros, 2) : '';
        },
      ]),
      ['Redis CPU µs / published message, all nodes', (r) => fmt(r.redisCpuMicrosPerMessage.reduce((sum, node) => sum + node.micros, 0), 2)],
      [
        'cluster bus pub/sub messages / published message (sent + received, all nodes)',
        (r) => (r.busMessagesPerMessage.length ? fmt(r.busMessagesPerMessage.reduce((sum, node) => sum + node.sent + node.received, 0), 2) : ''),
      ],
    ]);
  }
  if (failures.length > 0) {
    lines.push('', 'Not measured:');
    for (const failure of failures) lines.push(`- ${failure.scenario} on ${failure.server}${repeat > 1 ? `, round ${failure.round}` : ''}: ${failure.error.split('\n').slice(0, 2).join(' ')}`);
  }
  if (queueBench) lines.push('', queueBench.table);
  const text = lines.join('\n');
  process.stdout.write(`\n${text}\n`);
  mkdirSync('bench/results', { recursive: true });
  // Only a full run (or one with --skip) replaces the published figures.
  const name = argument('--out') ?? (quick ? 'quick' : argument('--only') || argument('--server') ? 'partial' : 'latest');
  writeFileSync(
    `bench/results/${name}.json`,
    `${JSON.stringify({ date: new Date().toISOString(), machine, repeat, servers: SERVERS, scenarios: SCENARIOS, results, raw, failures, queue: queueBench?.results ?? null }, null, 2)}\n`,
  );
  writeFileSync(`bench/results/${name}.md`, `${text}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
