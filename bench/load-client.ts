// The load generator: a separate process that opens many graphql-transport-ws subscribers on a
// server, publishes into Redis, and measures what arrives. It reads the server's CPU time and RSS
// from /proc, so the same numbers come out for every server. One JSON line of results on stdout.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { WebSocket } from 'ws';
import { cpuMicros, rssBytes } from './proc.js';

/** What one run does; passed as JSON in argv[2]. */
export interface LoadSpec {
  url: string;
  token: string | null;
  redisUrl: string;
  serverPid: number;
  clients: number;
  channels: number;
  /** burst: `messages` per channel at once; rate: `ratePerSecond` per channel for `durationMs`. */
  mode: 'burst' | 'rate';
  messages: number;
  ratePerSecond: number;
  durationMs: number;
  /** Clients that stop reading once subscribed. */
  stalled: number;
  /** Extra bytes of padding in each message. */
  padding: number;
}

export interface LoadResult {
  deliveries: number;
  expected: number;
  wallMs: number;
  serverCpuMicros: number;
  cpuMicrosPerDelivery: number;
  /** The load generator's own CPU time per delivery: the other half of the machine's work. */
  loadGeneratorCpuMicrosPerDelivery: number;
  deliveriesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  rssBeforeBytes: number;
  rssIdleBytes: number;
  rssPeakBytes: number;
  idleBytesPerSubscriber: number;
  /** The same for V8 heap + external memory: what is retained, without the allocator's slack. */
  idleHeapBytesPerSubscriber: number;
  /** The same for the heap V8 has reserved (heapTotal): retained objects plus free space it keeps. */
  idleHeapTotalBytesPerSubscriber: number;
  stalledClosed: number;
  closeCodes: Record<string, number>;
}

