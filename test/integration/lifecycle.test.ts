import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chatKeys } from '../../src/redis/keys.js';
import { CloseCode } from '../support/close-codes.js';
import { openTab, post, signUpUser } from '../support/graphql.js';
import { CHANNEL, ME, PUBLISH } from '../support/operations.js';
import { until } from '../support/wait.js';
import { openRawSocket } from '../support/raw-socket.js';
import { useServers } from '../support/servers.js';

const { redis, server, startMain, runMainToExit } = useServers();

function lines(output: string) {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg: string; level: number });
}

describe('health and readiness', () => {
  // A server on a Redis of its own, which the test stops.
  const { redis: own, server } = useServers();

  it('answers /health always and /ready with 503 while Redis does not answer', async () => {
    const base = server.httpUrl.replace('/graphql', '');
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/ready`)).status).toBe(200);
    const { token } = await signUpUser(server.httpUrl, 'beforeoutage');
    await own.stop();
    expect((await fetch(`${base}/ready`)).status).toBe(503);
    expect((await fetch(`${base}/health`)).status).toBe(200);

    // An operation that fails because Redis is gone is a retryable UNAVAILABLE (503), logged once.
    const failed = await post(server.httpUrl, PUBLISH, { channel: 'down', message: 1 }, { token });
    expect(failed.status).toBe(503);
    expect(failed.body.errors?.map((error) => error.extensions?.code)).toEqual(['UNAVAILABLE']);
    const logged = server.logs.lines.filter((line) => line.includes('redis unavailable: operation'));
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0]!)).toMatchObject({ level: 40, err: { message: expect.any(String) } });
    expect(server.logs.lines.filter((line) => line.includes('"args":[{}]'))).toEqual([]);
  });
});

describe('a Redis outage', () => {
  // A server on a Redis of its own, which the test stops.
  const { redis: own, server } = useServers();

  it('does not take the process down when presence cannot be written', async () => {
    const { token } = await signUpUser(server.httpUrl, 'outage');
    const tab = await openTab(server.wsUrl, token);
    // The connection is recorded (in the background of the ack) before Redis goes.
    await until(async () => (await own.client.smembers(chatKeys.onlineUsers)).length > 0, 'the connection recorded');
    await own.stop();
    // Closing the tab makes presence write to a Redis that is gone.
    await tab.dispose();
    await until(() => server.logs.text.includes('could not record a disconnection for presence'), 'the failed presence write', 15_000);
    const base = server.httpUrl.replace('/graphql', '');
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });
});

describe('GraphiQL', () => {
  it('is served at /graphql to browsers, from local assets, with subscriptions over WebSocket', async () => {
    const response = await fetch(server.httpUrl, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('"subscriptionsProtocol":"WS"');
    expect(html).not.toMatch(/<script[^>]+src="https?:/);
  });
});

describe('main', () => {
  it('closes sockets with 1012 without completing their subscriptions and exits 0 on SIGTERM, logging start and stop', async () => {
    const main = await startMain();
    const { token } = await signUpUser(main.url, 'shutdown');
    const socket = await openRawSocket(main.url.replace('http', 'ws'));
    await socket.init({ authToken: token });
    socket.send({ id: 'live', type: 'subscribe', payload: { query: CHANNEL.toString(), variables: { name: 'bye' } } });
    await until(async () => Number(((await redis.client.pubsub('NUMSUB', 'bye')) as [string, number])[1]) > 0, 'the subscription to reach Redis');
    const started = Date.now();
    main.child.kill('SIGTERM');
    // 1012 (Service Restart) and no `complete`: a retrying client subscribes again elsewhere.
    expect((await socket.closed).code).toBe(CloseCode.ServiceRestart);
    expect(socket.pending.filter((message) => message.id === 'live')).toEqual([]);
    expect(await main.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
    const messages = lines(main.output()).map((line) => line.msg);
    expect(messages.filter((msg) => msg === 'switchboard started')).toHaveLength(1);
    expect(messages.filter((msg) => msg === 'switchboard stopped')).toHaveLength(1);
    // Nothing is subscribed any more: the connection to Redis is closed.
    const [, count] = (await redis.client.pubsub('NUMSUB', 'bye')) as [string, number];
    expect(Number(count)).toBe(0);
  });

  it('starts an embedded redis-server with AOF under REDIS_DATA_DIR when REDIS_URL is absent, and stops it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-data-'));
    const main = await startMain({ REDIS_URL: undefined, REDIS_DATA_DIR: dataDir });
    const { token } = await signUpUser(main.url, 'embedded');
    expect((await post(main.url, ME, {}, { token })).body.data).toMatchObject({ me: {} });
    const port = /"port":(\d+),"dataDir"/.exec(main.output())?.[1];
    expect(port).toBeTruthy();
    main.child.kill('SIGTERM');
    expect(await main.exited).toBe(0);
    // Data was appended to disk, and the embedded server is gone.
    const files = readdirSync(dataDir, { recursive: true }).map(String);
    expect(files.some((file) => file.includes('appendonly'))).toBe(true);
    await expect(fetch(`http://127.0.0.1:${port}`)).rejects.toThrow();
    if (existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses to start with a clear message for each bad variable', async () => {
    const { code, output } = await runMainToExit({ PORT: 'abc', LOG_LEVEL: 'loud' });
    expect(code).toBe(1);
    expect(output).toMatch(/PORT="abc"/);
    expect(output).toMatch(/LOG_LEVEL="loud"/);
  });
});
