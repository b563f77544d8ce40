// The test fixture layer, in the manner of graphql-ws's tservers.ts: one call starts a Redis (a
// standalone redis-server, or a 3-master + 3-replica cluster) and N Switchboard servers against it
// with config overrides, signs users up, and disposes of all of it (servers, sockets, processes,
// Redis) even when a step fails. No test file starts Redis or a server itself.
//
//   const bed = useServers({ servers: 2, users: ['alice', 'bob'] });
//   it('...', async () => { const [a, b] = bed.servers; post(a.httpUrl, ..., { token: bed.users[0].token }) });
//
// Switching a suite to the cluster is one change: `useServers({ backend: 'cluster', ... })`.
import { Cluster, Redis } from 'ioredis';
import type { Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { AppOptions } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { startEmbeddedRedis } from '../../src/redis/embedded-server.js';
import { internalKeys } from '../../src/redis/keys.js';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { startControlledRedis } from './chaos.js';
import { type Command, type CommandProcess, startCommand } from './commands.js';
import { signUpUser, wsClient } from './graphql.js';
import { type MainProcess, runMainToExit, startMain } from './main-process.js';
import { type TestCluster, type TestClusterOptions, startTestCluster } from './redis-cluster.js';
import { type TestServer, startTestServerWith } from './server.js';

/** Where the servers keep their data: one redis-server, or a Redis Cluster. */
export type Backend = 'standalone' | 'cluster';

/** A standalone redis-server of a test bed. */
export interface StandaloneRedis {
  backend: 'standalone';
  /** `redis://127.0.0.1:PORT`: the servers' REDIS_URL. */
  url: string;
  port: number;
  /** A plain ioredis client, as any other service would use. */
  client: Redis;
  /** The environment a server or CLI process needs to reach this Redis. */
  env: Record<string, string>;
  /** Stops this redis-server now, for a test of an outage (the bed's servers stay up). */
  stop(): Promise<void>;
  /**
   * With `durable: true` only (AOF, fsync on every write): SIGTERM and start again on the same
   * port and data; SIGKILL and start again from the AOF; SIGSTOP / SIGCONT.
   */
  restart(): Promise<void>;
  killAndStart(): Promise<void>;
  pause(): void;
  resume(): void;
}

/** The Redis Cluster of a test bed (3 masters + 3 replicas unless `cluster` says otherwise). */
export interface ClusterRedis {
  backend: 'cluster';
  /** Every node's `redis://127.0.0.1:PORT`, comma-separated: the servers' REDIS_CLUSTER_NODES. */
  seeds: string;
  /** A cluster-aware ioredis client, as any other service would use. */
  client: Cluster;
  /** The environment a server or CLI process needs to reach this cluster. */
  env: Record<string, string>;
  /** The cluster's nodes, to kill, pause or fail over. */
  cluster: TestCluster;
}

/** The Redis of a bed with backend `B`. */
export type BedRedis<B extends Backend> = B extends 'cluster' ? ClusterRedis : StandaloneRedis;

/** A signed-up user. */
export interface TestUser {
  token: string;
  id: string;
  username: string;
}

/** A user to sign up: a name prefix (a unique suffix is added) and, optionally, roles to grant it. */
export interface TestUserSpec {
  name: string;
  /** Written to the user's role set in Redis, as `npm run roles -- grant` does (e.g. `['admin']`). */
  roles?: readonly string[];
}

/** Options of {@link startServers} / {@link useServers}. */
export interface TestBedOptions<B extends Backend = 'standalone'> {
  /**
   * `'standalone'` (default): one private redis-server. `'cluster'`: a local cluster via
   * `startTestCluster`. Unset: SWITCHBOARD_TEST_BACKEND when set (backend.ts `runSuiteOn` runs a
   * whole suite against the cluster that way), else standalone.
   */
  backend?: B;
  /**
   * The servers to start: a count (each with `config`), or one overrides object per server, merged
   * over `config`. Default 1; 0 starts only Redis.
   */
  servers?: number | ReadonlyArray<Partial<Config>>;
  /** Config overrides for every server (over the test defaults of test/support/server.ts). */
  config?: Partial<Config>;
  /** App options (hub decoration, JWKS cool-down) for every server. */
  app?: AppOptions;
  /** Users to sign up on the first server: name prefixes (a unique suffix is added), or specs with roles. */
  users?: ReadonlyArray<string | TestUserSpec>;
  /** Standalone only: AOF with fsync on every write, so that `restart()` / `killAndStart()` keep every acknowledged write. */
  durable?: boolean;
  /** Cluster only: shape and timeouts of the cluster. */
  cluster?: TestClusterOptions;
  /**
   * {@link useServers} only: a fresh bed (Redis included) for every test, in `beforeEach` /
   * `afterEach`, for tests that need an empty database each. Default false: one bed for all.
   */
  each?: boolean;
}

/** `N` copies of `T` as a tuple (`T[]` when `N` is not a literal). */
type Tuple<T, N extends number, R extends T[] = []> = number extends N ? T[] : R['length'] extends N ? R : Tuple<T, N, [...R, T]>;
/** The servers of a bed started with `servers: S`, one tuple element per server. */
export type ServersOf<S> = S extends number ? Tuple<TestServer, S> : S extends readonly unknown[] ? { -readonly [K in keyof S]: TestServer } : TestServer[];
/** The users of a bed started with `users: U`, one tuple element per user. */
export type UsersOf<U> = U extends readonly unknown[] ? { -readonly [K in keyof U]: TestUser } : TestUser[];

/** Redis, the servers and the users of one test file (or one `describe`). */
export interface TestBed<B extends Backend = 'standalone', Servers extends TestServer[] = TestServer[], Users extends TestUser[] = TestUser[]> {
  backend: B;
  redis: BedRedis<B>;
  servers: Servers;
  /** The first server. */
  server: TestServer;
  /** The users of `options.users`, in order. */
  users: Users;
  /** The first user. */
  user: TestUser;
  /** One more server on this bed's Redis (config merged over the bed's `config`), stopped with the bed unless stopped before. */
  startServer(overrides?: Partial<Config>, app?: AppOptions): Promise<TestServer>;
  /**
   * The server's build as `npm start` runs it, on this bed's Redis (`env` on top; a variable set to
   * `undefined` is removed); killed with the bed unless it exited before.
   */
  startMain(env?: Record<string, string | undefined>): Promise<MainProcess>;
  /** The server's build on this bed's Redis, run until it exits by itself (a configuration it refuses). */
  runMainToExit(env?: Record<string, string | undefined>): Promise<{ code: number | null; output: string }>;
  /**
   * `npm run worker` / `npm run consumer` with `args`, on this bed's Redis (`env` on top; a variable
   * set to `undefined` is removed); killed with the bed unless it exited before. Wait for
   * `ready()` (its "started" log line), not for a time.
   */
  startCommand(command: Command, args: readonly string[], env?: Record<string, string | undefined>): CommandProcess;
  /** Signs up a fresh user on `server` (default: the first). */
  signUp(prefix?: string, server?: TestServer): Promise<TestUser>;
  /** A headless Chromium (see browser.ts), closed with the bed. */
  launchBrowser(): Promise<Browser>;
  /** A graphql-ws client (see graphql.ts `wsClient`), disposed with the bed. */
  wsClient(server: TestServer, token?: string, options?: { lazy?: boolean }): Client;
  /** Runs `dispose` when the bed is disposed (last registered, first run). */
  defer(dispose: () => unknown): void;
  /** Stops everything, last started first; runs every step even when one fails, then throws the failures. */
  dispose(): Promise<void>;
}

/** Disposers, run last-in first-out; every one runs even when another throws. */
class Leftovers {
  private readonly steps: Array<() => unknown> = [];
  add(step: () => unknown): void {
    this.steps.push(step);
  }
  async dispose(): Promise<void> {
    const failures: unknown[] = [];
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, `${failures.length} disposers failed`);
  }
}

