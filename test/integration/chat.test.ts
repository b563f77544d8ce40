import { beforeAll, describe, expect, it } from 'vitest';
import type { ResultOf, VariablesOf } from '@graphql-typed-document-node/core';
import { graphql } from '../gql/index.js';
import { codes, post, postData, signUpUser, subscription, wsClient } from '../support/graphql.js';
import type { TestServer } from '../support/server.js';
import { until } from '../support/wait.js';
import { commandCalls } from '../support/backend.js';
import { useServers } from '../support/servers.js';

const { redis, servers: [a, b] } = useServers({ servers: 2 });

type User = Awaited<ReturnType<typeof signUpUser>>;

const SEND = graphql(`
  mutation ChatSend($roomId: ID!, $text: String!) {
    sendMessage(roomId: $roomId, text: $text) {
      id
      roomId
      text
      createdAt
      from {
        id
        username
      }
    }
  }
`);
const OPEN = graphql(`
  mutation ChatOpen($userId: ID!) {
    openPrivateRoom(userId: $userId) {
      id
      name
      private
    }
  }
`);
const ROOMS = graphql(`
  query ChatRooms {
    rooms {
      id
      name
      private
      lastMessage {
        text
        from {
          username
        }
      }
    }
  }
`);
const PARTNERS = graphql(`
  query ChatPartners {
    rooms {
      id
      partner {
        id
        username
      }
    }
  }
`);
const PAGE = graphql(`
  query ChatPage($roomId: ID!, $first: Int, $after: String, $last: Int, $before: String) {
    messages(roomId: $roomId, first: $first, after: $after, last: $last, before: $before) {
      edges {
        cursor
        node {
          id
          text
          from {
            id
          }
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
    }
  }
`);
/** A page with its authors and their presence: what the web client shows. */
const AUTHORS = graphql(`
  query ChatAuthors($roomId: ID!, $last: Int) {
    messages(roomId: $roomId, last: $last) {
      edges {
        node {
          from {
            id
            username
            online
          }
        }
      }
    }
  }
`);
const ROOM_ADDED = graphql(`
  subscription ChatRoomAdded {
    roomAdded {
      id
      name
      private
    }
  }
`);
const USERS = graphql(`
  query ChatUsers($ids: [ID!]!) {
    users(ids: $ids) {
      id
      username
    }
  }
`);
type MessageNode = ResultOf<typeof SEND>['sendMessage'];
type PageVariables = VariablesOf<typeof PAGE>;

async function send(user: User, roomId: string, text: string, server = a): Promise<MessageNode> {
  return (await postData(server.httpUrl, SEND, { roomId, text }, user.token)).sendMessage;
}

async function page(user: User, variables: PageVariables) {
  return (await postData(a.httpUrl, PAGE, variables, user.token)).messages;
}

/** Resolves once the server has `count` local chat subscriptions set up (registered on the bus). */
async function subscriptionsReady(server: TestServer, count: number) {
  await until(() => server.app.services.subscriptions.size >= count, `${count} chat subscriptions to be set up`);
}

