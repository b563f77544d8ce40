import type { Redis } from 'ioredis';
import type { AccountsServices } from '../accounts/services.js';
import type { AuthServices } from '../auth/services.js';
import type { MetricsServices } from '../metrics/services.js';
import type { PolicyServices } from '../policy/services.js';
import type { QueuesServices } from '../queues/services.js';
import type { ApiKeyStore } from '../auth/api-keys.js';
import type { IdentityResolver } from '../auth/identities.js';
import type { JwtUserDirectory } from '../auth/jwt-users.js';
import type { Logger } from 'pino';
import type { Session, SessionStore } from '../accounts/sessions.js';
import type { SessionWatcher } from '../accounts/session-watcher.js';
import type { PasswordHasher } from '../accounts/passwords.js';
import type { SignInLimiter } from '../accounts/sign-in-limiter.js';
import type { PatternRouter } from '../channels/pattern-router.js';
import type { UserLoader } from '../accounts/user-loader.js';
import type { UserStore } from '../accounts/users.js';
import type { ChatServices } from '../chat/services.js';
import type { Config } from '../config.js';
import type { BlockingPool } from '../redis/blocking-pool.js';
import type { RedisHealth } from '../redis/client.js';
import type { ConcurrencyLimiter } from '../limits/concurrency-limiter.js';
import type { ConnectionCaps } from '../limits/connection-caps.js';
import type { Metrics } from '../metrics/metrics.js';
import type { StatsFeed } from '../metrics/stats-feed.js';
import type { PubSubHub } from '../redis/pubsub-hub.js';
import type { QueueService } from '../queues/service.js';
import type { StreamReaderHub } from '../streams/reader-hub.js';
import type { StreamStore } from '../streams/store.js';
import type { ClientAddressResolver } from '../shared/client-address.js';
import type { LiveEngine } from '../live/engine.js';
import type { SubscriptionRegistry } from '../live/lifetime.js';
import type { Subscriber } from '../live/subscriber.js';

/**
 * Process-wide services, made once by `createApp` and shared by every request. Accounts, auth,
 * policy, queues and metrics each declare the part they use (`<domain>/services.ts`) and reach
 * only that part; this is their union plus what the transports and the other domains use.
 */
export interface Services extends AccountsServices, AuthServices, PolicyServices, QueuesServices, MetricsServices {
  config: Config;
  logger: Logger;
  /** This instance's Prometheus metrics. */
  metrics: Metrics;
  /** This instance's and the cluster's counters for the `stats` subscription (reported through Redis). */
  stats: StatsFeed;
  /** The command connection: never for blocking reads or SUBSCRIBE. */
  redis: Redis;
  /** Whether Redis answers; while it does not, operations fail fast with UNAVAILABLE. */
  redisHealth: RedisHealth;
  /** Connections for blocking reads (XREAD BLOCK, BLMOVE). */
  blocking: BlockingPool;
  /** Per-user cap on concurrent blocking operations (MAX_BLOCKING_OPERATIONS_PER_USER). */
  blockingLimiter: ConcurrencyLimiter;
  hub: PubSubHub;
  /** `channelPattern` subscriptions: a few covering PSUBSCRIBEs, matched in-process, with per-user and per-process caps. */
  patterns: PatternRouter;
  users: UserStore;
  sessions: SessionStore;
  /** Resolves every kind of token (session, JWT, API key) to an identity; the one way to sign a request in. */
  identities: IdentityResolver;
  /** API keys for backend services. */
  apiKeys: ApiKeyStore;
  /** Chat users of JWT subjects (issuer + `sub`). */
  jwtUsers: JwtUserDirectory;
  sessionWatcher: SessionWatcher;
  signInLimiter: SignInLimiter;
  /** bcrypt off the event loop, bounded (PASSWORD_HASH_CONCURRENCY, PASSWORD_HASH_QUEUE_LIMIT). */
  passwords: PasswordHasher;
  /** Where a request comes from (TRUSTED_PROXIES). */
  clientAddresses: ClientAddressResolver;
  /** Open WebSockets and SSE streams per user and per address (MAX_CONNECTIONS_PER_USER, MAX_CONNECTIONS_PER_ADDRESS). */
  connectionCaps: ConnectionCaps;
  /** Every open subscription of this process: shutdown completes them. */
  subscriptions: SubscriptionRegistry;
  /** The delivery of every shared subscription, on every transport (src/live). */
  live: LiveEngine;
  /** Stream commands (XADD, XRANGE, consumer groups) on the command connection. */
  streams: StreamStore;
  /** One shared blocking XREAD per followed stream per process. */
  streamReaders: StreamReaderHub;
  chat: ChatServices;
  /** Work queues: store (enqueue, take, ack), the `jobs` dispatcher and the reaper. */
  queues: QueueService;
}

/** Cookie operations; absent on transports that cannot set cookies (WebSocket). */
export interface SessionCookie {
  set(token: string, expiresAt: number): Promise<void>;
  clear(): Promise<void>;
}

/** The context of one GraphQL operation, over HTTP, SSE or WebSocket alike. */
export interface Context {
  services: Services;
  /**
   * The signed-in caller, or null: a session, a JWT user or an API key (`kind`), with its `roles`.
   * `userId` is the chat user id (for an API key, `apikey:<id>`).
   */
  session: Session | null;
  /**
   * The client's IP address (the TCP peer's, or from `X-Forwarded-For` when the peer is in
   * TRUSTED_PROXIES; see shared/client-address.ts): what per-address limits count.
   */
  clientAddress: string;
  /** A token was presented but it is malformed, unknown or expired. */
  tokenRejected: boolean;
  /**
   * Aborted when the client goes away (a blocking `dequeue` gives up). A function, so that a
   * WebSocket connection makes its AbortSignal (about 0.7 KiB once listened to) only for the
   * operations that use it.
   */
  closedSignal(): AbortSignal;
  cookie: SessionCookie | null;
  /**
   * The caller as the live layer sees it (src/live/subscriber.ts): who it is, how its life ends,
   * where shared frames go. What subscriptions hand the live layer instead of this context.
   */
  subscriber: Subscriber;
  /** Per-operation batching of look-ups. */
  loaders: { users: UserLoader };
}
