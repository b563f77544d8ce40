import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CloseCode } from '../support/close-codes.js';
import { codes, post, postData, signUpUser, subscription, wsClient } from '../support/graphql.js';
import { graphql } from '../gql/index.js';
import { CHANNEL, PUBLISH } from '../support/operations.js';
import { openRawSocket } from '../support/raw-socket.js';
import { until } from '../support/wait.js';
import { useServers } from '../support/servers.js';

const run = promisify(execFile);

const { redis, servers: [a, b] } = useServers({ servers: 2 });

/** Runs `npm run apikey -- <args>` as its script does (tsx src/cli/apikey.ts). */
async function apikey(args: string[], env: Record<string, string> = { REDIS_URL: redis.url }) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/apikey.ts', ...args], { env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const IDENTITY = graphql(`
  query ApiKeysIdentity {
    identity {
      kind
      roles
      name
    }
  }
`);
const CREATE_KEY = graphql(`
  mutation ApiKeysCreate($name: String!, $roles: [String!]!) {
    createApiKey(name: $name, roles: $roles) {
      key
      apiKey {
        id
        name
        roles
      }
    }
  }
`);
const LIST_KEYS = graphql(`
  query ApiKeysList {
    apiKeys {
      id
      name
    }
  }
`);
const REVOKE_KEY = graphql(`
  mutation ApiKeysRevoke($id: ID!) {
    revokeApiKey(id: $id)
  }
