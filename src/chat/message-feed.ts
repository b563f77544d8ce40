import type { LiveEngine, LiveHandle, LiveSource, OperationInfo } from '../live/engine.js';
import type { Subscriber } from '../live/subscriber.js';
import type { ChatBus } from './chat-bus.js';
import { type ChatMessage, scoreOfCursor } from './message-codec.js';
import type { MessageStore } from './message-store.js';
import { assertRoomId } from './room-ids.js';
import type { RoomService } from './rooms.js';

/** Messages read per round trip while a feed replays what the client missed. */
const REPLAY_PAGE_SIZE = 200;

/** What the chat's live feeds need: the delivery engine and the chat's own services. */
export interface ChatFeedDeps {
  live: LiveEngine;
  bus: ChatBus;
  rooms: Pick<RoomService, 'assertMember' | 'roomIdsOf'>;
  messages: Pick<MessageStore, 'after' | 'afterPosition'>;
}

const byPosition = (a: ChatMessage, b: ChatMessage) => a.score - b.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
/** A message's key for the de-duplication after a replay (module-level: a resumed feed keeps it for its life). */
const messageKey = (message: ChatMessage) => message.id;

/**
 * Every chat message of this process, partitioned by room: one source for every form of
 * `messageAdded`. A room is listened to (on the chat bus, which re-reads it after a pub/sub gap)
 * while at least one subscriber has it among its rooms; each subscriber gets only the events of
 * its own rooms, a set look-up per event.
 */
function messagesSource(bus: ChatBus): LiveSource<ChatMessage> {
  return {
    key: 'chat:messages',
    attach: async () => () => undefined,
    partitionOf: (message) => message.roomId,
    attachPartition: (roomId, emit) => bus.onRoomMessage(roomId, emit),
  };
}

/**
 * The live messages of one room, or of all the viewer's rooms (including rooms opened later),
 * for `messageAdded`: one group per equal operation, whatever the room or cursor. With `after`,
 * the messages since that cursor come first (replayed for this subscriber), then it joins its
 * group's live deliveries: no gap, no duplicate.
 * @throws AppError BAD_USER_INPUT for a bad room id or cursor, FORBIDDEN for a non-member.
 */
export async function openMessageFeed(
  deps: ChatFeedDeps,
  subscriber: Subscriber,
  info: OperationInfo,
  options: { roomId: string | null; after: string | null },
): Promise<AsyncIterableIterator<ChatMessage>> {
  const { bus, rooms, messages, live } = deps;
  const userId = subscriber.viewerId!;
  const { roomId, after } = options;
  if (roomId !== null) {
    assertRoomId(roomId);
    await rooms.assertMember(userId, roomId);
  }
  const afterScore = after === null ? null : scoreOfCursor(after, 'after');
  let handle: LiveHandle<ChatMessage> | null = null;
  /** All rooms: rooms opened before the engine took the subscription (then the engine keeps them). */
  let opened: string[] | null = [];
  // All rooms: listen for new rooms first, so that a room opened while the list is read is not missed.
  const stopRoomsAdded =
    roomId === null
      ? bus.onRoomAdded(userId, (id) => {
          if (handle) handle.addPartition(id);
          else opened?.push(id);
        })
      : null;
  try {
    const initial = roomId === null ? await rooms.roomIdsOf(userId) : [roomId];
    handle = await live.open<ChatMessage>(subscriber, messagesSource(bus), {
      info,
      partitions: [...initial, ...(opened ?? [])],
      onEnd: stopRoomsAdded ?? undefined,
      replay:
        after === null || afterScore === null
          ? undefined
          : {
              keyOf: messageKey,
              knownKeys: [after],
              // Only the ids of replayed messages the bus may still deliver are kept afterwards.
              announcement: (id, roomId) => (roomId === null ? 'may-come' : bus.announcement(roomId, id)),
              // The rooms are the subscriber's partitions: the engine holds them, this feed does not.
              load: async (last, partitions) => {
                if (roomId !== null) {
                  const events = await messages.after(roomId, last?.id ?? after, REPLAY_PAGE_SIZE);
                  return { events, more: events.length === REPLAY_PAGE_SIZE };
                }
                const from = last ?? { score: afterScore, id: after };
                const perRoom = await Promise.all(partitions.map((id) => messages.afterPosition(id, from, REPLAY_PAGE_SIZE)));
                const merged = perRoom.flat().sort(byPosition);
                // More follows when a room had more than it gave, or the rooms together more than
                // a page: the next page reads every room after the last message of this one.
                const more = merged.length > REPLAY_PAGE_SIZE || perRoom.some((list) => list.length === REPLAY_PAGE_SIZE);
                return { events: merged.slice(0, REPLAY_PAGE_SIZE), more };
              },
            },
    });
  } catch (error) {
    stopRoomsAdded?.();
    throw error;
  }
  // Rooms opened while the engine attached.
  for (const id of opened ?? []) handle.addPartition(id);
  opened = null;
  if (handle.ended) stopRoomsAdded?.();
  return handle;
}

/** `presence`: one source, one group per equal operation. */
export function openPresenceFeed(deps: Pick<ChatFeedDeps, 'live' | 'bus'>, subscriber: Subscriber, info: OperationInfo) {
  return deps.live.open<{ userId: string; online: boolean }>(
    subscriber,
    { key: 'chat:presence', attach: async (emit) => deps.bus.onPresence(emit) },
    { info },
  );
}

/** A room opened for a user: what `roomAdded` delivers. */
export interface RoomAdded {
  userId: string;
  roomId: string;
}

/**
 * Rooms opened, by the user they were opened for: one source for every `roomAdded`, partitioned
 * by user (a user's partition is listened to on the bus while one of its subscriptions is open).
 * An idle `roomAdded` costs a partition of one shared source, not a source and a group of its own.
 */
function roomsAddedSource(bus: ChatBus): LiveSource<RoomAdded> {
  return {
    key: 'chat:rooms-added',
    attach: async () => () => undefined,
    partitionOf: (added) => added.userId,
    attachPartition: (userId, emit) => bus.onRoomAdded(userId, (roomId) => emit({ userId, roomId }, 0)),
  };
}

/** `roomAdded`: the user's own partition of the rooms-added source. */
export function openRoomsAddedFeed(deps: Pick<ChatFeedDeps, 'live' | 'bus'>, subscriber: Subscriber, info: OperationInfo, userId: string) {
  return deps.live.open<RoomAdded>(subscriber, roomsAddedSource(deps.bus), { info, partitions: [userId] });
}
