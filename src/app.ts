import { createServer, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Cluster, type Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createSessionWatcher } from './accounts/session-watcher.js';
import { createSessionStore } from './accounts/sessions.js';
import { createPasswordHasher } from './accounts/passwords.js';
import { createSignInLimiter } from './accounts/sign-in-limiter.js';
import { BCRYPT_COST, createUserStore } from './accounts/users.js';
import { createApiKeyStore } from './auth/api-keys.js';
import { createIdentityResolver } from './auth/identities.js';
import { isChatUser } from './auth/identity.js';
import { createJwtUserDirectory } from './auth/jwt-users.js';
import { createJwtVerifier } from './auth/jwt.js';
import { createPatternRouter } from './channels/pattern-router.js';
import { createChatServices } from './chat/services.js';
import type { Config } from './config.js';
import type { Services } from './graphql/context.js';
import { buildSchema } from './graphql/schema.js';
import { createConcurrencyLimiter } from './limits/concurrency-limiter.js';
import { createConnectionCaps } from './limits/connection-caps.js';
import { createMetrics } from './metrics/metrics.js';
import { type MetricsServer, createMetricsServer } from './metrics/metrics-server.js';
import { instrumentRedis } from './metrics/redis-metrics.js';
import { createStatsFeed } from './metrics/stats-feed.js';
import { createBlockingPool } from './redis/blocking-pool.js';
import { type RedisReadiness, clusterNodeOptions, createRedisConnections, describeTarget, redisTargetOf } from './redis/client.js';
import { type PubSubHub, createPubSubHub } from './redis/pubsub-hub.js';
import { combineHubs, createShardedPubSub } from './redis/pubsub-shards.js';
import { lateReplicaReport, replicaAcksOf } from './redis/replica-acks.js';
import { isShardedChannel } from './redis/keys.js';
import { createQueueService } from './queues/service.js';
import { createClientAddressResolver } from './common/client-address.js';
import { createLiveEngine } from './live/engine.js';
import { createYogaServer } from './transport/http.js';
import { createSubscriptionRegistry } from './live/lifetime.js';
import { createWebSocketTransport, type WebSocketTransport } from './transport/websocket.js';
import { createGroupWaits } from './streams/group-waits.js';
import { createStreamReaderHub } from './streams/reader-hub.js';
import { createStreamStore } from './streams/store.js';

/** A running (or runnable) Switchboard instance. */
export interface App {
  /** Connects to Redis, subscribes to control channels and listens. Resolves with the bound port. */
  start(): Promise<{ port: number; url: string; metricsUrl?: string | undefined }>;
  /**
   * Stops accepting (and answers /ready with 503), closes WebSockets with 1012 without `complete`
   * and cuts SSE streams, so that clients fail over; waits up to `shutdownTimeoutMs` for open
   * requests, then closes Redis. Safe to call twice.
   */
  stop(): Promise<void>;
  readonly services: Services;
  readonly httpServer: Server;
  /** The WebSocket transport (its open connections, for metrics and tests). */
  readonly webSockets: WebSocketTransport;
}

/** Options of {@link createApp} beyond configuration. */
export interface AppOptions {
  /**
   * Wraps the pub/sub hub, for instrumentation or for tests that need to slow it down to show
   * an ordering guarantee. Default: none.
   */
  decorateHub?: (hub: PubSubHub) => PubSubHub;
  /**
   * Least time between two fetches of AUTH_JWKS_URL's key set, also for a token with an unknown
   * key id. Default 30 s; tests of key rotation lower it.
   */
  jwksCooldownMs?: number;
}

