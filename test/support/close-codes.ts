import { CloseCode as GraphQLWsCloseCode } from 'graphql-ws';

/**
 * The WebSocket close codes tests expect, by name. Written from the specifications, not imported
 * from the server, so that a server that sends the wrong code fails them:
 * - RFC 6455 section 7.4.1 and the IANA registry (1000-1015);
 * - graphql-transport-ws, as graphql-ws's `CloseCode` defines it (44xx, 4500);
 * - Switchboard's own: 4429 for a connection over MAX_CONNECTIONS_PER_USER / _PER_ADDRESS.
 */
export const CloseCode = {
  /** 1000: the client (or server) ended the connection normally. */
  Normal: 1000,
  /** 1006: the connection dropped without a close frame (a killed process, a cut socket); never sent. */
  Abnormal: 1006,
  /** 1012: the server is restarting (SIGTERM); reconnect, elsewhere if need be. */
  ServiceRestart: 1012,
  /** 1013: try again later: Redis is unavailable, or a consumer too slow was dropped. */
  TryAgainLater: 1013,
  /** 4400: a message the protocol does not allow. */
  BadRequest: GraphQLWsCloseCode.BadRequest,
  /** 4401: subscribe before connection_ack. */
  Unauthorized: GraphQLWsCloseCode.Unauthorized,
  /** 4403: credentials refused, or the session ended (sign-out) or expired. */
  Forbidden: GraphQLWsCloseCode.Forbidden,
  /** 4406: no acceptable subprotocol. */
  SubprotocolNotAcceptable: GraphQLWsCloseCode.SubprotocolNotAcceptable,
  /** 4408: no connection_init within CONNECTION_INIT_TIMEOUT_MS. */
  ConnectionInitialisationTimeout: GraphQLWsCloseCode.ConnectionInitialisationTimeout,
  /** 4409: a subscribe with an id already in use. */
  SubscriberAlreadyExists: GraphQLWsCloseCode.SubscriberAlreadyExists,
  /** 4429: a second connection_init. */
  TooManyInitialisationRequests: GraphQLWsCloseCode.TooManyInitialisationRequests,
  /** 4429 too, with its own reason: a connection over the per-user or per-address cap. */
  TooManyConnections: 4429,
} as const;
