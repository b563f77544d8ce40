import { builder } from '../graphql/builder.js';
import type { Context } from '../graphql/context.js';
import { accountsOf } from './services.js';
import { signIn, signUp } from './sign-in.js';
import type { UserRecord } from './users.js';
import { sameForEveryViewer } from '../live/viewer-classes.js';

/** A user; `online` is filled in when it was loaded with the user, else looked up (batched). */
type UserShape = UserRecord & { online?: boolean };

export const UserRef = builder.objectRef<UserShape>('User').implement({
  description: 'A chat user. Stored in the seed chat layout (`user:{id}`).',
  fields: (t) => ({
    id: t.exposeID('id', { extensions: sameForEveryViewer }),
    username: t.exposeString('username', { extensions: sameForEveryViewer }),
    online: t.boolean({
      description: 'Whether the user has a connection open on any instance.',
      extensions: sameForEveryViewer,
      resolve: async (user, _args, context) => user.online ?? (await context.loaders.users.load(user.id))?.online ?? false,
    }),
  }),
});

interface AuthPayload {
  token: string;
  user: UserRecord;
}

const AuthPayloadRef = builder.objectRef<AuthPayload>('AuthPayload').implement({
  description: 'A new session: send `token` as "Authorization: Bearer <token>" or as `authToken` in `connection_init`.',
  fields: (t) => ({
    token: t.exposeString('token'),
    user: t.field({ type: UserRef, resolve: (payload) => payload.user }),
  }),
});

async function startSession(context: Context, user: UserRecord): Promise<AuthPayload> {
  const { token, session } = await accountsOf(context).sessions.create(user.id);
  await context.cookie?.set(token, session.expiresAt);
  return { token, user };
}

builder.queryField('me', (t) =>
  t.field({
    type: UserRef,
    nullable: true,
    skipTypeScopes: true,
    description: 'The signed-in user, or null without a valid session.',
    resolve: (_root, _args, context) =>
      context.session ? accountsOf(context).users.findById(context.session.userId) : null,
  }),
);

builder.mutationField('signUp', (t) =>
  t.field({
    type: AuthPayloadRef,
    skipTypeScopes: true,
    description:
      'Creates a user and signs in. Username: 2 to 32 letters, digits, "_", "." or "-". Password: 8 to 72 bytes. CONFLICT when the name is taken.',
    args: {
      username: t.arg.string({ required: true }),
      password: t.arg.string({ required: true }),
    },
    resolve: async (_root, args, context) =>
      startSession(context, await signUp(accountsOf(context), context.clientAddress, args.username, args.password)),
  }),
);

builder.mutationField('signIn', (t) =>
  t.field({
    type: AuthPayloadRef,
    skipTypeScopes: true,
    description:
      'Signs in an existing user; never creates one. UNAUTHENTICATED on a wrong username or password; BAD_USER_INPUT on a username no account can have; RATE_LIMITED after too many failures from one address.',
    args: {
      username: t.arg.string({ required: true }),
      password: t.arg.string({ required: true }),
    },
    resolve: async (_root, args, context) =>
      startSession(context, await signIn(accountsOf(context), context.clientAddress, args.username, args.password)),
  }),
);

builder.mutationField('signOut', (t) =>
  t.boolean({
    description: "Ends this session everywhere: its token stops working and its open subscriptions end on every instance.",
    resolve: async (_root, _args, context) => {
      if (context.session) await accountsOf(context).sessions.end(context.session);
      await context.cookie?.clear();
      return true;
    },
  }),
);
