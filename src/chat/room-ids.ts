import { badInput } from '../errors/app-error.js';

/** The General room every user is in. */
export const GENERAL_ROOM_ID = '0';
export const GENERAL_ROOM_NAME = 'General';

const PRIVATE_ROOM = /^([0-9]+):([0-9]+)$/;
const NAMED_ROOM = /^[0-9]+$/;

/** The id of the private room of two users: `<a>:<b>`, the smaller id first (as the seed demo). */
export function privateRoomId(userA: string, userB: string): string {
  const [low, high] = [userA, userB].sort((a, b) => Number(a) - Number(b));
  return `${low}:${high}`;
}

/** The two members of a private room id, or null when it is not one. */
export function privateRoomMembers(roomId: string): [string, string] | null {
  const match = PRIVATE_ROOM.exec(roomId);
  return match ? [match[1]!, match[2]!] : null;
}

/**
 * Checks a room id argument: `"0"` (General), another numeric room, or `"<a>:<b>"` with a < b.
 * @throws AppError BAD_USER_INPUT saying what a room id looks like.
 */
export function assertRoomId(roomId: string, field = 'roomId'): void {
  const members = privateRoomMembers(roomId);
  if (members ? Number(members[0]) < Number(members[1]) : NAMED_ROOM.test(roomId)) return;
  throw badInput(
    `Room id must be "0" (General) or "<a>:<b>" with two user ids, the smaller first; got ${JSON.stringify(roomId.slice(0, 40))}.`,
    field,
  );
}
