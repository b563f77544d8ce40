import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import type { Context } from './context.js';
import { AppError, ErrorCode, unauthenticated } from './errors.js';
import { fieldComplexity } from '../limits/query-cost.js';

/**
 * The one SchemaBuilder. It defines no types of its own: each domain adds its types, queries,
 * mutations and subscriptions in its own `schema.ts`, and `schema.ts` here puts them together.
 */
export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: { signedIn: boolean };
  Scalars: {
    JSON: { Input: unknown; Output: unknown };
    DateTime: { Input: Date; Output: Date | string };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [ScopeAuthPlugin, ComplexityPlugin],
  defaultFieldNullability: false,
  // Costs only: the limit (MAX_QUERY_COST) is checked before execution by src/limits/query-limits.ts,
  // so that a refusal is a request error (HTTP 400), not a field error after the first resolver.
  complexity: { fieldComplexity, disabled: true },
  scopeAuth: {
    // Checked once when a subscription starts, not on every event it delivers.
    authorizeOnSubscribe: true,
    authScopes: (context) => ({ signedIn: context.session !== null }),
    unauthorizedError: (_parent, context) =>
      context.session
        ? new AppError(ErrorCode.Forbidden, 'You are not allowed to do this.')
        : context.tokenRejected
          ? unauthenticated('Your session is invalid or has expired: sign in again.')
          : unauthenticated(),
  },
});

builder.addScalarType('JSON', JSONResolver);
builder.addScalarType('DateTime', DateTimeResolver);

// Every root field needs a session unless it says otherwise (signUp, signIn, me): forgetting
// `authScopes` on a new field fails closed.
builder.queryType({ authScopes: { signedIn: true } });
builder.mutationType({ authScopes: { signedIn: true } });
builder.subscriptionType({ authScopes: { signedIn: true } });
