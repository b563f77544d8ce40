import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, SETTINGS, loadConfig, type Config } from '../../src/config.js';
import { DEFAULT_POLICY } from '../../src/policy/policy.js';

/** The configuration of an empty environment; each default is checked against docs/operations.md by settings-table.test.ts. */
const DEFAULTS: Config = loadConfig({});

/** Runs loadConfig and returns the ConfigError it threw. */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`expected loadConfig(${JSON.stringify(env)}) to throw`);
}

describe('loadConfig defaults', () => {
  it('resolves the settings whose default is not a plain value', () => {
    expect(DEFAULTS).toMatchObject({
      graphiql: true,
      policy: DEFAULT_POLICY,
      allowedOrigins: [],
      trustedProxies: [],
      authJwtAudience: undefined,
      authJwtNameClaims: ['preferred_username', 'name'],
      workers: 1,
    });
    expect('nodeEnv' in DEFAULTS).toBe(false);
    for (const key of ['metricsPort', 'redisUrl', 'authJwtSecret', 'authJwksUrl', 'authJwtIssuer', 'authJwtAudience']) {
      expect(Object.hasOwn(DEFAULTS, key) && DEFAULTS[key as keyof Config] === undefined, key).toBe(true);
    }
  });

  it('treats empty variables as unset', () => {
    const empty = Object.fromEntries(SETTINGS.map(({ env }) => [env, '']));
    expect(Object.keys(empty).length).toBeGreaterThan(60);
    expect(loadConfig(empty)).toEqual(DEFAULTS);
  });

  it('ignores variables it does not know', () => {
    expect(loadConfig({ PATH: '/usr/bin', HOME: '/root', port: 'abc', NODE_ENV: 'test' })).toEqual(DEFAULTS);
  });

  it('returns a fresh object each time', () => {
    const first = loadConfig({});
    first.allowedOrigins.push('http://mutated');
    expect(loadConfig({}).allowedOrigins).toEqual([]);
  });
});

describe('the settings schema', () => {
  it('gives every setting its own environment variable, in capitals', () => {
    const names = SETTINGS.map(({ env }) => env);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[A-Z][A-Z0-9_]*$/);
  });

  it('has a setting for every field of the config, and only NODE_ENV besides', () => {
    const keys = new Set(SETTINGS.map(({ key }) => key));
    for (const key of Object.keys(DEFAULTS)) expect(keys.has(key), key).toBe(true);
    expect([...keys].filter((key) => !(key in DEFAULTS))).toEqual(['nodeEnv']);
  });
});

