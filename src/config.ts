import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { DEFAULT_POLICY, type Policy, PolicyError, loadPolicyFile } from './policy/policy.js';
import { type ClusterNatMap, type ClusterSeeds, ClusterSettingError, parseClusterNatMap, parseClusterNodes } from './redis/cluster-nodes.js';

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
 * Every environment variable Switchboard reads, with its default. The README's configuration
 * table is written from this list; keep the two together.
 */
const environmentSchema = z.object({
  PORT: integer(0, 65_535).default(4000),
  WORKERS: z
    .string()
    .trim()
    .regex(/^(auto|[0-9]+)$/, { message: 'expected a whole number of processes, or auto' })
    .transform((value) => (value === 'auto' ? availableParallelism() : Number(value)))
    .pipe(z.number().min(1, { message: 'expected at least 1' }).max(256, { message: 'expected at most 256' }))
    .default(1),
  HOST: z.string().min(1).default('127.0.0.1'),
  METRICS_PORT: integer(0, 65_535).optional(),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  STATS_INTERVAL_MS: integer(100, 3_600_000).default(5000),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, { message: 'expected a redis:// or rediss:// URL' })
    .optional(),
  REDIS_DATA_DIR: z.string().min(1).default('.data'),
  REDIS_CLUSTER_NODES: z.string().transform(clusterSetting(parseClusterNodes)).optional(),
  REDIS_CLUSTER_NAT_MAP: z.string().transform(clusterSetting(parseClusterNatMap)).optional(),
  PUBSUB_MODE: z.enum(['classic', 'sharded'], { message: 'expected classic or sharded' }).default('classic'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  SESSION_TTL_SECONDS: integer(60, 365 * 24 * 3600).default(7 * 24 * 3600),
  COOKIE_SECURE: flag.default(false),
  ALLOWED_ORIGINS: z.string().default(''),
  CONNECTION_INIT_TIMEOUT_MS: integer(100, 60_000).default(3000),
  KEEPALIVE_MS: integer(0, 600_000).default(12_000),
  MAX_SUBSCRIPTIONS_PER_CONNECTION: integer(1, 100_000).default(500),
  MAX_MESSAGE_BYTES: integer(1, 16 * 1024 * 1024).default(64 * 1024),
  MAX_REQUEST_BYTES: integer(1024, 64 * 1024 * 1024).default(1024 * 1024),
  SUBSCRIBER_QUEUE_LIMIT: integer(1, 1_000_000).default(1000),
  SUBSCRIBER_QUEUE_BYTES: integer(1024, 1024 * 1024 * 1024).default(1024 * 1024),
  SHUTDOWN_TIMEOUT_MS: integer(0, 120_000).default(5000),
  SIGN_IN_ATTEMPTS_PER_MINUTE: integer(1, 100_000).default(10),
  SIGN_IN_ATTEMPTS_PER_ADDRESS_PER_MINUTE: integer(0, 1_000_000).default(30),
  SIGN_UPS_PER_ADDRESS_PER_MINUTE: integer(0, 1_000_000).default(20),
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .refine((value) => splitList(value).every(isAddressOrCidr), {
      message: 'expected comma-separated IP addresses or CIDR ranges (10.0.0.1, 10.0.0.0/8, fd00::/8)',
    }),
  PASSWORD_HASH_CONCURRENCY: integer(0, 64).default(0),
  PASSWORD_HASH_QUEUE_LIMIT: integer(0, 100_000).default(200),
  MAX_CONNECTIONS_PER_USER: integer(0, 10_000_000).default(100),
  MAX_CONNECTIONS_PER_ADDRESS: integer(0, 10_000_000).default(1000),
  HEADERS_TIMEOUT_MS: integer(100, 600_000).default(10_000),
  REQUEST_TIMEOUT_MS: integer(0, 3_600_000).default(30_000),
  KEEP_ALIVE_TIMEOUT_MS: integer(100, 600_000).default(5000),
  GRAPHIQL: flag.optional(),
  NODE_ENV: z.string().optional(),
  SEED_DEMO: flag.default(true),
  CHAT_MESSAGE_MAX_LENGTH: integer(1, 100_000).default(2000),
  MESSAGES_PAGE_MAX: integer(1, 10_000).default(100),
  PRESENCE_HEARTBEAT_MS: integer(100, 600_000).default(10_000),
  BLOCKING_POOL_SIZE: integer(1, 10_000).default(32),
  MAX_BLOCKING_OPERATIONS_PER_USER: integer(0, 10_000).default(8),
  STREAM_CLAIM_IDLE_MS: integer(0, 24 * 3600 * 1000).default(30_000),
  JOB_VISIBILITY_TIMEOUT_MS: integer(100, 24 * 3600 * 1000).default(30_000),
  JOB_MAX_ATTEMPTS: integer(1, 1000).default(5),
  DEQUEUE_MAX_TIMEOUT_SECONDS: integer(1, 3600).default(30),
  REDIS_COMMAND_TIMEOUT_MS: integer(50, 60_000).default(3000),
  JOB_RETENTION_SECONDS: integer(1, 365 * 24 * 3600).default(3600),
  MAX_QUEUES: integer(1, 1_000_000).default(10_000),
  QUEUE_BLOCKING_CONNECTIONS: integer(0, 10_000).default(8),
  POLICY_FILE: z.string().min(1).optional(),
  AUTH_JWT_SECRET: z.string().min(32, { message: 'expected at least 32 characters (an HS256 key shorter than its hash is easy to guess)' }).optional(),
  AUTH_JWKS_URL: z.url({ protocol: /^https?$/, message: 'expected an http:// or https:// URL' }).optional(),
  AUTH_JWT_ISSUER: z.string().min(1).optional(),
  AUTH_JWT_AUDIENCE: z.string().min(1).optional(),
  AUTH_JWT_ROLES_CLAIM: z.string().min(1).default('roles'),
  AUTH_JWT_NAME_CLAIM: z.string().min(1).default('preferred_username,name'),
  MAX_QUERY_DEPTH: integer(1, 1000).default(10),
  MAX_QUERY_ALIASES: integer(0, 100_000).default(15),
  MAX_QUERY_TOKENS: integer(10, 1_000_000).default(2000),
  MAX_QUERY_DIRECTIVES: integer(0, 100_000).default(50),
  MAX_QUERY_COST: integer(1, 1_000_000_000).default(20_000),
  MAX_VARIABLE_DEPTH: integer(1, 1000).default(32),
  MAX_RESPONSE_BYTES: integer(1024, 1024 * 1024 * 1024).default(16 * 1024 * 1024),
  MAX_PATTERNS_PER_USER: integer(0, 100_000).default(100),
  MAX_PATTERNS_PER_PROCESS: integer(0, 1_000_000).default(1000),
  MAX_PATTERN_WILDCARDS: integer(0, 256).default(16),
  MAX_PATTERN_CHECKS_PER_USER_PER_MINUTE: integer(0, 1_000_000).default(120),
});