describe('sendMessage', () => {
  it('stores the seed JSON plus a unique id, with the author from the session and a fractional score', async () => {
    const alice = await signUpUser(a.httpUrl, 'alice');
    const message = await send(alice, '0', 'hello <b>world</b> & "friends"');
    expect(message).toMatchObject({ roomId: '0', text: 'hello <b>world</b> & "friends"', from: { id: alice.id, username: alice.username } });
    expect(message.id).toMatch(/^\d{16}-[0-9a-f]{12}$/);
    const [member, score] = await redis.client.zrange('room:0', -1, -1, 'WITHSCORES');
    expect(JSON.parse(member!)).toEqual({ id: message.id, from: Number(alice.id), date: Number(score), message: 'hello <b>world</b> & "friends"', roomId: '0' });
    expect(Number(score) % 1).not.toBe(0);
    expect(new Date(message.createdAt).getTime()).toBeCloseTo(Number(score) * 1000, -1);
  });

  it('keeps identical texts apart and in order, even within one millisecond', async () => {
    const bob = await signUpUser(a.httpUrl, 'bob');
    const before = await redis.client.zcard('room:0');
    const sent = await Promise.all(Array.from({ length: 20 }, () => send(bob, '0', 'same text')));
    expect(await redis.client.zcard('room:0')).toBe(before + 20);
    expect(new Set(sent.map((message) => message.id)).size).toBe(20);
    const stored = await redis.client.zrange('room:0', -20, -1);
    const ids = stored.map((member) => (JSON.parse(member) as { id: string }).id);
    expect(ids).toEqual([...ids].sort());
  });

  it('cannot be sent as someone else', async () => {
    const carol = await signUpUser(a.httpUrl, 'carol');
    // A plain string on purpose: `from` is no argument of sendMessage, which codegen would refuse.
    const spoof = await post(a.httpUrl, 'mutation { sendMessage(roomId: "0", text: "hi", from: "1") { id } }', {}, { token: carol.token });
    expect(codes(spoof)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const message = await send(carol, '0', 'really me');
    expect(message.from.id).toBe(carol.id);
  });

  it.each([
    ['', /empty/],
    ['   \n\t ', /empty/],
    ['x'.repeat(2001), /at most 2000 characters/],
  ])('refuses the text %j', async (text, message) => {
    const dave = await signUpUser(a.httpUrl, 'dave');
    const response = await post(a.httpUrl, SEND, { roomId: '0', text }, { token: dave.token });
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.body.errors?.[0]?.message).toMatch(message);
  });

  it('refuses a malformed room id, and a private room the sender is not in', async () => {
    const [erin, frank, grace] = await Promise.all([signUpUser(a.httpUrl, 'erin'), signUpUser(a.httpUrl, 'frank'), signUpUser(a.httpUrl, 'grace')]);
    expect(codes(await post(a.httpUrl, SEND, { roomId: '9:2', text: 'x' }, { token: erin.token }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await post(a.httpUrl, SEND, { roomId: 'room-1', text: 'x' }, { token: erin.token }))).toEqual(['BAD_USER_INPUT']);
    const room = (await post(a.httpUrl, OPEN, { userId: frank.id }, { token: erin.token })).body.data!.openPrivateRoom;
    const intruder = await post(a.httpUrl, SEND, { roomId: room.id, text: 'let me in' }, { token: grace.token });
    expect(codes(intruder)).toEqual(['FORBIDDEN']);
    expect(await redis.client.zcard(`room:${room.id}`)).toBe(0);
  });

  it('needs a session', async () => {
    expect(codes(await post(a.httpUrl, SEND, { roomId: '0', text: 'anon' }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('openPrivateRoom and rooms', () => {
  it('opens "<a>:<b>" for both users, is idempotent, and names it after the other member', async () => {
    const [hana, ivan] = await Promise.all([signUpUser(a.httpUrl, 'hana'), signUpUser(a.httpUrl, 'ivan')]);
    const [low, high] = [hana.id, ivan.id].sort((x, y) => Number(x) - Number(y));
    const opened = await post(a.httpUrl, OPEN, { userId: ivan.id }, { token: hana.token });
    expect(opened.body.data?.openPrivateRoom).toEqual({ id: `${low}:${high}`, name: ivan.username, private: true });
    const again = await post(a.httpUrl, OPEN, { userId: hana.id }, { token: ivan.token });
    expect(again.body.data?.openPrivateRoom.id).toBe(`${low}:${high}`);
    expect(await redis.client.smembers(`user:${hana.id}:rooms`)).toContain(`${low}:${high}`);
    expect(await redis.client.smembers(`user:${ivan.id}:rooms`)).toContain(`${low}:${high}`);

    await send(ivan, `${low}:${high}`, 'psst');
    const rooms = (await postData(a.httpUrl, ROOMS, {}, hana.token)).rooms;
    expect(rooms[0]).toMatchObject({ id: '0', name: 'General', private: false });
    expect(rooms[1]).toEqual({ id: `${low}:${high}`, name: ivan.username, private: true, lastMessage: { text: 'psst', from: { username: ivan.username } } });
  });

  it('names the other member of a private room as its partner, for each member, and none for General', async () => {
    const [kai, lia] = await Promise.all([signUpUser(a.httpUrl, 'kai'), signUpUser(a.httpUrl, 'lia')]);
    await post(a.httpUrl, OPEN, { userId: lia.id }, { token: kai.token });
    const seenBy = async (user: { token: string }) => (await postData(a.httpUrl, PARTNERS, {}, user.token)).rooms;
    expect(await seenBy(kai)).toEqual([
      { id: '0', partner: null },
      { id: expect.stringContaining(':'), partner: { id: lia.id, username: lia.username } },
    ]);
    expect((await seenBy(lia))[1]?.partner).toEqual({ id: kai.id, username: kai.username });
  });

  it('refuses oneself, an unknown user and a malformed id', async () => {
    const judy = await signUpUser(a.httpUrl, 'judy');
    const self = await post(a.httpUrl, OPEN, { userId: judy.id }, { token: judy.token });
    expect(codes(self)).toEqual(['BAD_USER_INPUT']);
    expect(codes(await post(a.httpUrl, OPEN, { userId: '999999' }, { token: judy.token }))).toEqual(['NOT_FOUND']);
    expect(codes(await post(a.httpUrl, OPEN, { userId: 'abc' }, { token: judy.token }))).toEqual(['BAD_USER_INPUT']);
  });

  it('tells the other user through roomAdded, on another instance', async () => {
    const [kim, lee] = await Promise.all([signUpUser(a.httpUrl, 'kim'), signUpUser(a.httpUrl, 'lee')]);
    const client = wsClient(b.wsUrl, lee.token);
    const sub = subscription(client, ROOM_ADDED);
    await subscriptionsReady(b, 1);
    await post(a.httpUrl, OPEN, { userId: lee.id }, { token: kim.token });
    await sub.waitForEvents(1);
    expect(sub.events[0]?.data?.roomAdded).toMatchObject({ name: kim.username, private: true });
    await client.dispose();
  });
});

describe('messages', () => {
  let owner: User;
  let sent: MessageNode[];
  const roomOf = () => {
    const low = Math.min(Number(owner.id), Number(partner.id));
    const high = Math.max(Number(owner.id), Number(partner.id));
    return `${low}:${high}`;
  };
  let partner: User;

  beforeAll(async () => {
    [owner, partner] = await Promise.all([signUpUser(a.httpUrl, 'pager'), signUpUser(a.httpUrl, 'pagee')]);
    await post(a.httpUrl, OPEN, { userId: partner.id }, { token: owner.token });
    sent = [];
    for (let i = 0; i < 12; i++) sent.push(await send(i % 2 ? partner : owner, roomOf(), `m${i}`));
  });

  it('pages backward from the newest by default, oldest first within the page', async () => {
    const newest = await page(owner, { roomId: roomOf(), last: 5 });
    expect(newest.edges.map((edge) => edge.node.text)).toEqual(['m7', 'm8', 'm9', 'm10', 'm11']);
    expect(newest.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false, startCursor: sent[7]!.id, endCursor: sent[11]!.id });
    const older = await page(owner, { roomId: roomOf(), last: 5, before: newest.pageInfo.startCursor });
    expect(older.edges.map((edge) => edge.node.text)).toEqual(['m2', 'm3', 'm4', 'm5', 'm6']);
    const oldest = await page(owner, { roomId: roomOf(), last: 5, before: older.pageInfo.startCursor });
    expect(oldest.edges.map((edge) => edge.node.text)).toEqual(['m0', 'm1']);
    expect(oldest.pageInfo.hasPreviousPage).toBe(false);
    const byDefault = await page(owner, { roomId: roomOf() });
    expect(byDefault.edges).toHaveLength(12);
  });

  it('pages forward with first/after, and cursors stay valid as new messages arrive', async () => {
    const first = await page(partner, { roomId: roomOf(), first: 4 });
    expect(first.edges.map((edge) => edge.node.text)).toEqual(['m0', 'm1', 'm2', 'm3']);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const cursor = first.pageInfo.endCursor;
    await send(owner, roomOf(), 'late arrival');
    const second = await page(partner, { roomId: roomOf(), first: 4, after: cursor });
    expect(second.edges.map((edge) => edge.node.text)).toEqual(['m4', 'm5', 'm6', 'm7']);
    expect(second.edges.map((edge) => edge.cursor)).toEqual(sent.slice(4, 8).map((message) => message.id));
    const backToStart = await page(partner, { roomId: roomOf(), last: 10, before: second.edges[0]!.cursor });
    expect(backToStart.edges.map((edge) => edge.node.text)).toEqual(['m0', 'm1', 'm2', 'm3']);
  });

  it('is for members only', async () => {
    const outsider = await signUpUser(a.httpUrl, 'outsider');
    const response = await post(a.httpUrl, PAGE, { roomId: roomOf(), last: 5 }, { token: outsider.token });
    expect(codes(response)).toEqual(['FORBIDDEN']);
  });

  it.each([
    [{ first: 101 }, /between 0 and 100/],
    [{ last: -1 }, /between 0 and 100/],
    [{ first: 1, last: 1 }, /either "first" or "last"/],
    [{ first: 1, after: 'nope' }, /not a message cursor/],
    [{ last: 1, before: '123' }, /not a message cursor/],
  ])('refuses %j', async (variables, message) => {
    const response = await post(a.httpUrl, PAGE, { roomId: roomOf(), ...variables }, { token: owner.token });
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.body.errors?.[0]?.message).toMatch(message);
  });

  it('loads the authors of a page in a constant number of Redis commands', async () => {
    const commandCount = (name: string) => commandCalls(redis, name);
    const measure = async (last: number) => {
      const [hget, smismember, sismember] = await Promise.all([commandCount('hget'), commandCount('smismember'), commandCount('sismember')]);
      const response = await post(a.httpUrl, AUTHORS, { roomId: roomOf(), last }, { token: owner.token });
      expect(response.body.data?.messages.edges).toHaveLength(last);
      return [(await commandCount('hget')) - hget, (await commandCount('smismember')) - smismember, (await commandCount('sismember')) - sismember];
    };
    const small = await measure(3);
    const large = await measure(12);
    // Whatever the page size: an HGET for the session and one per author (two), one SMISMEMBER
    // for their presence, one SISMEMBER for the membership check.
    expect(large).toEqual(small);
    expect(large).toEqual([3, 1, 1]);
  });
});

describe('users and onlineUsers', () => {
  it('returns users in the order asked, null for unknown ids', async () => {
    const [one, two] = await Promise.all([signUpUser(a.httpUrl, 'uone'), signUpUser(a.httpUrl, 'utwo')]);
    const response = await post(a.httpUrl, USERS, { ids: [two.id, '987654', one.id] }, { token: one.token });
    expect(response.body.data?.users).toEqual([{ id: two.id, username: two.username }, null, { id: one.id, username: one.username }]);
    const tooMany = await post(a.httpUrl, USERS, { ids: Array.from({ length: 101 }, (_, i) => String(i)) }, { token: one.token });
    expect(codes(tooMany)).toEqual(['BAD_USER_INPUT']);
  });
});
