import { describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { post, postData, subscription, wsClient } from '../support/graphql.js';
import { SEND, SIGN_IN } from '../support/operations.js';
import { SEED_HASH } from '../support/bcrypt-hashes.js';
import type { TestServer } from '../support/server.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';

// A fresh, empty Redis for every test: the demo data is written on an empty database.
const { redis, startServer: start } = useServers({ servers: 0, each: true });

async function signIn(server: TestServer, username: string, password = 'password123') {
  return (await postData(server.httpUrl, SIGN_IN, { u: username, p: password })).signIn;
}

const ROOMS = graphql(`
  query SeedRooms {
    rooms {
      id
      name
      private
      lastMessage {
        text
      }
    }
  }
`);
const PRIVATE_ADDED = graphql(`
  subscription SeedPrivateAdded {
    messageAdded(roomId: "1:2") {
      text
      from {
        id
      }
    }
  }
`);
/** General's first page, from the start, with the authors: what the demo's own web page reads. */
const GENERAL = graphql(`
  query SeedGeneral($after: String) {
    messages(roomId: "0", first: 10, after: $after) {
      edges {
        cursor
        node {
          id
          text
          createdAt
          from {
            id
            username
          }
        }
      }
    }
  }
`);

describe('demo data', () => {
  it('is written exactly once when several instances start together on an empty database', async () => {
    const started = await Promise.all([start({ seedDemo: true }), start({ seedDemo: true }), start({ seedDemo: true })]);
    expect(await redis.client.get('total_users')).toBe('4');
    for (const name of ['Pablo', 'Joe', 'Mary', 'Alex']) expect(await redis.client.get(`username:${name}`)).toMatch(/^user:[1-4]$/);
    expect(await redis.client.get('room:0:name')).toBe('General');

    const pablo = await signIn(started[1]!, 'Pablo');
    const rooms = await post(
      started[2]!.httpUrl,
      ROOMS,
      {},
      { token: pablo.token },
    );
    const list = rooms.body.data!.rooms;
    expect(list[0]).toMatchObject({ id: '0', name: 'General', private: false });
    expect(list.slice(1).map((room) => room.name).sort()).toEqual(['Alex', 'Joe', 'Mary']);
    expect(list.every((room) => room.lastMessage !== null)).toBe(true);
    // Six private rooms between four users, each with its conversation.
    const roomKeys = (await redis.client.keys('room:*')).filter((key) => /^room:\d+:\d+$/.test(key));
    expect(roomKeys).toHaveLength(6);
    expect(await redis.client.zcard('room:0')).toBeGreaterThan(0);
  });

  it('is not written with SEED_DEMO=false, nor when total_users exists', async () => {
    await start({ seedDemo: false });
    expect(await redis.client.exists('total_users')).toBe(0);
    await redis.client.set('total_users', '7');
    await start({ seedDemo: true });
    expect(await redis.client.get('total_users')).toBe('7');
    expect(await redis.client.exists('username:Pablo')).toBe(0);
  });
});

describe('a database written by the seed demo', () => {
  /** The layout the redis-developer demo writes, with plain commands and its own quirks. */
  async function writeSeedLayout() {
    const hash = SEED_HASH;
    const c = redis.client;
    await c.set('total_users', '2');
    await c.set('username:Nick', 'user:1');
    await c.set('username:Ann', '2');
    await c.hset('user:1', { username: 'Nick', password: hash });
    await c.hset('user:2', { username: 'Ann', password: hash });
    await c.sadd('user:1:rooms', '0', '1:2');
    await c.sadd('user:2:rooms', '0', '1:2');
    await c.set('room:0:name', 'General');
    // Python's json.dumps: spaces after separators; `from` an int or a string; dates int or float.
    await c.zadd('room:0', 1615480369, '{"from": 1, "date": 1615480369, "message": "Hello", "roomId": "0"}');
    await c.zadd('room:0', 1615480369, '{"from": 2, "date": 1615480369, "message": "Same second", "roomId": "0"}');
    await c.zadd('room:0', 1615480370.25, '{"from": "2", "date": 1615480370.25, "message": "Hi there", "roomId": "0"}');
    await c.zadd('room:0', 1615480371, 'not a message at all');
    await c.zadd('room:1:2', 1615480400, '{"From": "2", "Date": 1615480400, "Message": "Private hello", "RoomId": "1:2"}');
  }

  it('is served as it is: sign-in, rooms, history, authors', async () => {
    await writeSeedLayout();
    const server = await start({ seedDemo: true });
    expect(await redis.client.get('total_users')).toBe('2');
    const nick = await signIn(server, 'Nick');
    expect(nick.user.id).toBe('1');
    const ann = await signIn(server, 'Ann');
    expect(ann.user.id).toBe('2');

    const rooms = await post(
      server.httpUrl,
      ROOMS,
      {},
      { token: nick.token },
    );
    expect(rooms.body.data?.rooms).toEqual([
      { id: '0', name: 'General', private: false, lastMessage: { text: 'Hi there' } },
      { id: '1:2', name: 'Ann', private: true, lastMessage: { text: 'Private hello' } },
    ]);

    const first = await post(
      server.httpUrl,
      GENERAL,
      {},
      { token: nick.token },
    );
    const edges = first.body.data!.messages.edges;
    expect(edges.map((edge) => [edge.node.text, edge.node.from.username])).toEqual([
      ['Hello', 'Nick'],
      ['Same second', 'Ann'],
      ['Hi there', 'Ann'],
    ]);
    expect(edges[2]!.node.createdAt).toBe('2021-03-11T16:32:50.250Z');
    // Ids of messages stored without one are derived, and stable from one read to the next.
    const again = await post(server.httpUrl, GENERAL, {}, { token: nick.token });
    expect(again.body.data!.messages.edges.map((edge) => edge.cursor)).toEqual(edges.map((edge) => edge.cursor));
    // ... and work as cursors, ties at the same second included.
    const after = await post(
      server.httpUrl,
      GENERAL,
      { after: edges[0]!.cursor },
      { token: nick.token },
    );
    expect(after.body.data!.messages.edges.map((edge) => edge.node.text)).toEqual(['Same second', 'Hi there']);
  });

  it('gets messages the demo can read, and shares the MESSAGES channel with its servers', async () => {
    await writeSeedLayout();
    const server = await start();
    const nick = await signIn(server, 'Nick');
    const ann = await signIn(server, 'Ann');

    // A demo server listening on MESSAGES sees our message in its envelope.
    const demoServer = redis.client.duplicate();
    const envelopes: string[] = [];
    demoServer.on('message', (_channel, message: string) => envelopes.push(message));
    await demoServer.subscribe('MESSAGES');

    const client = wsClient(server.wsUrl, ann.token);
    const sub = subscription(client, PRIVATE_ADDED);
    await until(() => server.app.services.subscriptions.size >= 1, 'the chat subscription to be set up');

    await postData(server.httpUrl, SEND, { roomId: '1:2', text: 'from Switchboard' }, nick.token);
    // The demo's own server publishes a message of its user (no id, int `from`, int date).
    await redis.client.publish(
      'MESSAGES',
      JSON.stringify({ serverId: 4132, type: 'message', data: { from: 2, date: 1700000000, message: 'from the demo', roomId: '1:2' } }),
    );
    await sub.waitForEvents(2);
    expect(sub.events.map((event) => event.data?.messageAdded)).toEqual([
      { text: 'from Switchboard', from: { id: '1' } },
      { text: 'from the demo', from: { id: '2' } },
    ]);

    const [member] = await redis.client.zrange('room:1:2', -1, -1);
    const stored = JSON.parse(member!) as Record<string, unknown>;
    expect(stored).toMatchObject({ from: 1, message: 'from Switchboard', roomId: '1:2' });
    expect(typeof stored.date).toBe('number');

    const messages = () =>
      envelopes.map((text) => JSON.parse(text) as { serverId: unknown; type: string; data: Record<string, unknown> }).filter((envelope) => envelope.type === 'message');
    await until(() => messages().length >= 2, 'both message envelopes on MESSAGES');
    const ours = messages()[0]!;
    expect(typeof ours.serverId).toBe('number');
    expect(ours.type).toBe('message');
    expect(ours.data).toMatchObject({ from: 1, message: 'from Switchboard', roomId: '1:2' });
    demoServer.disconnect();
    await client.dispose();
  });
});
