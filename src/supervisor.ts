import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';

/** A worker that dies sooner than this after its start counts as a crash loop: its restart waits. */
const CRASH_LOOP_MS = 5_000;
/** Longest wait before restarting a worker that keeps crashing (doubling from 250 ms). */
const MAX_RESTART_DELAY_MS = 10_000;
const FIRST_RESTART_DELAY_MS = 250;
/** How long the supervisor waits past the workers' own shutdown timeout before it SIGKILLs them. */
const STOP_GRACE_MS = 5_000;

/** Options of {@link runSupervisor}. */
export interface SupervisorOptions {
  /** Worker processes to keep running (at least 2; one instance needs no supervisor). */
  workers: number;
  /** Environment added to each worker's (e.g. the embedded Redis's URL). */
  env: Record<string, string>;
  /** The workers' own SHUTDOWN_TIMEOUT_MS: how long a draining worker may take before it is killed. */
  shutdownTimeoutMs: number;
  logger: Logger;
}

/** The primary process of `WORKERS=N`. */
export interface Supervisor {
  /** Resolves once every worker listens, with the URL they share. */
  ready: Promise<string>;
  /**
   * Drains every worker (SIGTERM: each closes its sockets with 1012 and stops as a single
   * instance does), SIGKILLs those still running after their shutdown timeout, and resolves
   * once all have exited. Restarts stop at once.
   */
  stop(): Promise<void>;
}

/**
 * Runs `options.workers` copies of this program as node:cluster workers sharing one listening
 * port (the primary accepts and hands connections round-robin). Each worker is a full stateless
 * instance with its own Redis connections; cross-instance behaviour (chat, sign-out, presence)
 * goes through Redis exactly as with separate machines. A worker that dies is replaced, with a
 * growing delay when it keeps dying young, so a broken deployment does not spin.
 */
export function runSupervisor(options: SupervisorOptions): Supervisor {
  const { logger } = options;
  let stopping = false;
  let restartDelay = FIRST_RESTART_DELAY_MS;
  const startedAt = new Map<Worker, number>();
  const listening = new Set<Worker>();
  let resolveReady!: (url: string) => void;
  const ready = new Promise<string>((resolve) => (resolveReady = resolve));

  const fork = () => {
    const worker = cluster.fork(options.env);
    startedAt.set(worker, Date.now());
    logger.info({ worker: worker.id, pid: worker.process.pid }, 'worker started');
    worker.on('listening', (address) => {
      listening.add(worker);
      if (listening.size === options.workers) {
        const host = address.address?.includes(':') ? `[${address.address}]` : (address.address ?? '127.0.0.1');
        resolveReady(`http://${host}:${address.port}/graphql`);
      }
    });
    return worker;
  };

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    listening.delete(worker);
    if (stopping) return;
    const delay = lived < CRASH_LOOP_MS ? restartDelay : FIRST_RESTART_DELAY_MS;
    restartDelay = lived < CRASH_LOOP_MS ? Math.min(MAX_RESTART_DELAY_MS, restartDelay * 2) : FIRST_RESTART_DELAY_MS;
    logger.error({ worker: worker.id, pid: worker.process.pid, code, signal, restartInMs: delay }, 'worker died; restarting it');
    setTimeout(() => {
      if (!stopping) fork();
    }, delay).unref();
  });

  for (let index = 0; index < options.workers; index++) fork();

  return {
    ready,
    async stop() {
      stopping = true;
      const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve) => {
              if (worker.isDead()) return resolve();
              const killer = setTimeout(() => worker.process.kill('SIGKILL'), options.shutdownTimeoutMs + STOP_GRACE_MS);
              worker.once('exit', () => {
                clearTimeout(killer);
                resolve();
              });
              // Not worker.disconnect(): that closes the shared listener first, but each worker's
              // own shutdown (1012 to its sockets, requests finished) is what clients need.
              worker.process.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}
