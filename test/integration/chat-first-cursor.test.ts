import { describe, expect, it } from 'vitest';
import { BEFORE_FIRST_MESSAGE } from '../../client/src/graphql/resume-cursor.js';
import { postData, subscription } from '../support/graphql.js';
import { useServers } from '../support/servers.js';

// "0" is the message cursor before every message (Message.id's description): a client that holds
// no message yet resumes from it instead of forging an id in the API's format. The web client's
// constant is the one sent here, so the two cannot drift apart.

const bed = useServers({ servers: 1, users: ['ada', 'bob'] });
const { server, users: [ada, bob] } = bed;

const OPEN = 'mutation($userId: ID!) { openPrivateRoom(userId: $userId) { id } }';
const SEND = 'mutation($roomId: ID!, $text: String!) { sendMessage(roomId: $roomId, text: $text) { id } }';
const PAGE = 'query($roomId: ID!, $after: String, $before: String, $first: Int, $last: Int) { messages(roomId: $roomId, after: $after, before: $before, first: $first, last: $last) { edges { node { text } } } }';
const ADDED = 'subscription($roomId: ID, $after: String) { messageAdded(roomId: $roomId, after: $after) { id text } }';

interface Page {
  messages: { edges: Array<{ node: { text: string } }> };
}
const texts = (page: Page) => page.messages.edges.map((edge) => edge.node.text);

describe('the cursor "0"', () => {
  it('pages from the first message, replays a room from it, and sorts before every message id', async () => {
    expect(BEFORE_FIRST_MESSAGE).toBe('0');
    const { openPrivateRoom: room } = await postData<{ openPrivateRoom: { id: string } }>(server.httpUrl, OPEN, { userId: bob.id }, ada.token);
    const sent: string[] = [];
    for (const text of ['first', 'second']) {
      sent.push((await postData<{ sendMessage: { id: string } }>(server.httpUrl, SEND, { roomId: room.id, text }, ada.token)).sendMessage.id);
    }
    for (const id of sent) expect(BEFORE_FIRST_MESSAGE < id).toBe(true);

    expect(texts(await postData<Page>(server.httpUrl, PAGE, { roomId: room.id, after: '0', first: 10 }, bob.token))).toEqual(['first', 'second']);
    expect(texts(await postData<Page>(server.httpUrl, PAGE, { roomId: room.id, before: '0', last: 10 }, bob.token))).toEqual([]);

    const sub = subscription<{ messageAdded: { id: string; text: string } }>(bed.wsClient(server, bob.token), ADDED, { roomId: room.id, after: BEFORE_FIRST_MESSAGE });
    await sub.waitForEvents(2);
    await postData(server.httpUrl, SEND, { roomId: room.id, text: 'third' }, ada.token);
    await sub.waitForEvents(3);
    expect(sub.events.map((event) => event.data?.messageAdded.text)).toEqual(['first', 'second', 'third']);
  });
});
