import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'graphql-ws';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type Operation, codes, post, postData, refusedSubscriptionCodes, signUpUser, subscription, wsClient } from '../support/graphql.js';
import { graphql } from '../gql/index.js';
import { ADD_EVENT, CHANNEL, DEQUEUE, ENQUEUE, EVENTS, FOLLOW, GROUP_EVENTS, JOBS, PATTERN, PENDING_EVENTS, PUBLISH, QUEUE_STATS } from '../support/operations.js';
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

const HISTORY = graphql(`
  query PolicyHistory($stream: String!) {
    events(stream: $stream) {
      edges {
        cursor
      }
    }
  }
`);
const TRIMMING_ADD = graphql(`
  mutation PolicyTrimmingAdd($stream: String!, $data: JSON!, $maxLength: Int) {
    addEvent(stream: $stream, data: $data, maxLength: $maxLength) {
      id
    }
  }
`);

afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
});

describe('a policy file that denies a role actions on a name pattern', () => {
  it('is obeyed on every query and mutation that touches them', async () => {
    await redis.client.xgroup('CREATE', 'audit.log', 'g', '0', 'MKSTREAM');
    const as = { token: user.token };
    const denied = [
      ['events audit.log', () => post(denying.httpUrl, HISTORY, { stream: 'audit.log' }, as), 'readHistory'],
      ['addEvent audit.log maxLength 1', () => post(denying.httpUrl, TRIMMING_ADD, { stream: 'audit.log', data: { a: '1' }, maxLength: 1 }, as), 'trim'],
      ['pendingEvents audit.log', () => post(denying.httpUrl, PENDING_EVENTS, { stream: 'audit.log', group: 'g' }, as), 'stats'],
      ['dequeue payroll.march', () => post(denying.httpUrl, DEQUEUE, { q: 'payroll.march' }, as), 'dequeue'],
    ] as const;
    for (const [what, send, action] of denied) {
      const response = await send();
      expect(codes(response), what).toEqual(['FORBIDDEN']);
      expect(response.body.errors![0]!.extensions).toMatchObject({ action });
      if (what.includes('audit')) expect(response.body.errors![0]!.message).toContain('audit trails are append-only for users');
    }
    // Trimming was refused before Redis was touched: nothing was appended either.
    expect(await redis.client.xlen('audit.log')).toBe(0);
    const allowed = [
      ['addEvent audit.log', () => post(denying.httpUrl, ADD_EVENT, { stream: 'audit.log', data: { a: '1' } }, as)],
      ['enqueue payroll.march', () => post(denying.httpUrl, ENQUEUE, { q: 'payroll.march', p: 1 }, as)],
      ['queueStats payroll.march', () => post(denying.httpUrl, QUEUE_STATS, { q: 'payroll.march' }, as)],
      ['publish secret.plans', () => post(denying.httpUrl, PUBLISH, { channel: 'secret.plans', message: 1 }, as)],
    ] as const;
    for (const [what, send] of allowed) expect((await send()).body.errors, what).toBeUndefined();
    // A service is not a `user`: the rules do not apply to it.
    const service = (await denying.app.services.apiKeys.create('auditor', ['service'])).key;
    expect((await post(denying.httpUrl, HISTORY, { stream: 'audit.log' }, { token: service })).body.errors).toBeUndefined();
  });

  it('is obeyed on every subscription that touches them, patterns included', async () => {
    const refusal = <V extends Record<string, unknown>>(query: Operation<unknown, V>, variables: V) => () => refusedSubscriptionCodes(denying.wsUrl, user.token, query, variables);
    const refused = [
      ['events audit.log after 0', refusal(EVENTS, { stream: 'audit.log', after: '0' })],
      ['groupEvents audit.log', refusal(GROUP_EVENTS, { stream: 'audit.log', group: 'g', consumer: 'c' })],
      ['channel secret.plans', refusal(CHANNEL, { name: 'secret.plans' })],
      ['channelPattern secret.*', refusal(PATTERN, { p: 'secret.*' })],
      ['channelPattern se*', refusal(PATTERN, { p: 'se*' })],
      ['channelPattern [r-t]ecret.plans', refusal(PATTERN, { p: '[r-t]ecret.plans' })],
      ['jobs payroll.march', refusal(JOBS, { q: 'payroll.march' })],
    ] as const;
    for (const [what, start] of refused) expect((await start()).codes, what).toEqual(['FORBIDDEN']);
    // Following an audit stream live is allowed, as are patterns that cannot reach secret.*.
    const client = wsClient(denying.wsUrl, user.token);
    clients.push(client);
    const live = subscription(client, EVENTS, { stream: 'audit.log' });
    const news = subscription(client, PATTERN, { p: 'news.*' });
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
    const as = { token: me.token };
    for (const [what, send] of [
      ['publish to its inbox', () => post(locked.httpUrl, PUBLISH, { channel: `private.${me.id}.inbox`, message: 1 }, as)],
      ['publish public.news', () => post(locked.httpUrl, PUBLISH, { channel: 'public.news', message: 1 }, as)],
      ['addEvent to its feed', () => post(locked.httpUrl, ADD_EVENT, { stream: `private.${me.id}.feed`, data: { a: '1' } }, as)],
      ['enqueue jobs', () => post(locked.httpUrl, ENQUEUE, { q: 'jobs', p: 1 }, as)],
    ] as const) {
      expect(codes(await send()), what).toEqual(['FORBIDDEN']);
    }
    const client = wsClient(locked.wsUrl, me.token);
    clients.push(client);
    const inbox = subscription(client, CHANNEL, { name: `private.${me.id}.inbox` });
    const feed = subscription(client, FOLLOW, { stream: `private.${me.id}.feed`, after: '0' });
    expect((await refusedSubscriptionCodes(locked.wsUrl, me.token, CHANNEL, { name: 'private.1.inbox' })).codes).toEqual(['FORBIDDEN']);
    await until(async () => Number((await redis.client.pubsub('NUMSUB', `private.${me.id}.inbox`))[1]) > 0, 'subscribed');
    await postData(locked.httpUrl, PUBLISH, { channel: `private.${me.id}.inbox`, message: 'export ready' }, service);
    await postData(locked.httpUrl, ADD_EVENT, { stream: `private.${me.id}.feed`, data: { order: 'shipped' } }, service);
    await inbox.waitForEvents(1);
    await feed.waitForEvents(1);
    expect(inbox.events[0]!.data).toEqual({ channel: { message: 'export ready' } });
    expect(feed.events[0]!.data?.events.data).toEqual({ order: 'shipped' });
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
      `  POLICY_FILE=${JSON.stringify(bad)}: rules[0].actions[0]: expected one of subscribe, publish, readHistory, append, trim, createGroup, consume, ack, stats, enqueue, dequeue, deadJobs, pause, resume, rateLimit, inspect, retryDead, purgeDead`,
    ]);
  });
});