/** Builds an instance; opens nothing until `start()`. */
export function createApp(config: Config, logger: Logger, options: AppOptions = {}): App {
  const target = redisTargetOf(config);
  const redis = createRedisConnections({ target, logger, commandTimeoutMs: config.redisCommandTimeoutMs });
  // The domains take a plain client's type; every command they send names one slot, which the
  // cluster client routes as a plain client would send it (see docs/cluster.md).
  const command = redis.command as Redis;
  const metrics = createMetrics();
  instrumentRedis(redis.command, 'command', metrics);
  instrumentRedis(redis.subscriber, 'subscriber', metrics);
  const metricsServer: MetricsServer | null =
    config.metricsPort === undefined ? null : createMetricsServer(metrics.registry, { port: config.metricsPort, host: config.metricsHost });
  // PUBSUB_MODE=sharded: public channels and slot-tagged internal topics use SPUBLISH / SSUBSCRIBE
  // (on one server the subscriber connection does both; on a cluster one connection per master).
  const isSharded = (channel: string) => config.pubsubMode === 'sharded' && isShardedChannel(channel);
  const classicHub = createPubSubHub({
    subscriber: redis.subscriber,
    logger,
    confirmTimeoutMs: config.redisCommandTimeoutMs,
    ...(target.mode === 'standalone' ? { isSharded } : {}),
  });
  const baseHub =
    redis.command instanceof Cluster && target.mode === 'cluster'
      ? combineHubs(
          classicHub,
          createShardedPubSub({
            cluster: redis.command,
            logger,
            confirmTimeoutMs: config.redisCommandTimeoutMs,
            redisOptions: clusterNodeOptions(target.seeds),
          }),
          isSharded,
        )
      : classicHub;
  const hub = options.decorateHub ? options.decorateHub(baseHub) : baseHub;
  const denied = (kind: string) => metrics.live.denied(kind);
  const passwords = createPasswordHasher({
    cost: BCRYPT_COST,
    concurrency: config.passwordHashConcurrency,
    queueLimit: config.passwordHashQueueLimit,
    workers: config.workers,
    onRefused: denied,
  });
  const users = createUserStore(command, passwords);
  const clientAddresses = createClientAddressResolver(config.trustedProxies);
  const sessions = createSessionStore(command, config.sessionTtlSeconds);
  const apiKeys = createApiKeyStore(command);
  const jwtUsers = createJwtUserDirectory(command);
  const identities = createIdentityResolver({
    sessions,
    apiKeys,
    jwt: createJwtVerifier({
      secret: config.authJwtSecret,
      jwksUrl: config.authJwksUrl,
      issuer: config.authJwtIssuer,
      audience: config.authJwtAudience,
      rolesClaim: config.authJwtRolesClaim,
      nameClaims: config.authJwtNameClaims,
      ...(options.jwksCooldownMs !== undefined ? { jwksCooldownMs: options.jwksCooldownMs } : {}),
    }),
    jwtUsers,
  });
  // On a cluster the pool opens its connections to each slot's master, from the Cluster's slot map.
  const blocking = createBlockingPool({
    ...(target.mode === 'standalone' ? { url: target.url } : {}),
    maxConnections: config.blockingPoolSize,
    control: redis.command,
    logger,
  });
  // REDIS_WAIT_REPLICAS=auto: writes that a replica did not confirm in time are counted and logged.
  const lateReplicas = lateReplicaReport({ logger, count: (write) => metrics.replicaWaitTimeouts.inc({ write }) });
  const streams = createStreamStore(redis.command, {
    maxEventBytes: config.maxMessageBytes,
    replicaAcks: replicaAcksOf(config, 'entry', lateReplicas),
    // A command waits at most a command timeout to be answered, queued or resent, per attempt.
    resendWindowMs: Math.max(10_000, 2 * config.redisCommandTimeoutMs),
  });
  // Reads the WebSocket count once the transport exists (below).
  let openWebSockets = () => 0;
  const subscriptions = createSubscriptionRegistry();
  // One shared stream reader: live `events` followers and waiting `groupEvents` consumers use it.
  const streamReaders = createStreamReaderHub({ store: streams, blocking, logger });
  const services: Services = {
    config,
    logger,
    metrics,
    stats: createStatsFeed({ redis: command, live: metrics.live, webSockets: () => openWebSockets(), intervalMs: config.statsIntervalMs, logger }),
    redis: command,
    redisHealth: redis.health,
    blocking,
    blockingLimiter: createConcurrencyLimiter({
      limit: config.maxBlockingOperationsPerUser,
      what: 'blocking operations',
      setting: 'MAX_BLOCKING_OPERATIONS_PER_USER',
    }),
    hub,
    patterns: createPatternRouter({
      hub,
      maxPatternsPerUser: config.maxPatternsPerUser,
      maxPatternsPerProcess: config.maxPatternsPerProcess,
      logger,
    }),
    users,
    sessions,
    identities,
    apiKeys,
    jwtUsers,
    sessionWatcher: createSessionWatcher({ hub, logger, stillLive: (ids) => identities.stillLive(ids) }),
    signInLimiter: createSignInLimiter(command, {
      failuresPerUsername: config.signInAttemptsPerMinute,
      failuresPerAddress: config.signInAttemptsPerAddressPerMinute,
      signUpsPerAddress: config.signUpsPerAddressPerMinute,
      onRefused: denied,
    }),
    passwords,
    clientAddresses,
    connectionCaps: createConnectionCaps({ perUser: config.maxConnectionsPerUser, perAddress: config.maxConnectionsPerAddress, onRefused: denied }),
    subscriptions,
    live: createLiveEngine({
      maxBufferedBytes: config.subscriberQueueBytes,
      maxPendingEvents: config.subscriberQueueLimit,
      maxQueuedEvents: config.subscriberQueueLimit,
      maxQueuedBytes: config.subscriberQueueBytes,
      registry: subscriptions,
      logger,
      onExecution: (field) => metrics.live.sharedExecution(field),
      onDelivered: (field, transport, written) => metrics.live.delivered(field, transport, written),
    }),
    streams,
    streamReaders,
    groupWaits: createGroupWaits({ hub: streamReaders, logger }),
    chat: createChatServices(command, hub, users, config, logger, lateReplicas),
    queues: createQueueService({ redis: command, blocking, hub, config, logger, lateReplicas }),
  };
  let stopping: Promise<void> | null = null;
  // A stopping instance is not ready: load balancers send new clients elsewhere.
  const yoga = createYogaServer(buildSchema(), services, async (timeoutMs) => (stopping ? false : readyResponse(await redis.readiness(timeoutMs))));
  /** Open SSE responses: shutdown cuts them (no `complete`), so their clients reconnect elsewhere. */
  const sseResponses = new Set<ServerResponse>();
  const httpServer = createServer(serverTimeouts(config), (request, response) => {
    if (request.headers.accept?.includes('text/event-stream')) {
      // A stream opened on a keep-alive connection during shutdown would be cut at once: go elsewhere.
      if (stopping) {
        response.writeHead(503, { 'retry-after': '1', connection: 'close' }).end();
        return;
      }
      sseResponses.add(response);
      response.once('close', () => sseResponses.delete(response));
    }
    const clientAddress = clientAddresses.resolve(request.socket.remoteAddress, request.headers['x-forwarded-for']);
    void yoga(request, response, { clientAddress });
  });
  const webSockets = createWebSocketTransport(httpServer, yoga, services, {
    // A signed-in WebSocket is what makes a user online.
    onAuthenticatedConnection: (session) => {
      // An API key is a backend, not a chat user: it is never online.
      if (!isChatUser(session)) return () => undefined;
      const disconnect = services.chat.presence.connect(session.userId);
      return () => {
        disconnect.then((run) => run()).catch((error: unknown) => logger.warn({ err: error }, 'presence update failed'));
      };
    },
  });

  openWebSockets = () => webSockets.connectionCount;
  metrics.setSources({
    webSockets: () => webSockets.connectionCount,
    blockingInUse: () => blocking.stats().busy,
    blockingWaiting: () => blocking.stats().waiting,
    replaying: () => services.live.replaying,
    redisStatus: () => ({ command: redis.command.status, subscriber: redis.subscriber.status }),
  });

  return {
    services,
    httpServer,
    webSockets,
    async start() {
      await redis.connect();
      await services.sessionWatcher.start();
      // Sign-outs published while the subscriber was reconnecting are lost: look again.
      hub.onRestored(() => {
        services.sessionWatcher.recheckAfterGap().catch((error: unknown) => logger.warn({ err: error }, 'session check failed'));
      });
      await services.chat.start();
      services.queues.start();
      services.stats.start();
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => {
          httpServer.off('error', reject);
          resolve();
        });
      });
      const { port } = httpServer.address() as AddressInfo;
      const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}/graphql`;
      const metricsUrl = metricsServer ? await metricsServer.start() : undefined;
      logger.info({ url, metricsUrl, redis: describeTarget(target) }, 'switchboard started');
      return { port, url, metricsUrl };
    },
    stop() {
      stopping ??= (async () => {
        const started = Date.now();
        // No new connections; open ones finish what they are doing.
        const httpClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        httpServer.closeIdleConnections();
        // Blocked dequeues return null now instead of holding shutdown up; jobs taken go back.
        const queuesStopped = services.queues.stop();
        // Sockets close with 1012 and no `complete`, so retrying clients subscribe again elsewhere;
        // SSE streams are cut rather than completed, so SSE clients reconnect too.
        const socketsClosed = webSockets.close(config.shutdownTimeoutMs);
        for (const response of sseResponses) response.destroy();
        await socketsClosed;
        services.subscriptions.closeAll();
        const timer = setTimeout(() => httpServer.closeAllConnections(), Math.max(0, config.shutdownTimeoutMs - (Date.now() - started)));
        // A request that ends during shutdown (a released dequeue) leaves its keep-alive socket
        // idle; close such sockets as they appear instead of waiting for the timer.
        const idleSweep = setInterval(() => httpServer.closeIdleConnections(), 50);
        await httpClosed;
        clearInterval(idleSweep);
        clearTimeout(timer);
        await services.chat.stop();
        services.sessionWatcher.stop();
        // Shared stream readers hold blocking connections: stop them before the pool closes.
        services.groupWaits.close();
        await services.streamReaders.close();
        await queuesStopped;
        await services.stats.stop();
        await services.blocking.close();
        baseHub.close();
        await redis.close();
        await metricsServer?.stop();
        logger.info({ ms: Date.now() - started }, 'switchboard stopped');
      })();
      return stopping;
    },
  };
}

/**
 * Options of the HTTP server for one that holds long-lived connections: half-sent headers (also of
 * a WebSocket upgrade) get 408 after HEADERS_TIMEOUT_MS instead of Node's 60 s; REQUEST_TIMEOUT_MS
 * bounds receiving a request, never its response, so SSE streams and WebSockets live on; idle
 * keep-alive sockets close after KEEP_ALIVE_TIMEOUT_MS. Node checks the first two every
 * `connectionsCheckingInterval`, so that runs often enough for the headers timeout to hold.
 */
export function serverTimeouts(config: Config): ServerOptions {
  return {
    maxHeaderSize: 16 * 1024,
    headersTimeout: config.headersTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(config.headersTimeoutMs / 4))),
  };
}

/** `/ready`'s answer: 200 or 503, with what Redis looks like (no addresses: the port is public). */
function readyResponse(readiness: RedisReadiness): Response {
  const { ready, ...redis } = readiness;
  return new Response(JSON.stringify({ status: ready ? 'ready' : 'unavailable', redis }), {
    status: ready ? 200 : 503,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });
}
