// The load generator: a separate process that opens many subscribers on a server (over
// graphql-transport-ws, or over SSE), publishes into Redis as another instance or a backend would,
// and measures what arrives. It reads the server's CPU time and RSS from /proc (and, when given
// their process ids, each Redis node's CPU time), so the same numbers come out for every server.
// Memory at rest is read before any subscriber, once the first 10% are ready, and once all are:
// per idle subscriber over all of them, and marginal (what the other 90% added, each). Then the
// server's CPU at rest, over an idle window with every subscriber connected and nothing published,
// so that the measured window's CPU per delivery is also given net of what the server spends
// whether or not anything is delivered (per-user timers, GC).
// One JSON line of results on stdout.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest, type ClientRequest } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDocument, stringifyDocument } from '@urql/core';
import { Cluster, Redis } from 'ioredis';
import { WebSocket } from 'ws';
import { MessageAddedDocument, PresenceDocument, RoomAddedDocument } from '../client/src/gql/graphql.js';
import { encodeMessage, newMessageId, nextScore } from '../src/chat/message-codec.js';
import { GENERAL_ROOM_ID } from '../src/chat/room-ids.js';
import { channels, chatKeys, streamKeys } from '../src/redis/keys.js';
import { type BenchUser, createBenchUsers } from './app-users.js';
import { cpuMicros, rssBytes } from './proc.js';

/**
 * What the subscribers subscribe to, and what is published:
 * - `channel`: `channel(name)`; PUBLISH (SPUBLISH with `pubsubMode: 'sharded'`) of JSON into Redis.
 * - `chat-client`: the web client's three subscriptions (`presence`, `roomAdded`,
 *   `messageAdded(after:)`, its documents with their fragments and the `__typename`s urql adds),
 *   one distinct user per socket; chat messages in General, stored and announced on `MESSAGES` as
 *   another instance does (the measured subscription is `messageAdded`).
 * - `chat-room` / `chat-room-mine`: `messageAdded(roomId: "0")` selecting the author, without and
 *   with the viewer-dependent `mine`, one distinct user per socket.
 * - `events`: `events(stream)` followers of one stream, one distinct user each; XADD into it, as any producer does.
 * - `presence-storm`: `clients` users with the web client's three subscriptions; during the
 *   measured window `arrivals` other users open a signed-in WebSocket each (that is what makes a
 *   user online), as fast as the generator can; each watcher should see each arrival.
 */
export type Workload = 'channel' | 'chat-client' | 'chat-room' | 'chat-room-mine' | 'events' | 'presence-storm';

/** What one run does; passed as JSON in argv[2]. */
export interface LoadSpec {
  url: string;
  token: string | null;
  /** A Redis URL, or with `redisCluster` the comma-separated seed URLs of a cluster. */
  redisUrl: string;
  redisCluster?: boolean;
  /** How the server subscribes to `channel`: with `sharded` the generator SPUBLISHes. Default classic. */
  pubsubMode?: 'classic' | 'sharded';
  /** Redis processes whose CPU time over the measured window is reported per published message. */
  redisNodes?: Array<{ label: string; pid: number; /** A cluster node's URL: its bus counters are read too. */ url?: string }>;
  serverPid: number;
  /**
   * The server's Prometheus endpoint (Switchboard's): memory and the CPU at rest are read only
   * once `switchboard_replays_in_progress` is 0, since a replayed probe makes a subscriber look
   * ready while the rest of its replay still runs.
   */
  metricsUrl?: string;
  workload?: Workload;
  /** `sse`: each subscriber is one Server-Sent Events stream (POST, `Accept: text/event-stream`). Default ws. */
  transport?: 'ws' | 'sse';
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
  /** presence-storm: users coming online during the measured window. */
  arrivals?: number;
  /**
   * `distinct`: one signed-in user per socket (each with its session, as a thousand browsers
   * have); `one`: every socket signs in with `token`. Default: distinct for the app workloads
   * (users matter there), one for `channel`.
   */
  users?: 'one' | 'distinct';
  /**
   * Share of the subscribers connected, made ready and measured at rest before the others (the
   * marginal memory figures). Default 0.1; 0: all at once, no marginal figures.
   */
  warm?: number;
  /**
   * Length of the idle window before the measured one, ms (the server's CPU at rest). Default the
   * measured window's (`durationMs` in rate mode), at least {@link IDLE_MIN_MS}; 0: none. Never in
   * the presence storm or with `stalled` clients (their figures are n/a).
   */
  idleMs?: number;
}

