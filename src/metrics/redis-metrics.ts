import type { Cluster, Command, Redis } from 'ioredis';
import type { Metrics } from './metrics.js';

type Client = Redis | Cluster;

/**
 * Times every command a connection sends (`switchboard_redis_command_duration_seconds`) and
 * counts its reconnects. ioredis has no command hook, so this wraps the instance's `sendCommand`,
 * the one method every command goes through; the cost is one timer per command.
 * Labels: the command's name when it is one of Redis's own (ioredis's built-in list), else
 * `other`, so the label set stays bounded whatever is sent.
 */
export function instrumentRedis(client: Client, role: string, metrics: Metrics): void {
  const known = new Set(client.getBuiltinCommands());
  const original = client.sendCommand.bind(client) as (command: Command, ...rest: unknown[]) => unknown;
  const children = new Map<string, ReturnType<Metrics['redisCommandDuration']['labels']>>();
  const histogramFor = (name: string) => {
    const label = known.has(name) ? name : 'other';
    let child = children.get(label);
    if (!child) {
      child = metrics.redisCommandDuration.labels(label);
      children.set(label, child);
    }
    return child;
  };
  (client as { sendCommand: (command: Command, ...rest: unknown[]) => unknown }).sendCommand = (command, ...rest) => {
    const started = process.hrtime.bigint();
    const observe = () => histogramFor(command.name).observe(Number(process.hrtime.bigint() - started) / 1e9);
    command.promise.then(observe, observe);
    return original(command, ...rest);
  };
  const reconnects = metrics.redisReconnects.labels(role);
  client.on('reconnecting', () => reconnects.inc());
}
