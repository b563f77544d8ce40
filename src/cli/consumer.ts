// The stream worker: `npm run consumer -- --stream events --group event_consumers --name worker1`.
// The seed's `python consumer.py --consumer-name=worker1`, done safely: it works straight on Redis
// (XREADGROUP / XACK, like any other service on the bus), takes entries only as fast as it
// processes them, acknowledges each one only after it is processed, and on SIGTERM or SIGINT
// finishes the entry in hand and leaves the rest pending, so nothing is lost.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import { ConfigError, loadConfig } from '../config.js';
import { AppError } from '../errors/app-error.js';
import { createLogger } from '../logger.js';
import { createBlockingPool } from '../redis/blocking-pool.js';
import { streamKeys } from '../redis/keys.js';
import { delay } from '../streams/delay.js';
import type { StreamEvent } from '../streams/entries.js';
import { DEFAULT_READ_AHEAD, createGroupConsumer } from '../streams/group-consumer.js';
import { assertConsumerName, assertGroupName, assertStreamName, parseGroupStartId } from '../streams/names.js';
import { createStreamStore } from '../streams/store.js';

export const USAGE = `Usage: npm run consumer -- --stream <name> --group <group> --name <consumer> [options]

Processes the entries of a Redis stream as one consumer of a consumer group, printing one line per
entry and acknowledging it (XACK) once processed. Stops cleanly on SIGTERM or SIGINT.

  --stream <name>        the stream (required)
  --group <group>        the consumer group; created (with MKSTREAM) when missing (required)
  --name <consumer>      this consumer's name, unique among live consumers of the group (required;
                         --consumer-name is the same)
  --start-id <id>        where a group created here starts: 0 (default, the whole stream), $ (new
                         entries only) or an entry id
  --batch <n>            most entries taken ahead of processing, 1 to 1000 (default ${DEFAULT_READ_AHEAD})
  --work-ms <n>          simulated processing time per entry, 0 to 600000 ms (default 0)
  --help                 this text

Environment: REDIS_URL (required, redis:// or rediss://), STREAM_CLAIM_IDLE_MS (entries idle that
long at a gone consumer are taken over; default 30000), LOG_LEVEL (logs go to stderr as JSON).`;

/** Exit codes. */
const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

/** A bad flag or a missing setting: printed with the usage text, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The worker's validated options. */
export interface ConsumerOptions {
  stream: string;
  group: string;
  name: string;
  startId: string;
  batch: number;
  workMs: number;
}

const FLAGS = new Set(['stream', 'group', 'name', 'consumer-name', 'start-id', 'batch', 'work-ms']);

function integerFlag(flag: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}; got ${JSON.stringify(text)}.`);
  }
  return Number(text);
}

/** Reads `--flag value` and `--flag=value` arguments. @throws UsageError saying what is wrong. */
export function parseArguments(argv: readonly string[]): ConsumerOptions | 'help' {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i] as string;
    if (argument === '--help' || argument === '-h') return 'help';
    const match = /^--([a-z-]+)(?:=(.*))?$/s.exec(argument);
    if (!match || !FLAGS.has(match[1] as string)) throw new UsageError(`Unknown argument ${JSON.stringify(argument)}.`);
    const flag = (match[1] as string) === 'consumer-name' ? 'name' : (match[1] as string);
    let value = match[2];
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${match[1]} needs a value.`);
      i++;
    }
    if (values.has(flag)) throw new UsageError(`--${flag} is given twice.`);
    values.set(flag, value);
  }
  const missing = ['stream', 'group', 'name'].filter((flag) => !values.has(flag));
  if (missing.length > 0) throw new UsageError(`Missing ${missing.map((flag) => `--${flag}`).join(', ')}.`);
  const options = {
    stream: values.get('stream') as string,
    group: values.get('group') as string,
    name: values.get('name') as string,
    startId: values.get('start-id') ?? '0',
    batch: integerFlag('batch', values.get('batch'), DEFAULT_READ_AHEAD, 1, 1000),
    workMs: integerFlag('work-ms', values.get('work-ms'), 0, 0, 600_000),
  };
  // The same rules as the API, with the flag names in the messages.
  try {
    assertStreamName(options.stream, '--stream');
    assertGroupName(options.group, '--group');
    assertConsumerName(options.name, '--name');
    options.startId = parseGroupStartId(options.startId, '--start-id');
  } catch (error) {
    if (error instanceof AppError) throw new UsageError(`${String(error.extensions.field)}: ${error.message}`);
    throw error;
  }
  return options;
}

