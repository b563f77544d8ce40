import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { until } from './wait.js';

/** Cluster hash slots, as Redis defines them. */
const SLOT_COUNT = 16_384;
/**
 * Data ports are taken from this range and each node's bus port is its data port + BUS_OFFSET, so
 * both stay below Linux's ephemeral range (32768 and up): an outgoing connection can never take a
 * bus port before its node binds it.
 */
const PORT_RANGE = { from: 20_000, to: 22_000 } as const;
const BUS_OFFSET = 10_000;
const READY_LINE = 'Ready to accept connections';

/** One redis-server of a test cluster. */
export interface ClusterNode {
  port: number;
  url: string;
  /** A plain client to this node (not cluster-aware), for CLUSTER / INFO / DEBUG commands. */
  client: Redis;
  /** SIGKILL, as a crash would. The node keeps its port and files, so `restart()` brings it back. */
  kill(): Promise<void>;
  /** Starts the node again on the same port with its node config (and AOF, when enabled). */
  restart(): Promise<void>;
  /** SIGSTOP / SIGCONT, for a node that hangs. */
  pause(): void;
  resume(): void;
  /**
   * Whether the test took this node down: its process is not running (killed and not restarted
   * since, or died) or it is paused. Helpers that ask every node skip such a node, and only such.
   */
  down(): boolean;
}

