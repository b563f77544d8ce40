import { describe, expect, it } from 'vitest';
import { CloseCode } from '../support/close-codes.js';
import { post, signUpUser } from '../support/graphql.js';
import { CHANNEL, PUBLISH } from '../support/operations.js';
import { openRawSocket, type RawSocket } from '../support/raw-socket.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';

// The servers here are `npm start` processes (WORKERS=2), started from the bed and killed with it.
const { redis, startMain } = useServers({ servers: 0 });

interface LogLine {
  msg?: string;
  pid?: number;
  worker?: number;
}
const logLines = (output: string): LogLine[] =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

/** The pids the supervisor reported starting, in order. */
const workerPids = (output: string) => logLines(output).filter((line) => line.msg === 'worker started').map((line) => line.pid!);

/** Connections of one role (`switchboard:<role>`) that Redis has now, with their subscription counts. */
async function connectionsOf(role: string): Promise<Array<{ sub: number }>> {
  const list = String(await redis.client.call('CLIENT', 'LIST'));
  return list
    .split('\n')
    .filter((line) => line.includes(` name=switchboard:${role} `))
    .map((line) => ({ sub: Number(/ sub=(\d+)/.exec(line)?.[1] ?? 0) }));
}

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('WORKERS=2', () => {
  it('serves one port from two instances, replaces a worker that dies, and drains both on SIGTERM', { timeout: 60_000 }, async () => {
    const main = await startMain({ WORKERS: '2' });
    await until(() => workerPids(main.output()).length === 2, 'two workers to start');
    await until(async () => (await connectionsOf('command')).length === 2, 'both workers to connect to Redis');
    const { token } = await signUpUser(main.url, 'workers');

    // New connections are handed out round-robin: eight sockets land on both workers.
    const sockets: RawSocket[] = [];
    for (let index = 0; index < 8; index++) {
      const socket = await openRawSocket(main.url.replace('http', 'ws'));
      await socket.init({ authToken: token });
      socket.send({ id: 'live', type: 'subscribe', payload: { query: CHANNEL.toString(), variables: { name: `spread-${index}` } } });
      sockets.push(socket);
    }
    await until(async () => {
      const subscribers = await connectionsOf('subscriber');
      return subscribers.length === 2 && subscribers.reduce((sum, { sub }) => sum + sub, 0) >= 8;
    }, 'eight channel subscriptions in Redis');
    const subscribers = await connectionsOf('subscriber');
    expect(subscribers.every(({ sub }) => sub > 0), 'both workers hold subscriptions').toBe(true);

    // Whichever worker takes the publish, every subscriber on either gets it (through Redis).
    for (let index = 0; index < 8; index++) {
      const published = await post(main.url, PUBLISH, { channel: `spread-${index}`, message: 'hi' }, { token });
      expect(published.body.errors).toBeUndefined();
    }
    for (const socket of sockets) {
      expect(await socket.take((message) => message.id === 'live')).toMatchObject({ type: 'next', payload: { data: { channel: { message: 'hi' } } } });
    }

    // A worker that dies is replaced; the other one goes on serving meanwhile.
    const [doomed] = workerPids(main.output());
    process.kill(doomed!, 'SIGKILL');
    await until(() => logLines(main.output()).some((line) => line.msg === 'worker died; restarting it'), 'the supervisor to notice');
    await until(() => workerPids(main.output()).length === 3, 'a replacement worker');
    await until(async () => (await connectionsOf('command')).length === 2, 'the replacement to connect to Redis');
    const health = await fetch(main.url.replace('/graphql', '/health'));
    expect(health.status).toBe(200);

    // SIGTERM to the primary drains every worker: their sockets close, all processes exit.
    const live = workerPids(main.output()).filter(isRunning);
    expect(live).toHaveLength(2);
    main.child.kill('SIGTERM');
    const survivors = sockets.filter((socket) => socket.socket.readyState === socket.socket.OPEN);
    // Each worker drains as one instance does: 1012 (Service Restart), so clients fail over.
    expect((await Promise.all(survivors.map((socket) => socket.closed))).map(({ code }) => code)).toEqual(survivors.map(() => CloseCode.ServiceRestart));
    expect(await main.exited).toBe(0);
    expect(live.filter(isRunning)).toEqual([]);
    await until(async () => (await connectionsOf('command')).length === 0, 'every worker to close its Redis connections');
    expect(logLines(main.output()).filter((line) => line.msg === 'switchboard stopped')).toHaveLength(2);
  });
});
