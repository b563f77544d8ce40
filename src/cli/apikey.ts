// API keys for backend services: `npm run apikey -- create --name billing --role service`,
// `npm run apikey -- list`, `npm run apikey -- revoke <id>`. Works straight on the Redis the
// servers use (REDIS_URL, or REDIS_CLUSTER_NODES for a cluster); a revocation reaches every
// running instance, which ends the key's open subscriptions.
import { parseArgs } from 'node:util';
import { apiKeyInputProblem, createApiKeyStore } from '../auth/api-keys.js';
import { EXIT_FAILED, EXIT_OK, UsageError, connectOrUsageError, runCommand } from './command.js';

/** The help text of `npm run apikey`. */
export const APIKEY_USAGE = `Usage:
  npm run apikey -- create --name <name> --role <role> [--role <role> ...]
      Makes a key and prints it once, alone on its line on stdout; its id goes to stderr.
  npm run apikey -- list
      Prints every key: id, name, roles, created (never the key itself).
  npm run apikey -- revoke <id>
      Revokes a key: it stops working, and its open subscriptions end on every instance.

Environment: REDIS_URL (redis:// or rediss://), or REDIS_CLUSTER_NODES (redis://host:port,...)
for Redis Cluster: the Redis your Switchboard servers use.`;


async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      role: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || command === 'help') {
    process.stdout.write(`${APIKEY_USAGE}\n`);
    return EXIT_OK;
  }
  if (command === 'create') {
    if (rest.length > 0) throw new UsageError(`create takes no positional arguments; got ${rest.join(' ')}.`);
    if (values.name === undefined) throw new UsageError('create needs --name <name>.');
    const problem = apiKeyInputProblem(values.name, values.role ?? []);
    if (problem) throw new UsageError(`create: ${problem}.`);
  } else if (command === 'list') {
    if (rest.length > 0 || values.name !== undefined || values.role !== undefined) throw new UsageError('list takes no arguments.');
  } else if (command === 'revoke') {
    if (rest.length !== 1) throw new UsageError('revoke takes one key id (see `list`).');
  } else {
    throw new UsageError(command ? `Unknown command ${JSON.stringify(command)}.` : 'Give a command: create, list or revoke.');
  }

  const redis = connectOrUsageError(env);
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const store = createApiKeyStore(redis);
    if (command === 'create') {
      const { key, record } = await store.create(values.name!, values.role!);
      process.stderr.write(`created API key ${record.id} (${record.name}, roles ${record.roles.join(', ')}); it is shown once:\n`);
      process.stdout.write(`${key}\n`);
    } else if (command === 'list') {
      const keys = await store.list();
      if (keys.length === 0) process.stderr.write('no API keys\n');
      for (const record of keys) {
        process.stdout.write(`${record.id}\t${record.name}\t${record.roles.join(',')}\t${new Date(record.createdAt).toISOString()}\n`);
      }
    } else {
      const revoked = await store.revoke(rest[0]!);
      if (!revoked) {
        process.stderr.write(`no API key with id ${JSON.stringify(rest[0])}\n`);
        return EXIT_FAILED;
      }
      process.stderr.write(`revoked API key ${rest[0]}\n`);
    }
    return EXIT_OK;
  } finally {
    redis.disconnect();
  }
}

runCommand(import.meta.url, 'apikey', APIKEY_USAGE, run);
