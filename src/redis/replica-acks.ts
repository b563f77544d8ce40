import type { Cluster, Redis } from 'ioredis';
import { unavailable } from '../errors/app-error.js';
import { keyedCommand } from './keyed-command.js';

/**
 * How many replicas must confirm a write before it is acknowledged to the client (Redis `WAIT`),
 * so that the failover of a master, even a SIGKILL, cannot lose it: Redis replicates
 * asynchronously, and a write that only the master held is gone when a replica takes over.
 */
export interface ReplicaAcks {
  /** Replicas that must have the write; 1 for the usual one replica per master. */
  replicas: number;
  /** Longest wait for them (WAIT's timeout); the write then fails with UNAVAILABLE. */
  timeoutMs: number;
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
  const confirmed = Number(await keyedCommand(redis, 'wait', [acks.replicas, acks.timeoutMs], key));
  if (confirmed < acks.replicas) {
    throw unavailable(`The write was not confirmed by ${acks.replicas} replica(s) within ${acks.timeoutMs} ms (only ${confirmed}); it may be lost if the master fails. Retry shortly.`);
  }
}
