// `npm run bench:plan`: the million-subscriber plan's numbers (docs/million-subscribers.md), each
// derived from a figure of the last full bench run (bench/results/latest.json) and the workload
// and headroom stated below. Prints a Markdown table of inputs and one of results.
//   npm run bench:plan                       from bench/results/latest.json
//   npm run bench:plan -- bench/results/quick.json [bench/results/cluster.json]
// The cluster scenario is read from bench/results/cluster.json when it exists (a run of its own).
import { existsSync, readFileSync } from 'node:fs';
import type { LoadResult } from './load-client.js';

interface Run {
  date: string;
  machine: { cpu: string; cores: number; loadAverageBefore?: number[]; loadAverageAfter?: number[] };
  results: Array<{ scenario: string; server: string; result: LoadResult }>;
}

/** The workload the plan is for. Assumptions, not measurements: change them here. */
export const WORKLOAD = {
  subscribers: 1_000_000,
  /** Rooms (or channels), each with `subscribers / rooms` subscribers. */
  rooms: 10_000,
  /** Messages per second into each room. */
  messagesPerRoomPerSecond: 1,
  /** Share of one core a process or a Redis node may use in steady state (the rest: bursts, reconnect storms, GC). */
  coreBudget: 0.5,
  /** Memory one instance process may hold for its subscribers (GiB). */
  memoryBudgetGiB: 2,
} as const;

const file = process.argv[2] ?? 'bench/results/latest.json';
/** The cluster scenario may come from a run of its own (`--only cluster-fanout --out cluster`). */
const clusterFile = process.argv[3] ?? 'bench/results/cluster.json';
const run = JSON.parse(readFileSync(file, 'utf8')) as Run;
const clusterRun = existsSync(clusterFile) ? (JSON.parse(readFileSync(clusterFile, 'utf8')) as Run) : null;
const find = (source: Run | null, scenario: string, server: string) => source?.results.find((entry) => entry.scenario === scenario && entry.server === server)?.result;
/** From the main run; the cluster scenario (and what the main run lacks) from the cluster run. */
const result = (scenario: string, server: string) =>
  scenario === 'cluster-fanout' ? (find(clusterRun, scenario, server) ?? find(run, scenario, server)) : (find(run, scenario, server) ?? find(clusterRun, scenario, server));
const need = (scenario: string, server: string) => {
  const found = result(scenario, server);
  if (!found) throw new Error(`${file} has no ${scenario} on ${server}: run the full bench first`);
  return found;
};
const nodeCost = (r: LoadResult, prefix: string) => r.redisCpuMicrosPerMessage.filter((node) => node.label.startsWith(prefix)).map((node) => node.micros);
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const f = (value: number, digits = 1) => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

// Measured.
const channel = need('rate-5k', 'switchboard');
const client = result('chat-client-5k', 'switchboard') ?? need('chat-client-1k', 'switchboard');
const clientScenario = result('chat-client-5k', 'switchboard') ? 'chat-client-5k' : 'chat-client-1k';
const oneProcess = need('workers-10k', 'switchboard');
const twoProcesses = need('workers-10k', 'switchboard-2w');
const standalone = need('cluster-fanout', 'switchboard');
const standalone2 = need('cluster-fanout', 'switchboard-2w');
const classic = need('cluster-fanout', 'switchboard-cluster-classic');
const sharded = result('cluster-fanout', 'switchboard-cluster-sharded');

const standaloneCost = standalone.redisCpuMicrosPerMessage[0]!.micros;
/** Redis CPU per message for each more instance subscribed to its channel (one more connection to write). */
const perInstance = Math.max(0, standalone2.redisCpuMicrosPerMessage[0]!.micros - standaloneCost);
const classicNodes = classic.redisCpuMicrosPerMessage;
const classicBusiest = Math.max(...classicNodes.map((node) => node.micros));
/** Every node receives every classic message over the cluster bus; the cheapest node pays only that. */
const classicBroadcast = Math.min(...classicNodes.map((node) => node.micros));
const shardedMaster = sharded ? sum(nodeCost(sharded, 'm')) : NaN;
const shardedReplica = sharded ? sum(nodeCost(sharded, 'r')) : NaN;

