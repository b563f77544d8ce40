import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/command.js';
import { parseArguments } from '../../src/cli/consumer.js';
import { compareEntryIds } from '../../src/streams/ids.js';
import { post } from '../support/graphql.js';
import { until } from '../support/wait.js';
import { useServers } from '../support/servers.js';
import { ADD_EVENT as ADD } from '../support/operations.js';

const { redis, server, users: [producer], startCommand } = useServers({ users: ['producer'] });

/** Runs `npm run consumer -- <args>` as the README shows, on this file's Redis (`REDIS_URL: undefined` removes it). */
function startWorker(args: string[], env: Record<string, string | undefined> = {}) {
  const consumer = startCommand('consumer', args, env);
  return {
    ...consumer,
    /** The ids of the entries it printed as processed. */
    processed: () => consumer.lines.map((line) => /Processing (\d+-\d+):/.exec(line)?.[1]).filter((id): id is string => Boolean(id)),
  };
}

async function pendingIds(stream: string, group: string): Promise<string[]> {
  const rows = (await redis.client.xpending(stream, group, '-', '+', 1000)) as Array<[string, string, number, number]>;
  return rows.map(([id]) => id);
}

describe('npm run consumer', () => {
  it("runs the seed's scenario end to end: two workers share the group, print each entry once, acknowledge it, stop on SIGTERM", async () => {
    const stored: string[] = [];
    for (let i = 0; i < 5; i++) stored.push((await redis.client.xadd('events', '*', 'sensor', 'temp', 'value', String(20 + i))) as string);
    // `npm run consumer -- --stream events --group event_consumers --consumer-name=worker1 &`, twice.
    const workers = ['worker1', 'worker2'].map((name) =>
      startWorker(['--stream', 'events', '--group', 'event_consumers', `--consumer-name=${name}`, '--batch', '1']),
    );
    await Promise.all(workers.map((worker) => worker.ready()));
    const processed = () => workers.flatMap((worker) => worker.processed());
    // The group they created starts at 0, as in the seed: the stored entries are processed too.
    await until(() => processed().length === 5, 'the stored entries');

    // New entries from the API and from plain Redis are processed as they come.
    const viaApi = (await post(server.httpUrl, ADD, { stream: 'events', data: { kind: 'click', n: 1 } }, { token: producer.token })).body
      .data?.addEvent.id as string;
    const more: string[] = [];
    for (let i = 0; i < 30; i++) more.push((await redis.client.xadd('events', '*', 'sensor', 'door', 'value', String(i))) as string);
    const all = [...stored, viaApi, ...more];
    await until(() => processed().length >= all.length, 'the new entries');

    // Each entry exactly once across the two workers, each worker in stream order, with the seed's line.
    expect([...processed()].sort(compareEntryIds)).toEqual(all);
    for (const [i, worker] of workers.entries()) {
      expect(worker.processed()).toEqual([...worker.processed()].sort(compareEntryIds));
      expect(worker.lines.every((line) => line.startsWith(`[worker${i + 1}] Processing `))).toBe(true);
      expect(worker.processed().length).toBeGreaterThan(0);
    }
    const line = (id: string) => workers.flatMap((worker) => worker.lines).find((text) => text.includes(id));
    expect(line(stored[0] as string)).toMatch(new RegExp(`^\\[worker[12]\\] Processing ${stored[0]}: \\{"sensor":"temp","value":"20"\\}$`));
    expect(line(viaApi)).toMatch(/: \{"kind":"click","n":1\}$/);
    // Every processed entry is acknowledged.
    await until(async () => (await pendingIds('events', 'event_consumers')).length === 0, 'the acknowledgements');

    for (const worker of workers) worker.child.kill('SIGTERM');
    expect(await Promise.all(workers.map((worker) => worker.exited))).toEqual([0, 0]);
    for (const worker of workers) expect(worker.stderr()).toContain('"consumer stopped"');
  });

  it('on SIGTERM finishes the entry in hand and loses none; killed outright, has acknowledged only what it printed; a restart resumes', async () => {
    const stream = 'slow-work';
    const added: string[] = [];
    // Enough entries that each run is stopped with work left, however slowly a loaded machine
    // gets the signal to the worker.
    const total = 20;
    for (let i = 0; i < total; i++) added.push((await redis.client.xadd(stream, '*', 'n', String(i))) as string);
    const args = ['--stream', stream, '--group', 'g', '--name', 'careful', '--batch', '3', '--work-ms', '100'];
    const lastDelivered = async () => {
      const info = (await redis.client.call('XINFO', 'GROUPS', stream)) as unknown[][];
      return String(info[0]?.[(info[0]?.indexOf('last-delivered-id') ?? 0) + 1]);
    };

    // 1. SIGTERM while working: it finishes the entry in hand, acknowledges it, and exits 0.
    const first = startWorker(args);
    await first.ready();
    await until(() => first.processed().length >= 2, 'two entries processed');
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const firstDone = first.processed();
    expect(firstDone.length).toBeLessThan(total);
    expect(firstDone).toEqual(added.slice(0, firstDone.length));
    let pendingNow = await pendingIds(stream, 'g');
    // Acknowledged exactly what it printed; what it read ahead is pending; the rest was never delivered.
    expect(pendingNow.some((id) => firstDone.includes(id))).toBe(false);
    let delivered = added.slice(0, added.indexOf(await lastDelivered()) + 1);
    expect([...firstDone, ...pendingNow]).toEqual(delivered);

    // 2. Restarted, it takes its pending entries first; SIGKILL while it works on one.
    const second = startWorker(args);
    await second.ready();
    await until(() => second.processed().length >= 1, 'one more entry processed');
    // Killed while it holds entries: between acknowledging the last entry of a batch and reading
    // the next one it holds none, and a kill landing in that gap would prove nothing here.
    await until(async () => (await pendingIds(stream, 'g')).length > 0, 'the next batch in hand');
    second.child.kill('SIGKILL');
    await second.exited;
    const secondDone = second.processed();
    expect(secondDone).toEqual(added.slice(firstDone.length, firstDone.length + secondDone.length));
    pendingNow = await pendingIds(stream, 'g');
    delivered = added.slice(0, added.indexOf(await lastDelivered()) + 1);
    const acknowledged = delivered.filter((id) => !pendingNow.includes(id));
    // Nothing acknowledged before it was processed (printed), and the entry in hand stays pending.
    expect(acknowledged.every((id) => firstDone.includes(id) || secondDone.includes(id))).toBe(true);
    expect(pendingNow.length).toBeGreaterThan(0);

    // 3. A third run processes the rest: at least once overall, nothing lost, in order.
    const third = startWorker(args);
    await third.ready();
    await until(() => added.every((id) => [...firstDone, ...secondDone, ...third.processed()].includes(id)), 'every entry processed');
    await until(async () => (await pendingIds(stream, 'g')).length === 0, 'the acknowledgements');
    expect(third.processed()).toEqual(added.slice(added.indexOf(pendingNow[0] as string)));
    third.child.kill('SIGINT');
    expect(await third.exited).toBe(0);
  });

  it('exits with code 2 and the usage text on a bad argument or without REDIS_URL', async () => {
    // Two process starts in parallel; the flag rules themselves are checked in-process below.
    const badFlag = startWorker(['--stream', 'user:1', '--group', 'g', '--name', 'w']);
    const noRedis = startWorker(['--stream', 'events', '--group', 'g', '--name', 'w'], { REDIS_URL: undefined });
    expect(await Promise.all([badFlag.exited, noRedis.exited])).toEqual([2, 2]);
    expect(badFlag.stderr()).toMatch(/--stream: Stream name "user:1" is reserved/);
    expect(noRedis.stderr()).toMatch(/REDIS_URL is required/);
    for (const worker of [badFlag, noRedis]) {
      expect(worker.stderr()).toContain('Usage: npm run consumer');
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
