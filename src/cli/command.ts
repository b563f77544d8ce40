// The one bootstrap of the commands (`npm run apikey`, `roles`, `consumer`, `worker`): flags read
// with node:util parseArgs, one usage error, config and Redis from the environment, exit codes.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Cluster, Redis } from 'ioredis';
import { type Logger, pino } from 'pino';
import { type Config, ConfigError, loadConfig } from '../config.js';
import { AppError } from '../errors/app-error.js';
import { createLogger } from '../logger.js';
import { type BlockingPool, createBlockingPool } from '../redis/blocking-pool.js';
import { type CommandRedisOptions, type RedisTarget, RedisSettingError, connectFromEnvironment, redisTargetFromEnvironment } from './redis-connection.js';

/** Exit codes of every command. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** A mistake in the command line or the environment: printed with the usage, exit code {@link EXIT_USAGE}. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Where REDIS_URL or REDIS_CLUSTER_NODES points; a missing or bad setting is a usage error. */
export function redisTargetOrUsageError(env: NodeJS.ProcessEnv): RedisTarget {
  return asUsageError(() => redisTargetFromEnvironment(env));
}

function asUsageError<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof RedisSettingError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * The Redis of REDIS_URL or REDIS_CLUSTER_NODES, not connected yet (the first command connects);
 * a missing or bad setting is a usage error.
 */
export function connectOrUsageError(env: NodeJS.ProcessEnv, options?: CommandRedisOptions): Redis {
  return asUsageError(() => connectFromEnvironment(env, options));
}

/** The server's settings (the commands share JOB_*, STREAM_*, LOG_LEVEL...); a bad one is a usage error. */
export function loadConfigOrUsageError(env: NodeJS.ProcessEnv): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * Runs an API name check (queue, stream, group... names) on a flag's value: its BAD_USER_INPUT
 * becomes a usage error that starts with the flag (`--queue: Queue name ...`).
 */
export function checkFlag(flag: string, check: () => void): void {
  try {
    check();
  } catch (error) {
    if (error instanceof AppError) throw new UsageError(`${flag}: ${error.message}`);
    throw error;
  }
}

/**
 * Reads `--flag value` and `--flag=value` arguments, each flag a string given at most once.
 * node:util parseArgs splits them (`--`, `=`, `-h`); its strict mode is not used because its
 * messages name no fix and it silently keeps the last of a repeated flag, so the rules below are
 * checked on its tokens instead.
 * @param aliases other names of a flag (`{ 'consumer-name': 'name' }`).
 * @returns the values by flag name, or `'help'` for `--help` / `-h`.
 * @throws UsageError for an unknown flag, a positional argument, a flag without its value or given twice.
 */
export function readFlags(argv: readonly string[], flags: readonly string[], aliases: Readonly<Record<string, string>> = {}): Map<string, string> | 'help' {
  const options = Object.fromEntries([...flags, ...Object.keys(aliases)].map((flag) => [flag, { type: 'string' as const }]));
  const { tokens } = parseArgs({
    args: [...argv],
    options: { ...options, help: { type: 'boolean', short: 'h' } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values = new Map<string, string>();
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') throw new UsageError(`Unknown argument ${JSON.stringify(token.value)}.`);
    if (token.name === 'help') return 'help';
    if (!(token.name in options)) throw new UsageError(`Unknown argument ${JSON.stringify(token.rawName)}.`);
    const flag = aliases[token.name] ?? token.name;
    // A value that looks like the next flag is taken as a forgotten value, as most CLIs do.
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) throw new UsageError(`${token.rawName} needs a value.`);
    if (values.has(flag)) throw new UsageError(`--${flag} is given twice.`);
    values.set(flag, token.value);
  }
  return values;
}

/**
 * A whole-number flag from `min` to `max`.
 * @returns undefined when the flag is absent.
 * @throws UsageError saying the range and what came.
 */
export function integerFlag(flag: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}; got ${JSON.stringify(text)}.`);
  }
  return Number(text);
}

/** Whether the module of `moduleUrl` (its `import.meta.url`) is the script this process was started with. */
export function isMainModule(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return moduleUrl === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

/**
 * When the module of `moduleUrl` is the script started (importing it, as tests do, runs nothing),
 * runs `run` with this process's arguments and environment and exits with its code. A UsageError
 * prints its message and `usage` on stderr (exit 2); anything else prints "`name` failed: …"
 * (exit 1).
 */
export function runCommand(moduleUrl: string, name: string, usage: string, run: (argv: string[], env: NodeJS.ProcessEnv) => Promise<number>): void {
  if (!isMainModule(moduleUrl)) return;
  run(process.argv.slice(2), process.env).then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
        process.stderr.write(`${error.message}\n\n${usage}\n`);
        process.exit(EXIT_USAGE);
      }
      process.stderr.write(`${name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(EXIT_FAILED);
    },
  );
}

/**
 * The blocking-read pool of a long-running command (`consumer`, `worker`): one connection, since
 * each takes one batch at a time, released early through `control` with CLIENT UNBLOCK on stop.
 */
export function openBlockingPool(target: RedisTarget, control: Redis | Cluster, logger: Logger): BlockingPool {
  // On a cluster the pool opens its connection to the master of each read's key, from control's slot table.
  return createBlockingPool({ ...(target.kind === 'standalone' ? { url: target.url } : {}), maxConnections: 1, control, logger });
}

/** What {@link startWorkerProcess} gives a long-running command. */
export interface WorkerProcess {
  /** The server's settings from the environment. */
  config: Config;
  /** JSON lines on stderr (stdout is the command's output), at LOG_LEVEL. */
  logger: Logger;
  /** The command connection (not connected yet: the first command connects); errors are logged once per message. */
  redis: Redis;
  /** One connection for blocking reads (see {@link openBlockingPool}). */
  blocking: BlockingPool;
}

/**
 * The shared start of `npm run consumer` and `npm run worker`: settings, logger, Redis and the
 * blocking pool from the environment. Opens no connection yet.
 * @throws UsageError for a bad setting or a missing REDIS_URL / REDIS_CLUSTER_NODES.
 */
export function startWorkerProcess(env: NodeJS.ProcessEnv, connectionName: string): WorkerProcess {
  const config = loadConfigOrUsageError(env);
  const logger = createLogger(config, pino.destination({ dest: 2, sync: true }));
  // Fail a command after a few reconnect attempts rather than queueing it for ever.
  const redis = connectOrUsageError(env, { connectionName, maxRetriesPerRequest: 3 });
  const blocking = openBlockingPool(redisTargetOrUsageError(env), redis, logger);
  let lastError = '';
  redis.on('error', (error: Error) => {
    if (error.message !== lastError) logger.warn({ err: error.message }, 'redis connection error');
    lastError = error.message;
  });
  return { config, logger, redis, blocking };
}

/** Writes one line to stdout and resolves once it is handed to the OS (before the job or entry it reports is acknowledged). */
export function printLine(line: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(`${line}\n`, (error) => (error ? reject(error) : resolve())));
}
