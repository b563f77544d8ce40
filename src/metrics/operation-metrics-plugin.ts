import { type DocumentNode, type ExecutionResult, type GraphQLError, Kind, type OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { meterStream, watchStream } from './live-metrics.js';
import type { Metrics, OperationTypeLabel } from './metrics.js';

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

/** The operation that runs: the named one, or the only one. */
function chosenOperation(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  return operationName ? operations.find((operation) => operation.name?.value === operationName) : operations[0];
}

const operationType = (document: DocumentNode, operationName: string | null | undefined): OperationTypeLabel =>
  chosenOperation(document, operationName)?.operation ?? 'query';

/** A subscription's root field (validation allows exactly one): a schema name, so a bounded label. */
export function subscriptionField(document: DocumentNode, operationName: string | null | undefined): string {
  const first = chosenOperation(document, operationName)?.selectionSet.selections[0];
  return first?.kind === Kind.FIELD ? first.name.value : 'unknown';
}

/** Over WebSocket, yoga's context carries the connection; over HTTP a subscription is an SSE stream. */
const isWebSocket = (context: unknown) => typeof context === 'object' && context !== null && Boolean((context as { connection?: unknown }).connection);

/** Counts an SSE stream while it is open (a connection, a subscription on its field), and each result it writes. */
function countedStream(source: AsyncIterable<unknown>, field: string, metrics: Metrics): AsyncIterableIterator<unknown> {
  metrics.live.connected('sse');
  metrics.sseStreams.inc();
  return watchStream(meterStream(metrics.live, field, 'sse', source), () => metrics.sseStreams.dec());
}

/**
 * The kind a FORBIDDEN error counts under in `switchboard_denials_total`: `policy_<resource>` for a
 * policy refusal (it names its resource kind), `permission` for any other (a missing role, a room
 * one is not a member of, a consumer name someone else owns).
 */
function permissionKind(error: GraphQLError): string {
  const resource = error.extensions?.resource;
  return typeof resource === 'string' && /^[a-z]{1,16}$/.test(resource) ? `policy_${resource}` : 'permission';
}

/**
 * The error's code, or what it will be given: this plugin may see an error before the error-code
 * plugin or the masking does (a masked error is a server fault).
 */
const codeOf = (error: GraphQLError, fallback = 'INTERNAL_SERVER_ERROR') => (typeof error.extensions?.code === 'string' ? error.extensions.code : fallback);

/**
 * Counts GraphQL operations by type and outcome, times them, and counts the errors clients get by
 * `extensions.code`, over HTTP, SSE and WebSocket alike (all run through yoga's envelop).
 * Parse and validation failures count as errors of an operation whose type is not known (`query`
 * where nothing says otherwise). A subscription counts once, when it is set up or refused; its
 * events are deliveries (`switchboard_deliveries_total`), not operations.
 */
export function useOperationMetrics(metrics: Metrics): Plugin {
  const record = (type: OperationTypeLabel, errors: readonly GraphQLError[] | undefined, startedAt: bigint) => {
    metrics.operationDuration.labels(type).observe(Number(process.hrtime.bigint() - startedAt) / 1e9);
    metrics.operations.labels(type, errors?.length ? 'error' : 'ok').inc();
    for (const error of errors ?? []) {
      const code = codeOf(error);
      metrics.errors.labels(code).inc();
      if (code === 'FORBIDDEN') metrics.live.denied(permissionKind(error));
    }
  };
  return {
    onParse: () => ({ result }) => {
      if (result instanceof Error) {
        metrics.operations.labels('query', 'error').inc();
        metrics.errors.labels(codeOf(result as GraphQLError, 'GRAPHQL_PARSE_FAILED')).inc();
      }
    },
    onValidate: () => ({ result }) => {
      if (result.length === 0) return;
      metrics.operations.labels('query', 'error').inc();
      for (const error of result) metrics.errors.labels(codeOf(error, 'GRAPHQL_VALIDATION_FAILED')).inc();
    },
    onExecute: ({ args }) => {
      const startedAt = process.hrtime.bigint();
      const type = operationType(args.document, args.operationName);
      return {
        onExecuteDone: ({ result }) => {
          if (!isAsyncIterable(result)) record(type, (result as ExecutionResult).errors, startedAt);
        },
      };
    },
    onSubscribe: ({ args }) => {
      const startedAt = process.hrtime.bigint();
      return {
        onSubscribeResult: ({ result, setResult }) => {
          record('subscription', isAsyncIterable(result) ? undefined : (result as ExecutionResult).errors, startedAt);
          // WebSocket subscriptions are counted by the transport (the fan-out engine writes
          // most of them without an iterator); an SSE stream is the iterator yoga writes from.
          if (!isAsyncIterable(result) || isWebSocket(args.contextValue)) return;
          setResult(countedStream(result, subscriptionField(args.document, args.operationName), metrics) as typeof result);
        },
        onSubscribeError: ({ error }) => {
          record('subscription', [error as GraphQLError], startedAt);
        },
      };
    },
  };
}