describe('loadConfig parsing', () => {
  it('reads every variable', () => {
    const env = {
      PORT: '8080',
      WORKERS: '3',
      METRICS_PORT: '9464',
      METRICS_HOST: '0.0.0.0',
      STATS_INTERVAL_MS: '2000',
      HOST: '0.0.0.0',
      REDIS_URL: 'redis://cache:6379/2',
      REDIS_DATA_DIR: '/var/lib/switchboard',
      LOG_LEVEL: 'debug',
      SESSION_TTL_SECONDS: '3600',
      COOKIE_SECURE: 'true',
      ALLOWED_ORIGINS: 'https://app.example.com,http://localhost:5173',
      CONNECTION_INIT_TIMEOUT_MS: '1500',
      KEEPALIVE_MS: '30000',
      MAX_SUBSCRIPTIONS_PER_CONNECTION: '20',
      MAX_MESSAGE_BYTES: '2048',
      MAX_REQUEST_BYTES: '4096',
      SUBSCRIBER_QUEUE_LIMIT: '50',
      SUBSCRIBER_QUEUE_BYTES: '65536',
      SHUTDOWN_TIMEOUT_MS: '250',
      SIGN_IN_ATTEMPTS_PER_MINUTE: '3',
      SIGN_IN_ATTEMPTS_PER_ADDRESS_PER_MINUTE: '12',
      SIGN_UPS_PER_ADDRESS_PER_MINUTE: '0',
      TRUSTED_PROXIES: ' 10.0.0.1, 10.1.0.0/16 ,fd00::/8,',
      PASSWORD_HASH_CONCURRENCY: '4',
      PASSWORD_HASH_QUEUE_LIMIT: '0',
      MAX_CONNECTIONS_PER_USER: '0',
      MAX_CONNECTIONS_PER_ADDRESS: '50',
      HEADERS_TIMEOUT_MS: '2000',
      REQUEST_TIMEOUT_MS: '0',
      KEEP_ALIVE_TIMEOUT_MS: '65000',
      GRAPHIQL: 'false',
      BLOCKING_POOL_SIZE: '8',
      REDIS_WAIT_REPLICAS: '1',
      REDIS_WAIT_TIMEOUT_MS: '250',
      MAX_BLOCKING_OPERATIONS_PER_USER: '3',
      JOB_VISIBILITY_TIMEOUT_MS: '5000',
      JOB_MAX_ATTEMPTS: '3',
      DEQUEUE_MAX_TIMEOUT_SECONDS: '60',
      REDIS_COMMAND_TIMEOUT_MS: '1500',
      JOB_RETENTION_SECONDS: '60',
      MAX_QUEUES: '50',
      QUEUE_BLOCKING_CONNECTIONS: '2',
      STREAM_CLAIM_IDLE_MS: '0',
      SEED_DEMO: 'false',
      CHAT_MESSAGE_MAX_LENGTH: '500',
      MESSAGES_PAGE_MAX: '25',
      PRESENCE_HEARTBEAT_MS: '2500',
      AUTH_JWT_SECRET: 'a-secret-of-at-least-thirty-two-characters',
      AUTH_JWKS_URL: 'https://idp.example.com/.well-known/jwks.json',
      AUTH_JWT_ISSUER: 'https://idp.example.com/',
      AUTH_JWT_AUDIENCE: 'switchboard, api',
      AUTH_JWT_ROLES_CLAIM: 'realm_access.roles',
      AUTH_JWT_NAME_CLAIM: 'nickname',
      MAX_QUERY_DEPTH: '7',
      MAX_QUERY_ALIASES: '5',
      MAX_QUERY_TOKENS: '500',
      MAX_QUERY_DIRECTIVES: '4',
      MAX_QUERY_COST: '800',
      MAX_VARIABLE_DEPTH: '8',
      MAX_RESPONSE_BYTES: '65536',
      MAX_PATTERNS_PER_USER: '3',
      MAX_PATTERNS_PER_PROCESS: '30',
      MAX_PATTERN_WILDCARDS: '4',
      MAX_PATTERN_CHECKS_PER_USER_PER_MINUTE: '30',
    };
    const config = loadConfig(env);
    // Every variable but NODE_ENV (read only for GraphiQL's default, below) is given another value than its default.
    const given = SETTINGS.filter((setting) => setting.env in env);
    for (const { key } of given) expect(config[key as keyof Config], key).not.toEqual(DEFAULTS[key as keyof Config]);
    expect(config).toEqual({
      ...DEFAULTS,
      port: 8080,
      workers: 3,
      metricsPort: 9464,
      metricsHost: '0.0.0.0',
      statsIntervalMs: 2000,
      host: '0.0.0.0',
      redisUrl: 'redis://cache:6379/2',
      redisDataDir: '/var/lib/switchboard',
      redisClusterNodes: undefined,
      redisClusterNatMap: undefined,
      pubsubMode: 'classic',
      logLevel: 'debug',
      sessionTtlSeconds: 3600,
      cookieSecure: true,
      allowedOrigins: ['https://app.example.com', 'http://localhost:5173'],
      connectionInitTimeoutMs: 1500,
      keepAliveMs: 30_000,
      maxSubscriptionsPerConnection: 20,
      maxMessageBytes: 2048,
      maxRequestBytes: 4096,
      subscriberQueueLimit: 50,
      subscriberQueueBytes: 65_536,
      shutdownTimeoutMs: 250,
      signInAttemptsPerMinute: 3,
      signInAttemptsPerAddressPerMinute: 12,
      signUpsPerAddressPerMinute: 0,
      trustedProxies: ['10.0.0.1', '10.1.0.0/16', 'fd00::/8'],
      passwordHashConcurrency: 4,
      passwordHashQueueLimit: 0,
      maxConnectionsPerUser: 0,
      maxConnectionsPerAddress: 50,
      headersTimeoutMs: 2000,
      requestTimeoutMs: 0,
      keepAliveTimeoutMs: 65_000,
      graphiql: false,
      blockingPoolSize: 8,
      redisWaitReplicas: 1,
      redisWaitTimeoutMs: 250,
      maxBlockingOperationsPerUser: 3,
      jobVisibilityTimeoutMs: 5000,
      jobMaxAttempts: 3,
      dequeueMaxTimeoutSeconds: 60,
      redisCommandTimeoutMs: 1500,
      jobRetentionSeconds: 60,
      maxQueues: 50,
      queueBlockingConnections: 2,
      streamClaimIdleMs: 0,
      seedDemo: false,
      chatMessageMaxLength: 500,
      messagesPageMax: 25,
      presenceHeartbeatMs: 2500,
      policy: DEFAULT_POLICY,
      authJwtSecret: 'a-secret-of-at-least-thirty-two-characters',
      authJwksUrl: 'https://idp.example.com/.well-known/jwks.json',
      authJwtIssuer: 'https://idp.example.com/',
      authJwtAudience: ['switchboard', 'api'],
      authJwtRolesClaim: 'realm_access.roles',
      authJwtNameClaims: ['nickname'],
      maxQueryDepth: 7,
      maxQueryAliases: 5,
      maxQueryTokens: 500,
      maxQueryDirectives: 4,
      maxQueryCost: 800,
      maxVariableDepth: 8,
      maxResponseBytes: 65_536,
      maxPatternsPerUser: 3,
      maxPatternsPerProcess: 30,
      maxPatternWildcards: 4,
      maxPatternChecksPerUserPerMinute: 30,
    } satisfies Config);
    expect(given.length).toBeGreaterThan(60);
  });

  it('turns GraphiQL off by default when NODE_ENV=production, unless GRAPHIQL says otherwise', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).graphiql).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', GRAPHIQL: 'true' }).graphiql).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development' }).graphiql).toBe(true);
  });

  it.each(['redis://localhost:6379', 'rediss://user:secret@cache.example.com:6380/0'])('accepts REDIS_URL=%s', (url) => {
    expect(loadConfig({ REDIS_URL: url }).redisUrl).toBe(url);
  });

  it.each(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const)('accepts LOG_LEVEL=%s', (level) => {
    expect(loadConfig({ LOG_LEVEL: level }).logLevel).toBe(level);
  });

  it.each([
    ['true', true],
    ['1', true],
    ['yes', true],
    ['false', false],
    ['0', false],
    ['no', false],
  ])('reads the flags COOKIE_SECURE and GRAPHIQL from %j as %s', (text, value) => {
    const config = loadConfig({ COOKIE_SECURE: text, GRAPHIQL: text });
    expect(config.cookieSecure).toBe(value);
    expect(config.graphiql).toBe(value);
  });

  it('splits ALLOWED_ORIGINS on commas, trimming spaces and dropping empty entries', () => {
    expect(loadConfig({ ALLOWED_ORIGINS: ' https://a.example , ,http://b.example:8080,, ' }).allowedOrigins).toEqual([
      'https://a.example',
      'http://b.example:8080',
    ]);
    expect(loadConfig({ ALLOWED_ORIGINS: 'https://only.example' }).allowedOrigins).toEqual(['https://only.example']);
    expect(loadConfig({ ALLOWED_ORIGINS: ' , ' }).allowedOrigins).toEqual([]);
  });

  it.each([
    ['PORT', '0', 'port', 0],
    ['PORT', '65535', 'port', 65_535],
    ['WORKERS', '1', 'workers', 1],
    ['METRICS_PORT', '0', 'metricsPort', 0],
    ['STATS_INTERVAL_MS', '100', 'statsIntervalMs', 100],
    ['WORKERS', '256', 'workers', 256],
    ['WORKERS', 'auto', 'workers', availableParallelism()],
    ['SESSION_TTL_SECONDS', '60', 'sessionTtlSeconds', 60],
    ['SESSION_TTL_SECONDS', String(365 * 24 * 3600), 'sessionTtlSeconds', 365 * 24 * 3600],
    ['CONNECTION_INIT_TIMEOUT_MS', '100', 'connectionInitTimeoutMs', 100],
    ['CONNECTION_INIT_TIMEOUT_MS', '60000', 'connectionInitTimeoutMs', 60_000],
    ['KEEPALIVE_MS', '0', 'keepAliveMs', 0],
    ['KEEPALIVE_MS', '600000', 'keepAliveMs', 600_000],
    ['MAX_SUBSCRIPTIONS_PER_CONNECTION', '1', 'maxSubscriptionsPerConnection', 1],
    ['MAX_SUBSCRIPTIONS_PER_CONNECTION', '100000', 'maxSubscriptionsPerConnection', 100_000],
    ['MAX_MESSAGE_BYTES', '1', 'maxMessageBytes', 1],
    ['MAX_MESSAGE_BYTES', String(16 * 1024 * 1024), 'maxMessageBytes', 16 * 1024 * 1024],
    ['MAX_REQUEST_BYTES', '1024', 'maxRequestBytes', 1024],
    ['MAX_REQUEST_BYTES', String(64 * 1024 * 1024), 'maxRequestBytes', 64 * 1024 * 1024],
    ['SUBSCRIBER_QUEUE_LIMIT', '1', 'subscriberQueueLimit', 1],
    ['SUBSCRIBER_QUEUE_LIMIT', '1000000', 'subscriberQueueLimit', 1_000_000],
    ['SUBSCRIBER_QUEUE_BYTES', '1024', 'subscriberQueueBytes', 1024],
    ['SUBSCRIBER_QUEUE_BYTES', String(1024 * 1024 * 1024), 'subscriberQueueBytes', 1024 * 1024 * 1024],
    ['SHUTDOWN_TIMEOUT_MS', '0', 'shutdownTimeoutMs', 0],
    ['SHUTDOWN_TIMEOUT_MS', '120000', 'shutdownTimeoutMs', 120_000],
    ['SIGN_IN_ATTEMPTS_PER_MINUTE', '1', 'signInAttemptsPerMinute', 1],
    ['SIGN_IN_ATTEMPTS_PER_MINUTE', '100000', 'signInAttemptsPerMinute', 100_000],
    ['BLOCKING_POOL_SIZE', '1', 'blockingPoolSize', 1],
    ['BLOCKING_POOL_SIZE', '10000', 'blockingPoolSize', 10_000],
    ['REDIS_WAIT_REPLICAS', '0', 'redisWaitReplicas', 0],
    ['REDIS_WAIT_REPLICAS', '16', 'redisWaitReplicas', 16],
    ['REDIS_WAIT_REPLICAS', 'auto', 'redisWaitReplicas', 'auto'],
    ['MAX_BLOCKING_OPERATIONS_PER_USER', '0', 'maxBlockingOperationsPerUser', 0],
    ['JOB_VISIBILITY_TIMEOUT_MS', '100', 'jobVisibilityTimeoutMs', 100],
    ['JOB_VISIBILITY_TIMEOUT_MS', String(24 * 3600 * 1000), 'jobVisibilityTimeoutMs', 24 * 3600 * 1000],
    ['JOB_MAX_ATTEMPTS', '1', 'jobMaxAttempts', 1],
    ['JOB_MAX_ATTEMPTS', '1000', 'jobMaxAttempts', 1000],
    ['DEQUEUE_MAX_TIMEOUT_SECONDS', '1', 'dequeueMaxTimeoutSeconds', 1],
    ['DEQUEUE_MAX_TIMEOUT_SECONDS', '3600', 'dequeueMaxTimeoutSeconds', 3600],
    ['REDIS_COMMAND_TIMEOUT_MS', '50', 'redisCommandTimeoutMs', 50],
    ['REDIS_COMMAND_TIMEOUT_MS', '60000', 'redisCommandTimeoutMs', 60000],
    ['STREAM_CLAIM_IDLE_MS', '0', 'streamClaimIdleMs', 0],
    ['STREAM_CLAIM_IDLE_MS', String(24 * 3600 * 1000), 'streamClaimIdleMs', 24 * 3600 * 1000],
    ['CHAT_MESSAGE_MAX_LENGTH', '1', 'chatMessageMaxLength', 1],
    ['CHAT_MESSAGE_MAX_LENGTH', '100000', 'chatMessageMaxLength', 100_000],
    ['MESSAGES_PAGE_MAX', '1', 'messagesPageMax', 1],
    ['MESSAGES_PAGE_MAX', '10000', 'messagesPageMax', 10_000],
    ['PRESENCE_HEARTBEAT_MS', '100', 'presenceHeartbeatMs', 100],
    ['PRESENCE_HEARTBEAT_MS', '600000', 'presenceHeartbeatMs', 600_000],
  ] as const)('accepts the bound %s=%s', (variable, text, key, value) => {
    expect(loadConfig({ [variable]: text })[key]).toBe(value);
  });
});