`);

describe('npm run apikey', () => {
  it('creates a key, printed once alone on stdout, stored only as a hash; lists it; revokes it', async () => {
    const created = await apikey(['create', '--name', 'billing', '--role', 'service']);
    expect(created.code).toBe(0);
    const lines = created.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    const key = lines[0]!;
    expect(key).toMatch(/^sbk_[A-Za-z0-9_-]{43}$/);
    // Only its SHA-256 is stored, anywhere.
    for (const name of await redis.client.keys('*')) {
      const type = await redis.client.type(name);
      const dump = type === 'hash' ? JSON.stringify(await redis.client.hgetall(name)) : type === 'string' ? await redis.client.get(name) : '';
      expect(`${name} ${dump}`).not.toContain(key);
    }
    const identity = await postData(a.httpUrl, IDENTITY, {}, key);
    expect(identity.identity).toEqual({ kind: 'API_KEY', roles: ['service'], name: 'billing' });

    const listed = await apikey(['list']);
    expect(listed.code).toBe(0);
    const [row] = listed.stdout.split('\n').filter((line) => line.includes('\tbilling\t'));
    const id = row!.split('\t')[0]!;
    expect(row).toMatch(new RegExp(`^${id}\\tbilling\\tservice\\t\\d{4}-`));
    expect(listed.stdout).not.toContain(key);

    expect((await apikey(['revoke', id])).code).toBe(0);
    expect(codes(await post(a.httpUrl, PUBLISH, { channel: 'x', message: 1 }, { token: key }))).toEqual(['UNAUTHENTICATED']);
    expect((await apikey(['revoke', id])).code).toBe(1);
  });

  it('says what is wrong with its arguments (exit 2)', async () => {
    for (const args of [['create', '--role', 'service'], ['create', '--name', 'x'], ['create', '--name', 'x', '--role', 'bad role'], ['frobnicate'], ['revoke'], ['create', '--nme', 'x']]) {
      const result = await apikey(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('Usage:');
      expect(result.stdout).toBe('');
    }
    const noRedis = await apikey(['list'], { REDIS_URL: '' });
    expect(noRedis.code).toBe(2);
    expect(noRedis.stderr).toContain('REDIS_URL');
  });
});

describe('npm run apikey on Redis Cluster', () => {
  const clustered = useServers({ backend: 'cluster', servers: 0, cluster: { masters: 3, replicasPerMaster: 0 } });

  it('creates, lists and revokes keys with REDIS_CLUSTER_NODES', async () => {
    const { cluster } = clustered.redis;
    const env = { REDIS_CLUSTER_NODES: cluster.seeds, REDIS_URL: '' };
    const created = await apikey(['create', '--name', 'clustered', '--role', 'service'], env);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout.trim()).toMatch(/^sbk_/);
    const listed = await apikey(['list'], env);
    const id = listed.stdout.split('\t')[0]!;
    expect(listed.stdout).toContain('\tclustered\tservice\t');
    expect((await apikey(['revoke', id], env)).code).toBe(0);
    expect((await apikey(['list'], env)).stdout).toBe('');
  });
});

describe('revoking an API key', () => {
  it('ends its WebSocket connection and SSE subscriptions on the other instance', async () => {
    const created = await apikey(['create', '--name', 'feeder', '--role', 'service']);
    const key = created.stdout.trim();
    const socket = await openRawSocket(b.wsUrl);
    await socket.init({ authToken: key });
    socket.send({ id: '1', type: 'subscribe', payload: { query: CHANNEL.toString(), variables: { name: 'feed' } } });
    const sse = await fetch(b.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: CHANNEL.toString(), variables: { name: 'feed' } }),
    });
    await until(async () => Number((await redis.client.pubsub('NUMSUB', 'feed'))[1]) > 0 && b.app.services.subscriptions.size >= 1, 'subscribed');
    await redis.client.publish('feed', '1');
    const event = await socket.take((message) => message.type === 'next');
    expect(event.payload).toEqual({ data: { channel: { message: 1 } } });

    const id = (await apikey(['list'])).stdout.split('\n').find((line) => line.includes('\tfeeder\t'))!.split('\t')[0]!;
    await apikey(['revoke', id]);
    expect(await socket.closed).toEqual({ code: CloseCode.Forbidden, reason: 'Session ended' });
    expect(await sse.text()).toContain('event: complete');
  });

  it('through the admin-only mutations, which nobody else may use', async () => {
    const admin = (await a.app.services.apiKeys.create('ops', ['admin'])).key;
    const user = await signUpUser(a.httpUrl, 'nosy');
    const service = (await a.app.services.apiKeys.create('svc', ['service'])).key;
    for (const token of [user.token, service]) {
      expect(codes(await post(a.httpUrl, CREATE_KEY, { name: 'x', roles: ['admin'] }, { token }))).toEqual(['FORBIDDEN']);
      expect(codes(await post(a.httpUrl, LIST_KEYS, {}, { token }))).toEqual(['FORBIDDEN']);
      expect(codes(await post(a.httpUrl, REVOKE_KEY, { id: 'x' }, { token }))).toEqual(['FORBIDDEN']);
    }
    const refused = await post(a.httpUrl, LIST_KEYS, {}, { token: user.token });
    expect(refused.body.errors![0]!.message).toContain('needs the role "admin"');

    const bad = await post(a.httpUrl, CREATE_KEY, { name: 'x', roles: [] }, { token: admin });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    const made = await postData(a.httpUrl, CREATE_KEY, { name: 'reports', roles: ['service'] }, admin);
    const { key, apiKey } = made.createApiKey;
    expect(apiKey).toMatchObject({ name: 'reports', roles: ['service'] });
    const listed = await postData(a.httpUrl, LIST_KEYS, {}, admin);
    expect(listed.apiKeys.map((entry) => entry.name)).toContain('reports');

    const client = wsClient(b.wsUrl, key);
    const sub = subscription(client, CHANNEL, { name: 'reports' });
    await until(async () => Number((await redis.client.pubsub('NUMSUB', 'reports'))[1]) > 0, 'subscribed');
    expect(await postData(a.httpUrl, REVOKE_KEY, { id: apiKey.id }, admin)).toEqual({ revokeApiKey: true });
    await sub.waitForEnd();
    expect(await postData(a.httpUrl, REVOKE_KEY, { id: apiKey.id }, admin)).toEqual({ revokeApiKey: false });
    await client.dispose();
  });
});
