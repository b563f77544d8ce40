import type { Cluster, Redis } from 'ioredis';
import { unavailable } from '../errors/app-error.js';
import { keyedCommand } from './keyed-command.js';
import { type LuaScript, luaPipeline, runLua } from './lua.js';

/**
 * How many replicas must confirm a write before it is acknowledged to the client (Redis `WAIT`),
 * so that the failover of a master, even a SIGKILL, cannot lose it: Redis replicates
 * asynchronously, and a write that only the master held is gone when a replica takes over.
 * One rule for every acknowledged write that is to survive a failover: stream entries
 * (`addEvent`), jobs (`enqueue`) and chat messages (`sendMessage`).
 */
export interface ReplicaAcks {
  /** Replicas that must have the write; 1 for the usual one replica per master. */
  replicas: number;
  /** Longest wait for them (WAIT's timeout); the write then fails with UNAVAILABLE. */
  timeoutMs: number;
}

/**
 * The acknowledgement rule a configuration asks for (`REDIS_WAIT_REPLICAS`,
 * `REDIS_WAIT_TIMEOUT_MS`); null when it asks for none (0 replicas: acknowledged once the master
 * holds the write).
 */
export function replicaAcksOf(config: { redisWaitReplicas: number; redisWaitTimeoutMs: number }): ReplicaAcks | null {
  return config.redisWaitReplicas > 0 ? { replicas: config.redisWaitReplicas, timeoutMs: config.redisWaitTimeoutMs } : null;
}

/** @throws AppError UNAVAILABLE when fewer than `acks.replicas` confirmed. */
function check(confirmed: number, acks: ReplicaAcks): void {
  if (confirmed < acks.replicas) {
    throw unavailable(`The write was not confirmed by ${acks.replicas} replica(s) within ${acks.timeoutMs} ms (only ${confirmed}); it may be lost if the master fails. Retry shortly.`);
  }
}

/**
 * Sends `WAIT replicas timeoutMs` on the connection that carried the write just before it (the
 * key's node on a cluster: WAIT is keyless, so it is sent with the key named, see keyedCommand).
 * WAIT holds that connection until the replicas answer, so other commands to the node wait too:
 * about one replication round trip on a healthy cluster, up to `timeoutMs` while a replica is down.
 * @throws AppError UNAVAILABLE when fewer replicas confirmed in time (the write is on the master
 *   and may or may not survive its failure; a retry may store it twice).
 */
export async function confirmReplicated(redis: Redis | Cluster, key: string, acks: ReplicaAcks): Promise<void> {
  check(Number(await keyedCommand(redis, 'wait', [acks.replicas, acks.timeoutMs], key)), acks);
}

/**
 * Runs a write script (see runLua) and, when `acks` asks for replicas, `WAIT` right behind it in
 * one pipeline: one pipeline goes to one node, the master of the script's first key, so WAIT
 * measures that very write (not one of another connection after a reconnect in between).
 * Semantics as {@link confirmReplicated}.
 * @returns the script's reply.
 * @throws the script's error; AppError UNAVAILABLE when fewer replicas confirmed in time (the
 *   script has run on the master: its effects may or may not survive a failure of it).
 */
export async function runLuaReplicated(
  redis: Redis | Cluster,
  script: LuaScript,
  keys: readonly string[],
  args: ReadonlyArray<string | number>,
  acks: ReplicaAcks | null,
): Promise<unknown> {
  if (!acks) return runLua(redis, script, keys, args);
  const [ran, waited] = (await luaPipeline(redis, script, keys, args).call('WAIT', acks.replicas, acks.timeoutMs).exec()) ?? [];
  if (!ran || !waited) throw new Error('the write and its WAIT got no reply');
  if (ran[0]) throw ran[0];
  if (waited[0]) throw waited[0];
  check(Number(waited[1]), acks);
  return ran[1];
}
