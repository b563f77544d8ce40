// The stream worker: `npm run consumer -- --stream events --group event_consumers --name worker1`.
// The seed's `python consumer.py --consumer-name=worker1`, done safely: it works straight on Redis
// (XREADGROUP / XACK, like any other service on the bus), takes entries only as fast as it
// processes them, acknowledges each one only after it is processed, and on SIGTERM or SIGINT
// finishes the entry in hand and leaves the rest pending, so nothing is lost.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AppError } from '../errors/app-error.js';
import type { BlockingPool } from '../redis/blocking-pool.js';
import { streamKeys } from '../redis/keys.js';
import { delay } from '../common/delay.js';
import type { StreamEvent } from '../streams/entries.js';
import { DEFAULT_READ_AHEAD, createGroupConsumer } from '../streams/group-consumer.js';
import { assertConsumerName, assertGroupName, assertStreamName, parseGroupStartId } from '../streams/names.js';
import { createStreamStore } from '../streams/store.js';
import {
  EXIT_FAILED,
  EXIT_OK,
  UsageError,
  checkFlag,
  integerFlag,
  readFlags,
  printLine,
  runCommand,
  startWorkerProcess,
} from './command.js';

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

/** The worker's validated options. */
export interface ConsumerOptions {
  stream: string;
  group: string;
  name: string;
  startId: string;
  batch: number;
  workMs: number;
}

const FLAGS = ['stream', 'group', 'name', 'start-id', 'batch', 'work-ms'] as const;

/** Reads `--flag value` and `--flag=value` arguments. @throws UsageError saying what is wrong. */
export function parseArguments(argv: readonly string[]): ConsumerOptions | 'help' {
  const values = readFlags(argv, FLAGS, { 'consumer-name': 'name' });
  if (values === 'help') return 'help';
  const missing = ['stream', 'group', 'name'].filter((flag) => !values.has(flag));
  if (missing.length > 0) throw new UsageError(`Missing ${missing.map((flag) => `--${flag}`).join(', ')}.`);
  const options = {
    stream: values.get('stream') as string,
    group: values.get('group') as string,
    name: values.get('name') as string,
    startId: values.get('start-id') ?? '0',
    batch: integerFlag('batch', values.get('batch'), 1, 1000) ?? DEFAULT_READ_AHEAD,
    workMs: integerFlag('work-ms', values.get('work-ms'), 0, 600_000) ?? 0,
  };
  // The same rules as the API, with the flag names in the messages.
  checkFlag('--stream', () => assertStreamName(options.stream, '--stream'));
  checkFlag('--group', () => assertGroupName(options.group, '--group'));
  checkFlag('--name', () => assertConsumerName(options.name, '--name'));
  checkFlag('--start-id', () => (options.startId = parseGroupStartId(options.startId, '--start-id')));
  return options;
}

/** What the worker does with one entry: the seed's `print(f"[{consumer_name}] Processing: {event_data}")`. */
async function processEntry(options: ConsumerOptions, event: StreamEvent): Promise<void> {
  // Simulated work is never cut short: a stop waits for the entry in hand.
  if (options.workMs > 0) await delay(options.workMs);
  await printLine(`[${options.name}] Processing ${event.id}: ${JSON.stringify(event.data)}`);
}

async function consume(options: ConsumerOptions, redis: Redis, blocking: BlockingPool, claimIdleMs: number, logger: Logger): Promise<number> {
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

async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const options = parseArguments(argv);
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  const { config, logger, redis, blocking } = startWorkerProcess(env, `switchboard:consumer:${options.name}`);
  return consume(options, redis, blocking, config.streamClaimIdleMs, logger);
}

runCommand(import.meta.url, 'consumer', USAGE, run);