describe('loadConfig errors', () => {
  it.each(['10.0.0.1/33', 'proxy.example.com', '10.0.0.0/8/1', 'fd00::/129', '10.0.0.1/x'])('refuses TRUSTED_PROXIES=%j', (value) => {
    expect(configError({ TRUSTED_PROXIES: value }).message.split('\n')).toEqual([
      'Invalid configuration:',
      expect.stringMatching(/^ {2}TRUSTED_PROXIES=.*IP addresses or CIDR ranges/),
    ]);
  });

  it('refuses a headers timeout longer than the request timeout, as Node would', () => {
    expect(configError({ HEADERS_TIMEOUT_MS: '40000', REQUEST_TIMEOUT_MS: '30000' }).message).toMatch(/HEADERS_TIMEOUT_MS=40000: expected at most REQUEST_TIMEOUT_MS/);
    expect(loadConfig({ HEADERS_TIMEOUT_MS: '40000', REQUEST_TIMEOUT_MS: '0' }).headersTimeoutMs).toBe(40_000);
  });

  it('refuses PORT=abc, naming the variable and the value', () => {
    const error = configError({ PORT: 'abc' });
    expect(error.name).toBe('ConfigError');
    expect(error).toBeInstanceOf(Error);
    expect(error.message.split('\n')).toEqual(['Invalid configuration:', expect.stringMatching(/^ {2}PORT="abc": .*number/)]);
  });

  it.each([' ', '\t', '0x1F', '1e3', '12.5', '-1'])('refuses the number %j instead of reading it as some other number', (value) => {
    expect(configError({ PORT: value, KEEPALIVE_MS: value }).message.split('\n')).toEqual([
      'Invalid configuration:',
      expect.stringMatching(/^ {2}PORT=.*whole number/),
      expect.stringMatching(/^ {2}KEEPALIVE_MS=.*whole number/),
    ]);
  });

  it('refuses PORT=70000 as too big', () => {
    expect(configError({ PORT: '70000' }).message.split('\n')).toEqual([
      'Invalid configuration:',
      expect.stringMatching(/^ {2}PORT="70000": .*65535/),
    ]);
  });

  it('refuses LOG_LEVEL=loud and lists the levels', () => {
    const lines = configError({ LOG_LEVEL: 'loud' }).message.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^ {2}LOG_LEVEL="loud": /);
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) expect(lines[1]).toContain(level);
  });

  it('refuses REDIS_URL=http://x and says a redis URL is expected', () => {
    expect(configError({ REDIS_URL: 'http://x' }).message.split('\n')).toEqual([
      'Invalid configuration:',
      '  REDIS_URL="http://x": expected a redis:// or rediss:// URL',
    ]);
  });

  it('refuses COOKIE_SECURE=maybe and says a flag is expected', () => {
    expect(configError({ COOKIE_SECURE: 'maybe' }).message.split('\n')).toEqual([
      'Invalid configuration:',
      '  COOKIE_SECURE="maybe": expected true or false',
    ]);
  });

  it('lists several bad variables at once, each on its own line with its value', () => {
    const env = { PORT: 'abc', LOG_LEVEL: 'loud', REDIS_URL: 'http://x', COOKIE_SECURE: 'maybe', HOST: 'fine.example' };
    const lines = configError(env).message.split('\n');
    expect(lines[0]).toBe('Invalid configuration:');
    expect(lines).toHaveLength(5);
    for (const [name, value] of Object.entries(env).filter(([name]) => name !== 'HOST')) {
      const matching = lines.filter((line) => line.startsWith(`  ${name}=${JSON.stringify(value)}: `));
      expect(matching, name).toHaveLength(1);
    }
    expect(lines.some((line) => line.includes('HOST'))).toBe(false);
  });

  it.each([
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['PORT', 'Infinity'],
    ['WORKERS', '0'],
    ['STATS_INTERVAL_MS', '99'],
    ['METRICS_PORT', '65536'],
    ['WORKERS', '257'],
    ['WORKERS', 'all'],
    ['SESSION_TTL_SECONDS', '59'],
    ['SESSION_TTL_SECONDS', String(365 * 24 * 3600 + 1)],
    ['CONNECTION_INIT_TIMEOUT_MS', '99'],
    ['CONNECTION_INIT_TIMEOUT_MS', '60001'],
    ['KEEPALIVE_MS', '-1'],
    ['KEEPALIVE_MS', '600001'],
    ['MAX_SUBSCRIPTIONS_PER_CONNECTION', '0'],
    ['MAX_SUBSCRIPTIONS_PER_CONNECTION', '100001'],
    ['MAX_MESSAGE_BYTES', '0'],
    ['MAX_MESSAGE_BYTES', String(16 * 1024 * 1024 + 1)],
    ['MAX_REQUEST_BYTES', '1023'],
    ['MAX_REQUEST_BYTES', String(64 * 1024 * 1024 + 1)],
    ['SUBSCRIBER_QUEUE_LIMIT', '0'],
    ['SUBSCRIBER_QUEUE_LIMIT', '1000001'],
    ['SUBSCRIBER_QUEUE_BYTES', '1023'],
    ['SUBSCRIBER_QUEUE_BYTES', String(1024 * 1024 * 1024 + 1)],
    ['SHUTDOWN_TIMEOUT_MS', '-1'],
    ['SHUTDOWN_TIMEOUT_MS', '120001'],
    ['SIGN_IN_ATTEMPTS_PER_MINUTE', '0'],
    ['SIGN_IN_ATTEMPTS_PER_MINUTE', '100001'],
    ['SIGN_IN_ATTEMPTS_PER_MINUTE', 'ten'],
    ['BLOCKING_POOL_SIZE', '0'],
    ['BLOCKING_POOL_SIZE', '10001'],
    ['REDIS_WAIT_REPLICAS', '17'],
    ['REDIS_WAIT_REPLICAS', '-1'],
    ['REDIS_WAIT_REPLICAS', 'AUTO'],
    ['REDIS_WAIT_REPLICAS', 'yes'],
    ['REDIS_WAIT_TIMEOUT_MS', '0'],
    ['MAX_BLOCKING_OPERATIONS_PER_USER', '-1'],
    ['JOB_VISIBILITY_TIMEOUT_MS', '99'],
    ['JOB_VISIBILITY_TIMEOUT_MS', String(24 * 3600 * 1000 + 1)],
    ['JOB_MAX_ATTEMPTS', '0'],
    ['JOB_MAX_ATTEMPTS', '1001'],
    ['DEQUEUE_MAX_TIMEOUT_SECONDS', '0'],
    ['DEQUEUE_MAX_TIMEOUT_SECONDS', '3601'],
    ['REDIS_COMMAND_TIMEOUT_MS', '49'],
    ['REDIS_COMMAND_TIMEOUT_MS', '60001'],
    ['STREAM_CLAIM_IDLE_MS', '-1'],
    ['STREAM_CLAIM_IDLE_MS', String(24 * 3600 * 1000 + 1)],
    ['CHAT_MESSAGE_MAX_LENGTH', '0'],
    ['MESSAGES_PAGE_MAX', '10001'],
    ['PRESENCE_HEARTBEAT_MS', '99'],
    ['SEED_DEMO', 'sometimes'],
    ['STREAM_CLAIM_IDLE_MS', '30s'],
    ['GRAPHIQL', 'maybe'],
    ['GRAPHIQL', 'on'],
    ['COOKIE_SECURE', 'TRUE'],
    ['LOG_LEVEL', 'INFO'],
    ['REDIS_URL', 'localhost:6379'],
    ['REDIS_URL', 'redis:/localhost'],
  ])('refuses %s=%j', (name, value) => {
    const lines = configError({ [name]: value }).message.split('\n');
    expect(lines[0]).toBe('Invalid configuration:');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines.slice(1)) expect(line.startsWith(`  ${name}=${JSON.stringify(value)}: `), line).toBe(true);
  });
});

