import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import ScopeAuthPlugin, { type AuthFailure, AuthScopeFailureType } from '@pothos/plugin-scope-auth';
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import type { Context } from './context.js';
import { AppError, ErrorCode, unauthenticated } from '../errors/app-error.js';
import { fieldComplexity } from '../limits/query-cost.js';

/** The role a failed `role` auth scope asked for, found anywhere in the failure, or null. */
function missingRole(failure: AuthFailure): string | null {
  if (failure.kind === AuthScopeFailureType.AuthScope) return failure.scope === 'role' ? String(failure.parameter) : null;
  if (failure.kind === AuthScopeFailureType.AnyAuthScopes || failure.kind === AuthScopeFailureType.AllAuthScopes) {
    for (const inner of failure.failures) {
      const role = missingRole(inner);
      if (role !== null) return role;
    }
  }
  return null;
}

/**
 * The one SchemaBuilder. It defines no types of its own: each domain adds its types, queries,
 * mutations and subscriptions in its own `schema.ts`, and `schema.ts` here puts them together.
 */
export const builder = new SchemaBuilder<{
  Context: Context;
  /** `signedIn`: any identity; `role`: an identity with that role (e.g. `admin`). */
  AuthScopes: { signedIn: boolean; role: string };
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
    authScopes: (context) => ({
      signedIn: context.session !== null,
      role: (role) => context.session?.roles.includes(role) ?? false,
    }),
    unauthorizedError: (_parent, context, _info, result) =>
      context.session
        ? new AppError(
            ErrorCode.Forbidden,
            missingRole(result.failure) !== null
              ? `This needs the role "${missingRole(result.failure)}"; you have ${context.session.roles.map((role) => `"${role}"`).join(', ') || 'no roles'}.`
              : 'You are not allowed to do this.',
          )
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
