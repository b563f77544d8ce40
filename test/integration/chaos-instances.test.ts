import { createClient, type Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CloseCode } from '../support/close-codes.js';
import { type Operation, postData, signUpUser } from '../support/graphql.js';
import type { MainProcess } from '../support/main-process.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';
import { CHANNEL, MESSAGE_ADDED, SEND, collectSse, startWriter, tally } from '../support/workload.js';

// Instances die and stop under load: retrying graphql-ws clients fail over to the other instance
// and subscribe again there. A resuming client (messageAdded with `after` = the last id it got)
// loses nothing and gets nothing twice.

const { startMain } = useServers({ servers: 0 });
let b: MainProcess;
let writer: Awaited<ReturnType<typeof signUpUser>>;
let reader: Awaited<ReturnType<typeof signUpUser>>;
/** Instances a test started besides B, killed after it. */
const started: MainProcess[] = [];
const measured: Record<string, unknown> = {};

beforeAll(async () => {
  b = await startMain();
  [writer, reader] = await Promise.all([signUpUser(b.url, 'writer'), signUpUser(b.url, 'reader')]);
});

afterEach(() => {
  for (const main of started.splice(0)) main.child.kill('SIGKILL');
});

afterAll(() => {
  console.log(`chaos (instances): ${JSON.stringify(measured)}`);
});

const ws = (url: string) => url.replace('http', 'ws');

/**
 * A browser-like client: it talks to `target()` and, with graphql-ws's retries, reconnects (to
 * whatever `target()` then says) and re-sends its subscriptions. The resuming subscription keeps
 * `after` at the last id it received, so its re-subscription resumes there.
 */
function failoverClient(target: () => string) {
  const closeCodes: number[] = [];
  let completes = 0;
  const client: Client = createClient({
    url: () => ws(target()),
    webSocketImpl: WebSocket,
    connectionParams: { authToken: reader.token },
    retryAttempts: 50,
    retryWait: async () => undefined,
    shouldRetry: () => true,
    on: { closed: (event) => closeCodes.push((event as { code: number }).code) },
  });
  const follow = <T, V extends Record<string, unknown>>(query: Operation<T, V>, variables: V, pick: (data: T) => string, resume = false) => {
    const ids: string[] = [];
    const payload = { query: query.toString(), variables: { ...variables } as Record<string, unknown> };
    client.subscribe<T>(payload, {
      next: (value) => {
        if (!value.data) return;
        const id = pick(value.data);
        ids.push(id);
        if (resume) payload.variables.after = id;
      },
      error: () => undefined,
      complete: () => completes++,
    });
    return ids;
  };
  return {
    client,
    closeCodes,
    follow,
    get completes() {
      return completes;
    },
  };
}

const pickMessage = (data: Record<string, unknown>) => (data.messageAdded as { id: string }).id;

async function failover(name: string, signal: 'SIGTERM' | 'SIGKILL') {
  const a = await startMain();
  started.push(a);
  let target = a.url;
  const channel = `failover.${name}`;
  const anchor = (await postData(b.url, SEND, { roomId: '0', text: `anchor ${name}` }, writer.token)).sendMessage.id;
  const tab = failoverClient(() => target);
  const resumed = tab.follow(MESSAGE_ADDED, { roomId: '0', after: anchor }, pickMessage, true);
  const pubsub = tab.follow(CHANNEL, { name: channel }, (data) => String((data.channel as { message: unknown }).message));
  const sse = collectSse(a.url, reader.token, MESSAGE_ADDED, { roomId: '0' }, pickMessage);
  const writes = startWriter({ url: () => b.url, token: writer.token, roomId: '0', stream: `failover-${name}`, channel });
  await until(() => resumed.length > 0 && pubsub.length > 0 && sse.ids.length > 0, 'subscribers live on A');
  await writes.acknowledged(5);

  target = b.url;
  const publishedBefore = writes.published.length;
  a.child.kill(signal);
  const code = await a.exited;
  await writes.acknowledged(10);
  await writes.stop();
  const last = (await postData(b.url, SEND, { roomId: '0', text: `last ${name}` }, writer.token)).sendMessage.id;
  await until(() => resumed.includes(last), 'the resumed subscription on B has the last message', 20_000);
  // The pure pub/sub subscription goes on on B too (what was published during the switch is gone).
  await until(() => pubsub.some((n) => Number(n) > publishedBefore), 'the channel subscription live on B');

  expect(tally(writes.messages, resumed)).toEqual({ lost: 0, duplicated: 0 });
  // Never told "complete": the client would not have subscribed again.
  expect(tab.completes).toBe(0);
  expect(sse.sawComplete).toBe(false);
  await until(() => sse.ended, 'the SSE stream cut');
  measured[name] = { acknowledgedMessages: writes.messages.length, closeCodes: tab.closeCodes, exitCode: code };
  await tab.client.dispose();
  await sse.close();
  return { code, closeCodes: tab.closeCodes, output: a.output() };
}

describe('instances under load', () => {
  it('SIGTERM: sockets close with 1012 and no complete, SSE streams are cut, clients resume on the other instance', async () => {
    const { code, closeCodes, output } = await failover('sigterm', 'SIGTERM');
    expect(code).toBe(0);
    expect(closeCodes[0]).toBe(CloseCode.ServiceRestart);
    expect(output).toContain('switchboard stopped');
  });

  it('SIGKILL: clients resume on the other instance, nothing acknowledged lost or duplicated', async () => {
    const { closeCodes } = await failover('sigkill', 'SIGKILL');
    expect(closeCodes[0]).toBe(CloseCode.Abnormal);
  });
});
