import calculateSlot from 'cluster-key-slot';
import type { Cluster } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { ReplicatedWrite } from '../../src/redis/replica-acks.js';
import { commandCalls } from '../support/backend.js';
import { post } from '../support/graphql.js';
import { ADD_EVENT, ENQUEUE, SEND } from '../support/operations.js';
import type { ClusterNode } from '../support/redis-cluster.js';
import type { TestServer } from '../support/server.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';

// REDIS_WAIT_REPLICAS on a real 3-master + 3-replica cluster, for the three writes it covers: a
// chat message, a stream entry and a job. The default (`auto`) acknowledges each only once the
// replica of its master has it (WAIT 1 on that master), and still acknowledges it when that
// replica does not answer in time (counted and logged: the master has it); an explicit 1 refuses
// it then with UNAVAILABLE. A master without replicas: cluster-blocking.test.ts.

const TIMEOUT_MS = 300;
const bed = useServers({
  backend: 'cluster',
  servers: [{}, { redisWaitReplicas: 1 }],
  config: { redisWaitTimeoutMs: TIMEOUT_MS },
  users: ['acks'],
});
const {
  servers: [auto, strict],
  users: [user],
} = bed;

// The three writes in one slot (the room's key's hash tag), so one master and one replica.
const ROOM_KEY = 'room:0';
const STREAM = '{room:0}events';
const QUEUE = '{room:0}jobs';
const LATE_LINE = 'writes acknowledged without a replica';

/** One write of each kind, through the API; resolves to its id, or to the GraphQL error it got. */
type Write = { kind: ReplicatedWrite; send(server: TestServer, text: string): Promise<{ id?: string; error?: unknown }> };
const WRITES: Write[] = [
  {
    kind: 'message',
    send: async (server, text) => {
      const { body } = await post(server.httpUrl, SEND, { roomId: '0', text }, { token: user.token });
      return { id: body.data?.sendMessage.id, error: body.errors?.[0] };
    },
  },
  {
    kind: 'entry',
    send: async (server, text) => {
      const { body } = await post(server.httpUrl, ADD_EVENT, { stream: STREAM, data: { text } }, { token: user.token });
      return { id: body.data?.addEvent.id, error: body.errors?.[0] };
    },
  },
  {
    kind: 'job',
    send: async (server, text) => {
      const { body } = await post(server.httpUrl, ENQUEUE, { q: QUEUE, p: { text } }, { token: user.token });
      return { id: body.data?.enqueue.id, error: body.errors?.[0] };
    },
  },
];

/** The id of an acknowledged write. */
async function acknowledged(write: Write, server: TestServer, text: string): Promise<string> {
  const { id, error } = await write.send(server, text);
  if (!id) throw new Error(`${write.kind} not acknowledged: ${JSON.stringify(error)}`);
  return id;
}

/** The replica of `master` among `nodes` (ROLE). */
async function replicaOf(nodes: ClusterNode[], master: ClusterNode): Promise<ClusterNode> {
  for (const node of nodes) {
    const role = (await node.client.call('ROLE').catch(() => [])) as [string, string, number];
    if (role[0] === 'slave' && role[2] === master.port) return node;
  }
  throw new Error(`no replica of ${master.port}`);
}

/** Whether `node` holds the write `id` of `kind` (read straight from it, a replica too). */
async function holds(node: ClusterNode, kind: ReplicatedWrite, id: string): Promise<boolean> {
  if (kind === 'message') return (await node.client.zrange(ROOM_KEY, -5, -1)).some((member) => member.includes(id));
  if (kind === 'entry') return (await node.client.xrange(STREAM, id, id)).length === 1;
  return (await node.client.lrange(QUEUE, 0, -1)).some((item) => item.includes(id));
}

/** `switchboard_replica_wait_timeouts_total{write}` of `server`. */
async function lateCount(server: TestServer, write: ReplicatedWrite): Promise<number> {
  const { values } = await server.app.services.metrics.replicaWaitTimeouts.get();
  return values.find((value) => value.labels.write === write)?.value ?? 0;
}

const lateLines = (server: TestServer) => server.logs.lines.filter((line) => line.includes(LATE_LINE));

/**
 * The master of the slot and its replica, once both servers' slot tables list that replica.
 * Redis leaves a replica out of CLUSTER SLOTS until it has reported a replication offset, so on a
 * fresh cluster a first write to the slot brings it in (what `auto` reads, at the next refresh).
 */
