import { createHash } from 'node:crypto';
import type { ChainableCommander, Cluster, Redis } from 'ioredis';

/**
 * A Lua script, run through ioredis's `defineCommand`: the first call on each connection sends
 * EVAL (which loads it), later ones EVALSHA, and a NOSCRIPT (after a restart, a failover, or on
 * another cluster node) is answered by sending it again. On a Cluster client the command goes to
 * the node of its first key's slot, as any keyed command does.
 */
export interface LuaScript {
  /** The command name given to `defineCommand`: unique, and never an ioredis method's name. */
  readonly name: string;
  readonly lua: string;
}

/** Every script made by {@link luaScript}, by name: a name is one script. */
const defined = new Map<string, string>();

/**
 * Names a Lua script. The name is prefixed (`sb_<name>`) so that it can never replace an ioredis
 * method.
 * @throws Error when another script already has this name.
 */
export function luaScript(name: string, lua: string): LuaScript {
  const command = `sb_${name}`;
  const known = defined.get(command);
  if (known !== undefined && known !== lua) throw new Error(`Two Lua scripts are named ${JSON.stringify(name)}.`);
  defined.set(command, lua);
  return { name: command, lua };
}

type ScriptCommand = (...keysAndArgs: Array<string | number>) => Promise<unknown>;

/** The command of `script` for this many keys (`numberOfKeys` is fixed per command). */
const commandName = (script: LuaScript, keys: readonly string[]) => `${script.name}_${keys.length}`;

/**
 * Per client, the commands defined while an auto-pipeline was filling: that pipeline was made
 * before them and lacks them (calling one there fails and misaligns the pipeline's replies:
 * ioredis #1931, fixed upstream by redis/ioredis#2180, not in the 5.11.1 installed here), and it
 * may go on filling for several ticks while another pipeline runs. Until the client is seen with
 * no pipeline filling, those commands are sent as EVALSHA / EVAL, which every pipeline has.
 */
const definedWhileFilling = new WeakMap<object, Set<string>>();

/** The script as plain EVALSHA, then EVAL on NOSCRIPT: only while its command cannot be used. */
async function evalDirectly(redis: Redis | Cluster, script: LuaScript, sha: string, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
  try {
    return await redis.evalsha(sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return redis.eval(script.lua, keys.length, ...keys, ...args);
  }
}

/**
 * Runs `script` with `keys` (KEYS) and `args` (ARGV) on `redis`, defining it there on first use
 * with `defineCommand`. One command is defined per number of keys (`numberOfKeys` fixed), so that
 * its first argument is its first key: ioredis's auto-pipelining on a Cluster groups commands by
 * the slot of their first argument, which would otherwise be the key count.
 * @returns the script's reply as ioredis gives it; rejects with Redis's error (WRONGTYPE, a script
 * error) as any command does.
 */
export function runLua(redis: Redis | Cluster, script: LuaScript, keys: readonly string[], args: ReadonlyArray<string | number> = []): Promise<unknown> {
  const name = commandName(script, keys);
  const commands = redis as unknown as Record<string, ScriptCommand | undefined>;
  let pending = definedWhileFilling.get(redis);
  if (typeof commands[name] !== 'function') {
    if (redis.autoPipelineQueueSize > 0) {
      if (!pending) definedWhileFilling.set(redis, (pending = new Set()));
      pending.add(name);
    }
    redis.defineCommand(name, { lua: script.lua, numberOfKeys: keys.length });
  }
  if (pending?.size) {
    if (redis.autoPipelineQueueSize === 0) pending.clear();
    else if (pending.has(name)) return evalDirectly(redis, script, shaOf(script), keys, args);
  }
  return (commands[name] as ScriptCommand).call(redis, ...keys, ...args);
}

const shas = new WeakMap<LuaScript, string>();
function shaOf(script: LuaScript): string {
  let sha = shas.get(script);
  if (!sha) shas.set(script, (sha = createHash('sha1').update(script.lua).digest('hex')));
  return sha;
}

/**
 * A new pipeline of `redis` that starts with `script` (keys and arguments as {@link runLua}), for
 * a script that must travel with other commands to one node, e.g. `WAIT` after it:
 * `await luaPipeline(redis, SCRIPT, [key], [arg]).call('WAIT', 1, ms).exec()`. The script's
 * command is defined on `redis` before the pipeline is made, so the pipeline has it.
 * @returns the pipeline; `exec()` sends it (its replies as ioredis gives them, `[error, reply]` each).
 */
export function luaPipeline(redis: Redis | Cluster, script: LuaScript, keys: readonly string[], args: ReadonlyArray<string | number> = []): ChainableCommander {
  const name = commandName(script, keys);
  if (typeof (redis as unknown as Record<string, unknown>)[name] !== 'function') redis.defineCommand(name, { lua: script.lua, numberOfKeys: keys.length });
  const pipeline = redis.pipeline();
  (pipeline as unknown as Record<string, ScriptCommand>)[name]!(...keys, ...args);
  return pipeline;
}
