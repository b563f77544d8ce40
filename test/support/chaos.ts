import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/**
 * A redis-server that a test can break the way production breaks: restart it, SIGKILL it (its
 * append-only file, fsync on every write, keeps every acknowledged write), SIGSTOP / SIGCONT it.
 * It keeps its port across restarts, so clients reconnect to the same address.
 */
export interface ControlledRedis {
  port: number;
  url: string;
  /** A plain client for the test's own bookkeeping (reconnects by itself). */
  client: Redis;
  /** SIGTERM, then the same server again on the same port and data. */
  restart(): Promise<void>;
  /** SIGKILL, then the same server again on the same port and data (from the AOF). */
  killAndStart(): Promise<void>;
  /** SIGSTOP: connections stay open, nothing answers. */
  pause(): void;
  /** SIGCONT. */
  resume(): void;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startControlledRedis(): Promise<ControlledRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-chaos-'));
  let child: ChildProcess;
  const spawnServer = () =>
    new Promise<void>((resolve, reject) => {
      child = spawn(
        process.env.REDIS_SERVER_BIN ?? 'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--logfile', ''],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      // Killed, so that a start that hangs does not keep the port: the exit below rejects.
      const timer = setTimeout(() => {
        output += '\n(not ready within 15 s: killed)';
        child.kill('SIGKILL');
      }, 15_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          child.stdout!.resume();
          resolve();
        }
      });
      child.stderr!.resume();
      // A binary that cannot be run (missing, not executable) is an 'error', not an exit.
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        if (!output.includes('Ready to accept connections')) reject(new Error(`redis-server exited with ${code}:\n${output}`));
      });
    });
  const exited = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  try {
    await spawnServer();
  } catch (error) {
    process.off('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const client = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: null });
  client.on('error', () => undefined);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    client,
    async restart() {
      const gone = exited();
      child.kill('SIGTERM');
      await gone;
      await spawnServer();
    },
    async killAndStart() {
      const gone = exited();
      child.kill('SIGKILL');
      await gone;
      await spawnServer();
    },
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    async stop() {
      process.off('exit', killOnExit);
      client.disconnect();
      child.kill('SIGCONT');
      const gone = exited();
      child.kill('SIGKILL');
      await gone;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** How many subscribers Redis counts on each channel. */
export async function numsub(client: Redis, channels: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let i = 0; i < channels.length; i += 500) {
    const reply = (await client.pubsub('NUMSUB', ...channels.slice(i, i + 500))) as Array<string | number>;
    for (let j = 0; j < reply.length; j += 2) counts.set(String(reply[j]), Number(reply[j + 1]));
  }
  return counts;
}

/** Ids received more than once. */
export function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const id of ids) (seen.has(id) ? twice : seen).add(id);
  return [...twice];
}