async function startStandalone(leftovers: Leftovers, durable: boolean): Promise<StandaloneRedis> {
  if (durable) {
    const redis = await startControlledRedis();
    leftovers.add(() => redis.stop());
    return {
      backend: 'standalone',
      url: redis.url,
      port: redis.port,
      client: redis.client,
      env: { REDIS_URL: redis.url },
      stop: () => redis.stop(),
      restart: () => redis.restart(),
      killAndStart: () => redis.killAndStart(),
      pause: () => redis.pause(),
      resume: () => redis.resume(),
    };
  }
  const server = await startEmbeddedRedis();
  leftovers.add(() => server.stop());
  const client = new Redis(server.url);
  // After a test stops this Redis, the client reconnects quietly until the bed is disposed.
  client.on('error', () => undefined);
  leftovers.add(() => client.disconnect());
  const notDurable = () => {
    throw new Error('this Redis is not durable: start the bed with `durable: true` to restart, kill or pause it');
  };
  return {
    backend: 'standalone',
    url: server.url,
    port: server.port,
    client,
    env: { REDIS_URL: server.url },
    stop: () => server.stop(),
    restart: async () => notDurable(),
    killAndStart: async () => notDurable(),
    pause: notDurable,
    resume: notDurable,
  };
}

async function startCluster(leftovers: Leftovers, options: TestClusterOptions = {}): Promise<ClusterRedis> {
  const cluster = await startTestCluster(options);
  leftovers.add(() => cluster.stop());
  const client = new Cluster(
    cluster.nodes.map((node) => ({ host: '127.0.0.1', port: node.port })),
    { redisOptions: { maxRetriesPerRequest: 3 } },
  );
  // A test that kills a node makes this client reconnect; its commands fail or retry, the test decides.
  client.on('error', () => undefined);
  leftovers.add(() => client.disconnect());
  return { backend: 'cluster', seeds: cluster.seeds, client, env: { REDIS_CLUSTER_NODES: cluster.seeds }, cluster };
}

