import type { Cluster, Redis } from 'ioredis';
import { keyedCommand } from '../redis/keyed-command.js';
import { streamKeys } from '../redis/keys.js';
import { replyErrorCode, rethrowStreamError } from './redis-errors.js';

/** One consumer of a group (XINFO CONSUMERS). */
export interface StreamConsumerInfo {
  name: string;
  /** Entries delivered to it and not acknowledged. */
  pending: number;
  /** Milliseconds since it last read (or claimed). */
  idleMs: number;
  /** Milliseconds since its last successful read; null before Redis 7.2, which does not report it. */
  inactiveMs: number | null;
}

/** One consumer group of a stream (XINFO GROUPS). */
export interface StreamGroupInfo {
  name: string;
  /** How many consumers it has. */
  consumers: number;
  /** Entries delivered to its consumers and not acknowledged (its PEL). */
  pending: number;
  /** Entries of the stream not delivered to the group yet, as Redis 7 reports it; null when Redis cannot tell (after deletions or XSETID). */
  lag: number | null;
  lastDeliveredId: string;
  /** Entries the group has read, as Redis 7 counts them; null when Redis cannot tell. */
  entriesRead: number | null;
}

/** A stream's shape (XINFO STREAM) and its groups. */
export interface StreamInfo {
  stream: string;
  length: number;
  /** Oldest and newest entry ids; null when the stream is empty. */
  firstId: string | null;
  lastId: string | null;
  /** The id of the last entry ever added (also when it has been deleted or trimmed). */
  lastGeneratedId: string;
  /** Entries ever added (Redis 7). */
  entriesAdded: number | null;
  groups: StreamGroupInfo[];
}

/** A flat `[name, value, name, value, ...]` reply as an object. */
function fields(reply: unknown): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  if (!Array.isArray(reply)) return object;
  for (let i = 0; i + 1 < reply.length; i += 2) object[String(reply[i])] = reply[i + 1];
  return object;
}

const integer = (value: unknown): number | null => (typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : null);
const entryId = (entry: unknown): string | null => (Array.isArray(entry) && typeof entry[0] === 'string' ? entry[0] : null);

/**
 * The insight commands of streams: XINFO STREAM, GROUPS and CONSUMERS on the command connection.
 * Each names one stream key and is sent with it (see {@link keyedCommand}), so on Redis Cluster
 * it goes straight to the node of the stream's slot.
 */
export function createStreamInsight(redis: Redis | Cluster) {
  const xinfo = (subcommand: string, stream: string, ...rest: string[]) => {
    const key = streamKeys.stream(stream);
    return keyedCommand(redis, 'xinfo', [subcommand, key, ...rest], key);
  };
  return {
    /**
     * The stream's length, first and last ids, and its groups with their consumers, pending
     * entries and lag. null when the key does not exist.
     * @throws AppError BAD_USER_INPUT when the key holds another type.
     */
    async info(stream: string): Promise<StreamInfo | null> {
      let streamReply: unknown;
      let groupsReply: unknown;
      try {
        // Two round trips at once; on a cluster both go to the stream's node.
        [streamReply, groupsReply] = await Promise.all([xinfo('STREAM', stream), xinfo('GROUPS', stream)]);
      } catch (error) {
        // "ERR no such key"
        if (replyErrorCode(error) === 'ERR' && /no such key/i.test((error as Error).message)) return null;
        rethrowStreamError(error, stream);
      }
      const info = fields(streamReply);
      return {
        stream,
        length: integer(info.length) ?? 0,
        firstId: entryId(info['first-entry']),
        lastId: entryId(info['last-entry']),
        lastGeneratedId: String(info['last-generated-id'] ?? '0-0'),
        entriesAdded: integer(info['entries-added']),
        groups: (Array.isArray(groupsReply) ? groupsReply : []).map((reply) => {
          const group = fields(reply);
          return {
            name: String(group.name),
            consumers: integer(group.consumers) ?? 0,
            pending: integer(group.pending) ?? 0,
            lag: integer(group.lag),
            lastDeliveredId: String(group['last-delivered-id'] ?? '0-0'),
            entriesRead: integer(group['entries-read']),
          };
        }),
      };
    },

    /** XINFO CONSUMERS of one group; empty when the stream or group is gone. */
    async consumers(stream: string, group: string): Promise<StreamConsumerInfo[]> {
      let reply: unknown;
      try {
        reply = await xinfo('CONSUMERS', stream, group);
      } catch (error) {
        if (replyErrorCode(error) === 'NOGROUP' || /no such key/i.test((error as Error).message)) return [];
        rethrowStreamError(error, stream, group);
      }
      return (Array.isArray(reply) ? reply : []).map((entry) => {
        const consumer = fields(entry);
        return {
          name: String(consumer.name),
          pending: integer(consumer.pending) ?? 0,
          idleMs: integer(consumer.idle) ?? 0,
          inactiveMs: integer(consumer.inactive),
        };
      });
    },
  };
}

export type StreamInsight = ReturnType<typeof createStreamInsight>;
