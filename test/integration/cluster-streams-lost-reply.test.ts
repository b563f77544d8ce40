import { type Server, type Socket, connect, createServer } from 'node:net';
import { Cluster } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlockingPool, type BlockingPool } from '../../src/redis/blocking-pool.js';
import type { StreamEvent } from '../../src/streams/entries.js';
import { createGroupConsumer } from '../../src/streams/group-consumer.js';
import { createStreamStore } from '../../src/streams/store.js';
import { keysPerMaster, namedClients } from '../support/cluster-stats.js';
import type { ClusterNode } from '../support/redis-cluster.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';

// A consumer group's XREADGROUP BLOCK is served by its master, and the reply never arrives: the
// connection drops on the way (as when a master fails over or the network cuts). The entries it
// gave are pending at this consumer; the consumer must hand them out, not leave them pending for
// ever (its own heartbeat keeps them from being claimed by anyone else).

const logger = pino({ level: process.env.TEST_LOG ?? 'silent' });
const { redis } = useServers({ backend: 'cluster', servers: 0, cluster: { masters: 3, replicasPerMaster: 0 } });

/** A TCP proxy to one node that can lose the next reply to a connection that sent XREADGROUP. */
interface ReplyDropper {
  port: number;
  /** The next data from Redis to an XREADGROUP connection is thrown away and that connection cut. */
  arm(): void;
  /** Replies thrown away so far. */
  readonly dropped: number;
  close(): Promise<void>;
}

async function startReplyDropper(targetPort: number): Promise<ReplyDropper> {
  let armed = false;
  let dropped = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((downstream) => {
    const upstream = connect(targetPort, '127.0.0.1');
    let reads = false;
    for (const socket of [downstream, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        downstream.destroy();
        upstream.destroy();
      });
    }
    downstream.on('data', (chunk: Buffer) => {
      if (chunk.includes('XREADGROUP')) reads = true;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (armed && reads) {
        armed = false;
        dropped++;
        downstream.destroy();
        upstream.destroy();
        return;
      }
      downstream.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    arm: () => void (armed = true),
    get dropped() {
      return dropped;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

let master: ClusterNode;
let stream: string;
let dropper: ReplyDropper;
/** A Cluster client that reaches `master` through the dropper (natMap), for the pool only. */
let routed: Cluster;
let pool: BlockingPool;

beforeAll(async () => {
  ({ node: master, key: stream } = (await keysPerMaster(redis.cluster, 'lost-reply'))[1]!);
  dropper = await startReplyDropper(master.port);
  routed = new Cluster(
    redis.cluster.nodes.map((node) => ({ host: '127.0.0.1', port: node.port })),
    { natMap: { [`127.0.0.1:${master.port}`]: { host: '127.0.0.1', port: dropper.port } } },
  );
  routed.on('error', () => undefined);
  await until(() => routed.status === 'ready', 'the routed cluster client');
  pool = createBlockingPool({ control: routed, maxConnections: 2, logger });
});

afterAll(async () => {
  await pool?.close();
  routed?.disconnect();
  await dropper?.close();
});

describe('a consumer whose XREADGROUP reply was lost', () => {
  it('hands out the entries that read gave it, once its connection is back', async () => {
    const store = createStreamStore(redis.client, { maxEventBytes: 65_536 });
    await store.createGroup(stream, 'g', '$');
    const consumer = createGroupConsumer({ redis: redis.client, blocking: pool, stream, group: 'g', consumer: 'c1', claimIdleMs: 0, blockMs: 30_000, logger });
    await consumer.start();
    let got: StreamEvent | null | undefined;
    void consumer.next().then((event) => (got = event));
    await until(async () => (await namedClients(master.client, 'switchboard:blocking')).blocked === 1, 'the XREADGROUP to block on its master');

    dropper.arm();
    const id = await redis.client.xadd(stream, '*', 'n', 'lost');
    await until(() => dropper.dropped === 1, 'the reply to be lost');
    // Redis gave the entry to c1: it is pending there, delivered once.
    const pending = (await redis.client.xpending(stream, 'g', '-', '+', 10)) as Array<[string, string, number, number]>;
    expect(pending.map(([entry, owner]) => [entry, owner])).toEqual([[id, 'c1']]);

    await until(() => got !== undefined, 'the consumer to hand out the entry of the lost reply', 15_000);
    expect(got?.id).toBe(id);
    // Only that entry, once: nothing else pending, and the next read waits for new entries.
    const next = consumer.next();
    const later = await redis.client.xadd(stream, '*', 'n', 'later');
    expect((await next)?.id).toBe(later);
    consumer.stop();
  });
});
