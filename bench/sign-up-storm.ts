// `npm run bench:sign-up`: /health latency while 8 concurrent loops sign up as fast as they can
// (issue 13: with bcryptjs on the event loop, /health p50 was 369 ms). Runs the server's build in
// its own process, as `npm start` does, against an embedded redis-server; this process is only
// the load. Prints a table and writes bench/results/sign-up-storm.json.
//   npm run bench:sign-up                 10 s of storm
//   npm run bench:sign-up -- --seconds 30
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { startEmbeddedRedis } from '../src/redis/embedded-server.js';

const LOOPS = 8;
const HEALTH_INTERVAL_MS = 10;
const argument = (name: string) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
};
const stormSeconds = Number(argument('--seconds') ?? 10);
const idleSeconds = 3;

async function startServer(redisUrl: string): Promise<{ child: ChildProcess; origin: string }> {
  const child = spawn(process.execPath, ['dist/main.js'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      REDIS_URL: redisUrl,
      LOG_LEVEL: 'info',
      SEED_DEMO: 'false',
      GRAPHIQL: 'false',
      // One address signs up thousands of users: the per-address limit would stop the storm at 20.
      SIGN_UPS_PER_ADDRESS_PER_MINUTE: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.resume();
  // It prints its URL (and port) in its "switchboard started" log line.
  return await new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)\/graphql"/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout?.resume();
        resolve({ child, origin: match[1]! });
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

interface Probe {
  latencies: number[];
  stop(): Promise<void>;
}

/** GET /health every 10 ms (one at a time, as a probe does), recording each latency. */
function probeHealth(origin: string): Probe {
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const response = await fetch(`${origin}/health`);
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`/health answered ${response.status}`);
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, HEALTH_INTERVAL_MS));
    }
  })();
  return {
    latencies,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;
};
const summary = (values: number[]) => ({ count: values.length, p50: percentile(values, 50), p99: percentile(values, 99), max: Math.max(...values) });

async function main(): Promise<void> {
  const redis = await startEmbeddedRedis();
  const { child, origin } = await startServer(redis.url);
  try {
    const idleProbe = probeHealth(origin);
    await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
    await idleProbe.stop();

    const stormProbe = probeHealth(origin);
    const deadline = Date.now() + stormSeconds * 1000;
    const outcomes: Record<string, number> = {};
    const signUpMs: number[] = [];
    await Promise.all(
      Array.from({ length: LOOPS }, async (_, loop) => {
        for (let i = 0; Date.now() < deadline; i++) {
          const started = performance.now();
          const response = await fetch(`${origin}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              query: 'mutation($u: String!) { signUp(username: $u, password: "password123") { token } }',
              variables: { u: `storm${process.pid}x${loop}x${i}` },
            }),
          });
          const body = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
          const code = body.errors?.[0]?.extensions?.code ?? 'OK';
          outcomes[code] = (outcomes[code] ?? 0) + 1;
          signUpMs.push(performance.now() - started);
        }
      }),
    );
    await stormProbe.stop();

    const idle = summary(idleProbe.latencies);
    const storm = summary(stormProbe.latencies);
    const signUps = summary(signUpMs);
    const result = {
      date: new Date().toISOString(),
      machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), node: process.version },
      loops: LOOPS,
      stormSeconds,
      outcomes,
      signUpsPerSecond: (outcomes.OK ?? 0) / stormSeconds,
      healthIdleMs: idle,
      healthStormMs: storm,
      signUpMs: signUps,
    };
    const fmt = (value: number) => value.toFixed(1);
    const table = [
      `Machine: ${result.machine.cpu}, ${result.machine.cores} cores, Node ${result.machine.node}; ${LOOPS} sign-up loops for ${stormSeconds} s`,
      '',
      '| measure | p50 ms | p99 ms | max ms | samples |',
      '| --- | --- | --- | --- | --- |',
      `| /health, idle | ${fmt(idle.p50)} | ${fmt(idle.p99)} | ${fmt(idle.max)} | ${idle.count} |`,
      `| /health, during the storm | ${fmt(storm.p50)} | ${fmt(storm.p99)} | ${fmt(storm.max)} | ${storm.count} |`,
      `| one signUp, during the storm | ${fmt(signUps.p50)} | ${fmt(signUps.p99)} | ${fmt(signUps.max)} | ${signUps.count} |`,
      '',
      `Sign-ups: ${fmt(result.signUpsPerSecond)}/s (${JSON.stringify(outcomes)})`,
    ].join('\n');
    process.stdout.write(`${table}\n`);
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/sign-up-storm.json', `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync('bench/results/sign-up-storm.md', `${table}\n`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await redis.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