async function slotPair(): Promise<{ master: ClusterNode; replica: ClusterNode }> {
  const { cluster, client } = bed.redis;
  await cluster.waitHealthy(30_000);
  const master = await cluster.masterOf(ROOM_KEY);
  const replica = await replicaOf(cluster.nodes, master);
  await replica.client.call('READONLY');
  await client.set('{room:0}warm', '1');
  const slot = calculateSlot(ROOM_KEY);
  const listed = (server: TestServer) => ((server.app.services.redis as unknown as Cluster).slots[slot]?.length ?? 0) > 1;
  await until(() => listed(auto) && listed(strict), 'the replica in the servers’ slot tables', 20_000);
  return { master, replica };
}

describe('REDIS_WAIT_REPLICAS=auto (the default) on a cluster with replicas', () => {
  it.each(WRITES)('acknowledges a $kind only once the replica of its master has it (WAIT 1 on that master)', async (write) => {
    const { kind } = write;
    const { master, replica } = await slotPair();
    const waits = await commandCalls(master.client, 'wait');
    const id = await acknowledged(write, auto, `replicated ${kind}`);
    // At the moment of the answer, the replica has it.
    expect(await holds(replica, kind, id)).toBe(true);
    expect(await commandCalls(master.client, 'wait')).toBe(waits + 1);
  });

  it('still acknowledges each write when the replica does not answer in time, and counts and logs it (one line)', async () => {
    const { master, replica } = await slotPair();
    const before = await Promise.all(WRITES.map(({ kind }) => lateCount(auto, kind)));
    const linesBefore = lateLines(auto).length;
    const waits = await commandCalls(master.client, 'wait');
    replica.pause();
    const ids: string[] = [];
    try {
      for (const [index, write] of WRITES.entries()) {
        const started = performance.now();
        ids.push(await acknowledged(write, auto, `late ${write.kind}`));
        // The first waited for the replica (WAIT 1 timed out), then answered; the next ones skip
        // WAIT on that master for the cool-down (REPLICA_WAIT_COOLDOWN_MS): a replica that does
        // not acknowledge must not hold the master's shared connection write after write.
        if (index === 0) expect(performance.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 10);
      }
    } finally {
      replica.resume();
    }
    expect(await commandCalls(master.client, 'wait')).toBe(waits + 1);
    expect(await Promise.all(WRITES.map(({ kind }) => lateCount(auto, kind)))).toEqual(before.map((count) => count + 1));
    // Acknowledged because the master has them.
    for (const [index, { kind }] of WRITES.entries()) expect(await holds(master, kind, ids[index]!)).toBe(true);
    // Rate-limited: one line for the three (at most one a minute).
    // (A write of the test before that timed out on a loaded machine would have logged the line.)
    const lines = lateLines(auto).slice(linesBefore);
    expect(lines).toHaveLength(linesBefore === 0 ? 1 : 0);
    if (linesBefore === 0) expect(JSON.parse(lines[0]!)).toMatchObject({ level: 40, write: 'message', key: ROOM_KEY, timeoutMs: TIMEOUT_MS, writes: 1 });
    await bed.redis.cluster.waitHealthy(30_000);
  });
});

describe('REDIS_WAIT_REPLICAS=1 (strict) on a cluster', () => {
  it.each(WRITES)('acknowledges a $kind once the replica has it, and fails it with UNAVAILABLE when the replica does not answer in time', async (write) => {
    const { kind } = write;
    const { master, replica } = await slotPair();
    expect(await holds(replica, kind, await acknowledged(write, strict, `strict ${kind}`))).toBe(true);

    const waits = await commandCalls(master.client, 'wait');
    const late = await lateCount(strict, kind);
    replica.pause();
    try {
      const refused = await write.send(strict, `refused ${kind}`);
      expect(refused.id).toBeUndefined();
      expect(refused.error).toMatchObject({
        message: `The write was not confirmed by 1 replica(s) within ${TIMEOUT_MS} ms (only 0); it may be lost if the master fails. Retry shortly.`,
        extensions: { code: 'UNAVAILABLE' },
      });
    } finally {
      replica.resume();
    }
    expect(await commandCalls(master.client, 'wait')).toBe(waits + 1);
    // Refused, not a late acknowledgement.
    expect(await lateCount(strict, kind)).toBe(late);
    await bed.redis.cluster.waitHealthy(30_000);
  });
});
