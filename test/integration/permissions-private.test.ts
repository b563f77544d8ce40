import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { type Operation, codes, openTab, post, postData, refusedSubscriptionCodes, subscription, wsClient } from '../support/graphql.js';
import { ADD_EVENT, CHANNEL, CHANNEL_NAMED, ENQUEUE, OPEN_ROOM, PUBLISH, SEND } from '../support/operations.js';
import { until } from '../support/wait.js';
import { useServers } from '../support/servers.js';

const { redis, servers: [a, b], users: [owner, other] } = useServers({ servers: 2, users: ['owner', 'other'] });
let serviceKey: string;
const clients: Client[] = [];

beforeAll(async () => {
  serviceKey = (await a.app.services.apiKeys.create('billing', ['service'])).key;
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
});

/** An operation of the tables below: one name variable `$n`. */
interface Named {
  field: string;
  action: string;
  query: Operation<unknown, { n: string }>;
  variables: (name: string) => { n: string };
}

/** Every query and mutation that takes a channel, stream, group or queue name, with its action. */
const OPERATIONS: Named[] = [
  { field: 'publish', action: 'publish', query: graphql(`mutation PrivatePublish($n: String!) { publish(channel: $n, message: 1) }`), variables: (n) => ({ n }) },
  { field: 'events', action: 'readHistory', query: graphql(`query PrivateEvents($n: String!) { events(stream: $n) { edges { cursor } } }`), variables: (n) => ({ n }) },
  { field: 'addEvent', action: 'append', query: graphql(`mutation PrivateAddEvent($n: String!) { addEvent(stream: $n, data: { a: "1" }) { id } }`), variables: (n) => ({ n }) },
  { field: 'addEvent(maxLength)', action: 'append', query: graphql(`mutation PrivateAddEventTrimmed($n: String!) { addEvent(stream: $n, data: { a: "1" }, maxLength: 1000) { id } }`), variables: (n) => ({ n }) },
  { field: 'createConsumerGroup', action: 'createGroup', query: graphql(`mutation PrivateCreateGroup($n: String!) { createConsumerGroup(stream: $n, group: $n) }`), variables: (n) => ({ n }) },
  { field: 'pendingEvents', action: 'stats', query: graphql(`query PrivatePending($n: String!) { pendingEvents(stream: $n, group: $n) { id } }`), variables: (n) => ({ n }) },
  { field: 'ackEvents', action: 'ack', query: graphql(`mutation PrivateAckEvents($n: String!) { ackEvents(stream: $n, group: $n, ids: ["1-1"]) }`), variables: (n) => ({ n }) },
  { field: 'enqueue', action: 'enqueue', query: graphql(`mutation PrivateEnqueue($n: String!) { enqueue(queue: $n, payload: { secret: "s3cr3t" }) { id } }`), variables: (n) => ({ n: `${n}.q` }) },
  { field: 'queueLength', action: 'stats', query: graphql(`query PrivateQueueLength($n: String!) { queueLength(queue: $n) }`), variables: (n) => ({ n: `${n}.q` }) },
  { field: 'queueStats', action: 'stats', query: graphql(`query PrivateQueueStats($n: String!) { queueStats(queue: $n) { waiting } }`), variables: (n) => ({ n: `${n}.q` }) },
  { field: 'deadJobs', action: 'deadJobs', query: graphql(`query PrivateDeadJobs($n: String!) { deadJobs(queue: $n) { id } }`), variables: (n) => ({ n: `${n}.q` }) },
  { field: 'dequeue', action: 'dequeue', query: graphql(`mutation PrivateDequeue($n: String!) { dequeue(queue: $n) { id payload } }`), variables: (n) => ({ n: `${n}.q` }) },
  { field: 'ackJob', action: 'ack', query: graphql(`mutation PrivateAckJob($n: String!) { ackJob(queue: $n, id: "00000000-0000-4000-8000-000000000000") }`), variables: (n) => ({ n: `${n}.q` }) },
];

