import { builder } from '../graphql/builder.js';
import { authorize, authorizePattern } from '../policy/authorize.js';
import { liveSubscription, sameForEveryViewer } from '../live/viewer-classes.js';
import { openChannelFeed, openPatternFeed } from './feeds.js';
import { type ChannelMessage, publishChannelMessage, resolveChannelEvent } from './messages.js';
import { assertPublicChannel, assertPublicPattern } from './names.js';
import { channelsOf } from './services.js';

const ChannelMessageRef = builder.objectRef<ChannelMessage>('ChannelMessage').implement({
  description: 'A message published on a Redis channel, by `publish` or by any Redis client.',
  fields: (t) => ({
    channel: t.exposeString('channel', { description: 'The channel it was published on.', extensions: sameForEveryViewer }),
    message: t.field({
      type: 'JSON',
      description: 'The message: parsed when it was JSON text, else the text as a string.',
      extensions: sameForEveryViewer,
      resolve: (event) => event.message,
    }),
  }),
});

builder.mutationField('publish', (t) =>
  t.boolean({
    description:
      'Publishes a JSON value on a channel (Redis PUBLISH of its JSON text). Subscribers on every instance, and plain Redis subscribers, receive it.',
    args: {
      channel: t.arg.string({ required: true }),
      message: t.arg({ type: 'JSON', required: true }),
    },
    resolve: async (_root, args, context) => {
      assertPublicChannel(args.channel);
      authorize(context, 'channel', 'publish', args.channel);
      await publishChannelMessage(channelsOf(context), args.channel, args.message);
      return true;
    },
  }),
);

builder.subscriptionField('channel', (t) =>
  t.field({
    type: ChannelMessageRef,
    description: 'Every message published on one channel from now on.',
    args: { name: t.arg.string({ required: true }) },
    extensions: liveSubscription({ viewer: 'none', delivery: 'shared' }),
    subscribe: (_root, args, context, info) => {
      assertPublicChannel(args.name, 'name');
      authorize(context, 'channel', 'subscribe', args.name);
      return openChannelFeed(channelsOf(context), context.subscriber, info, args.name);
    },
    resolve: resolveChannelEvent,
  }),
);

builder.subscriptionField('channelPattern', (t) =>
  t.field({
    type: ChannelMessageRef,
    description:
      'Every message published on a channel matching a Redis glob (`news.*`, `room.[0-9]`), as PSUBSCRIBE. Patterns that could match reserved channels are refused.',
    args: { pattern: t.arg.string({ required: true }) },
    extensions: liveSubscription({ viewer: 'none', delivery: 'shared' }),
    subscribe: (_root, args, context, info) => {
      const services = channelsOf(context);
      assertPublicPattern(args.pattern, 'pattern', services.config.maxPatternWildcards);
      const owner = context.session?.userId ?? '';
      // The caps first: they cost a map look-up, the policy's pattern check milliseconds.
      if (context.session) services.patterns.checkRoom(args.pattern, owner);
      authorizePattern(context, args.pattern);
      return openPatternFeed(services, context.subscriber, info, args.pattern, owner);
    },
    resolve: resolveChannelEvent,
  }),
);
