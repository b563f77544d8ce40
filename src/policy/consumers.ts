import { AppError, ErrorCode } from '../errors/app-error.js';
import { keyedCommand } from '../redis/keyed-command.js';
import { internalKeys, streamKeys } from '../redis/keys.js';
import { rethrowStreamError } from '../streams/redis-errors.js';
import { type Caller, callerOf } from './authorize.js';
import type { PolicyRequest } from './services.js';

/** Whether the caller may act as any consumer name (`consumers.exemptRoles`), or names are not bound at all. */
function actsAsAnyConsumer(context: PolicyRequest, caller: Caller): boolean {
  const { consumers } = context.services.config.policy;
  return !consumers.bindToCaller || caller.roles.some((role) => consumers.exemptRoles.includes(role));
}

/**
 * Binds a consumer name of a group to its caller (when the policy says so: `consumers.bindToCaller`,
 * the default): the first caller to read as `consumer` owns the name, and nobody else may read as
 * it, so nobody can take over the entries it holds by reusing its name. Callers with one of
 * `consumers.exemptRoles` (default `service`, `admin`) may read as any name. A name that the group
 * already has but that has no owner (a plain Redis client's, the consumer command's, or one an
 * exempt caller read as) cannot be claimed by a non-exempt caller either, whether or not it holds
 * entries right now.
 * Call it after `authorize` and before the group is read.
 * @throws AppError FORBIDDEN when the name belongs to someone else, NOT_FOUND for an unknown group.
 */
export async function bindConsumer(context: PolicyRequest, stream: string, group: string, consumer: string): Promise<void> {
  const caller = callerOf(context);
  if (actsAsAnyConsumer(context, caller)) return;
  const { redis } = context.services;
  const ownersKey = internalKeys.consumerOwners(stream, group);
  const refuse = (why: string) =>
    new AppError(ErrorCode.Forbidden, `You may not consume from consumer group ${JSON.stringify(group)} of stream ${JSON.stringify(stream)} as consumer ${JSON.stringify(consumer)} (consume on group): ${why}; pick another consumer name.`, {
      action: 'consume',
      resource: 'group',
      name: group,
      field: 'consumer',
    });

  const owner = await redis.hget(ownersKey, consumer);
  if (owner === caller.userId) return;
  if (owner !== null) throw refuse('that consumer name belongs to another user');
  // Claim first, then create: a crash between the two leaves the name with its caller, who gets
  // it back next time (XREADGROUP makes the consumer), rather than a name nobody may ever take.
  if ((await redis.hsetnx(ownersKey, consumer, caller.userId)) !== 1) {
    // Someone claimed it between our read and our claim.
    if ((await redis.hget(ownersKey, consumer)) !== caller.userId) throw refuse('that consumer name belongs to another user');
    return;
  }
  // A name the group already knows but nobody owned was made by a plain Redis client (the consumer
  // command, a worker of the app's own) or by an exempt caller: it may hold entries now or take
  // some at any moment, so it is not free to take, even while it holds nothing. XGROUP
  // CREATECONSUMER answers 0 for a name that exists and makes a new one (answering 1) atomically.
  // On either refusal the claim just made is given back (only we could have written it: HSETNX).
  let created: unknown;
  try {
    const key = streamKeys.stream(stream);
    // Keyless in ioredis's command table (the key follows the subcommand): named here.
    created = await keyedCommand(redis, 'xgroup', ['CREATECONSUMER', key, group, consumer], key);
  } catch (error) {
    await redis.hdel(ownersKey, consumer);
    rethrowStreamError(error, stream, group);
  }
  if (Number(created) !== 1) {
    await redis.hdel(ownersKey, consumer);
    throw refuse('that consumer name is in use by a client outside Switchboard or a service');
  }
}

/**
 * Whose entries of a group the caller may acknowledge (`ackEvents`): with `consumers.bindToCaller`,
 * only those pending at consumer names bound to the caller (see {@link bindConsumer}), so that
 * nobody can acknowledge away what another member holds and has not processed. Callers with one of
 * `consumers.exemptRoles` may acknowledge any member's entries (say, to clean up after consumers
 * that are gone for good): they may read as any name, and so take those entries anyway. Names
 * with no owner (a plain Redis client's, or the consumer command's) are nobody's here: only exempt
 * callers may acknowledge what they hold.
 * Call it after `authorize`.
 * @returns null when the caller may acknowledge any entry; otherwise a check that, given consumer
 * names of the group, resolves with those bound to the caller (one HMGET).
 */
export function ackableConsumers(context: PolicyRequest, stream: string, group: string): ((consumers: readonly string[]) => Promise<string[]>) | null {
  const caller = callerOf(context);
  if (actsAsAnyConsumer(context, caller)) return null;
  const { redis } = context.services;
  const ownersKey = internalKeys.consumerOwners(stream, group);
  return async (consumers) => {
    if (consumers.length === 0) return [];
    const owners = await redis.hmget(ownersKey, ...consumers);
    return consumers.filter((_, i) => owners[i] === caller.userId);
  };
}
