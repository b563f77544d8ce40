// Reference server 2: the recipe from the graphql-yoga docs ("Subscriptions" with graphql-ws, and
// Pothos), with graphql-redis-subscriptions as the pub/sub: what a team gets by following docs.
import { createServer } from 'node:http';
import SchemaBuilder from '@pothos/core';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { createYoga } from 'graphql-yoga';
import { useServer } from 'graphql-ws/use/ws';
import { Redis } from 'ioredis';
import { WebSocketServer } from 'ws';
import type { ExecutionArgs } from 'graphql';

const port = Number(process.env.PORT ?? 0);
const pubSub = new RedisPubSub({ publisher: new Redis(process.env.REDIS_URL!), subscriber: new Redis(process.env.REDIS_URL!) });

// (The cast: this program also loads scope-auth, whose global typings would ask for its options.)
const builder = new SchemaBuilder<{ Scalars: { JSON: { Input: unknown; Output: unknown } } }>({} as never);
builder.scalarType('JSON', { serialize: (value) => value });
const ChannelMessage = builder.objectRef<{ channel: string; message: unknown }>('ChannelMessage').implement({
  fields: (t) => ({ channel: t.exposeString('channel'), message: t.field({ type: 'JSON', resolve: (parent) => parent.message }) }),
});
builder.queryType({ fields: (t) => ({ hello: t.string({ resolve: () => 'world' }) }) });
builder.subscriptionType({
  fields: (t) => ({
    channel: t.field({
      type: ChannelMessage,
      args: { name: t.arg.string({ required: true }) },
      subscribe: (_root, args) => pubSub.asyncIterator<unknown>(args.name),
      resolve: (payload, args) => ({ channel: args.name, message: payload }),
    }),
  }),
});

const yoga = createYoga({ schema: builder.toSchema(), graphiql: false, logging: false });
const server = createServer(yoga);
const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint });

type EnvelopedRoot = { execute: (args: ExecutionArgs) => unknown; subscribe: (args: ExecutionArgs) => unknown };
useServer(
  {
    execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
    subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
    onSubscribe: async (ctx, _id, params) => {
      const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
        ...ctx,
        req: ctx.extra.request,
        socket: ctx.extra.socket,
        params,
      });
      const args = {
        schema,
        operationName: params.operationName,
        document: parse(params.query),
        variableValues: params.variables,
        contextValue: await contextFactory(),
        rootValue: { execute, subscribe },
      };
      const errors = validate(args.schema, args.document);
      if (errors.length) return errors;
      return args;
    },
  },
  wss,
);
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ ready: true, port: typeof address === 'object' && address ? address.port : port })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