const SUBSCRIPTIONS: Named[] = [
  { field: 'channel', action: 'subscribe', query: graphql(`subscription PrivateChannel($n: String!) { channel(name: $n) { message } }`), variables: (n) => ({ n }) },
  { field: 'channelPattern', action: 'subscribe', query: graphql(`subscription PrivatePattern($n: String!) { channelPattern(pattern: $n) { message } }`), variables: (n) => ({ n: `${n}*` }) },
  { field: 'events', action: 'subscribe', query: graphql(`subscription PrivateFollow($n: String!) { events(stream: $n) { id } }`), variables: (n) => ({ n }) },
  { field: 'events(after)', action: 'subscribe', query: graphql(`subscription PrivateFollowAfter($n: String!) { events(stream: $n, after: "0") { id } }`), variables: (n) => ({ n }) },
  { field: 'groupEvents', action: 'consume', query: graphql(`subscription PrivateGroupEvents($n: String!) { groupEvents(stream: $n, group: $n, consumer: "c") { id } }`), variables: (n) => ({ n }) },
  { field: 'jobs', action: 'dequeue', query: graphql(`subscription PrivateJobs($n: String!) { jobs(queue: $n) { id } }`), variables: (n) => ({ n: `${n}.q` }) },
];

/** Only the pattern's channel: what a pattern subscriber is told. */
const PATTERN_CHANNEL = graphql(`
  subscription PrivatePatternChannel($p: String!) {
    channelPattern(pattern: $p) {
      channel
    }
  }
`);
const CREATE_WORKERS = graphql(`
  mutation PrivateCreateWorkers($s: String!) {
    createConsumerGroup(stream: $s, group: "workers")
  }
`);
/** Only the id: an entry's id is what a consumer is checked by. */
const GROUP_EVENT_IDS = graphql(`
  subscription PrivateGroupEventIds($s: String!, $g: String!, $c: String!) {
    groupEvents(stream: $s, group: $g, consumer: $c) {
      id
    }
  }
`);
const API_KEY_IDENTITY = graphql(`
  query PrivateApiKeyIdentity {
    identity {
      kind
      roles
      name
      expiresAt
    }
  }
`);

