import { UserRef } from '../accounts/schema.js';
import { builder } from '../graphql/builder.js';
import { AppError, ErrorCode, badInput } from '../errors/app-error.js';
import { Role } from '../policy/actions.js';
import { type ApiKeyRecord, apiKeyInputProblem } from './api-keys.js';
import type { Identity, IdentityKind } from './identity.js';

/** Longest `sub` `jwtUser` takes. */
const SUBJECT_MAX = 1024;

const IdentityKindRef = builder.enumType('IdentityKind', {
  description: 'How the caller signed in.',
  values: {
    ACCOUNT: { value: 'account', description: 'A Switchboard account (signUp / signIn).' },
    JWT: { value: 'jwt', description: "A JWT of the app's identity provider." },
    API_KEY: { value: 'apiKey', description: 'An API key of a backend service.' },
  } as const,
});

const IdentityRef = builder.objectRef<Identity>('Identity').implement({
  description: 'The signed-in caller as the policy sees it.',
  fields: (t) => ({
    kind: t.field({ type: IdentityKindRef, resolve: (identity) => identity.kind satisfies IdentityKind }),
    userId: t.exposeID('userId', { description: 'The chat user id (for an API key: `apikey:<id>`); `{userId}` in policy rules.' }),
    roles: t.exposeStringList('roles', { description: 'The roles the policy grants by.' }),
    name: t.exposeString('name', { nullable: true, description: 'A JWT user\u2019s display name, or an API key\u2019s name.' }),
    expiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the credential stops working (a session\u2019s end, a JWT\u2019s `exp`); null for API keys.',
      resolve: (identity) => (Number.isFinite(identity.expiresAt) ? new Date(identity.expiresAt) : null),
    }),
  }),
});

const ApiKeyRef = builder.objectRef<ApiKeyRecord>('ApiKey').implement({
  description: 'An API key of a backend service. The key itself is shown once, when it is created; only its hash is stored.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'What `revokeApiKey` and `npm run apikey -- revoke` take.' }),
    name: t.exposeString('name'),
    roles: t.exposeStringList('roles'),
    createdAt: t.field({ type: 'DateTime', resolve: (record) => new Date(record.createdAt) }),
  }),
});

const CreatedApiKeyRef = builder.objectRef<{ key: string; apiKey: ApiKeyRecord }>('CreatedApiKey').implement({
  fields: (t) => ({
    key: t.exposeString('key', { description: 'Send it as "Authorization: Bearer <key>" (or `authToken`). Shown only this once.' }),
    apiKey: t.field({ type: ApiKeyRef, resolve: (created) => created.apiKey }),
  }),
});

builder.queryField('identity', (t) =>
  t.field({
    type: IdentityRef,
    nullable: true,
    skipTypeScopes: true,
    description: 'Who the request is signed in as (kind, roles, user id), or null.',
    resolve: (_root, _args, context) => context.session,
  }),
);

builder.queryField('apiKeys', (t) =>
  t.field({
    type: [ApiKeyRef],
    authScopes: { role: Role.Admin },
    description: 'Every API key, oldest first. Role `admin` only.',
    resolve: (_root, _args, context) => context.services.apiKeys.list(),
  }),
);

builder.mutationField('createApiKey', (t) =>
  t.field({
    type: CreatedApiKeyRef,
    authScopes: { role: Role.Admin },
    description: 'Makes an API key for a backend service with these roles (e.g. `service`). Role `admin` only.',
    args: {
      name: t.arg.string({ required: true }),
      roles: t.arg.stringList({ required: true }),
    },
    resolve: async (_root, args, context) => {
      const problem = apiKeyInputProblem(args.name, args.roles);
      if (problem) throw badInput(`${problem.charAt(0).toUpperCase()}${problem.slice(1)}.`, problem.startsWith('the name') ? 'name' : 'roles');
      const { key, record } = await context.services.apiKeys.create(args.name, args.roles);
      return { key, apiKey: record };
    },
  }),
);

builder.mutationField('revokeApiKey', (t) =>
  t.boolean({
    authScopes: { role: Role.Admin },
    description: 'Revokes an API key: it stops working at once and its open subscriptions end on every instance. false when there is no such key. Role `admin` only.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, context) => context.services.apiKeys.revoke(String(args.id)),
  }),
);

builder.queryField('jwtUser', (t) =>
  t.field({
    type: UserRef,
    description:
      'The chat user of a JWT subject (`sub`, and `iss` when tokens carry one; default AUTH_JWT_ISSUER), made now if it never signed in: how a backend finds the id of a JWT user\u2019s `private.<id>.` names. Roles `service` and `admin` only.',
    args: {
      subject: t.arg.string({ required: true }),
      issuer: t.arg.string({ description: 'Default: AUTH_JWT_ISSUER, else none.' }),
    },
    resolve: async (_root, args, context) => {
      const roles = context.session?.roles ?? [];
      if (!roles.includes(Role.Service) && !roles.includes(Role.Admin)) {
        throw new AppError(ErrorCode.Forbidden, 'jwtUser needs the role "service" or "admin".');
      }
      if (args.subject === '' || args.subject.length > SUBJECT_MAX) throw badInput(`"subject" must be 1 to ${SUBJECT_MAX} characters.`, 'subject');
      const issuer = args.issuer ?? context.services.config.authJwtIssuer ?? '';
      const id = await context.services.jwtUsers.userIdOf(issuer, args.subject, null);
      const user = await context.services.users.findById(id);
      if (!user) throw new Error(`the chat user ${id} of a JWT subject is missing`);
      return user;
    },
  }),
);
