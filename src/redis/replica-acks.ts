import calculateSlot from 'cluster-key-slot';
import { type ChainableCommander, Cluster, type Redis } from 'ioredis';
import type { Logger } from 'pino';
import { unavailable } from '../errors/app-error.js';
import { keyedCommand } from './keyed-command.js';
import { type LuaScript, luaPipeline, runLua } from './lua.js';

/**
 * The acknowledged writes that are to survive a failover of their master, one rule for all three
 * (`REDIS_WAIT_REPLICAS`): a chat message (`sendMessage`), a stream entry (`addEvent`) and a job
 * (`enqueue`). Also the `write` label of `switchboard_replica_wait_timeouts_total`.
 */
export type ReplicatedWrite = 'message' | 'entry' | 'job';

/** `REDIS_WAIT_REPLICAS`: `auto`, or how many replicas must confirm (0: none). */
export type WaitReplicas = number | 'auto';

/**
 * How many replicas must confirm a write before it is acknowledged to the client (Redis `WAIT`),
 * so that the failover of a master, even a SIGKILL, cannot lose it: Redis replicates
 * asynchronously, and a write that only the master held is gone when a replica takes over.
 */
export interface ReplicaAcks {
  /**
   * A number: that many replicas must have the write, strictly (it fails with UNAVAILABLE when
   * fewer confirm in time). `auto`: on a cluster, 1 where the key's master has a replica in the
   * client's slot table, best effort (a replica that does not confirm in time is reported to
   * {@link ReplicaAcks.late} and the write still acknowledged: the master has it); no WAIT on a
   * single Redis or for a master without replicas.
   */
  replicas: WaitReplicas;
  /** Longest wait for them (WAIT's timeout). */
  timeoutMs: number;
  /** `auto` only: called for each write whose replica did not confirm in time. Default: nothing. */
  late?: (key: string) => void;
}

/** Where `auto`'s unconfirmed writes are reported: see {@link lateReplicaReport}. */
export interface LateReplicas {
  late(write: ReplicatedWrite, key: string, timeoutMs: number): void;
}

/** Least time between two log lines of {@link lateReplicaReport}. */
export const LATE_REPLICA_LOG_INTERVAL_MS = 60_000;

/**
 * Reports `auto`'s writes that no replica confirmed in time: `count` for each (the metric), and
 * one warning line at most every `intervalMs` (default a minute) for all of them, with how many
 * there were since the line before; a replica that is down does not flood the log.
 */
export function lateReplicaReport(options: { logger: Pick<Logger, 'warn'>; count?: (write: ReplicatedWrite) => void; intervalMs?: number }): LateReplicas {
  const intervalMs = options.intervalMs ?? LATE_REPLICA_LOG_INTERVAL_MS;
  let loggedAt = -Infinity;
  let unlogged = 0;
  return {
    late(write, key, timeoutMs) {
      options.count?.(write);
      unlogged += 1;
      const now = performance.now();
      if (now - loggedAt < intervalMs) return;
      loggedAt = now;
      options.logger.warn(
        { write, key, timeoutMs, writes: unlogged },
        'writes acknowledged without a replica (REDIS_WAIT_REPLICAS=auto: none confirmed within REDIS_WAIT_TIMEOUT_MS); a failover of their master now could lose them',
      );
      unlogged = 0;
    },
  };
}

/**
 * The acknowledgement rule a configuration asks for (`REDIS_WAIT_REPLICAS`,
 * `REDIS_WAIT_TIMEOUT_MS`) for one kind of write; null when it asks for none (0: acknowledged
 * once the master holds the write). `report` hears `auto`'s unconfirmed writes.
 */
export function replicaAcksOf(
  config: { redisWaitReplicas: WaitReplicas; redisWaitTimeoutMs: number },
  write: ReplicatedWrite,
  report?: LateReplicas,
): ReplicaAcks | null {
  const { redisWaitReplicas: replicas, redisWaitTimeoutMs: timeoutMs } = config;
  if (replicas === 0) return null;
  if (replicas !== 'auto' || !report) return { replicas, timeoutMs };
  return { replicas, timeoutMs, late: (key) => report.late(write, key, timeoutMs) };
}

/**
 * After a WAIT on a master came back late in `auto`, how long writes to that master skip WAIT
 * (each still counted and logged as late), unless its replica list changes first. WAIT holds the
 * node's one shared connection, so a replica that is listed but does not acknowledge (killed but
 * not yet marked failed, paused) would otherwise hold every command to that master, reads and
 * sessions included, for REDIS_WAIT_TIMEOUT_MS per write.
 */
export const REPLICA_WAIT_COOLDOWN_MS = 10_000;

