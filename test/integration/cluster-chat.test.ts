import calculateSlot from 'cluster-key-slot';
import type { Cluster } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { post, postData, subscription } from '../support/graphql.js';
import { commandCalls } from '../support/backend.js';
import { MESSAGE_ADDED_TEXT as ADDED, ONLINE_USERS as ONLINE, PRESENCE, SEND, SIGN_OUT } from '../support/operations.js';
import { openRawSocket } from '../support/raw-socket.js';
import type { ClusterNode } from '../support/redis-cluster.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';

// The chat, presence and sign-out across two instances on a real 3-master + 3-replica cluster, and
// the chat through a CLUSTER FAILOVER and a SIGKILL of the room's master while writers on both
// instances send and subscribers on both listen: every acknowledged message is stored once and
// delivered once to every subscriber, and no subscription is left deaf. With the default settings:
// REDIS_WAIT_REPLICAS=auto acknowledges a message only once the replica of the room's master has
// it (without that, a SIGKILL can take acknowledged messages with the master). The WAITs one by
// one, and the strict rule: cluster-replica-acks.test.ts.

const bed = useServers({ backend: 'cluster', servers: 2, users: ['ann', 'ben', 'cid'] });
const {
  servers: [a, b],
  users: [ann, ben, cid],
} = bed;

const HISTORY = graphql(`
  query ClusterChatHistory($roomId: ID!, $last: Int) {
    messages(roomId: $roomId, last: $last) {
      edges {
        node {
          id
          text
        }
      }
    }
  }
`);

/** The replica of `master` among `nodes` (ROLE). */
async function replicaOf(nodes: ClusterNode[], master: ClusterNode): Promise<ClusterNode> {
  for (const node of nodes) {
    const role = (await node.client.call('ROLE').catch(() => [])) as [string, string, number];
    if (role[0] === 'slave' && role[2] === master.port) return node;
  }
  throw new Error(`no replica of ${master.port}`);
}

type Added = { messageAdded: { id: string; text: string } };
const idsOf = (events: Array<{ data?: unknown }>) => events.filter((event) => event.data).map((event) => (event.data as Added).messageAdded.id);

describe('chat on a cluster, two instances', () => {
  it('delivers a message sent on one instance to subscribers on both, and keeps it in history', async () => {
    const onA = subscription(bed.wsClient(a, ann.token), ADDED, { roomId: '0' });
    const onB = subscription(bed.wsClient(b, ben.token), ADDED, { roomId: '0' });
    // A first message proves both subscriptions live (the server confirms SUBSCRIBE before it answers).
    await until(async () => {
      await postData(a.httpUrl, SEND, { roomId: '0', text: 'ping' }, ann.token);
      return onA.events.length > 0 && onB.events.length > 0;
    }, 'both subscriptions to hear a message');
    const sent = await postData(b.httpUrl, SEND, { roomId: '0', text: 'hello from b' }, ben.token);
    await until(() => idsOf(onA.events).includes(sent.sendMessage.id) && idsOf(onB.events).includes(sent.sendMessage.id), 'the message on both instances');
    const history = await postData(a.httpUrl, HISTORY, { roomId: '0', last: 5 }, ann.token);
    expect(history.messages.edges.map((edge) => edge.node.id)).toContain(sent.sendMessage.id);
  });

  it('shows a user online on both instances while a socket is open on one, and offline after', async () => {
    // The first test's subscriptions stay open: count from here, so that cid connects only once
    // this one is set up (an edge published before would not be shown, and nothing re-reads it).
    const before = a.app.services.subscriptions.size;
    const watcher = subscription(bed.wsClient(a, ann.token), PRESENCE);
    await until(async () => a.app.services.subscriptions.size > before, 'the presence subscription');
    const socket = await openRawSocket(b.wsUrl);
    await socket.init({ authToken: cid.token });
    await until(() => watcher.events.some((event) => JSON.stringify(event.data).includes(`"id":"${cid.id}"`) && JSON.stringify(event.data).includes('"online":true')), 'cid online');
    const online = await postData(a.httpUrl, ONLINE, {}, ann.token);
    expect(online.onlineUsers.map((user) => user.id)).toContain(cid.id);
    socket.close();
    await until(() => watcher.events.some((event) => JSON.stringify(event.data).includes(`"id":"${cid.id}"`) && JSON.stringify(event.data).includes('"online":false')), 'cid offline');
  });

  it('signs a session out on every instance', async () => {
    const user = await bed.signUp('leaver', a);
    const onB = await openRawSocket(b.wsUrl);
    await onB.init({ authToken: user.token });
    expect((await post(a.httpUrl, SIGN_OUT, {}, { token: user.token })).body).toEqual({ data: { signOut: true } });
    expect(await onB.closed).toEqual({ code: 4403, reason: 'Session ended' });
  });
});

