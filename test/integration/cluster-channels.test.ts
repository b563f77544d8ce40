import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, signUpUser, subscription, wsClient } from '../support/graphql.js';
import { startTestCluster, type TestCluster } from '../support/redis-cluster.js';
import { startClusterTestServer, type TestServer } from '../support/server.js';
import { until } from '../support/wait.js';

// The channels suite's core on a real 3-master + 3-replica Redis Cluster: the server speaks
// Cluster (REDIS_CLUSTER_NODES), `publish` and `channel` round-trip, a plain client's PUBLISH on
// any node reaches subscribers, and /ready reports the cluster's state.

let cluster: TestCluster;
let server: TestServer;
let token: string;

const CHANNEL = 'subscription Channel($name: String!) { channel(name: $name) { channel message } }';
const PUBLISH = 'mutation Publish($channel: String!, $message: JSON!) { publish(channel: $channel, message: $message) }';

beforeAll(async () => {
  cluster = await startTestCluster();
  server = await startClusterTestServer(cluster.seeds);
  ({ token } = await signUpUser(server.httpUrl, 'clch'));
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await cluster?.stop();
});

/** Subscribers of `channel` summed over every node (classic pub/sub: the node a subscriber is on). */
async function clusterSubscribers(channel: string): Promise<number> {
  const counts = await Promise.all(
    cluster.nodes.map((node) => node.client.pubsub('NUMSUB', channel).then((reply) => Number((reply as [string, number])[1]), () => 0)),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}

describe('channels on Redis Cluster', () => {
  it('serves sign-up (keys on several masters) and a publish / channel round-trip', async () => {
    const client = wsClient(server.wsUrl, token);
    const sub = subscription(client, CHANNEL, { name: 'news' });
    await until(async () => (await clusterSubscribers('news')) === 1, 'the subscription on a cluster node');
    const published = await post(server.httpUrl, PUBLISH, { channel: 'news', message: { n: 1 } }, { token });
    expect(published.body).toEqual({ data: { publish: true } });
    await sub.waitForEvents(1);
    expect(sub.events[0]).toEqual({ data: { channel: { channel: 'news', message: { n: 1 } } } });
    await client.dispose();
  });

  it('delivers what a plain client publishes on any node', async () => {
    const client = wsClient(server.wsUrl, token);
    const sub = subscription(client, CHANNEL, { name: 'from-anywhere' });
    await until(async () => (await clusterSubscribers('from-anywhere')) === 1, 'the subscription on a cluster node');
    for (const [index, node] of cluster.nodes.entries()) await node.client.publish('from-anywhere', JSON.stringify({ index }));
    await sub.waitForEvents(cluster.nodes.length);
    expect(sub.events.map((event) => (event.data as { channel: { message: { index: number } } }).channel.message.index)).toEqual(cluster.nodes.map((_, index) => index));
    await client.dispose();
  });

  it('answers /ready with the cluster state', async () => {
    const response = await fetch(new URL('/ready', server.origin));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      redis: { mode: 'cluster', state: 'ok', masters: 3, mastersAnswering: 3, slotsOk: 16_384 },
    });
  });

  it('connects the command client as a Cluster', () => {
    expect(server.app.services.redis).toBeInstanceOf(Cluster);
  });
});
