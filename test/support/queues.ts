// The queue operations as one user sends them to one server, typed by the shared documents of
// operations.ts: the set-up that every queue suite wrote for itself.
import type { Redis, Cluster } from 'ioredis';
import { type Operation, postData } from './graphql.js';
import { ACK_JOB, DEQUEUE, ENQUEUE, QUEUE_STATS } from './operations.js';
import type { TestServer } from './server.js';

/** The priority levels of `enqueue(priority:)`. */
export type Priority = 'CRITICAL' | 'HIGH' | 'NORMAL' | 'LOW';

/**
 * `enqueue`, `dequeue`, `ackJob` and `queueStats` on `server` as `user`; both are read at each call,
 * so the late-bound servers and users of `useServers` can be passed while the file is collected.
 */
export function queueApi(server: TestServer, user: { token: string }) {
  const send = <T, V>(query: Operation<T, V>, variables: V) => postData<T, V>(server.httpUrl, query, variables, user.token);
  return {
    /** The job as enqueued: id, payload, attempts. */
    enqueue: async (queue: string, payload: unknown, priority?: Priority) => (await send(ENQUEUE, { q: queue, p: payload, priority })).enqueue,
    /** The job taken (id, payload, attempts), or null when none came within `timeoutSeconds`. */
    dequeue: async (queue: string, timeoutSeconds?: number) => (await send(DEQUEUE, { q: queue, t: timeoutSeconds })).dequeue,
    ack: async (queue: string, id: string) => (await send(ACK_JOB, { q: queue, id })).ackJob,
    /** waiting, processing, dead. */
    stats: async (queue: string) => (await send(QUEUE_STATS, { q: queue })).queueStats,
  };
}

/** Redis's clock in milliseconds: the queue scripts count leases on it. */
export async function redisNowMs(redis: Redis | Cluster): Promise<number> {
  const [seconds, micros] = await redis.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}