export interface LoadResult {
  deliveries: number;
  expected: number;
  /** Messages (or entries, or arrivals) published during the measured window. */
  published: number;
  wallMs: number;
  serverCpuMicros: number;
  cpuMicrosPerDelivery: number;
  /** Length of the idle window (the server's CPU at rest), ms; 0 where it was not measured. */
  idleWindowMs: number;
  /** The server's CPU time per wall second over the idle window, ms/s (NaN where not measured). */
  idleCpuMsPerSecond: number;
  /** `next` frames subscribers received during the idle window (none expected: nothing is published). */
  idleFrames: number;
  /** Wall time between the two readings of the server's CPU around the measured window, ms (wallMs ends at the last delivery). */
  cpuWindowMs: number;
  /**
   * (server CPU over the measured window − {@link idleCpuMsPerSecond} × {@link cpuWindowMs}) /
   * deliveries: what the deliveries cost, without the CPU the server spends at rest.
   */
  netCpuMicrosPerDelivery: number;
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
  /** Subscribers connected and ready when the warm figures were taken (the first 10%). */
  warmSubscribers: number;
  /** Server RSS at rest once the first {@link warmSubscribers} were ready. */
  rssWarmBytes: number;
  /**
   * (RSS at rest with all − RSS at rest with the warm 10%) / the other 90%: what one more idle
   * subscriber costs once the code paths are compiled, without the per-process JIT code and
   * first-use structures that {@link idleBytesPerSubscriber} spreads over the subscribers.
   */
  marginalIdleBytesPerSubscriber: number;
  /** The same for V8 heap + external memory. */
  marginalIdleHeapBytesPerSubscriber: number;
  /** The same for the heap V8 has reserved (heapTotal). */
  marginalIdleHeapTotalBytesPerSubscriber: number;
  stalledClosed: number;
  closeCodes: Record<string, number>;
  /** Subscriptions refused with a retryable error while subscribing (and retried, as the web client does). */
  subscribeRetries: number;
  /** Each of `redisNodes`: its CPU time over the measured window per published message, µs. */
  redisCpuMicrosPerMessage: Array<{ label: string; micros: number }>;
  /**
   * Each cluster node of `redisNodes`: pub/sub messages it sent and received over the cluster bus
   * (`CLUSTER INFO` cluster_stats_messages_publish* and publishshard*) per published message.
   */
  busMessagesPerMessage: Array<{ label: string; sent: number; received: number }>;
}

/** Pub/sub messages a cluster node has sent and received over the bus (classic and sharded). */
async function busCounters(url: string): Promise<{ sent: number; received: number }> {
  const client = new Redis(url);
  try {
    const info = String(await client.call('CLUSTER', 'INFO'));
    let sent = 0;
    let received = 0;
    for (const match of info.matchAll(/cluster_stats_messages_publish(?:shard)?_(sent|received):(\d+)/g)) {
      if (match[1] === 'sent') sent += Number(match[2]);
      else received += Number(match[2]);
    }
    return { sent, received };
  } finally {
    client.disconnect();
  }
}