/** Typed, validated configuration. Build it with {@link loadConfig} or by hand in tests. */
export interface Config {
  /** TCP port of the HTTP/WebSocket server; 0 picks a free one. Default 4000. */
  port: number;
  /**
   * Processes serving the port (node:cluster workers, each a full instance with its own Redis
   * connections). 1 runs one plain process with no supervisor; `auto` is the number of cores.
   * Default 1.
   */
  workers: number;
  /** Interface to listen on. Default 127.0.0.1; use 0.0.0.0 to accept remote clients. */
  host: string;
  /**
   * Port of the separate listener that serves Prometheus metrics at `/metrics` (0: any free port).
   * Unset: no metrics listener. The public port never serves metrics.
   */
  metricsPort: number | undefined;
  /** Interface of the metrics listener. Default 127.0.0.1 (only a local scraper reaches it). */
  metricsHost: string;
  /**
   * How often each instance writes its counters to Redis for the cluster's view, and how often
   * the `stats` subscription pushes. An instance not heard from for three intervals is left out
   * of the cluster's figures. Default 5000 ms.
   */
  statsIntervalMs: number;
  /** Redis to use. When absent, `main` starts an embedded redis-server. */
  redisUrl: string | undefined;
  /** Where the embedded redis-server keeps its AOF. Default `.data`. */
  redisDataDir: string;
  /**
   * REDIS_CLUSTER_NODES: seeds of a Redis Cluster (`redis://[:password@]host:port`, comma-separated;
   * `rediss://` for TLS). When set, the server, `npm run worker` and `npm run consumer` speak Redis
   * Cluster; REDIS_URL (standalone) must then be unset. Default: none.
   */
  redisClusterNodes: ClusterSeeds | undefined;
  /**
   * REDIS_CLUSTER_NAT_MAP: `announcedHost:port=host:port` pairs, for nodes that announce
   * addresses this process cannot reach (NAT, containers); passed to ioredis as `natMap`. Default: none.
   */
  redisClusterNatMap: ClusterNatMap | undefined;
  /**
   * PUBSUB_MODE: `classic` (PUBLISH / SUBSCRIBE everywhere) or `sharded` (internal topics, `publish`
   * and `channel` use SPUBLISH / SSUBSCRIBE, so a message stays in its shard; the chat's `MESSAGES`
   * and `channelPattern` stay classic). Default `classic`.
   */
  pubsubMode: 'classic' | 'sharded';
  logLevel: (typeof LOG_LEVELS)[number];
  /** Lifetime of a session from sign-in. Default 7 days. */
  sessionTtlSeconds: number;
  /** Mark the session cookie `Secure` (set it behind HTTPS). Default false. */
  cookieSecure: boolean;
  /**
   * Origins (scheme://host:port) allowed to use the session cookie on a WebSocket upgrade, besides
   * the server's own origin. Stops other sites from riding a signed-in browser's cookie.
   */
  allowedOrigins: string[];
  /** WebSocket: close with 4408 when `connection_init` has not come within this time. Default 3 s. */
  connectionInitTimeoutMs: number;
  /** WebSocket ping interval; a socket that misses a pong for as long is dropped. 0 turns it off. */
  keepAliveMs: number;
  /** Operations one WebSocket may run at once. Default 500. */
  maxSubscriptionsPerConnection: number;
  /** Largest serialised message `publish`, or job payload `enqueue`, accepts; also the largest `addEvent` event. Default 64 KiB. */
  maxMessageBytes: number;
  /** Largest HTTP body or WebSocket frame accepted. Default 1 MiB. */
  maxRequestBytes: number;
  /** Events queued for one subscriber before it is dropped as too slow. Default 1000. */
  subscriberQueueLimit: number;
  /** Bytes waiting for one subscriber (its queue, or its socket's buffer) before it is dropped as too slow. Default 1 MiB. */
  subscriberQueueBytes: number;
  /** How long `stop()` waits for open requests before closing them. Default 5 s. */
  shutdownTimeoutMs: number;
  /**
   * Failed sign-ins per username from one client address per minute before RATE_LIMITED (a success
   * gives its attempt back). Counted per address and username together, so that failures from one
   * address never lock the owner out elsewhere. Default 10.
   */
  signInAttemptsPerMinute: number;
  /**
   * Failed sign-ins from one client address per minute, whatever the usernames, before RATE_LIMITED:
   * bounds password spraying across names. A success gives its attempt back. 0 turns it off. Default 30.
   */
  signInAttemptsPerAddressPerMinute: number;
  /** `signUp` calls from one client address per minute before RATE_LIMITED. 0 turns it off. Default 20. */
  signUpsPerAddressPerMinute: number;
  /**
   * Peers (IP addresses or CIDR ranges) whose `X-Forwarded-For` is believed: the client address is
   * the rightmost address of that header not itself trusted. Empty (the default): the header is
   * ignored and the client address is the TCP peer's.
   */
  trustedProxies: string[];
  /**
   * Password hashes and checks (bcrypt, on libuv's thread pool) running at once. 0 (the default):
   * one less than the CPU cores, divided among WORKERS, at least 1 and at most one less than libuv's pool (4 threads
   * unless UV_THREADPOOL_SIZE says otherwise), so that the event loop keeps a core and file and
   * DNS work keep a thread during a sign-in storm.
   */
  passwordHashConcurrency: number;
  /**
   * Password hashes and checks waiting for a thread; beyond it `signIn` and `signUp` are RATE_LIMITED
   * at once (`retryAfterSeconds`) instead of queueing without bound. 0: never wait. Default 200.
   */
  passwordHashQueueLimit: number;
  /**
   * Open WebSockets (from `connection_init` with a session) and SSE streams one user may hold on this
   * instance, together, before 4429 (WebSocket) or HTTP 429 RATE_LIMITED (SSE). 0 turns it off. Default 100.
   */
  maxConnectionsPerUser: number;
  /**
   * Open WebSockets (from the upgrade, signed in or not) and SSE streams from one client address on
   * this instance, together, before 4429 or HTTP 429 RATE_LIMITED. 0 turns it off. Default 1000.
   */
  maxConnectionsPerAddress: number;
  /**
   * How long a client may take to send a request's headers (also a WebSocket upgrade's) before it
   * gets 408 and its socket is closed: half-sent headers do not hold sockets. Default 10 s.
   */
  headersTimeoutMs: number;
  /**
   * How long a client may take to send a whole request (headers and body) before 408. Counts the
   * request only, never the response: SSE streams and WebSockets live on. 0 turns it off. Default 30 s.
   */
  requestTimeoutMs: number;
  /** How long an idle keep-alive HTTP connection stays open between requests. Default 5 s. */
  keepAliveTimeoutMs: number;
  /** Serve GraphiQL on GET /graphql. Default true, except when `NODE_ENV=production`. */
  graphiql: boolean;
  /** Write the chat demo's users, rooms and messages when `total_users` is absent. Default true. */
  seedDemo: boolean;
  /** Longest chat message, in characters. Default 2000. */
  chatMessageMaxLength: number;
  /** Largest page `messages` returns. Default 100. */
  messagesPageMax: number;
  /** How often presence is renewed; a connection not renewed for 3 beats counts as gone. Default 10 s. */
  presenceHeartbeatMs: number;
  /** Most Redis connections held for blocking reads (XREAD BLOCK, BLMOVE). Default 32. */
  blockingPoolSize: number;
  /**
   * Blocking operations (dequeue waits, `jobs`, `events` and `groupEvents` subscriptions) one user may
   * run at once on one instance, before RATE_LIMITED. 0 turns the cap off. Default 8.
   */
  maxBlockingOperationsPerUser: number;
  /**
   * A consumer group entry idle this long at a consumer that is gone is claimed (XAUTOCLAIM) for a
   * live consumer of the group. Live consumers refresh their own pending entries every third of
   * this time, so it only ever reaches entries of gone consumers. 0 turns claiming off. Default 30 s.
   */
  streamClaimIdleMs: number;
  /** How long a taken job may stay unacknowledged before it returns to its queue. Default 30 s. */
  jobVisibilityTimeoutMs: number;
  /** Deliveries of one job before it moves to the dead-letter list instead of returning. Default 5. */
  jobMaxAttempts: number;
  /** The longest wait `dequeue(timeoutSeconds)` accepts. Default 30 s. */
  dequeueMaxTimeoutSeconds: number;
  /**
   * Every Redis command (but the blocking reads, which have their own timeouts) fails after this
   * long without an answer, and the operation with UNAVAILABLE; also how long a subscription
   * waits for Redis to confirm it. Default 3 s.
   */
  redisCommandTimeoutMs: number;
  /**
   * How long a finished job (completed or dead) keeps its record (`job`, `jobUpdates`: state,
   * result) and its idempotency key, so that an `enqueue` with the same key adds nothing. Default 1 h.
   */
  jobRetentionSeconds: number;
  /**
   * Most queues that hold jobs (in the registry the reapers work through) at once, over every
   * instance; an `enqueue` to, or a take from, one more is RATE_LIMITED. Default 10,000.
   */
  maxQueues: number;
  /**
   * Most pooled blocking connections the queue waits of one instance hold (one per queue with
   * takers waiting); queues beyond, or while the pool is busy, look every 250 ms instead. Default 8.
   */
  queueBlockingConnections: number;
  /**
   * Which roles may do what on which channel, stream, group and queue names: read from
   * POLICY_FILE (JSON or YAML) at start, else {@link DEFAULT_POLICY}.
   */
  policy: Policy;
  /** HS256 key that JWTs of the app's identity provider are signed with. Default: none (no HS256 JWTs). */
  authJwtSecret: string | undefined;
  /** JSON Web Key Set of the identity provider, for RS256 / ES256 JWTs. Default: none. */
  authJwksUrl: string | undefined;
  /** When set, JWTs must carry this `iss`. */
  authJwtIssuer: string | undefined;
  /** When set (comma-separated for several), JWTs must carry one of these in `aud`. */
  authJwtAudience: string[] | undefined;
  /** Claim that holds a JWT user's roles (a list, or a space-separated string); dots walk into objects. Default `roles`. */
  authJwtRolesClaim: string;
  /** Claims tried in order for a JWT user's display name; `sub` when none is a string. Default `preferred_username`, then `name`. */
  authJwtNameClaims: string[];
  /** Deepest selection an operation may have (fields inside fields), before QUERY_TOO_COMPLEX. Default 10. */
  maxQueryDepth: number;
  /** Most aliases in one operation, before QUERY_TOO_COMPLEX. Default 15. */
  maxQueryAliases: number;
  /** Most lexical tokens in one document, before QUERY_TOO_COMPLEX (checked while parsing). Default 2000. */
  maxQueryTokens: number;
  /** Most directives in one operation, before QUERY_TOO_COMPLEX. Default 50. */
  maxQueryDirectives: number;
  /**
   * Highest cost estimate of one operation, before QUERY_TOO_COMPLEX: every field costs 1, and a
   * list multiplies its sub-selection by the items it may return (`first`, `last`, `ids`, or the
   * field's default page). Default 20,000: a full page of the largest list (1,000 stream entries) fits.
   */
  maxQueryCost: number;
  /** Deepest nesting of arrays and objects in an operation's variables, before QUERY_TOO_COMPLEX. Default 32. */
  maxVariableDepth: number;
  /** Largest result of one query or mutation, about, in bytes of JSON, before RESPONSE_TOO_LARGE. Default 16 MiB. */
  maxResponseBytes: number;
  /** Distinct `channelPattern` patterns one user may follow at once on one instance, before RATE_LIMITED. 0: no cap. Default 100. */
  maxPatternsPerUser: number;
  /** Distinct `channelPattern` patterns one instance follows for all its users, before RATE_LIMITED. 0: no cap. Default 1000. */
  maxPatternsPerProcess: number;
  /** Most wildcards (`*`, `?`, `[...]` classes) in one `channelPattern` pattern, before BAD_USER_INPUT. Default 16. */
  maxPatternWildcards: number;
  /**
   * Policy proofs of new `channelPattern` patterns (each can take milliseconds of CPU) one user
   * may cause per minute on one instance, refused ones included, before RATE_LIMITED. A pattern
   * whose answer is remembered costs nothing and counts nothing. 0: no limit. Default 120.
   */
  maxPatternChecksPerUserPerMinute: number;
}

