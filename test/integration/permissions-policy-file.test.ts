import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'graphql-ws';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { codes, post, postData, refusedSubscriptionCodes, signUpUser, subscription, wsClient } from '../support/graphql.js';
import { until } from '../support/wait.js';
import { useServers } from '../support/servers.js';

const dir = mkdtempSync(join(tmpdir(), 'policy-file-'));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

/**
 * Users may not read the history of, trim, or consume from `audit.*` streams (but may follow
 * and append), may not subscribe to `secret.*` channels, and may not take jobs from `payroll.*`.
 */
const DENYING = `rules:
  - description: audit trails are append-only for users
    resources: [stream, group]
    names: ["audit.*"]
    roles: [user]
    actions: [readHistory, trim, consume, stats]
    effect: deny
  - resources: [channel, pattern]
    names: ["secret.*"]
    roles: [user]
    actions: [subscribe]
    effect: deny
  - resources: [queue]
    names: ["payroll.*"]
    roles: [user]
    actions: [dequeue]
    effect: deny
  - resources: "*"
    names: ["*"]
    roles: "*"
    actions: "*"
`;

/** The README's locked-down example: browsers may only subscribe; services write. */
const LOCKED_DOWN = `rules:
  - description: backends do everything
    resources: "*"
    names: ["*"]
    roles: [service, admin]
    actions: "*"
  - description: browsers may subscribe to their own channels and streams
    resources: [channel, pattern, stream]
    names: ["private.{userId}.*"]
    roles: [user]
    actions: [subscribe, readHistory]
  - description: and to public announcements
    resources: [channel]
    names: ["public.*"]
    roles: [user]
    actions: [subscribe]
`;

const {
  redis,
  servers: [denying, locked],
  users: [user],
  runMainToExit,
} = useServers({
  servers: [{ policy: loadConfig({ POLICY_FILE: write('denying.yaml', DENYING) }).policy }, { policy: loadConfig({ POLICY_FILE: write('locked.yaml', LOCKED_DOWN) }).policy }],
  users: ['reader'],
});
const clients: Client[] = [];

afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
});

describe('a policy file that denies a role actions on a name pattern', () => {
  it('is obeyed on every query and mutation that touches them', async () => {
    await redis.client.xgroup('CREATE', 'audit.log', 'g', '0', 'MKSTREAM');
    const denied: Array<[string, Record<string, unknown>, string]> = [
      ['query { events(stream: "audit.log") { edges { cursor } } }', {}, 'readHistory'],
      ['mutation { addEvent(stream: "audit.log", data: { a: "1" }, maxLength: 1) { id } }', {}, 'trim'],
      ['query { pendingEvents(stream: "audit.log", group: "g") { id } }', {}, 'stats'],
      ['mutation { dequeue(queue: "payroll.march") { id } }', {}, 'dequeue'],
    ];
    for (const [query, variables, action] of denied) {
      const response = await post(denying.httpUrl, query, variables, { token: user.token });
      expect(codes(response), query).toEqual(['FORBIDDEN']);
      expect(response.body.errors![0]!.extensions).toMatchObject({ action });
      if (query.includes('audit')) expect(response.body.errors![0]!.message).toContain('audit trails are append-only for users');
    }
    // Trimming was refused before Redis was touched: nothing was appended either.
    expect(await redis.client.xlen('audit.log')).toBe(0);
    const allowed = [
      'mutation { addEvent(stream: "audit.log", data: { a: "1" }) { id } }',
      'mutation { enqueue(queue: "payroll.march", payload: 1) { id } }',
      'query { queueStats(queue: "payroll.march") { waiting } }',
      'mutation { publish(channel: "secret.plans", message: 1) }',
    ];
    for (const query of allowed) expect((await post(denying.httpUrl, query, {}, { token: user.token })).body.errors, query).toBeUndefined();
    // A service is not a `user`: the rules do not apply to it.
    const service = (await denying.app.services.apiKeys.create('auditor', ['service'])).key;
    expect((await post(denying.httpUrl, 'query { events(stream: "audit.log") { edges { cursor } } }', {}, { token: service })).body.errors).toBeUndefined();
  });

  it('is obeyed on every subscription that touches them, patterns included', async () => {
    const refused: Array<[string, Record<string, unknown>]> = [
      ['subscription { events(stream: "audit.log", after: "0") { id } }', {}],
      ['subscription { groupEvents(stream: "audit.log", group: "g", consumer: "c") { id } }', {}],
      ['subscription { channel(name: "secret.plans") { message } }', {}],
      ['subscription($p: String!) { channelPattern(pattern: $p) { message } }', { p: 'secret.*' }],
      ['subscription($p: String!) { channelPattern(pattern: $p) { message } }', { p: 'se*' }],
      ['subscription($p: String!) { channelPattern(pattern: $p) { message } }', { p: '[r-t]ecret.plans' }],
      ['subscription { jobs(queue: "payroll.march") { id } }', {}],
    ];
    for (const [query, variables] of refused) {
      expect((await refusedSubscriptionCodes(denying.wsUrl, user.token, query, variables)).codes, JSON.stringify([query, variables])).toEqual(['FORBIDDEN']);
    }
    // Following an audit stream live is allowed, as are patterns that cannot reach secret.*.
    const client = wsClient(denying.wsUrl, user.token);
    clients.push(client);
    const live = subscription(client, 'subscription { events(stream: "audit.log") { id } }');
    const news = subscription(client, 'subscription { channelPattern(pattern: "news.*") { message } }');
    await until(async () => Number(await redis.client.pubsub('NUMPAT')) > 0 && denying.app.services.subscriptions.size >= 2, 'subscribed');
    await redis.client.xadd('audit.log', '*', 'k', 'v');
    await redis.client.publish('news.today', '1');
    await live.waitForEvents(1);
    await news.waitForEvents(1);
    expect([...live.errorCodes, ...news.errorCodes]).toEqual([]);
  });
});

