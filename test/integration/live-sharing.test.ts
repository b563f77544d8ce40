// Per-subscriber correctness under sharing (src/live): one group per equal operation, whatever
// the room, cursor or transport, and still each subscriber gets exactly what is its own.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { post, postData, subscription } from '../support/graphql.js';
import { CHANNEL_NAMED as CHANNEL, SEND, SIGN_OUT } from '../support/operations.js';
import { useServers } from '../support/servers.js';
import { openSse } from '../support/sse.js';
import { until } from '../support/wait.js';

/** The web client's subscription: every room of the user, resumable with `after`. */
const WEB = graphql(`
  subscription LiveSharingWeb($after: String) {
    messageAdded(after: $after) {
      id
      roomId
      text
      mine
      from {
        id
        username
        online
      }
    }
  }
`);
const OPEN = graphql(`
  mutation LiveSharingOpen($userId: ID!) {
    openPrivateRoom(userId: $userId) {
      id
    }
  }
`);
/** General's messages with their authors' presence, resolved when each is delivered. */
const ONLINE = graphql(`
  subscription LiveSharingOnline {
    messageAdded(roomId: "0") {
      text
      from {
        username
        online
      }
    }
  }
`);
const PRESENCE = graphql(`
  subscription LiveSharingPresence {
    presence {
      online
    }
  }
`);
const ONLINE_USERS = graphql(`
  query LiveSharingOnlineUsers {
    onlineUsers {
      id
    }
  }
`);