describe('names under private.<id>. with the default policy', () => {
  it('are FORBIDDEN to another user on every field, naming the action and the resource, before Redis is touched', async () => {
    const name = `private.${owner.id}.data`;
    const before = (await redis.client.info('commandstats')).match(/cmdstat_(xadd|lpush|xgroup|publish|xrange|llen|xpending|xack|lmove|blmove|evalsha|eval|lrange):calls=\d+/g);
    for (const operation of OPERATIONS) {
      const response = await post(a.httpUrl, operation.query, operation.variables(name), { token: other.token });
      expect(codes(response), operation.field).toEqual(['FORBIDDEN']);
      const error = response.body.errors![0]!;
      expect(error.extensions).toMatchObject({ action: operation.action, name: String(Object.values(operation.variables(name))[0]) });
      expect(error.message).toContain(JSON.stringify(Object.values(operation.variables(name))[0]));
    }
    const after = (await redis.client.info('commandstats')).match(/cmdstat_(xadd|lpush|xgroup|publish|xrange|llen|xpending|xack|lmove|blmove|evalsha|eval|lrange):calls=\d+/g);
    expect(after).toEqual(before);
    expect(await redis.client.exists(name, `${name}.q`)).toBe(0);
    for (const operation of SUBSCRIPTIONS) {
      const refused = await refusedSubscriptionCodes(b.wsUrl, other.token, operation.query, operation.variables(name));
      expect(refused.codes, operation.field).toEqual(['FORBIDDEN']);
      expect(refused.messages[0]).toMatch(new RegExp(`\\(${operation.action} on (channel|pattern|stream|group|queue)\\)`));
    }
    expect(await redis.client.pubsub('NUMPAT')).toBe(0);
  });

  it('work for their owner on every field', async () => {
    const name = `private.${owner.id}.mine`;
    for (const operation of OPERATIONS) {
      const response = await post(a.httpUrl, operation.query, operation.variables(name), { token: owner.token });
      expect(response.body.errors, operation.field).toBeUndefined();
    }
    const client = wsClient(b.wsUrl, owner.token);
    clients.push(client);
    const subs = SUBSCRIPTIONS.map((operation) => ({ operation, sub: subscription(client, operation.query, operation.variables(name)) }));
    // Each subscription receives what is written while it is open.
    await until(async () => Number((await redis.client.pubsub('NUMSUB', name))[1]) > 0 && Number(await redis.client.pubsub('NUMPAT')) > 0, 'subscribed');
    await postData(a.httpUrl, PUBLISH, { channel: name, message: 2 }, owner.token);
    await postData(a.httpUrl, ADD_EVENT, { stream: name, data: { b: '2' } }, owner.token);
    await postData(a.httpUrl, ENQUEUE, { q: `${name}.q`, p: 3 }, owner.token);
    for (const { operation, sub } of subs) {
      await sub.waitForEvents(1);
      expect(sub.errorCodes, operation.field).toEqual([]);
      sub.dispose();
    }
  });

  it('are open to a service API key, whose message its user receives live on another instance', async () => {
    const name = `private.${owner.id}.notifications`;
    const tab = await openTab(b.wsUrl, owner.token);
    clients.push(tab);
    const live = subscription(tab, CHANNEL_NAMED, { name });
    await until(async () => Number((await redis.client.pubsub('NUMSUB', name))[1]) > 0, 'the user subscribed');
    expect(await postData(a.httpUrl, PUBLISH, { channel: name, message: { text: 'your order shipped' } }, serviceKey)).toEqual({ publish: true });
    await live.waitForEvents(1);
    expect(live.events[0]!.data).toEqual({ channel: { channel: name, message: { text: 'your order shipped' } } });
    // And everything else: a service reads and writes every user's names.
    for (const operation of OPERATIONS) {
      const response = await post(a.httpUrl, operation.query, operation.variables(`private.${owner.id}.svc`), { token: serviceKey });
      expect(response.body.errors, operation.field).toBeUndefined();
    }
    live.dispose();
  });

  it('are checked per subscriber while identical subscriptions share one execution', async () => {
    const name = `private.${owner.id}.shared`;
    const ownerTabs = [wsClient(a.wsUrl, owner.token), wsClient(a.wsUrl, owner.token)];
    clients.push(...ownerTabs);
    const subs = ownerTabs.map((tab) => subscription(tab, CHANNEL, { name }));
    await until(async () => Number((await redis.client.pubsub('NUMSUB', name))[1]) > 0 && a.app.services.subscriptions.size >= 1, 'the owner subscribed');
    // The same document and variables from another user joins no group: it is refused at subscribe.
    expect((await refusedSubscriptionCodes(a.wsUrl, other.token, CHANNEL, { name })).codes).toEqual(['FORBIDDEN']);
    await redis.client.publish(name, '"mine"');
    for (const sub of subs) {
      await sub.waitForEvents(1);
      expect(sub.events).toEqual([{ data: { channel: { message: 'mine' } } }]);
      sub.dispose();
    }
  });

  it('keep other names open to every signed-in user, as before', async () => {
    for (const operation of OPERATIONS) {
      const response = await post(a.httpUrl, operation.query, operation.variables('shared.data'), { token: other.token });
      expect(response.body.errors, operation.field).toBeUndefined();
    }
  });

  it('refuse channel patterns that could match another user’s private channels, and grant those that cannot', async () => {
    const query = PATTERN_CHANNEL;
    for (const pattern of ['p*', 'private.*', `private.${owner.id}*`, '?rivate.*', '[o-q]*']) {
      const refused = await refusedSubscriptionCodes(a.wsUrl, other.token, query, { p: pattern });
      expect(refused.codes, pattern).toEqual(['FORBIDDEN']);
    }
    const client = wsClient(a.wsUrl, other.token);
    clients.push(client);
    const granted = subscription(client, query, { p: '[a-o]*' });
    const own = subscription(client, query, { p: `private.${other.id}.*` });
    // Live once what is published now arrives (how many PSUBSCRIBEs serve the two patterns is the
    // pattern router's business: here they share one cover).
    await until(async () => {
      await redis.client.publish('news', '1');
      await redis.client.publish(`private.${other.id}.x`, '1');
      return granted.events.length > 0 && own.events.length > 0;
    }, 'both patterns subscribed');
    granted.dispose();
    own.dispose();
  });
});

