import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError, parseArguments } from '../src/cli/consumer.js';
import { post, signUpUser } from './support/graphql.js';
import { startTestRedis, type TestRedis } from './support/redis.js';
import { startTestServer, type TestServer } from './support/server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ADD = 'mutation Add($stream: String!, $data: JSON!) { addEvent(stream: $stream, data: $data) { id } }';

let redis: TestRedis;
let server: TestServer;
let token: string;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startTestServer(redis.url);
  ({ token } = await signUpUser(server.httpUrl, 'producer'));
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await server?.stop();
  await redis?.stop();
});

async function until(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs `npm run consumer -- <args>` as the README shows, without npm in between. */
function startWorker(args: string[], env: Record<string, string | undefined> = { REDIS_URL: redis.url }) {
  // Only what the test gives: an outer REDIS_URL must not leak in.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'REDIS_URL'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/consumer.ts', ...args], {
    cwd: ROOT,
    env: { ...inherited, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const lines: string[] = [];
  let stdoutRest = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const text = stdoutRest + chunk.toString();
    const parts = text.split('\n');
    stdoutRest = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  return {
    child,
    lines,
    get stderr() {
      return stderr;
    },
    exited,
    /** The ids of the entries it printed as processed. */
    processed: () => lines.map((line) => /Processing (\d+-\d+):/.exec(line)?.[1]).filter((id): id is string => Boolean(id)),
    started: () => until(() => stderr.includes('"consumer started"'), 'the worker to start'),
  };
}

async function pendingIds(stream: string, group: string): Promise<string[]> {
  const rows = (await redis.client.xpending(stream, group, '-', '+', 1000)) as Array<[string, string, number, number]>;
  return rows.map(([id]) => id);
}

describe('npm run consumer', () => {
  it("processes the seed's stream end to end: creates the group, prints each entry, acknowledges it, stops on SIGTERM", async () => {
    const before: string[] = [];
    for (let i = 0; i < 5; i++) before.push((await redis.client.xadd('events', '*', 'sensor', 'temp', 'value', String(20 + i))) as string);
    const worker = startWorker(['--stream', 'events', '--group', 'event_consumers', '--consumer-name=worker1']);
    await worker.started();
    await until(() => worker.processed().length === 5, 'the stored entries');
    // New entries from the API and from plain Redis are processed as they come.
    const viaApi = (await post<{ addEvent: { id: string } }>(server.httpUrl, ADD, { stream: 'events', data: { kind: 'click', n: 1 } }, { token })).body
      .data?.addEvent.id as string;
    const viaRedis = (await redis.client.xadd('events', '*', 'sensor', 'door', 'value', 'open')) as string;
    await until(() => worker.processed().length === 7, 'the new entries');
    expect(worker.processed()).toEqual([...before, viaApi, viaRedis]);
    expect(worker.lines[0]).toBe(`[worker1] Processing ${before[0]}: {"sensor":"temp","value":"20"}`);
    expect(worker.lines[5]).toBe(`[worker1] Processing ${viaApi}: {"kind":"click","n":1}`);
    // Every processed entry is acknowledged.
    await until(async () => (await pendingIds('events', 'event_consumers')).length === 0, 'the acknowledgements');

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.stderr).toContain('"consumer stopped"');
  });

  it('on SIGTERM finishes the entry in hand, acknowledges only processed entries and loses none; a restart resumes', async () => {
    const stream = 'slow-work';
    const added: string[] = [];
    for (let i = 0; i < 10; i++) added.push((await redis.client.xadd(stream, '*', 'n', String(i))) as string);
    const args = ['--stream', stream, '--group', 'g', '--name', 'careful', '--batch', '4', '--work-ms', '100'];
    const first = startWorker(args);
    await until(() => first.processed().length >= 2, 'two entries processed');
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const done = first.processed();
    expect(done.length).toBeGreaterThanOrEqual(2);
    expect(done.length).toBeLessThan(10);
    expect(done).toEqual(added.slice(0, done.length));
    // Acknowledged = printed as processed; the entries it had taken ahead stay pending for it.
    const stillPending = await pendingIds(stream, 'g');
    expect(stillPending.some((id) => done.includes(id))).toBe(false);
    const info = (await redis.client.call('XINFO', 'GROUPS', stream)) as unknown[][];
    const lastDelivered = String(info[0]?.[(info[0]?.indexOf('last-delivered-id') ?? 0) + 1]);
    // None lost: each entry is processed, pending, or not yet delivered to anyone.
    for (const id of added) {
      const notDelivered = added.indexOf(id) > added.indexOf(lastDelivered);
      expect(done.includes(id) || stillPending.includes(id) || notDelivered).toBe(true);
    }

    const second = startWorker(args);
    await until(() => second.processed().length === 10 - done.length, 'the rest to be processed');
    // Its own pending entries first, then the rest: every entry processed exactly once overall.
    expect([...done, ...second.processed()]).toEqual(added);
    await until(async () => (await pendingIds(stream, 'g')).length === 0, 'the acknowledgements');
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  });

  it('killed mid-entry (SIGKILL), has acknowledged only entries it printed; the entry in hand comes back on restart', async () => {
    const stream = 'killed-work';
    const added: string[] = [];
    for (let i = 0; i < 3; i++) added.push((await redis.client.xadd(stream, '*', 'n', String(i))) as string);
    const args = ['--stream', stream, '--group', 'g', '--name', 'fragile', '--batch', '1', '--work-ms', '200'];
    const first = startWorker(args);
    await until(() => first.processed().length >= 1, 'one entry processed');
    // Now it is acknowledging the first entry or working on the second: kill it without warning.
    first.child.kill('SIGKILL');
    await first.exited;
    const printed = first.processed();
    const stillPending = await pendingIds(stream, 'g');
    const info = (await redis.client.call('XINFO', 'GROUPS', stream)) as unknown[][];
    const lastDelivered = String(info[0]?.[(info[0]?.indexOf('last-delivered-id') ?? 0) + 1]);
    const delivered = added.slice(0, added.indexOf(lastDelivered) + 1);
    const acknowledged = delivered.filter((id) => !stillPending.includes(id));
    expect(acknowledged.every((id) => printed.includes(id))).toBe(true);
    expect(stillPending.length).toBeGreaterThan(0);

    const second = startWorker(args);
    await until(async () => added.every((id) => [...printed, ...second.processed()].includes(id)), 'every entry processed');
    await until(async () => (await pendingIds(stream, 'g')).length === 0, 'the acknowledgements');
    // At least once: the entry in hand when it died is processed again, in order, before the rest.
    expect(second.processed()).toEqual(added.slice(added.indexOf(stillPending[0] as string)));
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('shares a group between two workers, as the seed runs worker1 and worker2', async () => {
    const stream = 'shared-work';
    const workers = ['worker1', 'worker2'].map((name) => startWorker(['--stream', stream, '--group', 'event_consumers', '--name', name, '--batch', '1']));
    await Promise.all(workers.map((worker) => worker.started()));
    const added: string[] = [];
    for (let i = 0; i < 40; i++) added.push((await redis.client.xadd(stream, '*', 'n', String(i))) as string);
    await until(() => workers.reduce((total, worker) => total + worker.processed().length, 0) >= 40, 'every entry processed');
    const all = workers.flatMap((worker) => worker.processed());
    expect([...all].sort()).toEqual([...added].sort());
    expect(workers.every((worker) => worker.lines.every((line) => line.startsWith(`[worker${workers.indexOf(worker) + 1}] `)))).toBe(true);
    for (const worker of workers) worker.child.kill('SIGTERM');
    expect(await Promise.all(workers.map((worker) => worker.exited))).toEqual([0, 0]);
  });

  it('exits with code 2 and the usage text on a bad argument or without REDIS_URL', async () => {
    // Two process starts in parallel; the flag rules themselves are checked in-process below.
    const badFlag = startWorker(['--stream', 'user:1', '--group', 'g', '--name', 'w']);
    const noRedis = startWorker(['--stream', 'events', '--group', 'g', '--name', 'w'], {});
    expect(await Promise.all([badFlag.exited, noRedis.exited])).toEqual([2, 2]);
    expect(badFlag.stderr).toMatch(/--stream: Stream name "user:1" is reserved/);
    expect(noRedis.stderr).toMatch(/REDIS_URL is required/);
    for (const worker of [badFlag, noRedis]) {
      expect(worker.stderr).toContain('Usage: npm run consumer');
      expect(worker.lines).toEqual([]);
    }
  });
});

describe('the consumer command flags', () => {
  it.each([
    [[], /^Missing --stream, --group, --name\.$/],
    [['--stream', 'events', '--group', 'g'], /^Missing --name\.$/],
    [['--stream', 'user:1', '--group', 'g', '--name', 'w'], /^--stream: Stream name "user:1" is reserved/],
    [['--stream', 'events', '--group', 'has space', '--name', 'w'], /^--group: Consumer group name must be 1 to 256 characters/],
    [['--stream', 'events', '--group', 'g', '--name', 'x'.repeat(300)], /^--name: Consumer name must be 1 to 256 characters/],
    [['--stream', 'events', '--group', 'g', '--name', 'w', '--batch', '0'], /^--batch must be a whole number from 1 to 1000; got "0"\.$/],
    [['--stream', 'events', '--group', 'g', '--name', 'w', '--work-ms', '1.5'], /^--work-ms must be a whole number from 0 to 600000; got "1.5"\.$/],
    [['--stream', 'events', '--group', 'g', '--name', 'w', '--start-id', 'soon'], /^--start-id: "--start-id" must be "\$" \(only new entries\), "0"/],
    [['--stream', 'events', '--group', 'g', '--name', 'w', '--colour', 'red'], /^Unknown argument "--colour"\.$/],
    [['--stream', 'events', '--group', 'g', '--name'], /^--name needs a value\.$/],
    [['--stream', 'a', '--stream', 'b', '--group', 'g', '--name', 'w'], /^--stream is given twice\.$/],
  ])('refuses %j', (args, message) => {
    expect(() => parseArguments(args)).toThrow(UsageError);
    expect(() => parseArguments(args)).toThrow(message);
  });

  it('reads both flag forms, the seed\'s --consumer-name, and defaults', () => {
    expect(parseArguments(['--stream=events', '--group', 'event_consumers', '--consumer-name=worker1'])).toEqual({
      stream: 'events',
      group: 'event_consumers',
      name: 'worker1',
      startId: '0',
      batch: 10,
      workMs: 0,
    });
    expect(parseArguments(['--stream', 's', '--group', 'g', '--name', 'n', '--start-id', '$', '--batch', '5', '--work-ms', '20'])).toMatchObject({
      startId: '$',
      batch: 5,
      workMs: 20,
    });
    expect(parseArguments(['--stream', 's', '--group', 'g', '--name', 'n', '--start-id', '1712345678901'])).toMatchObject({ startId: '1712345678901-0' });
    expect(parseArguments(['--help'])).toBe('help');
  });
});
