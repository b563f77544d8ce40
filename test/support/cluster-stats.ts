import calculateSlot from 'cluster-key-slot';
import type { Redis } from 'ioredis';
import type { ClusterNode, TestCluster } from './redis-cluster.js';

/** `INFO errorstats` count of one error prefix on one node (`MOVED`, `ASK`, `UNBLOCKED`). */
export async function errorCount(client: Redis, prefix: string): Promise<number> {
  const info = await client.info('errorstats');
  return Number(new RegExp(`errorstat_${prefix}:count=(\\d+)`).exec(info)?.[1] ?? 0);
}

/** Connections named `name` on a node, and how many of them are blocked in a command now. */
export async function namedClients(client: Redis, name: string): Promise<{ open: number; blocked: number; ids: number[] }> {
  const list = String(await client.client('LIST'))
    .split('\n')
    .filter((line) => line.includes(` name=${name} `));
  return {
    open: list.length,
    blocked: list.filter((line) => /\bflags=\S*b/.test(line)).length,
    ids: list.map((line) => Number(/\bid=(\d+)/.exec(line)?.[1])),
  };
}

/**
 * For each master (port order), a key named `${prefix}-n` that lives on it, plus the slot map.
 * Keys are found locally (the slot map is read once), so no key is written.
 */
export async function keysPerMaster(cluster: TestCluster, prefix: string): Promise<Array<{ node: ClusterNode; key: string }>> {
  const masters = await cluster.masters();
  const [asker] = masters;
  if (!asker) throw new Error('no master');
  const slots = (await asker.client.call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number, string]]>;
  const portOf = (slot: number) => slots.find(([from, to]) => slot >= from && slot <= to)?.[2][1];
  return masters.map((node) => {
    for (let n = 0; n < 10_000; n++) {
      const key = `${prefix}-${n}`;
      if (portOf(calculateSlot(key)) === node.port) return { node, key };
    }
    throw new Error(`no key for master ${node.port}`);
  });
}

/** The cluster node id of a node. */
export const nodeId = async (node: ClusterNode) => String(await node.client.call('CLUSTER', 'MYID'));
