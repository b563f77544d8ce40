import type { Redis } from 'ioredis';
import { AppError, ErrorCode, badInput } from '../errors/app-error.js';
import { type UserStore, isUserId } from '../accounts/users.js';
import { chatKeys } from '../redis/keys.js';
import type { ChatBus } from './chat-bus.js';
import { type ChatMessage, newMessageId, nextScore } from './message-codec.js';
import type { MessageStore } from './message-store.js';
import { GENERAL_ROOM_ID, GENERAL_ROOM_NAME, assertRoomId, privateRoomId, privateRoomMembers } from './room-ids.js';

/** A room as one user sees it. Private rooms are named after their other member. */
export interface RoomView {
  id: string;
  /** Set for named rooms (General); private rooms resolve their name per viewer. */
  name: string | null;
  private: boolean;
  /** The other member of a private room, from the viewer's side. */
  otherMemberId: string | null;
  lastMessage: ChatMessage | null;
}

/** Rooms and membership, in the seed layout (`user:{id}:rooms`, `room:{id}:name`). */
export interface RoomService {
  /** Whether the user may read and write the room. Everyone is in General. */
  isMember(userId: string, roomId: string): Promise<boolean>;
  /** @throws AppError FORBIDDEN when the user is not a member. */
  assertMember(userId: string, roomId: string): Promise<void>;
  /** The user's room ids, General included. */
  roomIdsOf(userId: string): Promise<string[]>;
  /** The user's rooms with their last messages: General first, then the most recently active. */
  roomsOf(userId: string): Promise<RoomView[]>;
  view(viewerId: string, roomId: string, lastMessage?: ChatMessage | null): Promise<RoomView>;
  /**
   * Opens (or returns) the private room of the viewer and another user, adds it to both users'
   * rooms and tells the other one through `roomAdded`.
   * @throws AppError BAD_USER_INPUT for oneself, NOT_FOUND for an unknown user.
   */
  openPrivate(viewerId: string, otherId: string): Promise<RoomView>;
  /**
   * Sends a message as `authorId` (who must be a member): checks the text, builds the message
   * (a unique id, a fractional score), then stores and publishes it in one step, so that it is
   * never stored without reaching live subscribers.
   * @throws AppError BAD_USER_INPUT for a bad room id or text, FORBIDDEN for a non-member.
   */
  sendMessage(authorId: string, roomId: string, text: string): Promise<ChatMessage>;
}

/** Options of {@link createRoomService}. */
export interface RoomServiceOptions {
  /** Longest message text, in characters (CHAT_MESSAGE_MAX_LENGTH). */
  maxMessageLength: number;
}

export function createRoomService(redis: Redis, users: UserStore, messages: MessageStore, bus: ChatBus, options: RoomServiceOptions): RoomService {
  async function isMember(userId: string, roomId: string): Promise<boolean> {
    if (roomId === GENERAL_ROOM_ID) return true;
    return (await redis.sismember(chatKeys.userRooms(userId), roomId)) === 1;
  }

  async function view(viewerId: string, roomId: string, lastMessage?: ChatMessage | null): Promise<RoomView> {
    const members = privateRoomMembers(roomId);
    const [name, last] = await Promise.all([
      members ? Promise.resolve(null) : redis.get(chatKeys.roomName(roomId)),
      lastMessage === undefined ? messages.lastOf([roomId]).then(([newest]) => newest ?? null) : Promise.resolve(lastMessage),
    ]);
    return {
      id: roomId,
      name: members ? null : (name ?? (roomId === GENERAL_ROOM_ID ? GENERAL_ROOM_NAME : roomId)),
      private: members !== null,
      otherMemberId: members ? (members[0] === viewerId ? members[1] : members[0]) : null,
      lastMessage: last,
    };
  }

  async function roomIdsOf(userId: string): Promise<string[]> {
    const ids = new Set(await redis.smembers(chatKeys.userRooms(userId)));
    ids.add(GENERAL_ROOM_ID);
    return [...ids];
  }

  return {
    isMember,
    async assertMember(userId, roomId) {
      if (!(await isMember(userId, roomId))) {
        throw new AppError(ErrorCode.Forbidden, `You are not a member of room "${roomId}".`);
      }
    },
    roomIdsOf,
    async roomsOf(userId) {
      const ids = await roomIdsOf(userId);
      const lasts = await messages.lastOf(ids);
      const views = await Promise.all(ids.map((id, i) => view(userId, id, lasts[i] ?? null)));
      return views.sort((a, b) => {
        if (a.id === GENERAL_ROOM_ID || b.id === GENERAL_ROOM_ID) return a.id === GENERAL_ROOM_ID ? -1 : 1;
        return (b.lastMessage?.score ?? 0) - (a.lastMessage?.score ?? 0) || a.id.localeCompare(b.id);
      });
    },
    view,
    async openPrivate(viewerId, otherId) {
      if (!isUserId(otherId)) throw badInput(`userId must be a user id (digits); got ${JSON.stringify(otherId.slice(0, 40))}.`, 'userId');
      if (otherId === viewerId) throw badInput('You cannot open a private room with yourself.', 'userId');
      const [viewer, other] = await Promise.all([users.findById(viewerId), users.findById(otherId)]);
      if (!other) throw new AppError(ErrorCode.NotFound, `There is no user with id "${otherId}".`, { field: 'userId' });
      const roomId = privateRoomId(viewerId, otherId);
      // One key per command: the two room sets may live in different cluster slots.
      const [addedForViewer, addedForOther] = await Promise.all([
        redis.sadd(chatKeys.userRooms(viewerId), roomId),
        redis.sadd(chatKeys.userRooms(otherId), roomId),
      ]);
      if (addedForViewer + addedForOther > 0) {
        const [low] = privateRoomMembers(roomId)!;
        const names: [string, string] =
          low === viewerId ? [viewer?.username ?? viewerId, other.username] : [other.username, viewer?.username ?? viewerId];
        await bus.publish({ type: 'room', roomId, memberIds: privateRoomMembers(roomId)! }, names);
      }
      return view(viewerId, roomId);
    },
    async sendMessage(authorId, roomId, text) {
      assertRoomId(roomId);
      const length = [...text].length;
      if (text.trim().length === 0) throw badInput('Message text must not be empty or only spaces.', 'text');
      if (length > options.maxMessageLength) {
        throw badInput(`Message text may be at most ${options.maxMessageLength} characters; got ${length}.`, 'text');
      }
      if (!(await isMember(authorId, roomId))) throw new AppError(ErrorCode.Forbidden, `You are not a member of room "${roomId}".`);
      const score = nextScore();
      const message: ChatMessage = { id: newMessageId(score), roomId, fromId: authorId, text, score };
      await bus.send(message);
      return message;
    },
  };
}