/** Writes one line to stdout and resolves once it is handed to the OS (before the entry is acknowledged). */
function printLine(line: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(`${line}\n`, (error) => (error ? reject(error) : resolve())));
}

/** What the worker does with one entry: the seed's `print(f"[{consumer_name}] Processing: {event_data}")`. */
async function processEntry(options: ConsumerOptions, event: StreamEvent): Promise<void> {
  // Simulated work is never cut short: a stop waits for the entry in hand.
  if (options.workMs > 0) await delay(options.workMs);
  await printLine(`[${options.name}] Processing ${event.id}: ${JSON.stringify(event.data)}`);
}

async function run(options: ConsumerOptions, redisUrl: string, claimIdleMs: number, logger: Logger): Promise<number> {
  const redis = new Redis(redisUrl, {
    connectionName: `switchboard:consumer:${options.name}`,
    // Fail a command after a few reconnect attempts rather than queueing it for ever.
    maxRetriesPerRequest: 3,
  });
  let lastError = '';
  redis.on('error', (error: Error) => {
    if (error.message !== lastError) logger.warn({ err: error.message }, 'redis connection error');
    lastError = error.message;
  });
  const blocking = createBlockingPool({ url: redisUrl, maxConnections: 1, control: redis, logger });
  const store = createStreamStore(redis, { maxEventBytes: Number.MAX_SAFE_INTEGER });
  const consumer = createGroupConsumer({
    redis,
    blocking,
    stream: options.stream,
    group: options.group,
    consumer: options.name,
    claimIdleMs,
    readAhead: options.batch,
    logger,
  });
  const stop = (signal: string) => {
    if (consumer.stopped) return;
    logger.info({ signal }, 'stopping after the entry in hand');
    consumer.stop();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  let processed = 0;
  let status = EXIT_OK;
  try {
    // As the seed does: make the group (and the stream) when missing; an existing group is fine.
    const created = await store.createGroup(options.stream, options.group, options.startId);
    await consumer.start();
    logger.info({ stream: options.stream, group: options.group, consumer: options.name, groupCreated: created }, 'consumer started');
    for (;;) {
      const event = await consumer.next();
      if (event === null) break;
      await processEntry(options, event);
      // Acknowledged only now, after processing: a crash before this line leaves it pending.
      await redis.xack(streamKeys.stream(options.stream), options.group, event.id);
      processed++;
    }
  } catch (error) {
    status = EXIT_FAILED;
    consumer.stop();
    logger.error({ err: error }, error instanceof AppError ? error.message : 'consumer failed; unacknowledged entries stay pending');
    if (error instanceof AppError) process.stderr.write(`${error.message}\n`);
  }
  await blocking.close();
  await redis.quit().catch(() => redis.disconnect());
  logger.info({ processed }, 'consumer stopped');
  return status;
}

async function main(): Promise<number> {
  let options: ConsumerOptions | 'help';
  let config;
  try {
    options = parseArguments(process.argv.slice(2));
    if (options === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return EXIT_OK;
    }
    config = loadConfig();
    if (!config.redisUrl) throw new UsageError('REDIS_URL is required: set it to the Redis the stream lives in, e.g. REDIS_URL=redis://127.0.0.1:6379.');
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  const logger = createLogger(config, pino.destination({ dest: 2, sync: true }));
  return run(options, config.redisUrl, config.streamClaimIdleMs, logger);
}

// Runs when started as a command; importing the module (tests of the flags) runs nothing.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`consumer failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(EXIT_FAILED);
    },
  );
}
