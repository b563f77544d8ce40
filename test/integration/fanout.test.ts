import { describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { postData, signUpUser, subscription, wsClient } from '../support/graphql.js';
import { SEND } from '../support/operations.js';
import { until } from '../support/wait.js';
import { useServers } from '../support/servers.js';

const { redis, server } = useServers();

const fanout = () => server.app.services.live.stats();

const CHANNEL = graphql(`
  subscription FanoutChannel($name: String!, $withChannel: Boolean!) {
    channel(name: $name) {
      channel @include(if: $withChannel)
      message
    }
  }
`);
/** `mine` depends on who is looking; the text alone does not. */
const MINE = graphql(`
  subscription FanoutMine {
    messageAdded(roomId: "0") {
      text
      mine
    }
  }
`);
const TEXT = graphql(`
  subscription FanoutText {
    messageAdded(roomId: "0") {
      text
    }
  }
`);
const DATED = graphql(`
  subscription FanoutDated {
    messageAdded(roomId: "0") {
      text
      createdAt
    }
  }
`);

describe('shared execution', () => {
  it('runs one execution per event for many identical subscriptions, across viewers', async () => {
    const users = await Promise.all(Array.from({ length: 3 }, (_, i) => signUpUser(server.httpUrl, `fan${i}`)));
    const clients = users.flatMap((user) => [wsClient(server.wsUrl, user.token), wsClient(server.wsUrl, user.token)]);
    const subs = clients.flatMap((client) =>
      Array.from({ length: 5 }, () => subscription(client, CHANNEL, { name: 'shared-exec', withChannel: false })),
    );
    await until(() => fanout().members >= 30, 'all 30 subscriptions');
    expect(fanout()).toMatchObject({ groups: 1 });
    const before = fanout().executions;
    for (let i = 0; i < 3; i++) await redis.client.publish('shared-exec', JSON.stringify({ i }));
    await Promise.all(subs.map((sub) => sub.waitForEvents(3)));
    expect(fanout().executions - before).toBe(3);
    for (const sub of subs) expect(sub.events.map((event) => event.data)).toEqual([0, 1, 2].map((i) => ({ channel: { message: { i } } })));
    await Promise.all(clients.map((client) => client.dispose()));
    await until(() => fanout().members === 0, 'everyone to leave');
  });

  it('keeps subscriptions with different variables apart', async () => {
    const user = await signUpUser(server.httpUrl, 'vars');
    const client = wsClient(server.wsUrl, user.token);
    const plain = subscription(client, CHANNEL, { name: 'vars', withChannel: false });
    const named = subscription(client, CHANNEL, { name: 'vars', withChannel: true });
    await until(() => fanout().members >= 2, 'both subscriptions');
    expect(fanout()).toMatchObject({ sources: 1, groups: 2 });
    await redis.client.publish('vars', '"x"');
    await Promise.all([plain.waitForEvents(1), named.waitForEvents(1)]);
    expect(plain.events[0]?.data).toEqual({ channel: { message: 'x' } });
    expect(named.events[0]?.data).toEqual({ channel: { channel: 'vars', message: 'x' } });
    await client.dispose();
  });

  it('never shares a result that depends on the viewer', async () => {
    const [ann, ben] = await Promise.all([signUpUser(server.httpUrl, 'ann'), signUpUser(server.httpUrl, 'ben')]);
    const clients = [wsClient(server.wsUrl, ann.token), wsClient(server.wsUrl, ben.token)];
    const mine = clients.map((client) => subscription(client, MINE));
    const text = clients.map((client) => subscription(client, TEXT));
    await until(() => fanout().members >= 4, 'four subscriptions');
    // `mine` depends on the viewer through two classes per message (author, others): one group
    // split per event by class; the plain text is shared: one group.
    expect(fanout()).toMatchObject({ sources: 1, groups: 2 });
    const before = fanout().executions;
    await postData(server.httpUrl, SEND, { roomId: '0', text: 'from ann' }, ann.token);
    await Promise.all([...mine, ...text].map((sub) => sub.waitForEvents(1)));
    expect(mine[0]!.events[0]?.data?.messageAdded).toEqual({ text: 'from ann', mine: true });
    expect(mine[1]!.events[0]?.data?.messageAdded).toEqual({ text: 'from ann', mine: false });
    expect(text.map((sub) => sub.events[0]?.data?.messageAdded)).toEqual([{ text: 'from ann' }, { text: 'from ann' }]);
    // Two executions for `mine` (ann's class, ben's), one for the text.
    expect(fanout().executions - before).toBe(3);
    await Promise.all(clients.map((client) => client.dispose()));
  });

  it('keeps delivering to the others when one unsubscribes mid-stream, and lets go of the source at the end', async () => {
    const user = await signUpUser(server.httpUrl, 'leaver');
    const client = wsClient(server.wsUrl, user.token);
    const subs = Array.from({ length: 3 }, () => subscription(client, CHANNEL, { name: 'midstream', withChannel: false }));
    await until(() => fanout().members >= 3, 'three subscriptions');
    await redis.client.publish('midstream', '{"i":0}');
    await Promise.all(subs.map((sub) => sub.waitForEvents(1)));
    subs[1]!.dispose();
    await until(() => fanout().members === 2, 'one to leave');
    for (let i = 1; i <= 3; i++) await redis.client.publish('midstream', JSON.stringify({ i }));
    await Promise.all([subs[0]!, subs[2]!].map((sub) => sub.waitForEvents(4)));
    expect(subs[1]!.events).toHaveLength(1);
    expect(subs[0]!.events.map((event) => (event.data?.channel.message as { i: number }).i)).toEqual([0, 1, 2, 3]);
    subs[0]!.dispose();
    subs[2]!.dispose();
    await until(() => fanout().sources === 0, 'the source to be released');
    await until(async () => Number(((await redis.client.pubsub('NUMSUB', 'midstream')) as [string, number])[1]) === 0, 'the Redis unsubscribe');
    await client.dispose();
  });

  it('delivers a resolver error to its group only, and keeps the subscription going', async () => {
    const user = await signUpUser(server.httpUrl, 'errors');
    const client = wsClient(server.wsUrl, user.token);
    const dated = subscription(client, DATED);
    const plain = subscription(client, TEXT);
    await until(() => fanout().members >= 2, 'both subscriptions');
    // A foreign server publishes a message whose date no DateTime can show.
    await redis.client.publish('MESSAGES', JSON.stringify({ serverId: 1, type: 'message', data: { from: Number(user.id), date: 1e20, message: 'bad date', roomId: '0' } }));
    await postData(server.httpUrl, SEND, { roomId: '0', text: 'good' }, user.token);
    await Promise.all([dated.waitForEvents(2), plain.waitForEvents(2)]);
    expect(plain.events.map((event) => event.data?.messageAdded.text)).toEqual(['bad date', 'good']);
    expect(dated.events[0]?.data).toBeNull();
    expect(dated.events[0]?.errors?.map((error) => error.extensions?.code)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(dated.events[1]?.data?.messageAdded.text).toBe('good');
    expect(dated.completed).toBe(false);
    await client.dispose();
  });
});