/**
 * The config settings that point a server at `redis`, parsed from the environment variables a
 * deployment sets (REDIS_URL, REDIS_CLUSTER_NODES), so that they go through the config's own validation.
 */
export function backendConfig(redis: StandaloneRedis | ClusterRedis): Partial<Config> {
  const { redisUrl, redisClusterNodes } = loadConfig(redis.env);
  return { redisUrl, redisClusterNodes };
}

/**
 * Starts a test bed: Redis, then the servers (in parallel), then the users. Everything started is
 * disposed when a later step fails, and by `dispose()`.
 */
export async function startServers<
  B extends Backend = 'standalone',
  const S extends number | ReadonlyArray<Partial<Config>> = 1,
  const U extends ReadonlyArray<string | TestUserSpec> = [],
>(options: TestBedOptions<B> & { servers?: S; users?: U } = {}): Promise<TestBed<B, ServersOf<S>, UsersOf<U>>> {
  const leftovers = new Leftovers();
  const backend = (options.backend ?? process.env.SWITCHBOARD_TEST_BACKEND ?? 'standalone') as B;
  try {
    const redis = (backend === 'cluster' ? await startCluster(leftovers, options.cluster) : await startStandalone(leftovers, options.durable ?? false)) as BedRedis<B>;
    const startServer = async (overrides: Partial<Config> = {}, app: AppOptions = options.app ?? {}) => {
      const server = await startTestServerWith({ ...options.config, ...overrides, ...backendConfig(redis) }, app);
      leftovers.add(() => server.stop());
      return server;
    };
    const perServer = typeof options.servers === 'number' || options.servers === undefined ? Array.from({ length: options.servers ?? 1 }, () => ({})) : options.servers;
    // One by one would be slower; all at once, so a failure of one still leaves the others registered.
    const started = await Promise.allSettled(perServer.map((overrides) => startServer(overrides)));
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const servers = started.map((result) => (result as PromiseFulfilledResult<TestServer>).value);
    const signUp = (prefix = 'user', server: TestServer | undefined = servers[0]) => {
      if (!server) throw new Error('signUp needs a server: this bed started none');
      return signUpUser(server.httpUrl, prefix);
    };
    const users: TestUser[] = [];
    for (const spec of options.users ?? []) {
      const { name, roles = [] } = typeof spec === 'string' ? { name: spec } : spec;
      const user = await signUp(name);
      if (roles.length > 0) await redis.client.sadd(internalKeys.userRoles(user.id), ...roles);
      users.push(user);
    }
    const bed: TestBed<B, ServersOf<S>, UsersOf<U>> = {
      backend,
      redis,
      servers: servers as ServersOf<S>,
      get server() {
        if (!servers[0]) throw new Error('this bed started no server');
        return servers[0];
      },
      users: users as UsersOf<U>,
      get user() {
        if (!users[0]) throw new Error('this bed signed no user up: pass `users`');
        return users[0];
      },
      startServer,
      async startMain(env = {}) {
        const main = await startMain({ ...redis.env, ...env });
        leftovers.add(async () => {
          if (main.child.exitCode !== null || main.child.signalCode !== null) return;
          main.child.kill('SIGKILL');
          await main.exited;
        });
        return main;
      },
      runMainToExit: (env = {}) => runMainToExit({ ...redis.env, ...env }),
      startCommand(command, args, env = {}) {
        const running = startCommand(command, args, { ...redis.env, ...env });
        leftovers.add(async () => {
          if (running.child.exitCode !== null || running.child.signalCode !== null) return;
          running.child.kill('SIGKILL');
          await running.exited;
        });
        return running;
      },
      async launchBrowser() {
        const browser = await launchBrowser();
        leftovers.add(() => browser.close());
        return browser;
      },
      signUp,
      wsClient(server, token, clientOptions) {
        const client = wsClient(server.wsUrl, token, clientOptions);
        leftovers.add(() => client.dispose());
        return client;
      },
      defer: (dispose) => leftovers.add(dispose),
      dispose: () => leftovers.dispose(),
    };
    return bed;
  } catch (error) {
    await leftovers.dispose().catch(() => undefined);
    throw error;
  }
}

