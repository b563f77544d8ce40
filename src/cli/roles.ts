// Roles of Switchboard accounts: `npm run roles -- grant <username> admin`,
// `npm run roles -- revoke <username> admin`, `npm run roles -- list <username>`. Every account
// has role `user`; granted roles are kept in Redis and apply from the account's next request
// (open WebSockets keep the roles they connected with). JWT users have their token's roles plus
// those granted here (name them with --id <userId>); API keys have the roles they were made with.
import { parseArgs } from 'node:util';
import { ROLE_PATTERN } from '../auth/api-keys.js';
import { parseUserReference } from '../accounts/users.js';
import { Role } from '../policy/actions.js';
import { chatKeys, internalKeys } from '../redis/keys.js';
import { EXIT_FAILED, EXIT_OK, UsageError, connectOrUsageError, runCommand } from './command.js';

/** The help text of `npm run roles`. */
export const ROLES_USAGE = `Usage:
  npm run roles -- grant <username> <role>    gives an account a role (e.g. admin)
  npm run roles -- revoke <username> <role>   takes it back
  npm run roles -- list <username>            prints the account's roles, one a line
  Add --id to name the account by its user id instead (JWT users have no username).

Environment: REDIS_URL (redis:// or rediss://), or REDIS_CLUSTER_NODES (redis://host:port,...).`;

async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { id: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  const [command, account, role, ...rest] = positionals;
  if (values.help || command === 'help') {
    process.stdout.write(`${ROLES_USAGE}\n`);
    return EXIT_OK;
  }
  if (command !== 'grant' && command !== 'revoke' && command !== 'list') {
    throw new UsageError(command ? `Unknown command ${JSON.stringify(command)}.` : 'Give a command: grant, revoke or list.');
  }
  const wanted = command === 'list' ? 1 : 2;
  if ([account, role].filter((value) => value !== undefined).length !== wanted || rest.length > 0) {
    throw new UsageError(command === 'list' ? 'list takes one account.' : `${command} takes an account and a role.`);
  }
  if (role !== undefined && !ROLE_PATTERN.test(role)) throw new UsageError(`A role is 1 to 64 letters, digits, "_", "-", "." or ":"; got ${JSON.stringify(role)}.`);
  if (role === Role.User) throw new UsageError('Every account has the role "user"; it cannot be granted or revoked.');

  const redis = connectOrUsageError(env);
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const userId = values.id ? account! : parseUserReference(await redis.get(chatKeys.username(account!)));
    if (!userId || !(await redis.exists(chatKeys.user(userId)))) {
      process.stderr.write(`no account ${values.id ? 'with id' : 'named'} ${JSON.stringify(account)}\n`);
      return EXIT_FAILED;
    }
    const key = internalKeys.userRoles(userId);
    if (command === 'grant') {
      await redis.sadd(key, role!);
      process.stderr.write(`${account} (user ${userId}) now has the role ${role}\n`);
    } else if (command === 'revoke') {
      const removed = await redis.srem(key, role!);
      process.stderr.write(removed ? `${account} (user ${userId}) no longer has the role ${role}\n` : `${account} (user ${userId}) did not have the role ${role}\n`);
    } else {
      const roles = [Role.User, ...(await redis.smembers(key)).sort()];
      process.stdout.write(`${roles.join('\n')}\n`);
    }
    return EXIT_OK;
  } finally {
    redis.disconnect();
  }
}

runCommand(import.meta.url, 'roles', ROLES_USAGE, run);
