import calculateSlot from 'cluster-key-slot';
import { Cluster, type Redis } from 'ioredis';
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
 * The replicas to WAIT for after a write of `key`: `auto` asks for 1 only where the client's slot
 * table lists a replica of the key's master (`[master, ...replicas]`; a failed replica is not
 * listed), since WAIT 1 on a master without one could only time out.
 */
function wanted(redis: Redis | Cluster, key: string, acks: ReplicaAcks): number {
  if (acks.replicas !== 'auto') return acks.replicas;
  if (!(redis instanceof Cluster)) return 0;
  return (redis.slots[calculateSlot(key)]?.length ?? 0) > 1 ? 1 : 0;
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

/**
 * Sends `WAIT replicas timeoutMs` on the connection that carried the write just before it (the
 * key's node on a cluster: WAIT is keyless, so it is sent with the key named, see keyedCommand),
 * when `acks` asks for any replica for this key (see {@link ReplicaAcks.replicas}).
 * WAIT holds that connection until the replicas answer, so other commands to the node wait too:
 * about one replication round trip on a healthy cluster, up to `timeoutMs` while a replica is down.
 * @throws AppError UNAVAILABLE when a strict rule got fewer replicas in time (the write is on the
 *   master and may or may not survive its failure; a retry may store it twice).
 */
export async function confirmReplicated(redis: Redis | Cluster, key: string, acks: ReplicaAcks | null): Promise<void> {
  const replicas = acks ? wanted(redis, key, acks) : 0;
  if (!acks || replicas === 0) return;
  check(Number(await keyedCommand(redis, 'wait', [replicas, acks.timeoutMs], key)), replicas, key, acks);
}

/**
 * Runs a write script (see runLua) and, when `acks` asks for replicas, `WAIT` right behind it in
 * one pipeline: one pipeline goes to one node, the master of the script's first key, so WAIT
 * measures that very write (not one of another connection after a reconnect in between).
 * Semantics as {@link confirmReplicated}.
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
  const replicas = acks && key !== undefined ? wanted(redis, key, acks) : 0;
  if (!acks || key === undefined || replicas === 0) return runLua(redis, script, keys, args);
  const [ran, waited] = (await luaPipeline(redis, script, keys, args).call('WAIT', replicas, acks.timeoutMs).exec()) ?? [];
  if (!ran || !waited) throw new Error('the write and its WAIT got no reply');
  if (ran[0]) throw ran[0];
  if (waited[0]) throw waited[0];
  check(Number(waited[1]), replicas, key, acks);
  return ran[1];
}