// Derived.
const { subscribers, rooms, messagesPerRoomPerSecond, coreBudget, memoryBudgetGiB } = WORKLOAD;
const perRoom = subscribers / rooms;
const messagesPerSecond = rooms * messagesPerRoomPerSecond;
const deliveriesPerSecond = messagesPerSecond * perRoom;
const plan = (cpuPerDelivery: number, rssPerSubscriber: number) => {
  const byCpu = Math.floor((coreBudget * 1e6) / cpuPerDelivery / (messagesPerRoomPerSecond * 1));
  const byMemory = Math.floor((memoryBudgetGiB * 2 ** 30) / rssPerSubscriber);
  const perProcess = Math.min(byCpu, byMemory);
  const processes = Math.ceil(subscribers / perProcess);
  // Subscribers of a room land on processes at random: how many distinct processes hold one.
  const processesPerRoom = processes * (1 - (1 - 1 / processes) ** perRoom);
  const redisPerMessage = standaloneCost + (processesPerRoom - 1) * perInstance;
  return { byCpu, byMemory, perProcess, processes, processesPerRoom, redisPerMessage };
};
const channelPlan = plan(channel.cpuMicrosPerDelivery, channel.idleBytesPerSubscriber);
const clientPlan = plan(client.cpuMicrosPerDelivery, client.idleBytesPerSubscriber);
const budget = coreBudget * 1e6;
const lines: string[] = [];
const describe = (name: string, r: Run) => `${name} (${r.date}, ${r.machine.cpu}, ${r.machine.cores} cores, load average ${r.machine.loadAverageBefore?.join(' / ') ?? '?'} at its start)`;
lines.push(`From ${describe(file, run)}${clusterRun ? `; cluster-fanout from ${describe(clusterFile, clusterRun)}` : ''}.`);
lines.push('');
lines.push('| input | value | measured in |');
lines.push('| --- | --- | --- |');
lines.push(`| server CPU per delivery, channel path | ${f(channel.cpuMicrosPerDelivery, 2)} µs | rate-5k |`);
lines.push(`| server CPU per delivery, the web client's chat | ${f(client.cpuMicrosPerDelivery, 2)} µs | ${clientScenario} |`);
lines.push(`| RSS per idle subscriber, channel | ${f(channel.idleBytesPerSubscriber / 1024)} KiB | rate-5k |`);
lines.push(`| RSS per idle subscriber, web client (3 subscriptions) | ${f(client.idleBytesPerSubscriber / 1024)} KiB | ${clientScenario} |`);
lines.push(`| fan-out throughput, WORKERS=1 / WORKERS=2 (2 cores shared with the load generator) | ${f(oneProcess.deliveriesPerSecond, 0)} / ${f(twoProcesses.deliveriesPerSecond, 0)} deliveries/s | workers-10k |`);
lines.push(`| Redis CPU per published message, one instance subscribed | ${f(standaloneCost, 2)} µs | cluster-fanout, standalone |`);
lines.push(`| the same, each more subscribed instance | ${f(perInstance, 2)} µs | cluster-fanout, WORKERS=2 minus WORKERS=1 |`);
lines.push(`| classic on the cluster: per node (busiest / cheapest) | ${f(classicBusiest, 2)} / ${f(classicBroadcast, 2)} µs | cluster-fanout, classic |`);
lines.push(
  sharded
    ? `| sharded on the cluster: per message on its master / its replica | ${f(shardedMaster, 2)} / ${f(shardedReplica, 2)} µs | cluster-fanout, sharded (sum over masters, replicas) |`
    : '| sharded on the cluster | not measured | cluster-fanout, sharded |',
);
lines.push('');
lines.push(`Workload: ${f(subscribers, 0)} subscribers in ${f(rooms, 0)} rooms of ${f(perRoom, 0)}, ${messagesPerRoomPerSecond} message/s per room: ${f(messagesPerSecond, 0)} messages/s published, ${f(deliveriesPerSecond, 0)} deliveries/s. Budget: ${coreBudget * 100}% of a core per process and per Redis node, ${memoryBudgetGiB} GiB per process.`);
lines.push('');
lines.push('| step | channel path | web client chat |');
lines.push('| --- | --- | --- |');
const both = (label: string, pick: (p: ReturnType<typeof plan>) => string) => lines.push(`| ${label} | ${pick(channelPlan)} | ${pick(clientPlan)} |`);
both('subscribers per process, CPU-bound', (p) => f(p.byCpu, 0));
both('subscribers per process, memory-bound', (p) => f(p.byMemory, 0));
both('processes (one core each) for all subscribers', (p) => f(p.processes, 0));
both('distinct processes subscribed per room', (p) => f(p.processesPerRoom, 1));
both('Redis CPU per message (one node, all subscribed processes)', (p) => `${f(p.redisPerMessage, 1)} µs`);
both('one standalone Redis: share of a core', (p) => `${f((messagesPerSecond * p.redisPerMessage) / 1e6 * 100, 0)}%`);
both('one standalone Redis: most messages/s within budget', (p) => f(budget / p.redisPerMessage, 0));
both('classic cluster: per-node share of a core (every node gets every message)', (p) => `${f((messagesPerSecond * (classicBroadcast + (p.redisPerMessage - standaloneCost))) / 1e6 * 100, 0)}% on the node of the subscriptions, ${f((messagesPerSecond * classicBroadcast) / 1e6 * 100, 0)}% on every other`);
if (sharded) {
  both('sharded: Redis CPU per message on its shard', (p) => `${f(shardedMaster + (p.redisPerMessage - standaloneCost), 1)} µs`);
  both('sharded: masters needed within budget', (p) => f(Math.ceil((messagesPerSecond * (shardedMaster + (p.redisPerMessage - standaloneCost))) / budget), 0));
}
process.stdout.write(`${lines.join('\n')}\n`);