const QUERY = 'subscription Bench($name: String!) { channel(name: $name) { channel message } }';
const CONNECT_CONCURRENCY = 200;
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2]!) as LoadSpec;
  const redis = new Redis(spec.redisUrl);
  const channelOf = (i: number) => `bench-${i % spec.channels}`;
  const latencies: number[] = [];
  let deliveries = 0;
  let lastDelivery = 0;
  const probed = new Set<number>();
  const closeCodes: Record<string, number> = {};
  const sockets: WebSocket[] = [];
  const stalled = new Set<number>();
  let measuring = false;

  /** The server's RSS and heap after a full GC (see bench/gc-preload.ts). */
  const heapFile = join(tmpdir(), `switchboard-bench-heap-${spec.serverPid}.json`);
  const settled = async () => {
    rmSync(heapFile, { force: true });
    process.kill(spec.serverPid, 'SIGUSR2');
    // A busy server may take a while to get to the signal.
    while (!existsSync(heapFile)) await sleep(50);
    // Pages the compaction freed go back to the system from a background thread.
    await sleep(1000);
    const heap = JSON.parse(readFileSync(heapFile, 'utf8')) as { heapUsed: number; heapTotal: number; external: number };
    if (process.env.BENCH_DEBUG_HEAP) process.stderr.write(`${readFileSync(heapFile, 'utf8')}\n`);
    return { rss: rssBytes(spec.serverPid), heap: heap.heapUsed + heap.external, heapTotal: heap.heapTotal };
  };
  const before = await settled();
  const rssBefore = before.rss;
  const open = (index: number) =>
    new Promise<void>((resolve, reject) => {
      const socket = new WebSocket(spec.url, 'graphql-transport-ws');
      sockets[index] = socket;
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: spec.token ? { authToken: spec.token } : {} })));
      let acknowledged = false;
      socket.on('message', (data) => {
        const text = String(data);
        if (!acknowledged) {
          if (!text.includes('"connection_ack"')) return;
          acknowledged = true;
          socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: QUERY, variables: { name: channelOf(index) } } }));
          resolve();
          return;
        }
        // The generator shares the machine with the server: it reads the one field it needs
        // rather than parsing each frame whole.
        if (!measuring) {
          if (text.includes('"probe":1')) probed.add(index);
          return;
        }
        const at = text.indexOf('"t":');
        if (at < 0 || !text.startsWith('{"id":"1","type":"next"') || stalled.has(index)) return;
        const sent = parseFloat(text.slice(at + 4, at + 40));
        const received = now();
        latencies.push(received - sent);
        deliveries++;
        lastDelivery = received;
      });
      socket.on('close', (code) => {
        closeCodes[code] = (closeCodes[code] ?? 0) + 1;
      });
      socket.on('error', reject);
    });

  for (let start = 0; start < spec.clients; start += CONNECT_CONCURRENCY) {
    await Promise.all(Array.from({ length: Math.min(CONNECT_CONCURRENCY, spec.clients - start) }, (_, k) => open(start + k)));
  }
  // Ready when every client has seen a probe: its subscription is live on the server.
  const deadline = Date.now() + 120_000;
  while (probed.size < spec.clients) {
    if (Date.now() > deadline) throw new Error(`only ${probed.size} of ${spec.clients} subscribers became ready`);
    const pipeline = redis.pipeline();
    for (let c = 0; c < spec.channels; c++) pipeline.publish(`bench-${c}`, '{"probe":1}');
    await pipeline.exec();
    await sleep(200);
  }
  await sleep(200);
  const idle = await settled();
  const rssIdle = idle.rss;

  for (let i = 0; i < spec.stalled; i++) {
    stalled.add(i);
    (sockets[i] as unknown as { _socket: Socket })._socket.pause();
  }
  const pad = 'x'.repeat(spec.padding);
  let rssPeak = rssIdle;
  let published = 0;
  const publishRound = async (seq: number) => {
    const pipeline = redis.pipeline();
    for (let c = 0; c < spec.channels; c++) pipeline.publish(`bench-${c}`, JSON.stringify({ seq, t: now(), pad }));
    published += spec.channels;
    await pipeline.exec();
  };

  measuring = true;
  const cpuStart = cpuMicros(spec.serverPid);
  const ownCpuStart = process.cpuUsage();
  const started = now();
  if (spec.mode === 'burst') {
    for (let seq = 0; seq < spec.messages; seq++) await publishRound(seq);
  } else {
    const interval = 1000 / spec.ratePerSecond;
    const rounds = Math.round((spec.durationMs / 1000) * spec.ratePerSecond);
    for (let seq = 0; seq < rounds; seq++) {
      const due = started + seq * interval;
      const wait = due - now();
      if (wait > 0) await sleep(wait);
      await publishRound(seq);
      rssPeak = Math.max(rssPeak, rssBytes(spec.serverPid));
    }
  }
  const perChannelSubscribers = (c: number) => {
    let count = 0;
    for (let i = 0; i < spec.clients; i++) if (i % spec.channels === c && !stalled.has(i)) count++;
    return count;
  };
  let expected = 0;
  for (let c = 0; c < spec.channels; c++) expected += perChannelSubscribers(c) * (published / spec.channels);
  const waitUntil = Date.now() + 120_000;
  while (deliveries < expected && Date.now() < waitUntil) {
    await sleep(20);
    rssPeak = Math.max(rssPeak, rssBytes(spec.serverPid));
  }
  const cpu = cpuMicros(spec.serverPid) - cpuStart;
  const ownCpu = process.cpuUsage(ownCpuStart);
  const wallMs = (lastDelivery || now()) - started;

  measuring = false;
  // A paused socket reads nothing, not even a close: let the stalled ones read, then count how
  // many the server had closed.
  for (const i of stalled) (sockets[i] as unknown as { _socket: Socket })._socket.resume();
  const closeDeadline = Date.now() + 5000;
  while ([...stalled].some((i) => sockets[i]!.readyState === WebSocket.OPEN) && Date.now() < closeDeadline) await sleep(50);
  const stalledClosed = [...stalled].filter((i) => sockets[i]!.readyState !== WebSocket.OPEN).length;
  latencies.sort((a, b) => a - b);
  const quantile = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  const result: LoadResult = {
    deliveries,
    expected,
    wallMs,
    serverCpuMicros: cpu,
    cpuMicrosPerDelivery: cpu / Math.max(1, deliveries),
    loadGeneratorCpuMicrosPerDelivery: (ownCpu.user + ownCpu.system) / Math.max(1, deliveries),
    deliveriesPerSecond: (deliveries / wallMs) * 1000,
    p50Ms: quantile(0.5),
    p99Ms: quantile(0.99),
    rssBeforeBytes: rssBefore,
    rssIdleBytes: rssIdle,
    rssPeakBytes: rssPeak,
    idleBytesPerSubscriber: (rssIdle - rssBefore) / spec.clients,
    idleHeapBytesPerSubscriber: (idle.heap - before.heap) / spec.clients,
    idleHeapTotalBytesPerSubscriber: (idle.heapTotal - before.heapTotal) / spec.clients,
    stalledClosed: spec.stalled > 0 ? stalledClosed : 0,
    closeCodes,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  for (const socket of sockets) socket.terminate();
  redis.disconnect();
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
