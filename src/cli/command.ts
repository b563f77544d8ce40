import type { Redis } from 'ioredis';
import { RedisSettingError, connectFromEnvironment } from './redis-connection.js';

/** Exit codes of the admin commands (`npm run apikey`, `npm run roles`). */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** A mistake in the command line: printed with the usage, exit code {@link EXIT_USAGE}. */
export class UsageError extends Error {}

/** The Redis of REDIS_URL or REDIS_CLUSTER_NODES; a missing or bad setting is a usage error. */
export function connectOrUsageError(env: NodeJS.ProcessEnv): Redis {
  try {
    return connectFromEnvironment(env);
  } catch (error) {
    if (error instanceof RedisSettingError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * Runs a command's `run` with this process's arguments and exits with its code. A UsageError, or
 * a `node:util` parseArgs error, prints the message and `usage` (exit 2); anything else prints
 * "`name` failed: …" (exit 1).
 */
export function runCommand(name: string, usage: string, run: (argv: string[], env: NodeJS.ProcessEnv) => Promise<number>): void {
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