describe('loadConfig errors', () => {
  it('never echo a password of a Redis URL it refuses', () => {
    let message = '';
    try {
      loadConfig({ REDIS_URL: 'http://app:s3cret@cache:6379' });
    } catch (error) {
      message = error instanceof ConfigError ? error.message : '';
    }
    expect(message).toContain('REDIS_URL="http://app:***@cache:6379"');
    expect(message).not.toContain('s3cret');
  });

  it('mask the whole password of every seed, also one holding "/", "@" or "+"', () => {
    let message = '';
    try {
      loadConfig({ REDIS_CLUSTER_NODES: 'redis://:ab/cd+ef==@h:6379,redis://u:p@ss@h2:1,nothost' });
    } catch (error) {
      message = error instanceof ConfigError ? error.message : '';
    }
    expect(message).toContain('Invalid configuration');
    for (const secret of ['ab/cd', 'cd+ef', 'p@ss', '@ss']) expect(message).not.toContain(secret);
  });

  it('refuse a REDIS_WAIT_TIMEOUT_MS not below REDIS_COMMAND_TIMEOUT_MS, and halve the default under a short one', () => {
    expect(() => loadConfig({ REDIS_WAIT_TIMEOUT_MS: '3000', REDIS_COMMAND_TIMEOUT_MS: '3000' })).toThrow(
      /REDIS_WAIT_TIMEOUT_MS=3000: expected less than REDIS_COMMAND_TIMEOUT_MS \(3000\)/,
    );
    expect(loadConfig({ REDIS_COMMAND_TIMEOUT_MS: '1000' }).redisWaitTimeoutMs).toBe(500);
    // Its upper bound, under the longest command timeout.
    expect(loadConfig({ REDIS_WAIT_TIMEOUT_MS: '59999', REDIS_COMMAND_TIMEOUT_MS: '60000' }).redisWaitTimeoutMs).toBe(59_999);
    expect(loadConfig({}).redisWaitTimeoutMs).toBe(1000);
  });
});
