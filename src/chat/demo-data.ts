import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { UserStore } from '../accounts/users.js';
import { chatKeys, internalKeys } from '../redis/keys.js';
import { type ChatMessage, newMessageId } from './message-codec.js';
import type { MessageStore } from './message-store.js';
import { GENERAL_ROOM_ID, GENERAL_ROOM_NAME, privateRoomId } from './room-ids.js';

/** The seed demo's users; all share its password. */
export const DEMO_USERS = ['Pablo', 'Joe', 'Mary', 'Alex'] as const;
export const DEMO_PASSWORD = 'password123';
/** Long enough for the slowest seeding; the lock only keeps other instances from seeding too. */
const LOCK_SECONDS = 60;

const GENERAL_MESSAGES: Array<[user: number, text: string]> = [
  [0, 'Hello!'],
  [1, 'Hi Pablo! Welcome to the General room.'],
  [2, 'Hey everyone 👋'],
  [3, 'Has anyone tried the private rooms yet?'],
  [0, 'Not yet. Click a name to open one.'],
];
const PRIVATE_MESSAGES = ['Hey, how are you?', 'Fine, thanks! And you?', 'All good.'];

/**
 * Writes the seed demo's data on first start (when `total_users` is absent): Pablo, Joe, Mary and
 * Alex, the General room, a private room for each pair, and some messages. A lock makes it happen
 * once even when several instances start together.
 * @returns whether this instance wrote it.
 */
export async function seedDemoData(redis: Redis, users: UserStore, messages: MessageStore, logger: Logger): Promise<boolean> {
  if (await redis.exists(chatKeys.totalUsers)) return false;
  const locked = await redis.set(internalKeys.demoSeedLock, String(process.pid), 'EX', LOCK_SECONDS, 'NX');
  if (locked !== 'OK') return false;
  // Another instance may have finished seeding between the first check and the lock.
  if (await redis.exists(chatKeys.totalUsers)) return false;

  await redis.set(chatKeys.roomName(GENERAL_ROOM_ID), GENERAL_ROOM_NAME);
  const created = [];
  for (const name of DEMO_USERS) created.push(await users.create(name, DEMO_PASSWORD));
  const ids = created.map((user) => user.id);

  // Spread over the last hour, oldest first, so that the rooms read like a conversation.
  let score = Date.now() / 1000 - 3600;
  const write = (roomId: string, fromId: string, text: string) => {
    score += 37.5;
    const message: ChatMessage = { id: newMessageId(score), roomId, fromId, text, score };
    return messages.append(message);
  };
  for (const [user, text] of GENERAL_MESSAGES) await write(GENERAL_ROOM_ID, ids[user]!, text);
  for (let a = 0; a < ids.length; a++) {
    for (let b = a + 1; b < ids.length; b++) {
      const roomId = privateRoomId(ids[a]!, ids[b]!);
      await Promise.all([redis.sadd(chatKeys.userRooms(ids[a]!), roomId), redis.sadd(chatKeys.userRooms(ids[b]!), roomId)]);
      for (const [i, text] of PRIVATE_MESSAGES.entries()) await write(roomId, i % 2 === 0 ? ids[a]! : ids[b]!, text);
    }
  }
  logger.info({ users: DEMO_USERS.length }, 'wrote the chat demo data');
  return true;
}
