import cluster from 'node:cluster';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startEmbeddedRedis, type EmbeddedRedis } from './redis/embedded-server.js';
import { runSupervisor } from './supervisor.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config);
  let embedded: EmbeddedRedis | null = null;
  let redisUrl = config.redisUrl;
  // REDIS_CLUSTER_NODES: a cluster, which the workers read from the same environment.
  if (!redisUrl && !config.redisClusterNodes) {
    embedded = await startEmbeddedRedis({ dataDir: config.redisDataDir });
    redisUrl = embedded.url;
    logger.info({ port: embedded.port, dataDir: config.redisDataDir }, 'embedded redis-server started');
  }
  if (config.workers > 1 && cluster.isPrimary) {
    await supervise(config.workers, redisUrl, config.shutdownTimeoutMs, logger, embedded);
    return;
  }
  const app = createApp({ ...config, redisUrl }, logger);
  // A promise someone forgot to handle must not take every client down with it; but it is a bug,
  // so it is counted (switchboard_unhandled_rejections_total) as well as logged.
  process.on('unhandledRejection', (error) => {
    app.services.metrics.unhandledRejections.inc();
    logger.error({ err: error }, 'unhandled promise rejection');
  });

  stopOnSignals(logger, 'shutting down', () => app.stop(), embedded);

  try {
    await app.start();
  } catch (error) {
    logger.fatal({ err: error }, 'could not start');
    await embedded?.stop();
    process.exit(1);
  }
}

/** WORKERS > 1: this process only forks, restarts and drains the workers that serve. */
async function supervise(workers: number, redisUrl: string | undefined, shutdownTimeoutMs: number, logger: ReturnType<typeof createLogger>, embedded: EmbeddedRedis | null) {
  // Each worker reads the same environment, plus the Redis this process may have started.
  const supervisor = runSupervisor({ workers, env: redisUrl ? { REDIS_URL: redisUrl } : {}, shutdownTimeoutMs, logger });
  stopOnSignals(logger, 'shutting down the workers', () => supervisor.stop(), embedded);
  const url = await supervisor.ready;
  logger.info({ url, workers }, 'switchboard started');
}

/**
 * On the first SIGTERM or SIGINT: logs `message`, runs `stop`, then stops the embedded Redis, and
 * exits 0 (1 when stopping failed). Later signals are ignored while that runs.
 */
function stopOnSignals(logger: ReturnType<typeof createLogger>, message: string, stop: () => Promise<void>, embedded: EmbeddedRedis | null): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, message);
    stop()
      .then(() => embedded?.stop())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

void main();