describe('sharing under per-subscriber correctness', () => {
  const bed = useServers({ users: ['ann', 'ben', 'cy'] });
  const live = () => bed.server.app.services.live.stats();

  it('never leaks a private room through the shared all-rooms group, and `mine` is right for the author and everyone else', async () => {
    const [ann, ben, cy] = bed.users;
    const { server } = bed;
    await postData(server.httpUrl, OPEN, { userId: ben.id }, ann.token);
    const clients = [ann, ben, cy].map((user) => bed.wsClient(server, user.token));
    const subs = clients.map((client, i) => subscription(client, WEB, i === 1 ? { after: null } : {}));
    await until(() => live().members === 3, 'three subscriptions');
    // One group for all three, whatever their rooms and cursors.
    expect(live()).toMatchObject({ sources: 1, groups: 1 });
    const before = live().executions;
    const privateRoom = [ann.id, ben.id].sort((x, y) => Number(x) - Number(y)).join(':');
    await postData(server.httpUrl, SEND, { roomId: privateRoom, text: 'just us' }, ann.token);
    await postData(server.httpUrl, SEND, { roomId: '0', text: 'hello all' }, cy.token);
    await Promise.all([subs[0]!.waitForEvents(2), subs[1]!.waitForEvents(2), subs[2]!.waitForEvents(1)]);
    const seen = subs.map((sub) => sub.events.map((event) => [event.data!.messageAdded.text, event.data!.messageAdded.mine]));
    expect(seen[0]).toEqual([['just us', true], ['hello all', false]]);
    expect(seen[1]).toEqual([['just us', false], ['hello all', false]]);
    // cy is not in the private room: its first message is the General one.
    expect(seen[2]).toEqual([['hello all', true]]);
    // Two classes per message (its author, everyone else): two executions each, not one per viewer.
    expect(live().executions - before).toBe(4);

    // A room opened later joins the subscriber's rooms; the other one still sees nothing of it.
    await postData(server.httpUrl, OPEN, { userId: cy.id }, ben.token);
    const benCy = [ben.id, cy.id].sort((x, y) => Number(x) - Number(y)).join(':');
    await until(async () => {
      await postData(server.httpUrl, SEND, { roomId: benCy, text: 'ben to cy' }, ben.token);
      return subs[2]!.events.length > 1;
    }, 'cy to get the new room');
    expect(subs[2]!.events.at(-1)!.data!.messageAdded).toMatchObject({ roomId: benCy, text: 'ben to cy', mine: false });
    expect(subs[0]!.events.map((event) => event.data!.messageAdded.roomId)).not.toContain(benCy);
    await Promise.all(clients.map((client) => client.dispose()));
    await until(() => live().members === 0, 'everyone to leave');
  });

  it('announces a private room through one shared roomAdded group to its two members only, each seeing it as their own', async () => {
    const [ann, ben, cy] = bed.users;
    const { server } = bed;
    const ROOM_ADDED = 'subscription { roomAdded { id name private partner { id } } }';
    type Added = { roomAdded: { id: string; name: string; private: boolean; partner: { id: string } } };
    const clients = [ann, ben, cy].map((user) => bed.wsClient(server, user.token));
    const subs = clients.map((client) => subscription<Added>(client, ROOM_ADDED));
    await until(() => live().members === 3, 'three subscriptions');
    // One source and one group for every user's roomAdded: each user is a partition of it.
    expect(live()).toMatchObject({ sources: 1, groups: 1 });
    const before = live().executions;
    const annCy = [ann.id, cy.id].sort((x, y) => Number(x) - Number(y)).join(':');
    await postData(server.httpUrl, OPEN, { userId: cy.id }, ann.token);
    await Promise.all([subs[0]!.waitForEvents(1), subs[2]!.waitForEvents(1)]);
    expect(subs[0]!.events[0]!.data!.roomAdded).toEqual({ id: annCy, name: cy.username, private: true, partner: { id: cy.id } });
    expect(subs[2]!.events[0]!.data!.roomAdded).toEqual({ id: annCy, name: ann.username, private: true, partner: { id: ann.id } });
    // Each member's own view: one execution per viewer it was opened for, none for ben, who is not
    // in it (its subscription is filtered out by a set look-up, in the same deliveries).
    expect(live().executions - before).toBe(2);
    expect(subs[1]!.events).toEqual([]);
    await Promise.all(clients.map((client) => client.dispose()));
    await until(() => live().members === 0 && live().sources === 0, 'everyone to leave, and the source with them');
  });

  it('replays, then joins the live group, with no gap and no duplicate while messages keep coming', async () => {
    const [ann, ben] = bed.users;
    const { server } = bed;
    const watcher = bed.wsClient(server, ann.token);
    const watching = subscription(watcher, WEB);
    await until(() => live().members === 1, 'the live subscriber');
    const anchor = (await postData(server.httpUrl, SEND, { roomId: '0', text: 'anchor' }, ann.token)).sendMessage.id;
    await watching.waitForEvents(1);
    const sent: string[] = [];
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing || i < 40; i++) {
        sent.push((await postData(server.httpUrl, SEND, { roomId: '0', text: `m${i}` }, ben.token)).sendMessage.id);
      }
    })();
    // Join mid-stream, resuming from the anchor.
    await until(() => sent.length >= 10, 'some history');
    const resumer = bed.wsClient(server, ben.token);
    const resumed = subscription(resumer, WEB, { after: anchor });
    await until(() => resumed.events.length >= 15, 'the replay and some live messages', 20_000);
    writing = false;
    await writer;
    const last = sent.at(-1)!;
    await until(() => resumed.events.some((event) => event.data!.messageAdded.id === last), 'the last message', 20_000);
    const ids = resumed.events.map((event) => event.data!.messageAdded.id);
    expect(ids).toEqual(sent);
    // After its replay the resumer is a member of the watcher's group, and keeps no replayed id
    // (nor its cursor): the bus has delivered every one of them, and never delivers one twice.
    expect(live()).toMatchObject({ groups: 1, members: 2, replayedKeys: 0 });
    expect(resumed.events.every((event) => event.data!.messageAdded.mine)).toBe(true);
    await Promise.all([watcher.dispose(), resumer.dispose()]);
    await until(() => live().members === 0, 'everyone to leave');
  });

  it('never resolves with an earlier execution\u2019s context or a member that has left: loaders are fresh per execution', async () => {
    const [ann, ben, cy] = bed.users;
    const { server } = bed;
    const first = bed.wsClient(server, ann.token);
    const second = bed.wsClient(server, ben.token);
    const leaving = subscription(first, ONLINE);
    const staying = subscription(second, ONLINE);
    await until(() => live().members === 2, 'both subscriptions');
    // cy is online (a WebSocket open) for the first message, offline for the second.
    const cyTab = bed.wsClient(server, cy.token);
    const cyPresence = subscription(cyTab, PRESENCE);
    const onlineIds = async () => (await postData(server.httpUrl, ONLINE_USERS, {}, ann.token)).onlineUsers.map((user) => user.id);
    await until(async () => (await onlineIds()).includes(cy.id), 'cy online');
    await postData(server.httpUrl, SEND, { roomId: '0', text: 'while online' }, cy.token);
    await Promise.all([leaving.waitForEvents(1), staying.waitForEvents(1)]);
    expect(staying.events[0]!.data!.messageAdded.from.online).toBe(true);
    // The group's first member leaves; cy goes offline.
    leaving.dispose();
    await cyPresence.dispose?.();
    await cyTab.dispose();
    await until(() => live().members === 1, 'the first member to leave');
    await until(async () => !(await onlineIds()).includes(cy.id), 'cy offline');
    await postData(server.httpUrl, SEND, { roomId: '0', text: 'while offline' }, cy.token);
    await staying.waitForEvents(2);
    expect(staying.events[1]!.data!.messageAdded).toEqual({ text: 'while offline', from: { username: cy.username, online: false } });
    await Promise.all([first.dispose(), second.dispose()]);
  });

  it('delivers SSE streams through the same group as WebSocket subscribers: one execution per event, one `event: next` frame each', async () => {
    const [ann, ben] = bed.users;
    const { server } = bed;
    const ws = bed.wsClient(server, ann.token);
    const wsSubs = [subscription(ws, CHANNEL, { name: 'sse.shared' }), subscription(ws, CHANNEL, { name: 'sse.shared' })];
    const streams = [openSse(server.httpUrl, CHANNEL, { name: 'sse.shared' }, ben.token), openSse(server.httpUrl, CHANNEL, { name: 'sse.shared' }, ann.token)];
    await until(() => live().members === 4, 'four subscribers');
    expect(live()).toMatchObject({ sources: 1, groups: 1 });
    const before = live().executions;
    for (let i = 0; i < 3; i++) await bed.redis.client.publish('sse.shared', JSON.stringify({ i }));
    await until(() => streams.every((stream) => stream.results.length === 3), 'the SSE streams');
    await Promise.all(wsSubs.map((sub) => sub.waitForEvents(3)));
    expect(live().executions - before).toBe(3);
    for (const stream of streams) {
      expect(stream.results).toEqual([0, 1, 2].map((i) => ({ data: { channel: { channel: 'sse.shared', message: { i } } } })));
      // The stream starts as yoga's does (a comment line), then one frame per event.
      expect(stream.frames[0]).toBe(':');
    }
    await Promise.all(streams.map((stream) => stream.close()));
    await until(() => live().members === 2, 'the SSE streams to leave');
    await ws.dispose();
    await until(() => live().members === 0 && live().sources === 0, 'the source to go');
  });

  it('cuts an SSE stream that stops reading, as the WebSocket transport does, and keeps the others going', async () => {
    const { server } = bed;
    const [ann] = bed.users;
    const healthy = openSse(server.httpUrl, CHANNEL, { name: 'sse.slow' }, ann.token);
    // A client that sends the request and never reads the response.
    const stalled = request(server.httpUrl, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${ann.token}` } });
    let stalledClosed = false;
    let resume: () => void = () => undefined;
    stalled.on('response', (response) => {
      response.pause();
      response.socket.pause();
      resume = () => (response.socket.resume(), response.resume());
      response.on('close', () => (stalledClosed = true));
    });
    stalled.on('error', () => (stalledClosed = true));
    stalled.end(JSON.stringify({ query: CHANNEL.toString(), variables: { name: 'sse.slow' } }));
    await until(() => live().members === 2, 'both streams');
    const message = 'x'.repeat(64 * 1024);
    const total = 200;
    for (let i = 0; i < total; i++) await bed.redis.client.publish('sse.slow', JSON.stringify({ i, message }));
    await until(() => healthy.results.length === total, 'the healthy stream to get everything', 30_000);
    await until(() => server.logs.text.includes('dropped a slow subscriber'), 'the slow-subscriber log line');
    await until(() => live().members === 1, 'the stalled stream to be cut');
    resume();
    await until(() => stalledClosed, 'the stalled connection to close');
    expect(healthy.results.map((result) => (result.data!.channel as { message: { i: number } }).message.i)).toEqual(Array.from({ length: total }, (_, i) => i));
    await healthy.close();
  });

  it('ends an SSE stream with `complete` when its session ends', async () => {
    const { server } = bed;
    const user = await bed.signUp('leaver');
    const stream = openSse(server.httpUrl, CHANNEL, { name: 'sse.session' }, user.token);
    await until(() => live().members === 1, 'the stream');
    expect((await post(server.httpUrl, SIGN_OUT, {}, { token: user.token })).status).toBe(200);
    await until(() => stream.frames.includes('event: complete\ndata:'), 'the complete frame');
    await until(() => live().members === 0, 'the member to go');
    await stream.close();
  });
});
