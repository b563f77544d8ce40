import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { channels } from '../redis/keys.js';
import type { PubSubHub } from '../redis/pubsub-hub.js';
import { type ChatMessage, decodeMessage, encodeMessage } from './message-codec.js';
import { privateRoomMembers } from './room-ids.js';

/** What travels between servers on the seed's `MESSAGES` channel, decoded. */
export type ChatEvent =
  | { type: 'message'; message: ChatMessage }
  | { type: 'presence'; userId: string; online: boolean; version?: number }
  | { type: 'room'; roomId: string; memberIds: [string, string] };

type Listener<T> = (event: T, bytes: number) => void;

/** The seed envelope's `type` for each event, as the demo's own servers send and expect them. */
const WIRE_TYPE = {
  message: 'message',
  connected: 'user.connected',
  disconnected: 'user.disconnected',
  room: 'show.room',
} as const;

/**
 * The chat's traffic between servers: one process-wide subscription to `MESSAGES`, in the seed's
 * envelope `{"serverId","type","data"}`, so that the original demo's servers and ours can share a
 * Redis. Every instance, the sender included, delivers what arrives here to its local
 * subscribers, so each message reaches each subscriber exactly once.
 */
export interface ChatBus {
  /** Subscribes to `MESSAGES`; resolves once Redis confirms. */
  start(): Promise<void>;
  stop(): void;
  publish(event: ChatEvent, usernames?: [string, string]): Promise<void>;
  /** New messages of one room. */
  onRoomMessage(roomId: string, listener: Listener<ChatMessage>): () => void;
  /** Private rooms opened with one user. */
  onRoomAdded(userId: string, listener: Listener<string>): () => void;
  /** Presence edges of every user. */
  onPresence(listener: Listener<{ userId: string; online: boolean }>): () => void;
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): () => void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
  return () => {
    set.delete(value);
    if (set.size === 0 && map.get(key) === set) map.delete(key);
  };
}

export function createChatBus(redis: Redis, hub: PubSubHub, serverId: number, logger: Logger): ChatBus {
  const roomMessages = new Map<string, Set<Listener<ChatMessage>>>();
  const roomsAdded = new Map<string, Set<Listener<string>>>();
  const presence = new Set<Listener<{ userId: string; online: boolean }>>();
  /** The newest presence edge seen per user (one number per user who was ever online). */
  const presenceVersions = new Map<string, number>();
  let unsubscribe: (() => void) | null = null;

  function receive(payload: string): void {
    let envelope: unknown;
    try {
      envelope = JSON.parse(payload);
    } catch {
      return;
    }
    if (typeof envelope !== 'object' || envelope === null) return;
    const { type, data } = envelope as { type?: unknown; data?: unknown };
    if (typeof data !== 'object' || data === null) return;
    const record = data as Record<string, unknown>;
    const bytes = payload.length;
    if (type === WIRE_TYPE.message) {
      const roomId = record.roomId;
      const date = Number(record.date);
      if (typeof roomId !== 'string' || !Number.isFinite(date)) return;
      const message = decodeMessage(JSON.stringify(record), date, roomId);
      if (!message) return;
      for (const listener of roomMessages.get(roomId) ?? []) listener(message, bytes);
    } else if (type === WIRE_TYPE.connected || type === WIRE_TYPE.disconnected) {
      const userId = String(record.id ?? '');
      if (!/^[0-9]+$/.test(userId)) return;
      // Edges from several instances can arrive out of order: an older one is dropped. Events
      // without a version (the seed demo's servers) always pass.
      const version = Number(record.version);
      if (Number.isSafeInteger(version) && version > 0) {
        if (version <= (presenceVersions.get(userId) ?? 0)) return;
        presenceVersions.set(userId, version);
      }
      const online = type === WIRE_TYPE.connected;
      for (const listener of presence) listener({ userId, online }, bytes);
    } else if (type === WIRE_TYPE.room) {
      const roomId = String(record.id ?? '');
      const members = privateRoomMembers(roomId);
      if (!members) return;
      for (const userId of members) for (const listener of roomsAdded.get(userId) ?? []) listener(roomId, bytes);
    }
  }

  const envelope = (type: string, data: unknown) => JSON.stringify({ serverId, type, data });

  return {
    async start() {
      unsubscribe = await hub.subscribe({ kind: 'channel', name: channels.chatMessages }, ({ payload }) => {
        try {
          receive(payload);
        } catch (error) {
          logger.error({ err: error }, 'could not handle a chat event');
        }
      });
    },
    stop() {
      unsubscribe?.();
      unsubscribe = null;
    },
    async publish(event, usernames) {
      let text: string;
      if (event.type === 'message') {
        text = envelope(WIRE_TYPE.message, JSON.parse(encodeMessage(event.message)));
      } else if (event.type === 'presence') {
        text = envelope(event.online ? WIRE_TYPE.connected : WIRE_TYPE.disconnected, {
          id: event.userId,
          online: event.online,
          ...(event.version ? { version: event.version } : {}),
        });
      } else {
        text = envelope(WIRE_TYPE.room, { id: event.roomId, names: usernames ?? [] });
      }
      await redis.publish(channels.chatMessages, text);
    },
    onRoomMessage: (roomId, listener) => addTo(roomMessages, roomId, listener),
    onRoomAdded: (userId, listener) => addTo(roomsAdded, userId, listener),
    onPresence(listener) {
      presence.add(listener);
      return () => void presence.delete(listener);
    },
  };
}