describe('consumer names', () => {
  const GROUP_EVENTS = GROUP_EVENT_IDS;

  it('are bound to the first user who reads as them: another user cannot take over their pending entries', async () => {
    const stream = 'shared.orders';
    await postData(a.httpUrl, CREATE_WORKERS, { s: stream }, owner.token);
    const added = await postData(a.httpUrl, ADD_EVENT, { stream, data: { order: '1' } }, owner.token);
    const client = wsClient(a.wsUrl, owner.token);
    const mine = subscription(client, GROUP_EVENTS, { s: stream, g: 'workers', c: 'alice-worker' });
    await mine.waitForEvents(1);
    expect(mine.events[0]!.data).toEqual({ groupEvents: { id: added.addEvent.id } });
    // Alice goes away without acknowledging: the entry stays pending for "alice-worker".
    await client.dispose();

    const stolen = await refusedSubscriptionCodes(b.wsUrl, other.token, GROUP_EVENTS, { s: stream, g: 'workers', c: 'alice-worker' });
    expect(stolen.codes).toEqual(['FORBIDDEN']);
    expect(stolen.messages[0]).toMatch(/consumer "alice-worker".*belongs to another user/);
    const pending = (await redis.client.xpending(stream, 'workers', '-', '+', 10)) as Array<[string, string]>;
    expect(pending.map(([id, consumer]) => [id, consumer])).toEqual([[added.addEvent.id, 'alice-worker']]);

    // Its owner gets it back; the other user reads under a name of its own.
    const again = wsClient(b.wsUrl, owner.token);
    clients.push(again);
    const back = subscription(again, GROUP_EVENTS, { s: stream, g: 'workers', c: 'alice-worker' });
    await back.waitForEvents(1);
    expect(back.events[0]!.data).toEqual({ groupEvents: { id: added.addEvent.id } });
    const otherClient = wsClient(b.wsUrl, other.token);
    clients.push(otherClient);
    const own = subscription(otherClient, GROUP_EVENTS, { s: stream, g: 'workers', c: 'bob-worker' });
    await postData(a.httpUrl, ADD_EVENT, { stream, data: { order: '2' } }, owner.token);
    await until(() => back.events.length + own.events.length >= 2, 'the second entry delivered');
    expect(own.errorCodes).toEqual([]);
    back.dispose();
    own.dispose();
  });

  it('holding entries of a plain Redis client cannot be claimed by a user, but can by a service', async () => {
    const stream = 'shared.plain';
    await redis.client.xgroup('CREATE', stream, 'g', '0', 'MKSTREAM');
    await redis.client.xadd(stream, '*', 'k', 'v');
    await redis.client.xreadgroup('GROUP', 'g', 'backend-1', 'COUNT', 1, 'STREAMS', stream, '>');
    const refused = await refusedSubscriptionCodes(a.wsUrl, other.token, GROUP_EVENTS, { s: stream, g: 'g', c: 'backend-1' });
    expect(refused.codes).toEqual(['FORBIDDEN']);
    const client = wsClient(a.wsUrl, serviceKey);
    clients.push(client);
    const service = subscription(client, GROUP_EVENTS, { s: stream, g: 'g', c: 'backend-1' });
    await service.waitForEvents(1);
    expect(service.errorCodes).toEqual([]);
    service.dispose();
  });
});

describe('API keys and the chat', () => {
  it('an API key is no chat user', async () => {
    const response = await post(a.httpUrl, SEND, { roomId: '0', text: 'hi' }, { token: serviceKey });
    expect(codes(response)).toEqual(['FORBIDDEN']);
    const opened = await post(a.httpUrl, OPEN_ROOM, { userId: owner.id }, { token: serviceKey });
    expect(codes(opened)).toEqual(['FORBIDDEN']);
    const me = await postData(a.httpUrl, API_KEY_IDENTITY, {}, serviceKey);
    expect(me.identity).toEqual({ kind: 'API_KEY', roles: ['service'], name: 'billing', expiresAt: null });
  });
});
