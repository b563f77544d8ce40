import { describe, expect, it } from 'vitest';
import { decodeItem, encodeEnvelope } from '../../src/queues/job-codec.js';
import { UsageError } from '../../src/cli/command.js';
import { WORKER_USAGE, parseWorkerArguments } from '../../src/cli/worker.js';
import { queueKeys } from '../../src/redis/keys.js';
import { blockedClients as blockedRedisClients } from '../support/redis.js';
import { until } from '../support/wait.js';
import { useServers } from '../support/servers.js';

// The worker command works straight on Redis, like the seed's consumer: no server is needed.
const { redis, startCommand } = useServers({ servers: 0 });

/** `npm run worker -- <args>` on this file's Redis (`env` on top: `REDIS_URL: undefined` removes it). */
const startWorker = (args: string[], env: Record<string, string | undefined> = {}) => startCommand('worker', args, env);

/** For what follows a worker's start (a take, a job done): the start itself is awaited with `ready()`. */
const waitFor = (predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000) => until(predicate, what, timeoutMs);

const inFlight = async (queue: string) => redis.client.hlen(queueKeys(queue).inflight);
const blockedClients = () => blockedRedisClients(redis.client);

describe('worker arguments', () => {
  it.each([
    [[], /Missing --queue/],
    [['--queue'], /--queue needs a value/],
    [['--queue', ''], /--queue: Queue name must be 1 to 256 characters/],
    [['--queue', 'MESSAGES'], /--queue: Queue name "MESSAGES" is reserved/],
    [['--queue', 'switchboard:queues'], /is reserved/],
    [['--queue', 'a}b'], /hash tag/],
    [['--queue', 'jobs', '--max-jobs', '0'], /--max-jobs must be a whole number from 1/],
    [['--queue', 'jobs', '--concurrency', '0'], /--concurrency must be a whole number from 1 to 1000; got "0"/],
    [['--queue', 'jobs', '--prefetch', '1001'], /--prefetch must be a whole number from 0 to 1000/],
    [['--queue', 'jobs', '--work-ms', '-5'], /--work-ms must be a whole number from 0 to 600000; got "-5"/],
    [['--queue', 'jobs', '--work-ms=1.5'], /--work-ms must be a whole number/],
    [['--queue', 'jobs', '--exec', ' '], /--exec needs a command/],
    [['--queue', 'jobs', '--queue', 'other'], /--queue is given twice/],
    [['--queue', 'jobs', '--bogus', '1'], /Unknown argument "--bogus"/],
    [['jobs'], /Unknown argument "jobs"/],
  ])('refuses the arguments %j, saying why', (args, message) => {
    expect(() => parseWorkerArguments(args)).toThrow(UsageError);
    expect(() => parseWorkerArguments(args)).toThrow(message);
  });

  it('reads its flags', () => {
    expect(parseWorkerArguments(['--queue', '{orders}:high', '--exec=./handle.sh', '--work-ms', '5', '--max-jobs=2'])).toEqual({
      queue: '{orders}:high',
      exec: './handle.sh',
      workMs: 5,
      maxJobs: 2,
      concurrency: 1,
      prefetch: 16,
    });
    expect(parseWorkerArguments(['--queue', 'jobs'])).toEqual({ queue: 'jobs', exec: null, workMs: 0, maxJobs: null, concurrency: 1, prefetch: 16 });
    expect(parseWorkerArguments(['--queue', 'jobs', '--concurrency', '8', '--prefetch=0'])).toMatchObject({ concurrency: 8, prefetch: 0 });
    expect(parseWorkerArguments(['--queue', 'jobs', '--help'])).toBe('help');
  });
});

describe('npm run worker, idle', () => {
  it('on SIGTERM while waiting for a job, stops at once and leaves later jobs alone', async () => {
    const worker = startWorker(['--queue', 'idle']);
    await worker.ready();
    await waitFor(async () => (await blockedClients()) === 1, 'the worker to block');
    const signalled = performance.now();
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(performance.now() - signalled).toBeLessThan(2000);
    expect(await blockedClients()).toBe(0);
    await redis.client.lpush('idle', 'later');
    expect(await redis.client.lrange('idle', 0, -1)).toEqual(['later']);
  });
});

