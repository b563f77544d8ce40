import type { Cluster, Redis } from 'ioredis';
import { badInput } from '../errors/app-error.js';
import { GlobSyntaxError, parseGlob, wildcardCount } from '../redis/glob.js';
import { isReservedChannel } from '../redis/keys.js';
import { CHANNEL_NAME_MAX_LENGTH, PATTERN_MAX_WILDCARDS } from './names.js';

/** Most channels one `channels` query returns. */
export const CHANNELS_LIST_MAX = 1000;
/** How many when `first` is not given. */
export const CHANNELS_LIST_DEFAULT = 100;
/** Channels asked about per PUBSUB NUMSUB. */
const NUMSUB_BATCH = 200;

/** A channel in use and how many Redis connections subscribe to it. */
export interface ChannelUse {
  name: string;
  /**
   * PUBSUB NUMSUB summed over every node: Redis connections subscribed to the channel by name.
   * Each Switchboard instance holds one per channel however many of its clients listen, so this
   * is the number of instances with listeners plus any plain Redis subscribers.
   */
  subscribers: number;
}

/** A bounded page of the channels in use. */
export interface ChannelsInUse {
  /** Channels in use that match, reserved ones left out. */
  total: number;
  /** The first ones by name, at most `first`. */
  channels: ChannelUse[];
  /** Whether more matched than are listed. */
  truncated: boolean;
}

/**
 * Checks an insight pattern: a Redis glob of at most 256 characters and `maxWildcards`
 * (MAX_PATTERN_WILDCARDS) wildcards. Unlike `channelPattern`, `*` is fine: nothing is subscribed to.
 * @throws AppError BAD_USER_INPUT.
 */
export function assertInsightPattern(pattern: string, maxWildcards = PATTERN_MAX_WILDCARDS): void {
  if (pattern.length === 0 || pattern.length > CHANNEL_NAME_MAX_LENGTH) {
    throw badInput(`Pattern must be 1 to ${CHANNEL_NAME_MAX_LENGTH} characters; got ${pattern.length}.`, 'pattern');
  }
  let tokens;
  try {
    tokens = parseGlob(pattern);
  } catch (error) {
    if (error instanceof GlobSyntaxError) throw badInput(`Pattern ${JSON.stringify(pattern.slice(0, 60))} is malformed: ${error.message}.`, 'pattern');
    throw error;
  }
  if (wildcardCount(tokens) > maxWildcards) throw badInput(`Pattern may use at most ${maxWildcards} wildcards (MAX_PATTERN_WILDCARDS).`, 'pattern');
}

/** Every node a classic subscriber can be connected to: all of a cluster's nodes, or the one server. */
function nodesOf(redis: Redis | Cluster): Array<Redis> {
  return 'isCluster' in redis && redis.isCluster ? (redis as Cluster).nodes('all') : [redis as Redis];
}

/**
 * The channels in use that match `pattern` across every instance (PUBSUB CHANNELS), with their
 * subscriber counts (PUBSUB NUMSUB), the first `first` by name. On a cluster a classic
 * subscription lives on the node its connection is on: every node is asked and the counts added.
 */
export async function channelsInUse(redis: Redis | Cluster, pattern: string, first: number): Promise<ChannelsInUse> {
  const nodes = nodesOf(redis);
  const names = new Set<string>();
  for (const list of await Promise.all(nodes.map((node) => node.pubsub('CHANNELS', pattern) as Promise<string[]>))) {
    for (const name of list) if (!isReservedChannel(name)) names.add(name);
  }
  const sorted = [...names].sort();
  const listed = sorted.slice(0, first);
  const counts = new Map<string, number>(listed.map((name) => [name, 0]));
  for (let i = 0; i < listed.length; i += NUMSUB_BATCH) {
    const batch = listed.slice(i, i + NUMSUB_BATCH);
    const replies = await Promise.all(nodes.map((node) => node.pubsub('NUMSUB', ...batch) as Promise<Array<string | number>>));
    for (const reply of replies) {
      for (let j = 0; j + 1 < reply.length; j += 2) {
        const name = String(reply[j]);
        counts.set(name, (counts.get(name) ?? 0) + Number(reply[j + 1]));
      }
    }
  }
  return {
    total: sorted.length,
    channels: listed.map((name) => ({ name, subscribers: counts.get(name) ?? 0 })),
    truncated: sorted.length > listed.length,
  };
}