describe('the locked-down example (browsers may only subscribe; services write)', () => {
  it('lets a service write to a user, the user subscribe, and nothing else', async () => {
    const me = await signUpUser(locked.httpUrl, 'browser');
    const service = (await locked.app.services.apiKeys.create('backend', ['service'])).key;
    for (const query of [
      `mutation { publish(channel: "private.${me.id}.inbox", message: 1) }`,
      'mutation { publish(channel: "public.news", message: 1) }',
      `mutation { addEvent(stream: "private.${me.id}.feed", data: { a: "1" }) { id } }`,
      'mutation { enqueue(queue: "jobs", payload: 1) { id } }',
    ]) {
      expect(codes(await post(locked.httpUrl, query, {}, { token: me.token })), query).toEqual(['FORBIDDEN']);
    }
    const client = wsClient(locked.wsUrl, me.token);
    clients.push(client);
    const inbox = subscription(client, `subscription { channel(name: "private.${me.id}.inbox") { message } }`);
    const feed = subscription(client, `subscription { events(stream: "private.${me.id}.feed", after: "0") { data } }`);
    expect((await refusedSubscriptionCodes(locked.wsUrl, me.token, 'subscription { channel(name: "private.1.inbox") { message } }')).codes).toEqual(['FORBIDDEN']);
    await until(async () => Number((await redis.client.pubsub('NUMSUB', `private.${me.id}.inbox`))[1]) > 0, 'subscribed');
    await postData(locked.httpUrl, `mutation { publish(channel: "private.${me.id}.inbox", message: "export ready") }`, {}, service);
    await postData(locked.httpUrl, `mutation { addEvent(stream: "private.${me.id}.feed", data: { order: "shipped" }) { id } }`, {}, service);
    await inbox.waitForEvents(1);
    await feed.waitForEvents(1);
    expect(inbox.events[0]!.data).toEqual({ channel: { message: 'export ready' } });
    expect(feed.events[0]!.data).toEqual({ events: { data: { order: 'shipped' } } });
  });
});

describe('a bad policy file', () => {
  it('stops the server at start with one clear line per mistake', async () => {
    const bad = write('bad.yaml', 'rules:\n  - resources: [queues]\n    names: ["*"]\n    roles: "*"\n    actions: [pubish]\n');
    const { code, output } = await runMainToExit({ POLICY_FILE: bad });
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toEqual([
      'Invalid configuration:',
      `  POLICY_FILE=${JSON.stringify(bad)}: rules[0].resources[0]: expected one of channel, pattern, stream, group, queue`,
      `  POLICY_FILE=${JSON.stringify(bad)}: rules[0].actions[0]: expected one of subscribe, publish, readHistory, append, trim, createGroup, consume, ack, stats, enqueue, dequeue, deadJobs, pause, resume, inspect, retryDead, purgeDead`,
    ]);
  });
});
