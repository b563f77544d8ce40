// `messageAdded(after:)` without a room resumes every room of the viewer page by page (200 a
// round trip): messages that several rooms together hold past one page are all delivered, in
// order, once each.
import { describe, expect, it } from 'vitest';
import { newMessageId } from '../../src/chat/message-codec.js';
import { post, signUpUser, subscription, wsClient } from '../support/graphql.js';
import { MESSAGE_ADDED_TEXT as ADDED, OPEN_ROOM as OPEN, SEND } from '../support/operations.js';
import { useServers } from '../support/servers.js';

const { servers: [a] } = useServers({ servers: 1 });

describe('messageAdded(after:) across rooms', () => {
  it('delivers every message missed in two rooms of 150 each (more than one page together), in order, once each', async () => {
    const [me, one, two] = await Promise.all(['pages-me', 'pages-one', 'pages-two'].map((name) => signUpUser(a.httpUrl, name)));
    const open = async (other: typeof one) => (await post(a.httpUrl, OPEN, { userId: other!.id }, { token: me!.token })).body.data!.openPrivateRoom.id;
    const rooms = [await open(one), await open(two)];
    const sent = await post(a.httpUrl, SEND, { roomId: rooms[0]!, text: 'seen' }, { token: one!.token });
    const seen = sent.body.data!.sendMessage.id;
    // 150 per room, stored after the cursor (interleaved in time), as a client offline meanwhile misses them.
    const { messages } = a.app.services.chat;
    const base = Number(seen.slice(0, 16)) / 1e6 + 1;
    const missed: string[] = [];
    for (let i = 0; i < 300; i++) {
      const score = base + i / 1000;
      const roomId = rooms[i % 2]!;
      const id = newMessageId(score);
      missed.push(id);
      await messages.append({ id, roomId, fromId: (i % 2 === 0 ? one : two)!.id, text: `missed ${i}`, score });
    }
    const client = wsClient(a.wsUrl, me!.token);
    const sub = subscription(client, ADDED, { after: seen });
    await sub.waitForEvents(300);
    const ids = sub.events.map((event) => event.data!.messageAdded.id).filter((id) => id !== seen);
    expect(ids).toEqual(missed);
    await client.dispose();
  });
});
