import { builder } from '../graphql/builder.js';
import { authorize, authorizePattern } from '../policy/authorize.js';
import { isReservedChannel } from '../redis/keys.js';
import { openSharedStream, openTopicStream } from '../transport/topic-stream.js';
import { type ChannelGap, type ChannelMessage, channelGap, decodeChannelPayload, encodeChannelMessage, publishChannelMessage, resolveChannelEvent } from './messages.js';
import { assertPublicChannel, assertPublicPattern } from './names.js';

const ChannelMessageRef = builder.objectRef<ChannelMessage>('ChannelMessage').implement({
  description: 'A message published on a Redis channel, by `publish` or by any Redis client.',
  fields: (t) => ({
    channel: t.exposeString('channel', { description: 'The channel it was published on.' }),
    message: t.field({
      type: 'JSON',
      description: 'The message: parsed when it was JSON text, else the text as a string.',
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
      const text = encodeChannelMessage(args.message, context.services.config.maxMessageBytes);
      await publishChannelMessage(context.services.redis, context.services.config.pubsubMode, args.channel, text);
      return true;
    },
  }),
);

builder.subscriptionField('channel', (t) =>
  t.field({
    type: ChannelMessageRef,
    description: 'Every message published on one channel from now on.',
    args: { name: t.arg.string({ required: true }) },
    subscribe: (_root, args, context) => {
      assertPublicChannel(args.name, 'name');
      authorize(context, 'channel', 'subscribe', args.name);
      return openTopicStream<ChannelMessage | ChannelGap>(
        context,
        { kind: 'channel', name: args.name },
        ({ channel, payload }) => ({ channel, message: decodeChannelPayload(payload) }),
        channelGap,
      );
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
    subscribe: (_root, args, context) => {
      assertPublicPattern(args.pattern, 'pattern', context.services.config.maxPatternWildcards);
      const owner = context.session?.userId ?? '';
      // The caps first: they cost a map look-up, the policy's pattern check milliseconds.
      if (context.session) context.services.patterns.checkRoom(args.pattern, owner);
      authorizePattern(context, args.pattern);
      // One source per user and pattern, so that the router counts each user's distinct patterns
      // exactly (MAX_PATTERNS_PER_USER); Redis holds the same few covers however many there are.
      return openSharedStream<ChannelMessage | ChannelGap>(context, `pattern:${owner}:${args.pattern}`, (push) =>
        context.services.patterns.subscribe(
          args.pattern,
          owner,
          ({ channel, payload }) => {
            // Defence in depth: the pattern was proven not to match reserved channels; check anyway.
            if (!isReservedChannel(channel)) push({ channel, message: decodeChannelPayload(payload) }, payload.length);
          },
          // The covers' subscription was interrupted: say so (pure pub/sub cannot replay).
          { onGap: (gap) => push(channelGap(gap, { kind: 'pattern', pattern: args.pattern }), 0) },
        ),
      );
    },
    resolve: resolveChannelEvent,
  }),
);