// Each of these runs its own worker process on its own queue, so they run side by side.
describe.concurrent('npm run worker', () => {
  it('exits 2 with the usage for a bad argument or a missing REDIS_URL', async ({ expect }) => {
    const badFlag = startWorker(['--queue', 'MESSAGES']);
    const noRedis = startWorker(['--queue', 'jobs'], { REDIS_URL: undefined });
    expect(await badFlag.exited).toBe(2);
    expect(await noRedis.exited).toBe(2);
    expect(badFlag.stderr()).toMatch(/^--queue: Queue name "MESSAGES" is reserved/);
    expect(noRedis.stderr()).toMatch(/^REDIS_URL is required/);
    for (const worker of [badFlag, noRedis]) expect(worker.stderr()).toContain(WORKER_USAGE);
  });

  it('processes jobs oldest first, printing and acknowledging each', async ({ expect }) => {
    await redis.client.lpush('prints', 'plain text', '{"n":2}', encodeEnvelope('given-id', 0, '{"n":3}'));
    const worker = startWorker(['--queue', 'prints', '--max-jobs', '3']);
    expect(await worker.exited).toBe(0);
    const printed = worker.lines.map((line) => JSON.parse(line));
    expect(printed.map((job) => job.payload)).toEqual(['plain text', { n: 2 }, { n: 3 }]);
    expect(printed[2]).toEqual({ id: 'given-id', queue: 'prints', attempts: 0, payload: { n: 3 } });
    expect(await redis.client.llen('prints')).toBe(0);
    expect(await redis.client.llen(queueKeys('prints').processing)).toBe(0);
    expect(await inFlight('prints')).toBe(0);
  });

  it('on SIGTERM finishes and acknowledges the job in hand, takes no other, and exits 0', async ({ expect }) => {
    const worker = startWorker(['--queue', 'graceful', '--work-ms', '2000']);
    await worker.ready();
    await redis.client.lpush('graceful', 'in hand');
    await waitFor(async () => (await inFlight('graceful')) === 1, 'the worker to take the job');
    await redis.client.lpush('graceful', 'next');
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.lines.map((line) => JSON.parse(line).payload)).toEqual(['in hand']);
    expect(await inFlight('graceful')).toBe(0);
    expect(await redis.client.llen(queueKeys('graceful').processing)).toBe(0);
    expect(await redis.client.lrange('graceful', 0, -1)).toEqual(['next']);
  });

  it('on a second signal interrupts the job in hand and puts it back as it was', async ({ expect }) => {
    const worker = startWorker(['--queue', 'interrupted', '--work-ms', '60000']);
    await worker.ready();
    await redis.client.lpush('interrupted', '{"long":true}');
    await waitFor(async () => (await inFlight('interrupted')) === 1, 'the worker to take the job');
    worker.child.kill('SIGTERM');
    await worker.printed('stopping after the job in hand');
    worker.child.kill('SIGINT');
    expect(await worker.exited).toBe(0);
    expect(worker.lines).toEqual([]);
    const items = (await redis.client.lrange('interrupted', 0, -1)).map(decodeItem);
    expect(items).toEqual([expect.objectContaining({ kind: 'envelope', attempts: 0, payload: { long: true } })]);
    expect(await inFlight('interrupted')).toBe(0);
  });

  it('loses nothing when it dies mid-job: the job returns with attempts + 1 to the next worker', async ({ expect }) => {
    const env = { JOB_VISIBILITY_TIMEOUT_MS: '500' };
    const doomed = startWorker(['--queue', 'crash', '--work-ms', '60000'], env);
    await doomed.ready();
    await redis.client.lpush('crash', 'survive me');
    await waitFor(async () => (await inFlight('crash')) === 1, 'the worker to take the job');
    const [id] = await redis.client.hkeys(queueKeys('crash').inflight);
    // The next worker starts while the first still holds the job, and waits on an empty queue.
    const next = startWorker(['--queue', 'crash', '--max-jobs', '1'], env);
    await next.ready();
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    expect(await next.exited).toBe(0);
    expect(next.lines.map((line) => JSON.parse(line))).toEqual([{ id, queue: 'crash', attempts: 1, payload: 'survive me' }]);
    expect(await redis.client.llen(queueKeys('crash').processing)).toBe(0);
  });

  it('--exec runs a command per job: exit 0 acknowledges, a failure returns the job at once with attempts + 1', async ({ expect }) => {
    await redis.client.lpush('commands', '{"to":"ada"}');
    const worker = startWorker([
      '--queue',
      'commands',
      '--max-jobs',
      '1',
      '--exec',
      'echo "$JOB_QUEUE $JOB_ID $JOB_ATTEMPTS $(cat)"; test "$JOB_ATTEMPTS" -ge 1',
    ]);
    expect(await worker.exited).toBe(0);
    expect(worker.lines).toHaveLength(2);
    const [first, second] = worker.lines.map((line) => line.split(' '));
    expect(first?.[0]).toBe('commands');
    expect(second?.[1]).toBe(first?.[1]);
    expect([first?.[2], second?.[2]]).toEqual(['0', '1']);
    expect(first?.[3]).toBe('{"to":"ada"}');
    expect(await redis.client.llen('commands')).toBe(0);
    expect(await inFlight('commands')).toBe(0);
  });

  it('--exec dead-letters a job that keeps failing after JOB_MAX_ATTEMPTS', async ({ expect }) => {
    await redis.client.lpush('failing', 'never works');
    const worker = startWorker(['--queue', 'failing', '--exec', 'exit 3'], { JOB_MAX_ATTEMPTS: '2' });
    await worker.ready();
    await waitFor(async () => (await redis.client.llen(queueKeys('failing').dead)) === 1, 'the job to be dead-lettered');
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    const [dead] = (await redis.client.lrange(queueKeys('failing').dead, 0, -1)).map(decodeItem);
    expect(dead).toMatchObject({ kind: 'envelope', attempts: 2, payload: 'never works' });
    expect(await redis.client.llen('failing')).toBe(0);
  });

  it('--exec reports "@progress <JSON>" lines as the job\'s progress, and its other output as the result', async ({ expect }) => {
    await redis.client.lpush('reports', '{"rows":3}');
    const worker = startWorker([
      '--queue',
      'reports',
      '--max-jobs',
      '1',
      '--exec',
      'echo \'@progress {"step":1}\'; echo \'@progress {"step":2}\'; echo \'@progress not json\'; cat',
    ]);
    expect(await worker.exited).toBe(0);
    const [id] = (await redis.client.keys(`${queueKeys('reports').jobPrefix}*`)).map((key) => key.slice(queueKeys('reports').jobPrefix.length));
    const record = await redis.client.hgetall(queueKeys('reports').job(id as string));
    expect(record).toMatchObject({ state: 'completed', progress: '{"step":2}', result: '{"rows":3}' });
    // The output still shows, as before; a progress line that is not JSON is ignored with a warning.
    expect(worker.lines).toEqual(['{"rows":3}']);
    expect(worker.stderr()).toMatch(/a progress line that is not JSON/);
  });

  it('--concurrency runs that many jobs at once, --prefetch takes that many more ahead', async ({ expect }) => {
    await redis.client.lpush('parallel', ...Array.from({ length: 12 }, (_, n) => JSON.stringify({ n })));
    const worker = startWorker(['--queue', 'parallel', '--concurrency', '4', '--prefetch', '2', '--work-ms', '1500', '--max-jobs', '12']);
    await worker.ready();
    await waitFor(async () => (await inFlight('parallel')) === 6, 'four jobs in hand and two ahead');
    await waitFor(() => worker.lines.length >= 4, 'the first four jobs');
    expect(await worker.exited).toBe(0);
    const done = worker.lines.map((line) => (JSON.parse(line) as { payload: { n: number } }).payload.n);
    expect([...done].sort((x, y) => x - y)).toEqual(Array.from({ length: 12 }, (_, n) => n));
    expect(await redis.client.llen('parallel')).toBe(0);
    expect(await inFlight('parallel')).toBe(0);
  });

  it('hands back the jobs it took ahead when it stops, untouched', async ({ expect }) => {
    await redis.client.lpush('ahead', 'in hand', 'ahead 1', 'ahead 2');
    const worker = startWorker(['--queue', 'ahead', '--prefetch', '2', '--exec', 'echo "started $(cat)" >&2; sleep 1']);
    await worker.printed('started "in hand"');
    expect(await inFlight('ahead')).toBe(3);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.stderr()).not.toMatch(/started "ahead/);
    const items = (await redis.client.lrange('ahead', 0, -1)).map(decodeItem);
    // Back at the front of the queue, in their order, attempts unchanged.
    expect(items.map((item) => [item.payload, item.kind === 'envelope' ? item.attempts : null])).toEqual([
      ['ahead 2', 0],
      ['ahead 1', 0],
    ]);
    expect(await inFlight('ahead')).toBe(0);
  });
});