/** Thrown by {@link loadConfig}; its message has one line per bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads the configuration from environment variables (see the README's table).
 * @throws ConfigError listing every invalid variable, what was expected and what was given.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environmentSchema.safeParse(present);
  const lines = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const name = String(issue.path[0]);
        return `  ${name}=${JSON.stringify(env[name])}: ${issue.message}`;
      });
  let policy = DEFAULT_POLICY;
  if (present.POLICY_FILE) {
    try {
      policy = loadPolicyFile(present.POLICY_FILE);
    } catch (error) {
      if (!(error instanceof PolicyError)) throw error;
      lines.push(...error.problems.map((problem) => `  POLICY_FILE=${JSON.stringify(present.POLICY_FILE)}: ${problem}`));
    }
  }
  if (!parsed.success || lines.length > 0) throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  const value = parsed.data;
  if (value.REDIS_CLUSTER_NODES && value.REDIS_URL) {
    throw new ConfigError('Invalid configuration:\n  REDIS_CLUSTER_NODES and REDIS_URL: expected one of them (REDIS_CLUSTER_NODES for Redis Cluster, REDIS_URL for one server), not both');
  }
  if (value.REQUEST_TIMEOUT_MS > 0 && value.HEADERS_TIMEOUT_MS > value.REQUEST_TIMEOUT_MS) {
    throw new ConfigError(
      `Invalid configuration:\n  HEADERS_TIMEOUT_MS=${value.HEADERS_TIMEOUT_MS}: expected at most REQUEST_TIMEOUT_MS (${value.REQUEST_TIMEOUT_MS}), or REQUEST_TIMEOUT_MS=0`,
    );
  }
  return {
    port: value.PORT,
    workers: value.WORKERS,
    host: value.HOST,
    metricsPort: value.METRICS_PORT,
    metricsHost: value.METRICS_HOST,
    statsIntervalMs: value.STATS_INTERVAL_MS,
    redisUrl: value.REDIS_URL,
    redisDataDir: value.REDIS_DATA_DIR,
    redisClusterNodes: value.REDIS_CLUSTER_NODES,
    redisClusterNatMap: value.REDIS_CLUSTER_NAT_MAP,
    pubsubMode: value.PUBSUB_MODE,
    logLevel: value.LOG_LEVEL,
    sessionTtlSeconds: value.SESSION_TTL_SECONDS,
    cookieSecure: value.COOKIE_SECURE,
    allowedOrigins: value.ALLOWED_ORIGINS.split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    connectionInitTimeoutMs: value.CONNECTION_INIT_TIMEOUT_MS,
    keepAliveMs: value.KEEPALIVE_MS,
    maxSubscriptionsPerConnection: value.MAX_SUBSCRIPTIONS_PER_CONNECTION,
    maxMessageBytes: value.MAX_MESSAGE_BYTES,
    maxRequestBytes: value.MAX_REQUEST_BYTES,
    subscriberQueueLimit: value.SUBSCRIBER_QUEUE_LIMIT,
    subscriberQueueBytes: value.SUBSCRIBER_QUEUE_BYTES,
    shutdownTimeoutMs: value.SHUTDOWN_TIMEOUT_MS,
    signInAttemptsPerMinute: value.SIGN_IN_ATTEMPTS_PER_MINUTE,
    signInAttemptsPerAddressPerMinute: value.SIGN_IN_ATTEMPTS_PER_ADDRESS_PER_MINUTE,
    signUpsPerAddressPerMinute: value.SIGN_UPS_PER_ADDRESS_PER_MINUTE,
    trustedProxies: splitList(value.TRUSTED_PROXIES),
    passwordHashConcurrency: value.PASSWORD_HASH_CONCURRENCY,
    passwordHashQueueLimit: value.PASSWORD_HASH_QUEUE_LIMIT,
    maxConnectionsPerUser: value.MAX_CONNECTIONS_PER_USER,
    maxConnectionsPerAddress: value.MAX_CONNECTIONS_PER_ADDRESS,
    headersTimeoutMs: value.HEADERS_TIMEOUT_MS,
    requestTimeoutMs: value.REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: value.KEEP_ALIVE_TIMEOUT_MS,
    graphiql: value.GRAPHIQL ?? value.NODE_ENV !== 'production',
    seedDemo: value.SEED_DEMO,
    chatMessageMaxLength: value.CHAT_MESSAGE_MAX_LENGTH,
    messagesPageMax: value.MESSAGES_PAGE_MAX,
    presenceHeartbeatMs: value.PRESENCE_HEARTBEAT_MS,
    blockingPoolSize: value.BLOCKING_POOL_SIZE,
    maxBlockingOperationsPerUser: value.MAX_BLOCKING_OPERATIONS_PER_USER,
    streamClaimIdleMs: value.STREAM_CLAIM_IDLE_MS,
    jobVisibilityTimeoutMs: value.JOB_VISIBILITY_TIMEOUT_MS,
    jobMaxAttempts: value.JOB_MAX_ATTEMPTS,
    dequeueMaxTimeoutSeconds: value.DEQUEUE_MAX_TIMEOUT_SECONDS,
    redisCommandTimeoutMs: value.REDIS_COMMAND_TIMEOUT_MS,
    jobRetentionSeconds: value.JOB_RETENTION_SECONDS,
    maxQueues: value.MAX_QUEUES,
    queueBlockingConnections: value.QUEUE_BLOCKING_CONNECTIONS,
    policy,
    authJwtSecret: value.AUTH_JWT_SECRET,
    authJwksUrl: value.AUTH_JWKS_URL,
    authJwtIssuer: value.AUTH_JWT_ISSUER,
    authJwtAudience: value.AUTH_JWT_AUDIENCE?.split(',')
      .map((audience) => audience.trim())
      .filter(Boolean),
    authJwtRolesClaim: value.AUTH_JWT_ROLES_CLAIM,
    authJwtNameClaims: value.AUTH_JWT_NAME_CLAIM.split(',')
      .map((claim) => claim.trim())
      .filter(Boolean),
    maxQueryDepth: value.MAX_QUERY_DEPTH,
    maxQueryAliases: value.MAX_QUERY_ALIASES,
    maxQueryTokens: value.MAX_QUERY_TOKENS,
    maxQueryDirectives: value.MAX_QUERY_DIRECTIVES,
    maxQueryCost: value.MAX_QUERY_COST,
    maxVariableDepth: value.MAX_VARIABLE_DEPTH,
    maxResponseBytes: value.MAX_RESPONSE_BYTES,
    maxPatternsPerUser: value.MAX_PATTERNS_PER_USER,
    maxPatternsPerProcess: value.MAX_PATTERNS_PER_PROCESS,
    maxPatternWildcards: value.MAX_PATTERN_WILDCARDS,
    maxPatternChecksPerUserPerMinute: value.MAX_PATTERN_CHECKS_PER_USER_PER_MINUTE,
  };
}
