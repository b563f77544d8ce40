import calculateSlot from 'cluster-key-slot';
import type { Cluster } from 'ioredis';
import { expect, it } from 'vitest';
import { commandCalls } from '../support/backend.js';
import { post } from '../support/graphql.js';
import { ADD_EVENT } from '../support/operations.js';
import type { ClusterNode } from '../support/redis-cluster.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';

// REDIS_WAIT_REPLICAS=auto with a replica that is listed but does not acknowledge (SIGSTOPped,
// not yet marked failed): WAIT holds the master's one shared connection, so a WAIT per write would
// hold every command to that master (reads too) for REDIS_WAIT_TIMEOUT_MS each, and concurrent
// writes would push what is queued behind them past REDIS_COMMAND_TIMEOUT_MS. With at most one
// WAIT in flight per master and the breaker (no WAIT there after a late one), writes keep being
// acknowledged and a concurrent read is answered. Counted, not timed.

const WAIT_MS = 500;
const COMMAND_MS = 2000;
const WRITERS = 8;
const WRITES_EACH = 3;
// No failover while the replica is paused.
const bed = useServers({
  backend: 'cluster',
  cluster: { nodeTimeoutMs: 30_000 },
  config: { redisWaitTimeoutMs: WAIT_MS, redisCommandTimeoutMs: COMMAND_MS },
  users: ['breaker'],
});
const STREAM = '{breaker}events';

async function replicaOf(master: ClusterNode): Promise<ClusterNode> {
  for (const node of bed.redis.cluster.nodes) {
    const role = (await node.client.call('ROLE').catch(() => [])) as [string, string, number];
    if (role[0] === 'slave' && role[2] === master.port) return node;
  }
  throw new Error(`no replica of ${master.port}`);
}

it('keeps acknowledging writes and answering reads of a master whose listed replica does not acknowledge', async () => {
  const { server, user } = bed;
  const { cluster, client } = bed.redis;
  const master = await cluster.masterOf(STREAM);
  const replica = await replicaOf(master);
  // The replica joins CLUSTER SLOTS once it reported an offset: a first write brings it in.
  await client.set('{breaker}warm', '1');
  const commands = server.app.services.redis as unknown as Cluster;
  await until(() => (commands.slots[calculateSlot(STREAM)]?.length ?? 0) > 1, 'the replica in the server’s slot table', 20_000);
  const add = async (text: string) => {
    const { body } = await post(server.httpUrl, ADD_EVENT, { stream: STREAM, data: { text } }, { token: user.token });
    return body.data?.addEvent.id ? 'ok' : String(body.errors?.[0]?.extensions?.code ?? JSON.stringify(body.errors));
  };
  expect(await add('healthy')).toBe('ok');
  const waitsBefore = await commandCalls(master.client, 'wait');
  replica.pause();
  try {
    const reads: string[] = [];
    let writing = true;
    // A read of the same master for as long as the writes go on.
    const reader = (async () => {
      while (writing) {
        reads.push(await commands.get('{breaker}warm').then((value) => (value === '1' ? 'ok' : `got ${value}`), (error: Error) => error.message));
      }
    })();
    const writes = (
      await Promise.all(
        Array.from({ length: WRITERS }, async (_, writer) => {
          const outcomes: string[] = [];
          for (let index = 0; index < WRITES_EACH; index++) outcomes.push(await add(`w${writer}-${index}`));
          return outcomes;
        }),
      )
    ).flat();
    writing = false;
    await reader;
    expect(writes.filter((outcome) => outcome !== 'ok')).toEqual([]);
    expect(writes).toHaveLength(WRITERS * WRITES_EACH);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.filter((outcome) => outcome !== 'ok')).toEqual([]);
    // Far fewer WAITs than writes: the breaker opened after the first late one.
    expect((await commandCalls(master.client, 'wait')) - waitsBefore).toBeLessThanOrEqual(2);
  } finally {
    replica.resume();
  }
  await cluster.waitHealthy(30_000);
});