const CHANNEL_QUERY = 'subscription Bench($name: String!) { channel(name: $name) { channel message } }';
const ROOM_QUERY = 'subscription Room($roomId: ID) { messageAdded(roomId: $roomId) { id roomId text createdAt from { id username } } }';
const ROOM_MINE_QUERY = 'subscription Room($roomId: ID) { messageAdded(roomId: $roomId) { id roomId text createdAt mine from { id username } } }';
const EVENTS_QUERY = 'subscription Follow($stream: String!) { events(stream: $stream) { id stream data } }';
/** The web client's documents as it sends them (urql's graphcache adds `__typename` everywhere). */
const clientQuery = (document: Parameters<typeof formatDocument>[0]) => stringifyDocument(formatDocument(document));
const EVENTS_STREAM = 'bench-events';
const CONNECT_CONCURRENCY = 200;
/** The shortest idle window (see {@link LoadSpec.idleMs}). */
const IDLE_MIN_MS = 5000;
/** The `seed` envelope's `serverId` of what the generator announces, as another instance would. */
const GENERATOR_SERVER_ID = 9999;
/** Marks a timestamp in a chat text or a stream field: `@t=<ms since the epoch>`. */
const STAMP = '@t=';
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Operation {
  id: string;
  query: string;
  variables?: Record<string, unknown>;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2]!) as LoadSpec;
  const workload = spec.workload ?? 'channel';
  const transport = spec.transport ?? 'ws';
  const sharded = spec.pubsubMode === 'sharded';
  const redis: Redis | Cluster = spec.redisCluster
    ? new Cluster(
        spec.redisUrl.split(',').map((seed) => {
          const url = new URL(seed);
          return { host: url.hostname, port: Number(url.port) };
        }),
        { enableAutoPipelining: true },
      )
    : new Redis(spec.redisUrl);
  const channelOf = (i: number) => `bench-${i % spec.channels}`;
  const chatWorkload = workload.startsWith('chat') || workload === 'presence-storm';
  // Live `events` followers count against MAX_BLOCKING_OPERATIONS_PER_USER: one user each, too.
  const distinctUsers = spec.users ? spec.users === 'distinct' : chatWorkload || workload === 'events';
  const latencies: number[] = [];
  let deliveries = 0;
  let lastDelivery = 0;
  let lastFrame = now();
  const probed = new Set<number>();
  /**
   * What the probes of the current phase carry (the warm 10%, then all): a chat probe is stored
   * and later subscribers replay it, so only this phase's probe says a subscription is live.
   */
  let probeToken = 'probe-warm';
  const closeCodes: Record<string, number> = {};
  const sockets: WebSocket[] = [];
  const streams: ClientRequest[] = [];
  const stalled = new Set<number>();
  let measuring = false;
  let idling = false;
  let idleFrames = 0;

  // Users: one per socket where the workload is about users, else the one given (or none).
  const users: BenchUser[] = distinctUsers ? await createBenchUsers(redis as Redis, spec.clients + (spec.arrivals ?? 0)) : [];
  const tokenOf = (index: number) => (distinctUsers ? users[index]!.token : spec.token);

  // The operations each subscriber sends, and the id of the one whose deliveries are measured.
  /** The newest chat message stored so far (the probes are messages too). */
  let newest: string | null = null;
  const publishChat = async (text: string) => {
    const score = nextScore();
    const message = { id: newMessageId(score), roomId: GENERAL_ROOM_ID, fromId: users[0]!.id, text, score };
    const member = encodeMessage(message);
    await Promise.all([
      redis.zadd(chatKeys.room(GENERAL_ROOM_ID), score, member),
      redis.publish(channels.chatMessages, JSON.stringify({ serverId: GENERATOR_SERVER_ID, type: 'message', data: JSON.parse(member) })),
    ]);
    newest = message.id;
    return message.id;
  };
  // The client resumes after the newest message it holds: as the web client does once it has
  // loaded a room's history, the newest stored when it subscribes. Not one fixed message: each
  // wave would then replay every probe the waves before it were sent, and the idle memory would
  // be that replay storm's (allocator pages left behind by it), not what a subscriber holds.
  if (workload === 'chat-client' || workload === 'presence-storm') await publishChat('before the subscribers');
  const webClient = (): Operation[] => [
    { id: '1', query: clientQuery(PresenceDocument) },
    { id: '2', query: clientQuery(RoomAddedDocument) },
    { id: '3', query: clientQuery(MessageAddedDocument), variables: { after: newest } },
  ];
  const operationsOf = (index: number): Operation[] => {
    switch (workload) {
      case 'channel':
        return [{ id: '1', query: CHANNEL_QUERY, variables: { name: channelOf(index) } }];
      case 'chat-client':
      case 'presence-storm':
        return webClient();
      case 'chat-room':
        return [{ id: '1', query: ROOM_QUERY, variables: { roomId: GENERAL_ROOM_ID } }];
      case 'chat-room-mine':
        return [{ id: '1', query: ROOM_MINE_QUERY, variables: { roomId: GENERAL_ROOM_ID } }];
      case 'events':
        return [{ id: '1', query: EVENTS_QUERY, variables: { stream: EVENTS_STREAM } }];
    }
  };
  /**
   * The web client's `presence` again, under another id: the warm subscribers complete theirs while
   * the other 90% come online, and subscribe it again once they are (see `connect`).
   */
  const presenceAgain: Operation = { id: '4', query: clientQuery(PresenceDocument) };
  const watchesPresence = workload === 'chat-client' || workload === 'presence-storm';
  /** The operation that readiness probes reach; the measured one, except in the presence storm. */
  const probedId = workload === 'chat-client' || workload === 'presence-storm' ? '3' : '1';
  const measuredId = workload === 'chat-client' ? '3' : '1';

  /** The server's RSS and heap after a full GC (see bench/gc-preload.js). */
  const heapFile = join(tmpdir(), `switchboard-bench-heap-${spec.serverPid}.json`);
  const replaysOver = async () => {
    if (!spec.metricsUrl) return;
    const deadline = Date.now() + 180_000;
    for (;;) {
      const text = await (await fetch(spec.metricsUrl)).text();
      const line = text.split('\n').find((each) => each.startsWith('switchboard_replays_in_progress '));
      if (!line || Number(line.split(' ')[1]) === 0) return;
      if (Date.now() > deadline) throw new Error(`replays still running after 180 s: ${line}`);
      await sleep(200);
    }
  };
  const settled = async () => {
    await replaysOver();
    rmSync(heapFile, { force: true });
    process.kill(spec.serverPid, 'SIGUSR2');
    // A busy server may take a while to get to the signal.
    while (!existsSync(heapFile)) await sleep(50);
    // Pages the compaction freed go back to the system from a background thread.
    await sleep(1000);
    const heap = JSON.parse(readFileSync(heapFile, 'utf8')) as { heapUsed: number; heapTotal: number; external: number };
    if (process.env.BENCH_DEBUG_HEAP) process.stderr.write(`${readFileSync(heapFile, 'utf8')}\n`);
    // On a busy machine that thread may take longer: until the RSS stops falling (10 s at most).
    let rss = rssBytes(spec.serverPid);
    for (let waited = 0; waited < 10_000; waited += 250) {
      await sleep(250);
      const next = rssBytes(spec.serverPid);
      const settledNow = rss - next < 64 * 1024;
      rss = Math.min(rss, next);
      if (settledNow) break;
    }
    return { rss, heap: heap.heapUsed + heap.external, heapTotal: heap.heapTotal };
  };
  const before = await settled();
  const rssBefore = before.rss;

  // Presence storm: when each arrival started connecting, by user id; what each watcher saw.
  const arrivalStarted = new Map<string, number>();
  const ONLINE_USER = /"online":true,"user":\{"id":"(\d+)"/;

  /** One frame's payload for operation `id` of subscriber `index`. */
  const onNext = (index: number, id: string, text: string) => {
    lastFrame = now();
    if (!measuring) {
      if (idling) idleFrames++;
      if (id === probedId && text.includes(probeToken)) probed.add(index);
      return;
    }
    if (stalled.has(index)) return;
    let sent: number;
    if (workload === 'presence-storm') {
      if (id !== '1' && id !== presenceAgain.id) return;
      const match = ONLINE_USER.exec(text);
      const started = match ? arrivalStarted.get(match[1]!) : undefined;
      if (started === undefined) return;
      sent = started;
    } else {
      if (id !== measuredId) return;
      // The generator shares the machine with the server: it reads the one field it needs
      // rather than parsing each frame whole.
      const stamp = workload === 'channel' ? '"t":' : STAMP;
      const at = text.indexOf(stamp);
      if (at < 0) return;
      sent = parseFloat(text.slice(at + stamp.length, at + stamp.length + 40));
    }
    const received = now();
    latencies.push(received - sent);
    deliveries++;
    lastDelivery = received;
  };

  let retried = 0;
  let errors = 0;
  const subscribe = (socket: WebSocket, operation: Operation) => {
    if (socket.readyState !== WebSocket.OPEN) return;
    socket.send(JSON.stringify({ id: operation.id, type: 'subscribe', payload: { query: operation.query, variables: operation.variables ?? {} } }));
  };
  const openSocket = (index: number, operations: Operation[]) =>
    new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(spec.url, 'graphql-transport-ws');
      const token = tokenOf(index);
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: token ? { authToken: token } : {} })));
      let acknowledged = false;
      socket.on('message', (data) => {
        const text = String(data);
        if (!acknowledged) {
          if (!text.includes('"connection_ack"')) return;
          acknowledged = true;
          for (const operation of operations) subscribe(socket, operation);
          resolve(socket);
          return;
        }
        // `{"id":"<id>","type":"next",...`: ids are one character here.
        if (text.startsWith('{"id":"') && text.startsWith('","type":"next"', 8)) onNext(index, text[7]!, text);
        else if (text.includes('"type":"error"')) {
          // As the web client does: a retryable error (Redis busy while thousands subscribe at
          // once) is retried after the time it names; anything else is a failure of the run.
          const operation = [...operations, ...operationsOf(index), presenceAgain].find((entry) => text.startsWith(`{"id":"${entry.id}"`));
          const retryAfter = /"retryAfterSeconds":(\d+)/.exec(text);
          if (operation && retryAfter && text.includes('"retryable":true')) {
            retried++;
            setTimeout(() => subscribe(socket, operation), Number(retryAfter[1]) * 1000 + Math.random() * 1000);
          } else {
            process.stderr.write(`subscriber ${index}: ${text.slice(0, 300)}\n`);
            errors++;
          }
        }
      });
      socket.on('close', (code) => {
        closeCodes[code] = (closeCodes[code] ?? 0) + 1;
      });
      socket.on('error', reject);
    });

  const sseAgent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const openStream = (index: number, operation: Operation) =>
    new Promise<void>((resolve, reject) => {
      const url = new URL(spec.url.replace(/^ws/, 'http'));
      const token = tokenOf(index);
      const request = httpRequest(
        {
          agent: sseAgent,
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        },
        (response) => {
          if (response.statusCode !== 200) {
            reject(new Error(`SSE stream ${index}: HTTP ${response.statusCode}`));
            response.resume();
            return;
          }
          response.setEncoding('utf8');
          let buffer = '';
          response.on('data', (chunk: string) => {
            buffer += chunk;
            let end: number;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const event = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              if (event.startsWith('event: next')) onNext(index, operation.id, event);
            }
          });
          response.on('close', () => {
            closeCodes.sseClosed = (closeCodes.sseClosed ?? 0) + 1;
          });
          resolve();
        },
      );
      streams[index] = request;
      request.on('error', reject);
      request.end(JSON.stringify({ query: operation.query, variables: operation.variables ?? {} }));
    });

  const publishChannel = (channel: string, message: string) => (sharded ? redis.spublish(channel, message) : redis.publish(channel, message));
  const probe = async () => {
    if (workload === 'channel') {
      const message = JSON.stringify({ probe: probeToken });
      if (redis instanceof Cluster) await Promise.all(Array.from({ length: spec.channels }, (_, c) => publishChannel(`bench-${c}`, message)));
      else {
        const pipeline = redis.pipeline();
        for (let c = 0; c < spec.channels; c++) pipeline.publish(`bench-${c}`, message);
        await pipeline.exec();
      }
    } else if (workload === 'events') await redis.xadd(streamKeys.stream(EVENTS_STREAM), '*', 'probe', probeToken);
    else await publishChat(probeToken);
  };

  /** Connects and subscribes subscribers `from` to `to` (exclusive). */
  const connect = async (from: number, to: number) => {
    // Users' sockets are all open (and so online) before any of them subscribes, so that set-up is
    // not a presence storm of its own.
    if (transport === 'ws' && distinctUsers) {
      // The subscribers already there would see each newcomer come online (at 5k: 500 watchers ×
      // 4,500 arrivals, enough to close them as slow consumers): they leave `presence` meanwhile.
      const rejoin = watchesPresence && from > 0;
      if (rejoin) {
        for (let index = 0; index < from; index++) sockets[index]!.send(JSON.stringify({ id: '1', type: 'complete' }));
        await sleep(500);
      }
      const opened: WebSocket[] = [];
      for (let start = from; start < to; start += CONNECT_CONCURRENCY) {
        await Promise.all(
          Array.from({ length: Math.min(CONNECT_CONCURRENCY, to - start) }, async (_, k) => {
            opened[start + k] = await openSocket(start + k, []);
          }),
        );
      }
      await sleep(500);
      if (rejoin) for (let index = 0; index < from; index++) subscribe(sockets[index]!, presenceAgain);
      for (let index = from; index < to; index++) {
        const socket = opened[index]!;
        sockets[index] = socket;
        for (const operation of operationsOf(index)) subscribe(socket, operation);
        // In waves, as users arrive, rather than thousands of replays in one instant.
        if ((index - from) % CONNECT_CONCURRENCY === CONNECT_CONCURRENCY - 1) await sleep(100);
      }
    } else {
      for (let start = from; start < to; start += CONNECT_CONCURRENCY) {
        await Promise.all(
          Array.from({ length: Math.min(CONNECT_CONCURRENCY, to - start) }, async (_, k) => {
            const index = start + k;
            if (transport === 'sse') await openStream(index, operationsOf(index)[0]!);
            else sockets[index] = await openSocket(index, operationsOf(index));
          }),
        );
      }
    }
  };

  /** Ready when each of the first `count` clients has seen a probe: its subscription is live on the server. */
  const ready = async (count: number) => {
    const deadline = Date.now() + 180_000;
    while (probed.size < count) {
      // No channel subscriber at all after 30 s: the server is not listening where the probes go
      // (an app subscriber's set-up, thousands of replays, may take longer than that).
      if (errors > 0 || Date.now() > deadline || (workload === 'channel' && probed.size === 0 && Date.now() > deadline - 150_000)) {
        throw new Error(`only ${probed.size} of ${count} subscribers became ready (${errors} refused)`);
      }
      // A new probe only once the last one's frames have stopped coming (or after 2 s): a slow
      // server must not pile up a backlog of probes that the measured window would then pay for.
      const probedAt = now();
      await probe();
      await sleep(200);
      while (now() - lastFrame < 300 && now() - probedAt < 2000) await sleep(50);
    }
    // Until nothing more arrives (the last probes), then memory at rest.
    while (now() - lastFrame < 1000) await sleep(100);
  };

  // The first 10%, at rest: the code paths compiled and first-use structures made, so that what
  // the other 90% add is what one more subscriber costs (the marginal figures).
  const warmShare = spec.warm ?? 0.1;
  const warm = warmShare > 0 ? Math.max(1, Math.round(spec.clients * warmShare)) : 0;
  let warmIdle = { rss: NaN, heap: NaN, heapTotal: NaN };
  if (warm > 0) {
    await connect(0, warm);
    await ready(warm);
    warmIdle = await settled();
  }
  probeToken = 'probe-all';
  await connect(warm, spec.clients);
  await ready(spec.clients);
  const idle = await settled();
  const rssIdle = idle.rss;

  // The server's CPU at rest, everyone connected and nothing published: per-user timers (presence
  // heartbeat, keepalive pings, session watches), GC. Not in the presence storm (its deliveries are
  // arrivals, not publications) nor with stalled clients (that window is about them).
  const idleWindowMs =
    workload === 'presence-storm' || spec.stalled > 0 ? 0 : (spec.idleMs ?? Math.max(IDLE_MIN_MS, spec.mode === 'rate' ? spec.durationMs : 0));
  let idleCpuMsPerSecond = NaN;
  if (idleWindowMs > 0) {
    idling = true;
    const idleCpuStart = cpuMicros(spec.serverPid);
    const idleStarted = now();
    await sleep(idleWindowMs);
    // µs of CPU per ms of wall time: ms per s.
    idleCpuMsPerSecond = (cpuMicros(spec.serverPid) - idleCpuStart) / (now() - idleStarted);
    idling = false;
  }

  for (let i = 0; i < spec.stalled; i++) {
    stalled.add(i);
    (sockets[i] as unknown as { _socket: Socket })._socket.pause();
  }
  const pad = 'x'.repeat(spec.padding);
  let rssPeak = rssIdle;
  let published = 0;
  const publishRound = async (seq: number) => {
    if (workload === 'channel') {
      const message = () => JSON.stringify({ seq, t: now(), pad });
      if (redis instanceof Cluster) await Promise.all(Array.from({ length: spec.channels }, (_, c) => publishChannel(`bench-${c}`, message())));
      else {
        const pipeline = redis.pipeline();
        for (let c = 0; c < spec.channels; c++) pipeline.publish(`bench-${c}`, message());
        await pipeline.exec();
      }
      published += spec.channels;
    } else if (workload === 'events') {
      await redis.xadd(streamKeys.stream(EVENTS_STREAM), '*', 't', `${STAMP}${now()}`, 'seq', String(seq));
      published++;
    } else {
      await publishChat(`${STAMP}${now()} #${seq}`);
      published++;
    }
  };

  measuring = true;
  const redisNodes = spec.redisNodes ?? [];
  const busStart = await Promise.all(redisNodes.map((node) => (node.url ? busCounters(node.url) : null)));
  const redisCpuStart = redisNodes.map((node) => cpuMicros(node.pid));
  const cpuStart = cpuMicros(spec.serverPid);
  const cpuStartedAt = now();
  const ownCpuStart = process.cpuUsage();
  const started = now();
  let expected = 0;
  if (workload === 'presence-storm') {
    const arrivals = spec.arrivals ?? 0;
    for (let start = 0; start < arrivals; start += CONNECT_CONCURRENCY) {
      await Promise.all(
        Array.from({ length: Math.min(CONNECT_CONCURRENCY, arrivals - start) }, async (_, k) => {
          const index = spec.clients + start + k;
          arrivalStarted.set(users[index]!.id, now());
          sockets[index] = await openSocket(index, []);
        }),
      );
    }
    published = arrivals;
    expected = spec.clients * arrivals;
  } else {
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
    const channelCount = workload === 'channel' ? spec.channels : 1;
    for (let c = 0; c < channelCount; c++) expected += (workload === 'channel' ? perChannelSubscribers(c) : spec.clients - stalled.size) * (published / channelCount);
  }
  // A server that is more than 90 s behind has shown what it can do: what arrived is counted.
  const waitUntil = Date.now() + 90_000;
  while (deliveries < expected && Date.now() < waitUntil) {
    await sleep(20);
    rssPeak = Math.max(rssPeak, rssBytes(spec.serverPid));
  }
  const cpu = cpuMicros(spec.serverPid) - cpuStart;
  const cpuWindowMs = now() - cpuStartedAt;
  const redisCpu = redisNodes.map((node, i) => ({ label: node.label, micros: (cpuMicros(node.pid) - redisCpuStart[i]!) / Math.max(1, published) }));
  const ownCpu = process.cpuUsage(ownCpuStart);
  const busEnd = await Promise.all(redisNodes.map((node) => (node.url ? busCounters(node.url) : null)));
  const bus = redisNodes.flatMap((node, i) => {
    const [start, end] = [busStart[i], busEnd[i]];
    return start && end ? [{ label: node.label, sent: (end.sent - start.sent) / Math.max(1, published), received: (end.received - start.received) / Math.max(1, published) }] : [];
  });
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
    published,
    wallMs,
    serverCpuMicros: cpu,
    cpuMicrosPerDelivery: cpu / Math.max(1, deliveries),
    idleWindowMs,
    idleCpuMsPerSecond,
    idleFrames,
    cpuWindowMs,
    netCpuMicrosPerDelivery: (cpu - idleCpuMsPerSecond * cpuWindowMs) / Math.max(1, deliveries),
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
    warmSubscribers: warm,
    rssWarmBytes: warmIdle.rss,
    marginalIdleBytesPerSubscriber: (rssIdle - warmIdle.rss) / Math.max(1, spec.clients - warm),
    marginalIdleHeapBytesPerSubscriber: (idle.heap - warmIdle.heap) / Math.max(1, spec.clients - warm),
    marginalIdleHeapTotalBytesPerSubscriber: (idle.heapTotal - warmIdle.heapTotal) / Math.max(1, spec.clients - warm),
    stalledClosed: spec.stalled > 0 ? stalledClosed : 0,
    closeCodes,
    subscribeRetries: retried,
    redisCpuMicrosPerMessage: redisCpu,
    busMessagesPerMessage: bus,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  for (const socket of sockets) socket?.terminate();
  for (const stream of streams) stream?.destroy();
  redis.disconnect();
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
