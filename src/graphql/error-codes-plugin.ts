import type { Plugin } from 'graphql-yoga';
import { GraphQLError, type ExecutionResult } from 'graphql';
import { ErrorCode, withCode } from './errors.js';

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

/** Request-level errors (bad variables, unknown operation name) come back without a path. */
function codeRequestErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.some((error) => !error.path && !error.extensions?.code)) return result;
  return { ...result, errors: result.errors.map((error) => (error.path ? error : withCode(error, ErrorCode.BadUserInput))) };
}

/**
 * Gives every error a client can receive an `extensions.code`: parse failures, validation
 * failures and request errors such as a variable of the wrong type. Resolver errors carry their
 * own (AppError) or are masked.
 */
export function useErrorCodes(): Plugin {
  return {
    onParse: () => ({ result, replaceParseResult }) => {
      if (result instanceof GraphQLError) replaceParseResult(withCode(result, ErrorCode.ParseFailed));
    },
    onValidate: () => ({ result, setResult }) => {
      if (result.length > 0) setResult(result.map((error) => withCode(error, ErrorCode.ValidationFailed)));
    },
    onExecute: () => ({
      onExecuteDone: ({ result, setResult }) => {
        if (!isAsyncIterable(result)) setResult(codeRequestErrors(result));
      },
    }),
    onSubscribe: () => ({
      onSubscribeResult: ({ result, setResult }) => {
        if (!isAsyncIterable(result)) setResult(codeRequestErrors(result));
      },
    }),
  };
}
