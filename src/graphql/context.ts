import type { Redis } from 'ioredis';
import type { AccountsServices } from '../accounts/services.js';
import type { AuthServices } from '../auth/services.js';
import type { MetricsServices } from '../metrics/services.js';
import type { PolicyServices } from '../policy/services.js';
import type { QueuesServices } from '../queues/services.js';
import type { ChannelsServices } from '../channels/services.js';
import type { StreamsServices } from '../streams/services.js';
import type { IdentityResolver } from '../auth/identities.js';
import type { Session } from '../accounts/sessions.js';
import type { SessionWatcher } from '../accounts/session-watcher.js';
import type { PasswordHasher } from '../accounts/passwords.js';
import type { PatternRouter } from '../channels/pattern-router.js';
import type { UserLoader } from '../accounts/user-loader.js';
import type { UserStore } from '../accounts/users.js';
import type { ChatDomainServices } from '../chat/services.js';
import type { Config } from '../config.js';
import type { RedisHealth } from '../redis/client.js';
import type { ConnectionCaps } from '../limits/connection-caps.js';
import type { Metrics } from '../metrics/metrics.js';
import type { PubSubHub } from '../redis/pubsub-hub.js';
import type { StreamReaderHub } from '../streams/reader-hub.js';
import type { ClientAddressResolver } from '../common/client-address.js';
import type { Subscriber } from '../live/subscriber.js';

/**
 * Process-wide services, made once by `createApp` and shared by every request. Each domain
 * declares the part it uses (`<domain>/services.ts`) and its resolvers reach only that part
 * (`accountsOf(context)`, `streamsOf(context)`, ...); this is their union plus what the
 * transports use. Only app.ts, the transports and schema files see all of it.
 */
export interface Services
  extends AccountsServices,
    AuthServices,
    PolicyServices,
    QueuesServices,
    MetricsServices,
    StreamsServices,
    ChannelsServices,
    ChatDomainServices {
  // What two parts declare differently (a Pick in one, the whole in another) is declared in full
  // here; what they declare alike (sessions, queues, streams, live, subscriptions, ...) is not
  // repeated.
  config: Config;
  users: UserStore;
  /** This instance's Prometheus metrics. */
  metrics: Metrics;
  /** The command connection: never for blocking reads or SUBSCRIBE. */
  redis: Redis;
  /** Whether Redis answers; while it does not, operations fail fast with UNAVAILABLE. */
  redisHealth: RedisHealth;
  /** The process's pub/sub hub: one Redis subscription per topic, however many listen. */
  hub: PubSubHub;
  /** `channelPattern` subscriptions: a few covering PSUBSCRIBEs, matched in-process, with per-user and per-process caps. */
  patterns: PatternRouter;
  /** One shared blocking XREAD per followed stream per process. */
  streamReaders: StreamReaderHub;
  /** Resolves every kind of token (session, JWT, API key) to an identity; the one way to sign a request in. */
  identities: IdentityResolver;
  sessionWatcher: SessionWatcher;
  /** bcrypt off the event loop, bounded (PASSWORD_HASH_CONCURRENCY, PASSWORD_HASH_QUEUE_LIMIT). */
  passwords: PasswordHasher;
  /** Where a request comes from (TRUSTED_PROXIES). */
  clientAddresses: ClientAddressResolver;
  /** Open WebSockets and SSE streams per user and per address (MAX_CONNECTIONS_PER_USER, MAX_CONNECTIONS_PER_ADDRESS). */
  connectionCaps: ConnectionCaps;
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
   * TRUSTED_PROXIES; see common/client-address.ts): what per-address limits count.
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