/**
 * An object that stands for the one `get()` returns once the bed has started: reading a property
 * reads it from that object. This lets a test file name its servers and users at the top
 * (`const { redis, servers: [a, b] } = useServers(...)`) although they start in `beforeAll`.
 */
function lateBound<T extends object>(get: () => T): T {
  return new Proxy({} as T, {
    get(_target, property) {
      const target = get();
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
    has: (_target, property) => Reflect.has(get(), property),
    ownKeys: () => Reflect.ownKeys(get()),
    getOwnPropertyDescriptor(_target, property) {
      const descriptor = Reflect.getOwnPropertyDescriptor(get(), property);
      // A proxy may not report a property its (empty) target lacks as non-configurable.
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}

/**
 * {@link startServers} in `beforeAll` and `dispose()` in `afterAll` of the enclosing file or
 * `describe` (`beforeEach` / `afterEach` with `each: true`). The returned bed can be destructured at once; its parts can be used inside tests and
 * hooks (they throw, saying so, when read while the file is being collected):
 *
 *   const { redis, servers: [a, b], users: [alice] } = useServers({ servers: 2, users: ['alice'] });
 */
export function useServers<
  B extends Backend = 'standalone',
  const S extends number | ReadonlyArray<Partial<Config>> = 1,
  const U extends ReadonlyArray<string | TestUserSpec> = [],
>(options: TestBedOptions<B> & { servers?: S; users?: U } = {}): TestBed<B, ServersOf<S>, UsersOf<U>> {
  let bed: TestBed<B, ServersOf<S>, UsersOf<U>> | undefined;
  // Decided while the file is collected (SWITCHBOARD_TEST_BACKEND may be gone by the time the hooks run).
  const backend = (options.backend ?? process.env.SWITCHBOARD_TEST_BACKEND ?? 'standalone') as B;
  // A cluster takes seconds to start and become healthy on a loaded machine.
  const timeoutMs = backend === 'cluster' ? 90_000 : undefined;
  (options.each ? beforeEach : beforeAll)(async () => {
    bed = await startServers<B, S, U>({ ...options, backend });
  }, timeoutMs);
  // The disposed bed stays readable: a test's background work (a worker's loop, a late callback)
  // may still read a server's address after the end, as it could a stopped server's.
  (options.each ? afterEach : afterAll)(async () => {
    await bed?.dispose();
  });
  const started = (): TestBed<B, ServersOf<S>, UsersOf<U>> => {
    if (!bed) throw new Error('the test bed is not started: use it inside a test or hook, not while the file is collected');
    return bed;
  };
  const serverCount = typeof options.servers === 'number' ? options.servers : (options.servers?.length ?? 1);
  return {
    backend,
    redis: lateBound(() => started().redis),
    servers: Array.from({ length: serverCount }, (_, index) => lateBound(() => started().servers[index]!)) as ServersOf<S>,
    server: lateBound(() => started().server),
    users: (options.users ?? []).map((_, index) => lateBound(() => started().users[index]!)) as UsersOf<U>,
    user: lateBound(() => started().user),
    startServer: (overrides, app) => started().startServer(overrides, app),
    startMain: (env) => started().startMain(env),
    runMainToExit: (env) => started().runMainToExit(env),
    startCommand: (command, args, env) => started().startCommand(command, args, env),
    launchBrowser: () => started().launchBrowser(),
    signUp: (prefix, server) => started().signUp(prefix, server),
    wsClient: (server, token, clientOptions) => started().wsClient(server, token, clientOptions),
    defer: (dispose) => started().defer(dispose),
    dispose: () => started().dispose(),
  };
}
