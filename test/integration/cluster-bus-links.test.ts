import { describe, expect, it } from 'vitest';
import { postData, subscription } from '../support/graphql.js';
import type { ClusterNode } from '../support/redis-cluster.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';

// Classic PUBLISH reaches the server's subscriber node over the cluster bus. When a bus link is
// dropped (a stalled peer, a partition between nodes), Redis throws away what it would have sent
// on it until the link is back, and the subscriber connection, which stayed up, hears nothing of
// it. The server watches its subscriber node's bus links (CLUSTER LINKS) and reports a gap:
// `channel` subscribers get MISSED_MESSAGES and go on, `messageAdded` re-reads what it missed.

const bed = useServers({ backend: 'cluster', users: ['links'] });
const { server } = bed;
const CHANNEL = 'subscription Channel($name: String!) { channel(name: $name) { channel message } }';
const ADDED = 'subscription { messageAdded(roomId: "0") { id text } }';
const SEND = 'mutation Send($roomId: ID!, $text: String!) { sendMessage(roomId: $roomId, text: $text) { id } }';

/** The node the server's subscriber connection is on (by its connection name). */
async function subscriberNode(): Promise<ClusterNode> {
  for (const node of bed.redis.cluster.nodes) {
    if (String(await node.client.call('CLIENT', 'LIST')).includes('name=switchboard:subscriber')) return node;
  }
  throw new Error('no node holds the server’s subscriber');
}

/** On `from`, drops its bus link to `to` and publishes right behind it, before Redis makes the link again. */
async function publishIntoDroppedLink(from: ClusterNode, to: ClusterNode, channel: string, messages: string[]): Promise<void> {
  const toId = String(await to.client.call('CLUSTER', 'MYID'));
  const pipeline = from.client.pipeline().call('DEBUG', 'CLUSTERLINK', 'KILL', 'to', toId);
  for (const message of messages) pipeline.publish(channel, message);
  await pipeline.exec();
}

describe('a cluster bus link into the subscriber’s node dropped', () => {
  it('reports the messages lost on it: MISSED_MESSAGES for `channel`, then live again', async () => {
    const sub = subscription<{ channel: { message: string } }>(bed.wsClient(server, bed.user.token), CHANNEL, { name: 'bus' });
    const home = await subscriberNode();
    const peer = bed.redis.cluster.nodes.find((node) => node.port !== home.port)!;
    // Live, through the peer and the bus.
    await until(async () => {
      await peer.client.publish('bus', '"probe"');
      return sub.events.length > 0;
    }, 'a message from the peer');
    const before = sub.events.length;

    await publishIntoDroppedLink(peer, home, 'bus', ['"lost-1"', '"lost-2"']);
    await until(() => sub.errorCodes.includes('MISSED_MESSAGES'), 'MISSED_MESSAGES', 5000);
    // Redis did drop them: they never came (the error is not a false alarm).
    const texts = () => sub.events.slice(before).map((event) => event.data?.channel.message);
    expect(texts()).not.toContain('lost-1');
    // The subscription goes on: a message from the peer arrives after the error.
    await peer.client.publish('bus', '"after"');
    await until(() => texts().includes('after'), 'the next message');
    expect(sub.completed).toBe(false);
    expect(sub.errorCodes).toEqual(['MISSED_MESSAGES']);
  });

  it('reports a peer that died at once, not only once it is back: MISSED_MESSAGES while it is down, again when it returns', async () => {
    const sub = subscription<{ channel: { message: string } }>(bed.wsClient(server, bed.user.token), CHANNEL, { name: 'peer-down' });
    const home = await subscriberNode();
    // A replica: its death moves no slot, so nothing else (no failover) reports a gap.
    const masters = new Set((await bed.redis.cluster.masters()).map((node) => node.port));
    const peer = bed.redis.cluster.nodes.find((node) => node.port !== home.port && !masters.has(node.port))!;
    await until(async () => {
      await peer.client.publish('peer-down', '"probe"');
      return sub.events.length > 0;
    }, 'a message from the peer');
    expect(sub.errorCodes).toEqual([]);

    // Whatever it published last may not have left it: the loss is reported while it stays down.
    await peer.kill();
    await until(() => sub.errorCodes.length === 1, 'MISSED_MESSAGES with the peer down', 5000);
    expect(sub.errorCodes).toEqual(['MISSED_MESSAGES']);
    await peer.restart();
    await bed.redis.cluster.waitHealthy(30_000);
    // Back with a new link: what it sent before the link was made is reported as well.
    await until(() => sub.errorCodes.length === 2, 'MISSED_MESSAGES for the link made again', 5000);
    const heard = sub.events.length;
    await until(async () => {
      await peer.client.publish('peer-down', '"after"');
      return sub.events.length > heard;
    }, 'the peer heard again');
    expect(sub.errorCodes).toEqual(['MISSED_MESSAGES', 'MISSED_MESSAGES']);
    expect(sub.completed).toBe(false);
  });

  it('lets messageAdded re-read a chat message whose PUBLISH the bus dropped', async () => {
    const sub = subscription<{ messageAdded: { id: string; text: string } }>(bed.wsClient(server, bed.user.token), ADDED);
    await until(async () => {
      await postData(server.httpUrl, SEND, { roomId: '0', text: 'warm-up' }, bed.user.token);
      return sub.events.length > 0;
    }, 'a first message');
    const master = await bed.redis.cluster.masterOf('room:0');
    // The room's PUBLISH must cross the bus: move the subscriber off the room's master (a killed
    // subscriber connection reconnects to another node), and wait until it hears messages again.
    while ((await subscriberNode()).port === master.port) {
      await master.client.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
      await until(async () => (await subscriberNode().catch(() => null)) !== null, 'the subscriber back');
    }
    const home = await subscriberNode();
    const heard = sub.events.length;
    await until(async () => {
      await postData(server.httpUrl, SEND, { roomId: '0', text: 'live again' }, bed.user.token);
      return sub.events.length > heard;
    }, 'messages on the new node');
    // A message stored in the room, whose PUBLISH (in the same script, on the room's master) the
    // dropped link loses: as another instance's sendMessage would be.
    const toId = String(await home.client.call('CLUSTER', 'MYID'));
    const message = JSON.stringify({ id: '9999999999999999-00000000abcd', from: Number(bed.user.id), date: Date.now() / 1000, message: 'over a dropped link', roomId: '0' });
    const envelope = JSON.stringify({ serverId: 7, type: 'message', data: JSON.parse(message) });
    await master.client
      .pipeline()
      .call('DEBUG', 'CLUSTERLINK', 'KILL', 'to', toId)
      .eval("redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2]) return redis.call('PUBLISH', 'MESSAGES', ARGV[3])", 1, 'room:0', String(Date.now() / 1000), message, envelope)
      .exec();
    await until(() => sub.events.some((event) => event.data?.messageAdded.text === 'over a dropped link'), 'the message, re-read after the gap', 5000);
    expect(sub.errorCodes).toEqual([]);
  });
});
