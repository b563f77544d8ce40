import { Command, type Cluster, type Redis } from 'ioredis';

/**
 * Sends a command whose key ioredis cannot find by itself (XINFO's key follows its subcommand,
 * and ioredis's key table has no entry for it), naming the key so that a Cluster client sends it
 * to the node that holds the key's slot instead of a random node (and a MOVED redirect). On a
 * single node the key changes nothing.
 *
 * @example keyedCommand(redis, 'xinfo', ['STREAM', key], key)
 * @returns the command's reply. @throws its error reply, as any ioredis command does.
 */
export function keyedCommand(redis: Redis | Cluster, name: string, args: Array<string | number>, key: string): Promise<unknown> {
  const command = new Command(name, args, { replyEncoding: 'utf8' });
  command.getKeys = () => [key];
  return redis.sendCommand(command) as Promise<unknown>;
}