/** `auto`'s state for one master of one cluster client. */
interface MasterWaits {
  /** The master's replica list (slot table) when the breaker opened. */
  replicas: string;
  /** Until when (performance.now()) WAIT is skipped there; 0: WAIT is sent. */
  openUntil: number;
  /** The WAIT in flight on that master (at most one in `auto`). */
  inFlight: Promise<unknown> | null;
  /** The WAIT shared by the writes that came while one was in flight, sent once it settles. */
  next: Promise<Waited> | null;
}

/** What a WAIT answered, and on which connection (see {@link connectionOf}). */
interface Waited {
  confirmed: number;
  on: unknown;
}

/** The answer of a WAIT `auto` skipped (breaker open). */
const SKIPPED: Waited = { confirmed: -1, on: null };

const masterWaits = new WeakMap<Cluster, Map<string, MasterWaits>>();

/** `auto`'s state of the master of `key`'s slot; null when the slot table lists no replica of it. */
function autoWaits(cluster: Cluster, key: string): MasterWaits | null {
  const nodes = cluster.slots[calculateSlot(key)];
  if (!nodes || nodes.length < 2) return null;
  const [master] = nodes as [string, ...string[]];
  const replicas = nodes.slice(1).join(',');
  let byMaster = masterWaits.get(cluster);
  if (!byMaster) masterWaits.set(cluster, (byMaster = new Map()));
  let waits = byMaster.get(master);
  if (!waits) byMaster.set(master, (waits = { replicas, openUntil: 0, inFlight: null, next: null }));
  // Closed again once the cool-down passed or the replicas changed (a failed one left, a new one came).
  if (waits.openUntil !== 0 && (performance.now() >= waits.openUntil || waits.replicas !== replicas)) waits.openUntil = 0;
  waits.replicas = replicas;
  return waits;
}

const breakerOpen = (waits: MasterWaits) => waits.openUntil !== 0 && performance.now() < waits.openUntil;

/** A late WAIT on that master: skip WAIT there for the cool-down. */
function trip(waits: MasterWaits): void {
  waits.openUntil = performance.now() + REPLICA_WAIT_COOLDOWN_MS;
}

/**
 * The socket a write of `key` goes through now (the node connection of its master). ioredis makes
 * a new one on every (re)connect, so a WAIT answered on another socket than the write's did not
 * wait for that write (a WAIT re-sent after a reconnect answers at once).
 */
function connectionOf(cluster: Cluster, key: string): unknown {
  const master = cluster.slots[calculateSlot(key)]?.[0];
  const node = master === undefined ? undefined : cluster.nodes('master').find((candidate) => `${candidate.options.host}:${candidate.options.port}` === master);
  return node?.stream ?? null;
}

/** Sends WAIT 1 for `key`'s master and says on which connection it was answered. */
async function sendWait(cluster: Cluster, key: string, timeoutMs: number): Promise<Waited> {
  const confirmed = Number(await keyedCommand(cluster, 'wait', [1, timeoutMs], key));
  return { confirmed, on: connectionOf(cluster, key) };
}

/**
 * `auto`'s WAIT for a write already sent on that master's connection: at most one WAIT in flight
 * per master; writes that come meanwhile share the next one (a WAIT covers every write sent
 * before it on its connection), which is skipped when the one before came back late.
 */
function sharedWait(cluster: Cluster, waits: MasterWaits, key: string, timeoutMs: number): Promise<Waited> {
  if (!waits.inFlight) return track(waits, sendWait(cluster, key, timeoutMs));
  waits.next ??= waits.inFlight.then(
    () => {
      waits.next = null;
      return breakerOpen(waits) ? SKIPPED : track(waits, sendWait(cluster, key, timeoutMs));
    },
    () => {
      waits.next = null;
      return track(waits, sendWait(cluster, key, timeoutMs));
    },
  );
  return waits.next;
}

/** Marks `wait` as the master's WAIT in flight; opens the breaker when it comes back late. */
function track<T extends Waited | unknown>(waits: MasterWaits, wait: Promise<T>, confirmedOf: (value: T) => number = (value) => (value as Waited).confirmed): Promise<T> {
  waits.inFlight = wait;
  void wait.then(
    (value) => {
      if (confirmedOf(value) < 1) trip(waits);
    },
    () => undefined,
  ).finally(() => {
    if (waits.inFlight === wait) waits.inFlight = null;
  });
  return wait;
}

/**
 * What `confirmed` replicas mean for the write of `key`.
 * @throws AppError UNAVAILABLE when a strict rule has fewer than it asks for.
 */