/** A local Redis Cluster of real redis-server processes. */
export interface TestCluster {
  nodes: ClusterNode[];
  /** `redis://127.0.0.1:port` of every node, comma-separated: the value of REDIS_CLUSTER_NODES. */
  seeds: string;
  /** The nodes that are masters now (in port order). */
  masters(): Promise<ClusterNode[]>;
  /** The node serving `key`'s slot now. */
  masterOf(key: string): Promise<ClusterNode>;
  /** Waits until every live node reports `cluster_state:ok` and agrees on the masters. */
  waitHealthy(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Options of {@link startTestCluster}. */
export interface TestClusterOptions {
  /** Masters; default 3. */
  masters?: number;
  /** Replicas per master; default 1. */
  replicasPerMaster?: number;
  /** AOF on every node (fsync every second), for tests that SIGKILL a node and count what survived. Default false. */
  appendOnly?: boolean;
  /** `cluster-node-timeout`: how long a node may be silent before a failover starts. Default 2000 ms. */
  nodeTimeoutMs?: number;
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A data port whose bus port is free too; random within the range so parallel test files rarely collide. */
async function clusterPort(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = PORT_RANGE.from + Math.floor(Math.random() * (PORT_RANGE.to - PORT_RANGE.from));
    if (taken.has(port)) continue;
    if ((await portIsFree(port)) && (await portIsFree(port + BUS_OFFSET))) {
      taken.add(port);
      return port;
    }
  }
  throw new Error(`no free cluster port pair in ${PORT_RANGE.from}-${PORT_RANGE.to}`);
}

function startProcess(args: string[]): Promise<ChildProcess> {
  const binary = process.env.REDIS_SERVER_BIN ?? 'redis-server';
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server (cluster node) was not ready within 10 s:\n${output}`));
    }, 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes(READY_LINE)) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stdout?.resume();
      child.stderr?.resume();
      child.off('exit', onExit);
      resolve(child);
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`redis-server (cluster node) exited with code ${code}:\n${output}`));
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    // A binary that cannot be run (missing, not executable) is an 'error', not an exit; kept
    // after the start, when it rejects nothing, so that a later one is not thrown.
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

function running(child: ChildProcess | undefined): boolean {
  return child !== undefined && child.exitCode === null && child.signalCode === null;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Contiguous slot ranges, one per master. */
function slotRanges(masters: number): Array<[number, number]> {
  const size = Math.floor(SLOT_COUNT / masters);
  return Array.from({ length: masters }, (_, index) => [index * size, index === masters - 1 ? SLOT_COUNT - 1 : (index + 1) * size - 1]);
}

/**
 * Starts a local cluster (3 masters + 3 replicas by default) on loopback, every path absolute,
 * and resolves once it is healthy. Each node is killed if this process exits without `stop()`.
 * @throws when a node does not start or the cluster does not become healthy within 20 s.
 */
export async function startTestCluster(options: TestClusterOptions = {}): Promise<TestCluster> {
  const masterCount = options.masters ?? 3;
  const replicas = options.replicasPerMaster ?? 1;
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-cluster-'));
  const taken = new Set<number>();
  const children = new Map<number, ChildProcess>();
  const killAll = () => {
    for (const child of children.values()) child.kill('SIGKILL');
  };
  process.once('exit', killAll);

  const argsFor = (port: number) => {
    const args = [
      '--port', String(port),
      '--cluster-port', String(port + BUS_OFFSET),
      '--bind', '127.0.0.1',
      '--cluster-enabled', 'yes',
      '--cluster-config-file', join(dir, `nodes-${port}.conf`),
      '--cluster-node-timeout', String(options.nodeTimeoutMs ?? 2000),
      '--dir', dir,
      '--dbfilename', `dump-${port}.rdb`,
      '--save', '',
      '--daemonize', 'no',
      '--logfile', '',
      // DEBUG from loopback: tests drop a cluster bus link (DEBUG CLUSTERLINK KILL).
      '--enable-debug-command', 'local',
    ];
    if (options.appendOnly) args.push('--appendonly', 'yes', '--appendfsync', 'everysec', '--appenddirname', `aof-${port}`);
    else args.push('--appendonly', 'no');
    return args;
  };

  const nodes: ClusterNode[] = [];
  const paused = new Set<number>();
  const stop = async () => {
    process.off('exit', killAll);
    for (const node of nodes) node.client.disconnect();
    await Promise.all(
      [...children.values()].map((child) => {
        child.kill('SIGKILL');
        return exited(child);
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  // Any failure on the way (a node that does not start, ADDSLOTSRANGE, MEET, REPLICATE, a replica
  // that never hears of its master) stops what started, so no node, client or directory outlives it.
  try {
    for (let index = 0; index < masterCount * (1 + replicas); index++) {
      const port = await clusterPort(taken);
      children.set(port, await startProcess(argsFor(port)));
      const node: ClusterNode = {
        port,
        url: `redis://127.0.0.1:${port}`,
        client: new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1, lazyConnect: false }),
        async kill() {
          const child = children.get(port);
          if (!child) return;
          child.kill('SIGKILL');
          await exited(child);
        },
        async restart() {
          // A new process: not the stopped one, if the node was paused before it was killed.
          paused.delete(port);
          children.set(port, await startProcess(argsFor(port)));
        },
        pause: () => {
          paused.add(port);
          children.get(port)?.kill('SIGSTOP');
        },
        resume: () => {
          paused.delete(port);
          children.get(port)?.kill('SIGCONT');
        },
        down: () => paused.has(port) || !running(children.get(port)),
      };
      // A killed node makes its client reconnect quietly until the node is back.
      node.client.on('error', () => {});
      nodes.push(node);
    }

    const masters = nodes.slice(0, masterCount);
    const ranges = slotRanges(masterCount);
    await Promise.all(masters.map((node, index) => node.client.call('CLUSTER', 'ADDSLOTSRANGE', ranges[index]![0], ranges[index]![1])));
    for (const node of nodes.slice(1)) await node.client.call('CLUSTER', 'MEET', '127.0.0.1', nodes[0]!.port, nodes[0]!.port + BUS_OFFSET);
    const ids = await Promise.all(masters.map(async (node) => String(await node.client.call('CLUSTER', 'MYID'))));
    for (const [index, node] of nodes.slice(masterCount).entries()) {
      const masterId = ids[index % masterCount]!;
      // A replica can only be told to follow a master it has heard of through the bus.
      await until(async () => String(await node.client.call('CLUSTER', 'NODES')).includes(masterId), `node ${node.port} to learn of master ${masterId}`, 20_000);
      await node.client.call('CLUSTER', 'REPLICATE', masterId);
    }
  } catch (error) {
    await stop();
    throw error;
  }

  const liveNodes = async () => {
    const live: ClusterNode[] = [];
    for (const node of nodes) {
      if (running(children.get(node.port))) live.push(node);
    }
    return live;
  };

  const cluster: TestCluster = {
    nodes,
    seeds: nodes.map((node) => node.url).join(','),
    async masters() {
      const result: ClusterNode[] = [];
      for (const node of await liveNodes()) {
        const role = (await node.client.call('ROLE')) as [string, ...unknown[]];
        if (role[0] === 'master') result.push(node);
      }
      return result;
    },
    async masterOf(key) {
      const [asker] = await liveNodes();
      if (!asker) throw new Error('no cluster node is running');
      const slot = Number(await asker.client.call('CLUSTER', 'KEYSLOT', key));
      const slots = (await asker.client.call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number, string]]>;
      const port = slots.find(([from, to]) => slot >= from && slot <= to)?.[2][1];
      const node = nodes.find((candidate) => candidate.port === port);
      if (!node) throw new Error(`no master serves slot ${slot} of ${key}`);
      return node;
    },
    async waitHealthy(timeoutMs = 20_000) {
      await until(
        async () => {
          const live = await liveNodes();
          const states = await Promise.all(live.map((node) => node.client.call('CLUSTER', 'INFO').then(String, () => '')));
          if (!states.every((info) => info.includes('cluster_state:ok'))) return false;
          // Every live replica is attached to a master and in sync.
          const masters = await cluster.masters();
          if (masters.length !== masterCount) return false;
          const replication = await Promise.all(masters.map((node) => node.client.info('replication')));
          const attached = replication.reduce((sum, info) => sum + Number(/connected_slaves:(\d+)/.exec(info)?.[1] ?? 0), 0);
          return attached === live.length - masterCount && replication.every((info) => !/state=(?!online)/.test(info));
        },
        'a healthy cluster',
        timeoutMs,
      );
    },
    stop,
  };
  try {
    await cluster.waitHealthy();
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}