describe('chat through failovers', () => {
  it('loses no acknowledged message, duplicates none and leaves no subscriber deaf through CLUSTER FAILOVER and SIGKILL of the room’s master', async () => {
    const { cluster } = bed.redis;
    const room = 'room:0';
    const listeners = [subscription(bed.wsClient(a, ann.token), ADDED, { roomId: '0' }), subscription(bed.wsClient(b, ben.token), ADDED, { roomId: '0' })];
    await until(async () => {
      await postData(a.httpUrl, SEND, { roomId: '0', text: 'warm-up' }, ann.token);
      return listeners.every((listener) => listener.events.length > 0);
    }, 'both subscriptions to hear a message');

    // The default (auto) WAITs for the replica of the room's master behind each message, once the
    // servers' slot tables list it (Redis lists a replica once it reported an offset: the warm-up
    // messages gave it one on this fresh cluster).
    const slot = calculateSlot(room);
    const listed = (server: typeof a) => ((server.app.services.redis as unknown as Cluster).slots[slot]?.length ?? 0) > 1;
    await until(() => listed(a) && listed(b), 'the replica in the servers’ slot tables', 20_000);
    const firstMaster = await cluster.masterOf(room);
    const waitsBefore = await commandCalls(firstMaster.client, 'wait');
    const acked: string[] = [];
    let running = true;
    const writer = async (server: typeof a, token: string, name: string) => {
      for (let index = 0; running; index++) {
        const response = await post(server.httpUrl, SEND, { roomId: '0', text: `${name}-${index}` }, { token }).catch(() => null);
        const id = response?.body.data?.sendMessage.id;
        // Refused while the master was gone: not acknowledged, so nothing is owed.
        if (id) acked.push(id);
      }
    };
    const writers = [writer(a, ann.token, 'a'), writer(b, ben.token, 'b')];
    const ackedAtLeast = (count: number, what: string) => until(() => acked.length >= count, what, 30_000);
    const masterOfRoom = () => cluster.masterOf(room);

    await ackedAtLeast(20, 'messages before the failover');
    expect(await commandCalls(firstMaster.client, 'wait')).toBeGreaterThanOrEqual(waitsBefore + 20);
    // 1. A manual failover: the replica takes over, the old master becomes its replica.
    const first = await masterOfRoom();
    await (await replicaOf(cluster.nodes, first)).client.call('CLUSTER', 'FAILOVER');
    await until(async () => (await masterOfRoom()).port !== first.port, 'the replica to take over', 30_000);
    await ackedAtLeast(acked.length + 20, 'messages after CLUSTER FAILOVER');
    await cluster.waitHealthy(30_000);
    // 2. The new master dies.
    const second = await masterOfRoom();
    await second.kill();
    await until(async () => (await masterOfRoom().catch(() => second)).port !== second.port, 'the failover after SIGKILL', 30_000);
    // The new master has no replica left: auto acknowledges without WAIT (nothing to wait for)
    // until the killed node is back, as a replica of the new master.
    await second.restart();
    await ackedAtLeast(acked.length + 20, 'messages after the SIGKILL');
    running = false;
    await Promise.all(writers);

    // Not deaf: one more message reaches both subscribers.
    const last = await postData(a.httpUrl, SEND, { roomId: '0', text: 'last' }, ann.token);
    await Promise.all(listeners.map((listener) => until(() => idsOf(listener.events).includes(last.sendMessage.id), 'the last message', 30_000)));
    acked.push(last.sendMessage.id);

    // Stored once each (the room's sorted set, as the seed layout keeps it).
    const stored = (await bed.redis.client.zrange(room, 0, -1)).map((member) => (JSON.parse(member) as { id?: string }).id);
    expect(acked.filter((id) => !stored.includes(id))).toEqual([]);
    expect(new Set(stored).size).toBe(stored.length);
    // Delivered once each, to each subscriber, in the end.
    for (const listener of listeners) {
      const delivered = idsOf(listener.events);
      expect(acked.filter((id) => !delivered.includes(id))).toEqual([]);
      expect(new Set(delivered).size).toBe(delivered.length);
      expect(listener.completed).toBe(false);
    }
    expect(acked.length).toBeGreaterThan(60);
    await cluster.waitHealthy(30_000);
  });
});