function check(confirmed: number, replicas: number, key: string, acks: ReplicaAcks): void {
  if (confirmed >= replicas) return;
  if (acks.replicas === 'auto') {
    acks.late?.(key);
    return;
  }
  throw unavailable(`The write was not confirmed by ${replicas} replica(s) within ${acks.timeoutMs} ms (only ${confirmed}); it may be lost if the master fails. Retry shortly.`);
}

/** A WAIT answered on another connection than the write's confirms nothing of it. */
const confirmedFor = (waited: Waited, writtenOn: unknown) => (waited.on !== null && waited.on === writtenOn ? waited.confirmed : 0);

/**
 * `auto`'s WAIT for a write of `key` just sent alone on a cluster (call it right after the write's
 * reply, with no other await in between: the connection it came back on is noted then, and a WAIT
 * answered on another one, after a reconnect, counts no replica). It shares the master's next
 * WAIT ({@link sharedWait}), or none while the breaker is open; a late one is counted as late.
 */
async function confirmShared(cluster: Cluster, waits: MasterWaits, key: string, acks: ReplicaAcks): Promise<void> {
  const writtenOn = connectionOf(cluster, key);
  if (breakerOpen(waits)) return check(0, 1, key, acks);
  check(confirmedFor(await sharedWait(cluster, waits, key, acks.timeoutMs), writtenOn), 1, key, acks);
}

/**
 * Sends a write (`alone`, or `pipelined` with WAIT appended) and, when `acks` asks for replicas,
 * `WAIT` right behind it in one pipeline: one pipeline goes to one node and one connection, so
 * WAIT measures that very write (not one of another connection after a reconnect in between).
 * In `auto`, when a WAIT is already in flight on that master the write goes alone and shares the
 * next WAIT, and the breaker applies (see {@link REPLICA_WAIT_COOLDOWN_MS}).
 */
async function writeReplicated(
  redis: Redis | Cluster,
  key: string,
  acks: ReplicaAcks | null,
  alone: () => Promise<unknown>,
  pipelined: () => ChainableCommander,
): Promise<unknown> {
  if (!acks || acks.replicas === 0) return alone();
  const waits = acks.replicas === 'auto' ? (redis instanceof Cluster ? autoWaits(redis, key) : null) : undefined;
  if (waits === null) return alone();
  if (waits && (breakerOpen(waits) || waits.inFlight)) {
    const reply = await alone();
    await confirmShared(redis as Cluster, waits, key, acks);
    return reply;
  }
  const replicas = acks.replicas === 'auto' ? 1 : acks.replicas;
  const sent = pipelined().call('WAIT', replicas, acks.timeoutMs).exec();
  if (waits) track(waits, sent, (results) => Number(results?.[1]?.[1] ?? 0));
  const [ran, waited] = (await sent) ?? [];
  if (!ran || !waited) throw new Error('the write and its WAIT got no reply');
  if (ran[0]) throw ran[0];
  if (waited[0]) throw waited[0];
  check(Number(waited[1]), replicas, key, acks);
  return ran[1];
}

/**
 * Runs a write script (see runLua) and, when `acks` asks for replicas, `WAIT` right behind it in
 * one pipeline (see {@link writeReplicated} for `auto`'s breaker and shared WAITs).
 * @returns the script's reply.
 * @throws the script's error; AppError UNAVAILABLE when a strict rule got fewer replicas in time
 *   (the script has run on the master: its effects may or may not survive a failure of it).
 */
export async function runLuaReplicated(
  redis: Redis | Cluster,
  script: LuaScript,
  keys: readonly string[],
  args: ReadonlyArray<string | number>,
  acks: ReplicaAcks | null,
): Promise<unknown> {
  const [key] = keys;
  if (key === undefined) return runLua(redis, script, keys, args);
  return writeReplicated(redis, key, acks, () => runLua(redis, script, keys, args), () => luaPipeline(redis, script, keys, args));
}

/**
 * Sends one write command of `key` (e.g. `XADD`) and, when `acks` asks for replicas, `WAIT` right
 * behind it in one pipeline, so that the WAIT cannot be answered on another connection than the
 * write's. Semantics as {@link runLuaReplicated}.
 * @example const id = await callReplicated(redis, key, acks, 'XADD', [key, '*', 'field', 'value'])
 * @returns the command's reply. @throws its error reply; AppError UNAVAILABLE as runLuaReplicated.
 */
export function callReplicated(redis: Redis | Cluster, key: string, acks: ReplicaAcks | null, command: string, args: ReadonlyArray<string | number>): Promise<unknown> {
  return writeReplicated(redis, key, acks, () => redis.call(command, ...args), () => redis.pipeline().call(command, ...args));
}
