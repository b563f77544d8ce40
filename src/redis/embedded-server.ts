import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

/** Options of {@link startEmbeddedRedis}. */
export interface EmbeddedRedisOptions {
  /**
   * Directory for the append-only file. When given, data survives restarts (AOF on, fsync every
   * second); when absent, the server keeps nothing on disk (tests).
   */
  dataDir?: string;
  /** The redis-server binary. Default: `REDIS_SERVER_BIN`, else `redis-server` on PATH. */
  binary?: string;
  /** How long to wait for "Ready to accept connections". Default 10 s. */
  startTimeoutMs?: number;
}

/** A redis-server child process listening on 127.0.0.1. */
export interface EmbeddedRedis {
  url: string;
  port: number;
  /** Shuts the server down (SIGTERM, so the AOF is flushed), then SIGKILL after 5 s. */
  stop(): Promise<void>;
}

const READY_LINE = 'Ready to accept connections';
const START_ATTEMPTS = 5;
const STOP_GRACE_MS = 5000;

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

function waitForReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolveReady, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`redis-server was not ready within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(READY_LINE)) done();
    };
    const onExit = (code: number | null) => fail(new Error(`redis-server exited with code ${code}:\n${output}`));
    const onError = (error: Error) =>
      fail(
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? new Error('redis-server is not installed: run `npm start` or `npm test` as root to install it, or set REDIS_URL')
          : error,
      );
    function cleanup() {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
    }
    function done() {
      cleanup();
      resolveReady();
    }
    function fail(error: Error) {
      cleanup();
      child.kill('SIGKILL');
      reject(error);
    }
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

/**
 * Starts a private redis-server on a free loopback port and resolves once it accepts connections.
 * The child is killed if this process exits without calling `stop()`.
 * @throws when the binary is missing or the server does not start (after a few port retries).
 */
export async function startEmbeddedRedis(options: EmbeddedRedisOptions = {}): Promise<EmbeddedRedis> {
  const binary = options.binary ?? process.env.REDIS_SERVER_BIN ?? 'redis-server';
  let lastError: unknown;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    const port = await freePort();
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--daemonize', 'no', '--logfile', ''];
    if (options.dataDir) {
      const dir = resolve(options.dataDir);
      mkdirSync(dir, { recursive: true });
      args.push('--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec');
    } else {
      args.push('--appendonly', 'no');
    }
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    try {
      await waitForReady(child, options.startTimeoutMs ?? 10_000);
    } catch (error) {
      process.off('exit', killOnExit);
      lastError = error;
      if ((error as Error).message.includes('not installed')) break;
      continue;
    }
    // Keep draining output so that a chatty server never blocks on a full pipe.
    child.stdout?.resume();
    child.stderr?.resume();
    return {
      url: `redis://127.0.0.1:${port}`,
      port,
      stop: () =>
        new Promise<void>((resolveStop) => {
          process.off('exit', killOnExit);
          if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
          const killer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
          child.once('exit', () => {
            clearTimeout(killer);
            resolveStop();
          });
          child.kill('SIGTERM');
        }),
    };
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}
