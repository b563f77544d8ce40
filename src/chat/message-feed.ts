import type { Context } from '../graphql/context.js';
import { replayThenLive } from '../transport/replay-stream.js';
import { openSharedStream, openSubscriptionQueue } from '../transport/topic-stream.js';
import { type ChatMessage, scoreOfCursor } from './message-codec.js';
import { assertRoomId } from './room-ids.js';

/** Messages read per round trip while a feed replays what the client missed. */
const REPLAY_PAGE_SIZE = 200;

const byPosition = (a: ChatMessage, b: ChatMessage) => a.score - b.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The live messages of one room, or of all the viewer's rooms (including rooms opened later),
 * for `messageAdded`. With `after`, the messages since that cursor come first: the live feed is
 * attached before history is read, and history is read page by page, so nothing falls between
 * the two and nothing is sent twice.
 * @throws AppError BAD_USER_INPUT for a bad room id or cursor, FORBIDDEN for a non-member.
 */
export async function openMessageFeed(
  context: Context,
  options: { roomId: string | null; after: string | null },
): Promise<AsyncIterableIterator<ChatMessage>> {
  const { chat } = context.services;
  const userId = context.session!.userId;
  const { roomId, after } = options;
  if (roomId !== null) {
    assertRoomId(roomId);
    await chat.rooms.assertMember(userId, roomId);
  }
  const afterScore = after === null ? null : scoreOfCursor(after, 'after');
  if (roomId !== null && after === null) {
    // One room, live only: a source every follower of the room shares.
    return openSharedStream<ChatMessage>(context, `chat:room:${roomId}`, async (push) => chat.bus.onRoomMessage(roomId, push));
  }
  const rooms = new Set<string>(roomId === null ? [] : [roomId]);

  const live = await openSubscriptionQueue<ChatMessage>(context, async (push) => {
    const detach: Array<() => void> = [];
    const followed = new Set<string>();
    const follow = (id: string) => {
      if (followed.has(id)) return;
      followed.add(id);
      rooms.add(id);
      detach.push(chat.bus.onRoomMessage(id, push));
    };
    if (roomId !== null) {
      follow(roomId);
    } else {
      // Listen for new rooms first, so that a room opened while we read the list is not missed.
      detach.push(chat.bus.onRoomAdded(userId, follow));
      (await chat.rooms.roomIdsOf(userId)).forEach(follow);
    }
    return () => detach.forEach((stop) => stop());
  });
  if (after === null || afterScore === null) return live;

  return replayThenLive(
    live,
    async (last) => {
      if (roomId !== null) {
        const events = await chat.messages.after(roomId, last?.id ?? after, REPLAY_PAGE_SIZE);
        return { events, more: events.length === REPLAY_PAGE_SIZE };
      }
      const from = last ?? { score: afterScore, id: after };
      const perRoom = await Promise.all([...rooms].map((id) => chat.messages.afterPosition(id, from, REPLAY_PAGE_SIZE)));
      const events = perRoom.flat().sort(byPosition).slice(0, REPLAY_PAGE_SIZE);
      return { events, more: perRoom.some((list) => list.length === REPLAY_PAGE_SIZE) };
    },
    (message) => message.id,
  );
}
