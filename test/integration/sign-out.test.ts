import { describe, expect, it } from 'vitest';
import { CloseCode } from '../support/close-codes.js';
import { post, signUpUser, subscription, wsClient } from '../support/graphql.js';
import { openRawSocket } from '../support/raw-socket.js';
import { channelSubscribers, keysMatching, killPubSubClients } from '../support/backend.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';
import { CHANNEL, PUBLISH, SIGN_OUT } from '../support/operations.js';

const { redis, servers: [a, b], startServer } = useServers({ servers: 2 });

describe('signOut on one instance', () => {
  it('closes that session’s WebSockets on every instance with 4403, and leaves other sessions alone', async () => {
    const user = await signUpUser(a.httpUrl, 'leaver');
    const other = await signUpUser(a.httpUrl, 'stayer');

    const onA = await openRawSocket(a.wsUrl);
    await onA.init({ authToken: user.token });
    const onB = await openRawSocket(b.wsUrl);
    await onB.init({ authToken: user.token });
    onB.send({ id: 's', type: 'subscribe', payload: { query: CHANNEL, variables: { name: 'after-signout' } } });
    const otherClient = wsClient(b.wsUrl, other.token);
    const otherSub = subscription(otherClient, CHANNEL, { name: 'after-signout' });
    await until(
      async () => (await channelSubscribers(redis, 'after-signout')) > 0 && b.app.services.subscriptions.size >= 2,
      'both subscriptions on B',
    );

    const response = await post(a.httpUrl, SIGN_OUT, {}, { token: user.token });
    expect(response.body).toEqual({ data: { signOut: true } });

    expect(await onA.closed).toEqual({ code: CloseCode.Forbidden, reason: 'Session ended' });
    expect(await onB.closed).toEqual({ code: CloseCode.Forbidden, reason: 'Session ended' });

    // The other user's subscription on B is untouched and still delivers.
    await post(a.httpUrl, PUBLISH, { channel: 'after-signout', message: 1 }, { token: other.token });
    await otherSub.waitForEvents(1);
    expect(otherSub.completed).toBe(false);
    await otherClient.dispose();
  });

  it('ends that session’s SSE subscriptions on another instance', async () => {
    const user = await signUpUser(a.httpUrl, 'sseleaver');
    const response = await fetch(b.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${user.token}` },
      body: JSON.stringify({ query: CHANNEL, variables: { name: 'sse-signout' } }),
    });
    await until(async () => (await channelSubscribers(redis, 'sse-signout')) > 0, 'the SSE subscription to reach Redis');
    await post(a.httpUrl, SIGN_OUT, {}, { token: user.token });
    // The stream completes on its own.
    const text = await response.text();
    expect(text).toContain('event: complete');
  });

  it('ends a session whose sign-out announcement was lost, once the subscriber reconnects', async () => {
    const user = await signUpUser(a.httpUrl, 'lostnews');
    const socket = await openRawSocket(b.wsUrl);
    await socket.init({ authToken: user.token });
    // The session vanishes without any announcement (as when PUBLISH happens while B's
    // subscriber connection is down), then B's subscriber reconnects.
    for (const key of await keysMatching(redis, 'switchboard:session:*')) {
      if ((await redis.client.hget(key, 'userId')) === user.id) await redis.client.del(key);
    }
    await killPubSubClients(redis);
    const killedAt = Date.now();
    expect(await socket.closed).toEqual({ code: CloseCode.Forbidden, reason: 'Session ended' });
    // Well before the periodic check (30 s) would have caught it.
    expect(Date.now() - killedAt).toBeLessThan(5000);
  });

  it('completes SSE subscriptions when their session expires', async () => {
    const short = await startServer({ sessionTtlSeconds: 1 });
    const user = await signUpUser(short.httpUrl, 'sseexpiry');
    const started = Date.now();
    const response = await fetch(short.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${user.token}` },
      body: JSON.stringify({ query: CHANNEL, variables: { name: 'sse-expiry' } }),
    });
    expect(await response.text()).toContain('event: complete');
    expect(Date.now() - started).toBeLessThan(5000);
    await short.stop();
  });

  it('closes a WebSocket when its session expires', async () => {
    const user = await signUpUser(a.httpUrl, 'expires');
    const socket = await openRawSocket(a.wsUrl);
    await socket.init({ authToken: user.token });
    // Shorten the session to 200 ms in Redis, then reconnect so the server sees the new expiry.
    for (const key of await keysMatching(redis, 'switchboard:session:*')) {
      if ((await redis.client.hget(key, 'userId')) === user.id) await redis.client.pexpire(key, 300);
    }
    socket.close();
    const next = await openRawSocket(a.wsUrl);
    await next.init({ authToken: user.token });
    expect(await next.closed).toEqual({ code: CloseCode.Forbidden, reason: 'Session expired' });
  });
});
