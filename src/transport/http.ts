import { useCookies } from '@whatwg-node/server-plugin-cookies';
import type { GraphQLSchema } from 'graphql';
import { createYoga, useReadinessCheck, type YogaServerInstance } from 'graphql-yoga';
import type { Context, Services } from '../graphql/context.js';
import { useErrorCodes, useFailFast } from '../graphql/error-codes-plugin.js';
import { MASKED_MESSAGE, createErrorMasker } from '../graphql/masking.js';
import { useConnectionCaps } from '../limits/connection-caps.js';
import { useQueryLimits } from '../limits/query-limits.js';
import { useRequestBodyErrors } from '../limits/request-body.js';
import { METRICS_PATH } from '../metrics/metrics-server.js';
import { useOperationMetrics } from '../metrics/operation-metrics-plugin.js';
import { instrumentViewerClasses } from '../live/viewer-classes.js';
import { useCachedGraphiQL } from './graphiql.js';
import { type ServerContext, createRequestContext } from './request-context.js';
import { useLiveSse } from './sse.js';
import { useStaticClient } from './static-client.js';

export const GRAPHQL_PATH = '/graphql';
export const HEALTH_PATH = '/health';
export const READY_PATH = '/ready';
/** How long /ready waits for Redis to answer PING. */
const READY_PING_TIMEOUT_MS = 1000;

/** What GraphiQL shows on a first visit: the three steps of the README's walk-through. */
const GRAPHIQL_DEFAULT_QUERY = `# Welcome to Switchboard: GraphQL subscriptions on Redis.
#
# 1. Sign up (or signIn); the browser keeps the session cookie:
mutation SignUp {
  signUp(username: "ada", password: "correct horse") { token user { id username } }
}

# 2. In a second tab, follow a channel (subscriptions run over WebSocket):
subscription Follow {
  channel(name: "updates") { channel message }
}

# 3. Publish any JSON value; redis-cli PUBLISH updates '{"t":1}' works too:
mutation Publish {
  publish(channel: "updates", message: { text: "hello" })
}
`;

export type Yoga = YogaServerInstance<ServerContext, Context>;

/**
 * The yoga server: GraphQL over HTTP and SSE, GraphiQL (its subscriptions over WebSocket),
 * /health and /ready. The WebSocket transport reuses it through `yoga.getEnveloped`.
 */
export function createYogaServer(schema: GraphQLSchema, services: Services, redisPing: (timeoutMs: number) => Promise<boolean | Response>): Yoga {
  const { config, logger } = services;
  const yogaLogger = logger.child({ component: 'yoga' });
  const errorMasker = createErrorMasker(logger);
  return createYoga<ServerContext, Context>({
    // Fields with viewer classes record what they read in shared executions (src/live).
    schema: instrumentViewerClasses(schema),
    graphqlEndpoint: GRAPHQL_PATH,
    healthCheckEndpoint: HEALTH_PATH,
    landingPage: false,
    batching: false,
    // A declared Content-Length over MAX_REQUEST_BYTES is refused before reading; a chunked body
    // is counted as it arrives. WebSocket frames have `ws`'s maxPayload instead.
    maxRequestBodySize: config.maxRequestBytes,
    // Served by useCachedGraphiQL below (rendered once, cache headers, CSP); off by default in production.
    graphiql: false,
    logging: errorMasker.yogaLogging(yogaLogger),
    // Only origins we trust get credentialed CORS; any other page may still call the API with a
    // bearer token, but never with a signed-in browser's cookie.
    cors: (request) => {
      const origin = request.headers.get('origin');
      const trusted = origin !== null && config.allowedOrigins.includes(origin);
      return trusted ? { origin: [origin], credentials: true } : { origin: ['*'], credentials: false };
    },
    maskedErrors: { maskError: errorMasker.maskError, errorMessage: MASKED_MESSAGE },
    context: ({ request, connection, clientAddress, res }) => createRequestContext(services, request, connection, clientAddress, res),
    plugins: [
      ...(config.graphiql ? [useCachedGraphiQL(GRAPHQL_PATH, { title: 'Switchboard', subscriptionsProtocol: 'WS', defaultQuery: GRAPHIQL_DEFAULT_QUERY })] : []),
      useCookies(),
      useRequestBodyErrors(config.maxRequestBytes),
      // Before useErrorCodes, so that a refused document gets its own code, not a parse failure's.
      ...useQueryLimits(config),
      useErrorCodes(),
      useFailFast(services.redisHealth, GRAPHQL_PATH, logger),
      useConnectionCaps<Context & ServerContext>(services.connectionCaps),
      useOperationMetrics(services.metrics),
      // SSE streams of shared subscriptions: their frames come from the live engine.
      useLiveSse(),
      useReadinessCheck({ endpoint: READY_PATH, check: () => redisPing(READY_PING_TIMEOUT_MS) }),
      useStaticClient({ apiPaths: [GRAPHQL_PATH, HEALTH_PATH, READY_PATH], notFoundPaths: [METRICS_PATH] }),
    ],
  });
}
