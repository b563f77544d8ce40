import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { DEFAULT_POLICY, type Policy, PolicyError, loadPolicyFile } from './policy/policy.js';
import { ClusterSettingError, parseClusterNatMap, parseClusterNodes } from './redis/cluster-nodes.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Decimal digits only: no blanks (which `Number` reads as 0), no hex, no exponents. */
const integer = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^[0-9]+$/, { message: 'expected a whole number' })
    .transform(Number)
    .pipe(z.number().min(min, { message: `expected at least ${min}` }).max(max, { message: `expected at most ${max}` }));
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** The non-blank items of a comma-separated list. */
const splitList = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
/** A comma-separated list, empty when unset. */
const commaList = z.string().transform(splitList).prefault('');

/** An IPv4 or IPv6 address, optionally with a prefix length (`10.0.0.0/8`, `fd00::/8`). */
function isAddressOrCidr(item: string): boolean {
  const [address = '', prefix, ...rest] = item.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^[0-9]{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** A zod transform that turns a {@link ClusterSettingError} into the setting's issue. */
const clusterSetting =
  <T>(parse: (value: string) => T) =>
  (value: string, context: z.RefinementCtx): T => {
    try {
      return parse(value);
    } catch (error) {
      if (!(error instanceof ClusterSettingError)) throw error;
      context.addIssue({ code: 'custom', message: error.message });
      return z.NEVER;
    }
  };

/**
 * Reads POLICY_FILE at start (an absent one gives {@link DEFAULT_POLICY}); each problem of the file
 * becomes an issue of POLICY_FILE, reported beside the other settings.
 */
function readPolicy(path: string | undefined, context: z.RefinementCtx): Policy {
  if (path === undefined) return DEFAULT_POLICY;
  try {
    return loadPolicyFile(path);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    for (const problem of error.problems) context.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  }
}

/** The environment variable of each setting, kept beside its schema by {@link env}. */
const environmentNames = z.registry<{ env: string }>();

/** The setting read from environment variable `name`, validated and defaulted by `schema`. */
function env<T extends z.ZodType>(name: string, schema: T): T {
  // A copy, so that one schema object reused for two settings still names each one's variable.
  const copy = schema.clone();
  environmentNames.add(copy, { env: name });
  return copy;
}

/**
 * Every setting: one entry each, keyed by its name in {@link Config}, giving its environment
 * variable, validation (with the message a bad value gets), default and documentation. To add a
 * setting, add one entry here and one row to the table in docs/operations.md (a unit test
 * compares the two). An unset or empty variable takes the default.
 */
const settingsSchema = z.object({
  /** TCP port of the HTTP/WebSocket server; 0 picks a free one. Default 4000. */
  port: env('PORT', integer(0, 65_535).default(4000)),
  /**
   * Processes serving the port (node:cluster workers, each a full instance with its own Redis
   * connections). 1 runs one plain process with no supervisor; `auto` is the number of cores.
   * Default 1.
   */
  workers: env(
    'WORKERS',
    z
      .string()
      .trim()
      .regex(/^(auto|[0-9]+)$/, { message: 'expected a whole number of processes, or auto' })
      .transform((value) => (value === 'auto' ? availableParallelism() : Number(value)))
      .pipe(z.number().min(1, { message: 'expected at least 1' }).max(256, { message: 'expected at most 256' }))
      .default(1),
  ),
  /** Interface to listen on. Default 127.0.0.1; use 0.0.0.0 to accept remote clients. */
  host: env('HOST', z.string().min(1).default('127.0.0.1')),
  /**
   * Port of the separate listener that serves Prometheus metrics at `/metrics` (0: any free port).
   * Unset: no metrics listener. The public port never serves metrics.
   */
  metricsPort: env('METRICS_PORT', integer(0, 65_535).optional()),
  /** Interface of the metrics listener. Default 127.0.0.1 (only a local scraper reaches it). */
  metricsHost: env('METRICS_HOST', z.string().min(1).default('127.0.0.1')),
  /**
   * How often each instance writes its counters to Redis for the cluster's view, and how often
   * the `stats` subscription pushes. An instance not heard from for three intervals is left out
   * of the cluster's figures. Default 5000 ms.
   */
  statsIntervalMs: env('STATS_INTERVAL_MS', integer(100, 3_600_000).default(5000)),
  /** Redis to use. When absent, `main` starts an embedded redis-server. */
  redisUrl: env(
    'REDIS_URL',
    z
      .string()
      .regex(/^rediss?:\/\//, { message: 'expected a redis:// or rediss:// URL' })
      .optional(),
  ),
  /** Where the embedded redis-server keeps its AOF. Default `.data`. */
  redisDataDir: env('REDIS_DATA_DIR', z.string().min(1).default('.data')),
  /**
   * REDIS_CLUSTER_NODES: seeds of a Redis Cluster (`redis://[:password@]host:port`, comma-separated;
   * `rediss://` for TLS). When set, the server, `npm run worker` and `npm run consumer` speak Redis
   * Cluster; REDIS_URL (standalone) must then be unset. Default: none.
   */
  redisClusterNodes: env('REDIS_CLUSTER_NODES', z.string().transform(clusterSetting(parseClusterNodes)).optional()),
  /**
   * REDIS_CLUSTER_NAT_MAP: `announcedHost:port=host:port` pairs, for nodes that announce
   * addresses this process cannot reach (NAT, containers); passed to ioredis as `natMap`. Default: none.
   */
  redisClusterNatMap: env('REDIS_CLUSTER_NAT_MAP', z.string().transform(clusterSetting(parseClusterNatMap)).optional()),
  /**
   * PUBSUB_MODE: `classic` (PUBLISH / SUBSCRIBE everywhere) or `sharded` (internal topics, `publish`
   * and `channel` use SPUBLISH / SSUBSCRIBE, so a message stays in its shard; the chat's `MESSAGES`
   * and `channelPattern` stay classic). Default `classic`.
   */
  pubsubMode: env('PUBSUB_MODE', z.enum(['classic', 'sharded'], { message: 'expected classic or sharded' }).default('classic')),
  /** Least severe log line written (pino levels); `silent` writes none. Default `info`. */
  logLevel: env('LOG_LEVEL', z.enum(LOG_LEVELS).default('info')),
  /** Lifetime of a session from sign-in. Default 7 days. */
  sessionTtlSeconds: env('SESSION_TTL_SECONDS', integer(60, 365 * 24 * 3600).default(7 * 24 * 3600)),
  /** Mark the session cookie `Secure` (set it behind HTTPS). Default false. */
  cookieSecure: env('COOKIE_SECURE', flag.default(false)),
  /**
   * Origins (scheme://host:port) allowed to use the session cookie on a WebSocket upgrade, besides
   * the server's own origin. Stops other sites from riding a signed-in browser's cookie.
   */
  allowedOrigins: env('ALLOWED_ORIGINS', commaList),
  /** WebSocket: close with 4408 when `connection_init` has not come within this time. Default 3 s. */
  connectionInitTimeoutMs: env('CONNECTION_INIT_TIMEOUT_MS', integer(100, 60_000).default(3000)),
  /** WebSocket ping interval; a socket that misses a pong for as long is dropped. 0 turns it off. */
  keepAliveMs: env('KEEPALIVE_MS', integer(0, 600_000).default(12_000)),
  /** Operations one WebSocket may run at once. Default 500. */
  maxSubscriptionsPerConnection: env('MAX_SUBSCRIPTIONS_PER_CONNECTION', integer(1, 100_000).default(500)),
  /** Largest serialised message `publish`, or job payload `enqueue`, accepts; also the largest `addEvent` event. Default 64 KiB. */
  maxMessageBytes: env('MAX_MESSAGE_BYTES', integer(1, 16 * 1024 * 1024).default(64 * 1024)),
  /** Largest HTTP body or WebSocket frame accepted. Default 1 MiB. */
  maxRequestBytes: env('MAX_REQUEST_BYTES', integer(1024, 64 * 1024 * 1024).default(1024 * 1024)),
  /** Events queued for one subscriber before it is dropped as too slow. Default 1000. */
  subscriberQueueLimit: env('SUBSCRIBER_QUEUE_LIMIT', integer(1, 1_000_000).default(1000)),
  /** Bytes waiting for one subscriber (its queue, or its socket's buffer) before it is dropped as too slow. Default 1 MiB. */
  subscriberQueueBytes: env('SUBSCRIBER_QUEUE_BYTES', integer(1024, 1024 * 1024 * 1024).default(1024 * 1024)),
  /** How long `stop()` waits for open requests before closing them. Default 5 s. */
  shutdownTimeoutMs: env('SHUTDOWN_TIMEOUT_MS', integer(0, 120_000).default(5000)),
  /**
   * Failed sign-ins per username from one client address per minute before RATE_LIMITED (a success
   * gives its attempt back). Counted per address and username together, so that failures from one
   * address never lock the owner out elsewhere. Default 10.
   */
  signInAttemptsPerMinute: env('SIGN_IN_ATTEMPTS_PER_MINUTE', integer(1, 100_000).default(10)),
  /**
   * Failed sign-ins from one client address per minute, whatever the usernames, before RATE_LIMITED:
   * bounds password spraying across names. A success gives its attempt back. 0 turns it off. Default 30.
   */
  signInAttemptsPerAddressPerMinute: env('SIGN_IN_ATTEMPTS_PER_ADDRESS_PER_MINUTE', integer(0, 1_000_000).default(30)),
  /** `signUp` calls from one client address per minute before RATE_LIMITED. 0 turns it off. Default 20. */
  signUpsPerAddressPerMinute: env('SIGN_UPS_PER_ADDRESS_PER_MINUTE', integer(0, 1_000_000).default(20)),
  /**
   * Peers (IP addresses or CIDR ranges) whose `X-Forwarded-For` is believed: the client address is
   * the rightmost address of that header not itself trusted. Empty (the default): the header is
   * ignored and the client address is the TCP peer's.
   */
  trustedProxies: env(
    'TRUSTED_PROXIES',
    z
      .string()
      .refine((value) => splitList(value).every(isAddressOrCidr), {
        message: 'expected comma-separated IP addresses or CIDR ranges (10.0.0.1, 10.0.0.0/8, fd00::/8)',
      })
      .transform(splitList)
      .prefault(''),
  ),
  /**
   * Password hashes and checks (bcrypt, on libuv's thread pool) running at once. 0 (the default):
   * one less than the CPU cores, divided among WORKERS, at least 1 and at most one less than libuv's pool (4 threads
   * unless UV_THREADPOOL_SIZE says otherwise), so that the event loop keeps a core and file and
   * DNS work keep a thread during a sign-in storm.
   */
  passwordHashConcurrency: env('PASSWORD_HASH_CONCURRENCY', integer(0, 64).default(0)),
  /**
   * Password hashes and checks waiting for a thread; beyond it `signIn` and `signUp` are RATE_LIMITED
   * at once (`retryAfterSeconds`) instead of queueing without bound. 0: never wait. Default 200.
   */
  passwordHashQueueLimit: env('PASSWORD_HASH_QUEUE_LIMIT', integer(0, 100_000).default(200)),
  /**
   * Open WebSockets (from `connection_init` with a session) and SSE streams one user may hold on this
   * instance, together, before 4429 (WebSocket) or HTTP 429 RATE_LIMITED (SSE). 0 turns it off. Default 100.
   */
  maxConnectionsPerUser: env('MAX_CONNECTIONS_PER_USER', integer(0, 10_000_000).default(100)),
  /**
   * Open WebSockets (from the upgrade, signed in or not) and SSE streams from one client address on
   * this instance, together, before 4429 or HTTP 429 RATE_LIMITED. 0 turns it off. Default 1000.
   */
  maxConnectionsPerAddress: env('MAX_CONNECTIONS_PER_ADDRESS', integer(0, 10_000_000).default(1000)),
  /**
   * How long a client may take to send a request's headers (also a WebSocket upgrade's) before it
   * gets 408 and its socket is closed: half-sent headers do not hold sockets. Default 10 s.
   */
  headersTimeoutMs: env('HEADERS_TIMEOUT_MS', integer(100, 600_000).default(10_000)),
  /**
   * How long a client may take to send a whole request (headers and body) before 408. Counts the
   * request only, never the response: SSE streams and WebSockets live on. 0 turns it off. Default 30 s.
   */
  requestTimeoutMs: env('REQUEST_TIMEOUT_MS', integer(0, 3_600_000).default(30_000)),
  /** How long an idle keep-alive HTTP connection stays open between requests. Default 5 s. */
  keepAliveTimeoutMs: env('KEEP_ALIVE_TIMEOUT_MS', integer(100, 600_000).default(5000)),
  /** Serve GraphiQL on GET /graphql. Unset: on, except when `NODE_ENV=production` (see {@link Config}). */
  graphiql: env('GRAPHIQL', flag.optional()),
  /** `production` turns GraphiQL off unless GRAPHIQL says otherwise; read for nothing else. */
  nodeEnv: env('NODE_ENV', z.string().optional()),
  /** Write the chat demo's users, rooms and messages when `total_users` is absent. Default true. */
  seedDemo: env('SEED_DEMO', flag.default(true)),
  /** Longest chat message, in characters. Default 2000. */
  chatMessageMaxLength: env('CHAT_MESSAGE_MAX_LENGTH', integer(1, 100_000).default(2000)),
  /** Largest page `messages` returns. Default 100. */
  messagesPageMax: env('MESSAGES_PAGE_MAX', integer(1, 10_000).default(100)),
  /** How often presence is renewed; a connection not renewed for 3 beats counts as gone. Default 10 s. */
  presenceHeartbeatMs: env('PRESENCE_HEARTBEAT_MS', integer(100, 600_000).default(10_000)),
  /** Most Redis connections held for blocking reads (XREAD BLOCK, BLMOVE). Default 32. */
  blockingPoolSize: env('BLOCKING_POOL_SIZE', integer(1, 10_000).default(32)),
  /**
   * REDIS_WAIT_REPLICAS: replicas that must confirm each stream entry (`addEvent`), job
   * (`enqueue`) and chat message (`sendMessage`) before it is acknowledged (Redis WAIT on the
   * key's master), so that a failover of that master, even a crash, loses none. `auto` (the
   * default): on a cluster, WAIT 1 where the key's master has a replica, best effort (a replica
   * that does not confirm in time is logged and counted, the write still acknowledged); nothing
   * on a single Redis. A number N: strict, the write fails with UNAVAILABLE while fewer than N
   * confirm in time. 0: no WAIT (acknowledged once the master holds it).
   */
  redisWaitReplicas: env(
    'REDIS_WAIT_REPLICAS',
    z
      .string()
      .trim()
      .regex(/^(auto|[0-9]+)$/, { message: 'expected auto or a whole number of replicas (0 turns WAIT off)' })
      .refine((value) => !/^[0-9]+$/.test(value) || Number(value) <= 16, { message: 'expected at most 16' })
      .transform((value): number | 'auto' => (value === 'auto' ? 'auto' : Number(value)))
      .default('auto'),
  ),
  /**
   * REDIS_WAIT_TIMEOUT_MS: longest wait for those replicas; then a strict REDIS_WAIT_REPLICAS fails
   * the write with UNAVAILABLE, `auto` acknowledges it. Default 1000 ms (half of
   * REDIS_COMMAND_TIMEOUT_MS when that is 2000 or less); must be less than REDIS_COMMAND_TIMEOUT_MS,
   * since WAIT holds the command connection.
   */
  redisWaitTimeoutMs: env('REDIS_WAIT_TIMEOUT_MS', integer(1, 59_999).default(1000)),
  /**
   * Blocking operations (dequeue waits, `jobs`, `events` and `groupEvents` subscriptions) one user may
   * run at once on one instance, before RATE_LIMITED. 0 turns the cap off. Default 8.
   */
  maxBlockingOperationsPerUser: env('MAX_BLOCKING_OPERATIONS_PER_USER', integer(0, 10_000).default(8)),
  /**
   * A consumer group entry idle this long at a consumer that is gone is claimed for a live
   * consumer of the group (when still that idle a third of this time after a sweep saw it so).
   * Live consumers refresh their own pending entries every third of this time, so it only ever
   * reaches entries of gone consumers. 0 turns claiming off. Default 30 s.
   */
  streamClaimIdleMs: env('STREAM_CLAIM_IDLE_MS', integer(0, 24 * 3600 * 1000).default(30_000)),
  /** How long a taken job may stay unacknowledged before it returns to its queue. Default 30 s. */
  jobVisibilityTimeoutMs: env('JOB_VISIBILITY_TIMEOUT_MS', integer(100, 24 * 3600 * 1000).default(30_000)),
  /** Deliveries of one job before it moves to the dead-letter list instead of returning. Default 5. */
  jobMaxAttempts: env('JOB_MAX_ATTEMPTS', integer(1, 1000).default(5)),
  /** The longest wait `dequeue(timeoutSeconds)` accepts. Default 30 s. */
  dequeueMaxTimeoutSeconds: env('DEQUEUE_MAX_TIMEOUT_SECONDS', integer(1, 3600).default(30)),
  /**
   * Every Redis command (but the blocking reads, which have their own timeouts) fails after this
   * long without an answer, and the operation with UNAVAILABLE; also how long a subscription
   * waits for Redis to confirm it. Default 3 s.
   */
  redisCommandTimeoutMs: env('REDIS_COMMAND_TIMEOUT_MS', integer(50, 60_000).default(3000)),
  /**
   * How long a finished job (completed or dead) keeps its record (`job`, `jobUpdates`: state,
   * result) and its idempotency key, so that an `enqueue` with the same key adds nothing. Default 1 h.
   */
  jobRetentionSeconds: env('JOB_RETENTION_SECONDS', integer(1, 365 * 24 * 3600).default(3600)),
  /**
   * Most queues that hold jobs (in the registry the reapers work through) at once, over every
   * instance; an `enqueue` to, or a take from, one more is RATE_LIMITED. Default 10,000.
   */
  maxQueues: env('MAX_QUEUES', integer(1, 1_000_000).default(10_000)),
  /**
   * Most pooled blocking connections the queue waits of one instance hold (one per queue with
   * takers waiting); queues beyond, or while the pool is busy, look every 250 ms instead. Default 8.
   */
  queueBlockingConnections: env('QUEUE_BLOCKING_CONNECTIONS', integer(0, 10_000).default(8)),
  /**
   * Which roles may do what on which channel, stream, group and queue names: read from
   * POLICY_FILE (JSON or YAML) at start, else {@link DEFAULT_POLICY}.
   */
  policy: env('POLICY_FILE', z.string().min(1).optional().transform(readPolicy)),
  /** HS256 key that JWTs of the app's identity provider are signed with. Default: none (no HS256 JWTs). */
  authJwtSecret: env('AUTH_JWT_SECRET', z.string().min(32, { message: 'expected at least 32 characters (an HS256 key shorter than its hash is easy to guess)' }).optional()),
  /** JSON Web Key Set of the identity provider, for RS256 / ES256 JWTs. Default: none. */
  authJwksUrl: env('AUTH_JWKS_URL', z.url({ protocol: /^https?$/, message: 'expected an http:// or https:// URL' }).optional()),
  /** When set, JWTs must carry this `iss`. */
  authJwtIssuer: env('AUTH_JWT_ISSUER', z.string().min(1).optional()),
  /** When set (comma-separated for several), JWTs must carry one of these in `aud`. */
  authJwtAudience: env('AUTH_JWT_AUDIENCE', z.string().min(1).transform(splitList).optional()),
  /** Claim that holds a JWT user's roles (a list, or a space-separated string); dots walk into objects. Default `roles`. */
  authJwtRolesClaim: env('AUTH_JWT_ROLES_CLAIM', z.string().min(1).default('roles')),
  /** Claims tried in order for a JWT user's display name; `sub` when none is a string. Default `preferred_username`, then `name`. */
  authJwtNameClaims: env('AUTH_JWT_NAME_CLAIM', z.string().min(1).transform(splitList).prefault('preferred_username,name')),
  /** Deepest selection an operation may have (fields inside fields), before QUERY_TOO_COMPLEX. Default 10. */
  maxQueryDepth: env('MAX_QUERY_DEPTH', integer(1, 1000).default(10)),
  /** Most aliases in one operation, before QUERY_TOO_COMPLEX. Default 15. */
  maxQueryAliases: env('MAX_QUERY_ALIASES', integer(0, 100_000).default(15)),
  /** Most lexical tokens in one document, before QUERY_TOO_COMPLEX (checked while parsing). Default 2000. */
  maxQueryTokens: env('MAX_QUERY_TOKENS', integer(10, 1_000_000).default(2000)),
  /** Most directives in one operation, before QUERY_TOO_COMPLEX. Default 50. */
  maxQueryDirectives: env('MAX_QUERY_DIRECTIVES', integer(0, 100_000).default(50)),
  /**
   * Highest cost estimate of one operation, before QUERY_TOO_COMPLEX: every field costs 1, and a
   * list multiplies its sub-selection by the items it may return (`first`, `last`, `ids`, or the
   * field's default page). Default 20,000: a full page of the largest list (1,000 stream entries) fits.
   */
  maxQueryCost: env('MAX_QUERY_COST', integer(1, 1_000_000_000).default(20_000)),
  /** Deepest nesting of arrays and objects in an operation's variables, before QUERY_TOO_COMPLEX. Default 32. */
  maxVariableDepth: env('MAX_VARIABLE_DEPTH', integer(1, 1000).default(32)),
  /** Largest result of one query or mutation, about, in bytes of JSON, before RESPONSE_TOO_LARGE. Default 16 MiB. */
  maxResponseBytes: env('MAX_RESPONSE_BYTES', integer(1024, 1024 * 1024 * 1024).default(16 * 1024 * 1024)),
  /** Distinct `channelPattern` patterns one user may follow at once on one instance, before RATE_LIMITED. 0: no cap. Default 100. */
  maxPatternsPerUser: env('MAX_PATTERNS_PER_USER', integer(0, 100_000).default(100)),
  /** Distinct `channelPattern` patterns one instance follows for all its users, before RATE_LIMITED. 0: no cap. Default 1000. */
  maxPatternsPerProcess: env('MAX_PATTERNS_PER_PROCESS', integer(0, 1_000_000).default(1000)),
  /** Most wildcards (`*`, `?`, `[...]` classes) in one `channelPattern` pattern, before BAD_USER_INPUT. Default 16. */
  maxPatternWildcards: env('MAX_PATTERN_WILDCARDS', integer(0, 256).default(16)),
  /**
   * Policy proofs of new `channelPattern` patterns (each can take milliseconds of CPU) one user
   * may cause per minute on one instance, refused ones included, before RATE_LIMITED. A pattern
   * whose answer is remembered costs nothing and counts nothing. 0: no limit. Default 120.
   */
  maxPatternChecksPerUserPerMinute: env('MAX_PATTERN_CHECKS_PER_USER_PER_MINUTE', integer(0, 1_000_000).default(120)),
});

/** The settings as the schema gives them, before those that depend on others are resolved. */
type Settings = z.output<typeof settingsSchema>;

/**
 * Typed, validated configuration, derived from the settings schema (each field's documentation is
 * on its entry there). Build it with {@link loadConfig}, or in tests as `{ ...loadConfig({}), ...overrides }`.
 */
export type Config = Omit<Settings, 'graphiql' | 'nodeEnv'> & {
  /** Serve GraphiQL on GET /graphql: GRAPHIQL when set, else on unless `NODE_ENV=production`. */
  graphiql: boolean;
};

/** One setting as the settings table in docs/operations.md documents it. */
export interface SettingDescription {
  /** Its field in {@link Config} (or `nodeEnv`, read only to resolve `graphiql`). */
  key: string;
  /** Its environment variable, exactly as written in the environment. */
  env: string;
  /** Its schema: validation, and the default (`z.ZodDefault` or `z.ZodPrefault` when it has one). */
  schema: z.ZodType;
}

/** Every setting, in the schema's order: for the docs table test and anything that lists them. */
export const SETTINGS: readonly SettingDescription[] = Object.entries(settingsSchema.shape).map(([key, schema]) => ({
  key,
  env: environmentName(key),
  schema,
}));

/** The environment variable of the setting `key`. */
function environmentName(key: string): string {
  const schema = (settingsSchema.shape as Record<string, z.ZodType>)[key];
  const name = schema && environmentNames.get(schema)?.env;
  if (!name) throw new Error(`setting ${key} has no environment variable: declare it with env()`);
  return name;
}

/** Thrown by {@link loadConfig}; its message has one line per bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** A setting's value as an error may echo it: the password of any `scheme://user:password@` URL in it masked. */
function withoutPasswords(value: string | undefined): string | undefined {
  // Per comma-separated entry, everything between "//" and the entry's last "@" is credentials
  // (a password may hold "/", "@" or "+", as raw base64 does): shown as "***".
  return value
    ?.split(',')
    .map((entry) =>
      entry.replace(/^(\s*[\w+.-]+:\/\/)(.*)@/, (_match, scheme: string, credentials: string) =>
        credentials.includes(':') ? `${scheme}${credentials.slice(0, credentials.indexOf(':'))}:***@` : `${scheme}***@`,
      ),
    )
    .join(',');
}

/**
 * Reads the configuration from environment variables (see docs/operations.md for the table).
 * Empty variables count as unset; variables it does not know are ignored.
 * @throws ConfigError listing every invalid variable, what was expected and what was given.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input: Record<string, string> = {};
  for (const { key, env: name } of SETTINGS) {
    const value = env[name];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = settingsSchema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = environmentName(String(issue.path[0]));
      return `  ${name}=${JSON.stringify(withoutPasswords(env[name]))}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const { graphiql, nodeEnv, ...settings } = parsed.data;
  if (settings.redisClusterNodes && settings.redisUrl) {
    throw new ConfigError('Invalid configuration:\n  REDIS_CLUSTER_NODES and REDIS_URL: expected one of them (REDIS_CLUSTER_NODES for Redis Cluster, REDIS_URL for one server), not both');
  }
  // WAIT runs on the command connection: a WAIT allowed to outlast the command timeout turns every
  // late replica into "Command timed out" (UNAVAILABLE), even where REDIS_WAIT_REPLICAS=auto.
  if (settings.redisWaitTimeoutMs >= settings.redisCommandTimeoutMs) {
    if (input.redisWaitTimeoutMs !== undefined) {
      throw new ConfigError(
        `Invalid configuration:\n  REDIS_WAIT_TIMEOUT_MS=${settings.redisWaitTimeoutMs}: expected less than REDIS_COMMAND_TIMEOUT_MS (${settings.redisCommandTimeoutMs})`,
      );
    }
    // Left at its default under a short command timeout: half of it.
    settings.redisWaitTimeoutMs = Math.max(1, Math.floor(settings.redisCommandTimeoutMs / 2));
  }
  if (settings.requestTimeoutMs > 0 && settings.headersTimeoutMs > settings.requestTimeoutMs) {
    throw new ConfigError(
      `Invalid configuration:\n  HEADERS_TIMEOUT_MS=${settings.headersTimeoutMs}: expected at most REQUEST_TIMEOUT_MS (${settings.requestTimeoutMs}), or REQUEST_TIMEOUT_MS=0`,
    );
  }
  // Settings left unset are present as undefined (zod leaves absent optional keys out), so that
  // every field of Config is an own property, as a literal of the type would have it.
  const unset = Object.fromEntries(SETTINGS.map(({ key }) => [key, undefined]));
  delete unset.nodeEnv;
  return { ...unset, ...settings, graphiql: graphiql ?? nodeEnv !== 'production' };
}
