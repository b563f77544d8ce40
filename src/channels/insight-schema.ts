import { builder } from '../graphql/builder.js';
import { badInput } from '../errors/app-error.js';
import { DEFAULT_LIST_SIZE } from '../limits/query-cost.js';
import { authorize } from '../policy/authorize.js';
import { CHANNELS_LIST_DEFAULT, CHANNELS_LIST_MAX, type ChannelUse, type ChannelsInUse, assertInsightPattern, channelsInUse } from './insight.js';
import { channelsOf } from './services.js';

const ChannelUseRef = builder.objectRef<ChannelUse>('ChannelUse').implement({
  description: 'A channel that has subscribers now.',
  fields: (t) => ({
    name: t.exposeString('name'),
    subscribers: t.exposeInt('subscribers', {
      description:
        'Redis connections subscribed to it by name (PUBSUB NUMSUB, summed over the nodes): each instance holds one per channel however many of its clients listen, so this is the instances with listeners plus plain Redis subscribers.',
    }),
  }),
});

const ChannelsInUseRef = builder.objectRef<ChannelsInUse>('ChannelsInUse').implement({
  description: 'The channels in use that match a pattern, across every instance.',
  fields: (t) => ({
    total: t.exposeInt('total', { description: 'How many match (reserved channels left out).' }),
    truncated: t.exposeBoolean('truncated', { description: 'More matched than are listed.' }),
    channels: t.field({ type: [ChannelUseRef], description: 'The first ones by name.', resolve: (page) => page.channels }),
  }),
});

builder.queryField('channels', (t) =>
  t.field({
    type: ChannelsInUseRef,
    description: `Channels that have subscribers on any instance (PUBSUB CHANNELS) and how many (PUBSUB NUMSUB), the first \`first\` by name (default ${CHANNELS_LIST_DEFAULT}, at most ${CHANNELS_LIST_MAX}). Needs \`inspect\` on the pattern: role \`admin\` in the default policy.`,
    // The page size multiplies the inner `channels` list, which the cost estimate already counts
    // as DEFAULT_LIST_SIZE items: together, about `first` items.
    complexity: (args) => ({
      field: 1,
      multiplier: Math.ceil(Math.min(CHANNELS_LIST_MAX, Math.max(1, args.first ?? CHANNELS_LIST_DEFAULT)) / DEFAULT_LIST_SIZE),
    }),
    args: {
      pattern: t.arg.string({ description: 'A Redis glob. Default `*`.' }),
      first: t.arg.int({ description: `1 to ${CHANNELS_LIST_MAX}. Default ${CHANNELS_LIST_DEFAULT}.` }),
    },
    resolve: (_root, args, context) => {
      const services = channelsOf(context);
      const pattern = args.pattern ?? '*';
      assertInsightPattern(pattern, services.config.maxPatternWildcards);
      const first = args.first ?? CHANNELS_LIST_DEFAULT;
      if (first < 1 || first > CHANNELS_LIST_MAX) throw badInput(`first must be between 1 and ${CHANNELS_LIST_MAX}; got ${first}.`, 'first');
      authorize(context, 'pattern', 'inspect', pattern);
      return channelsInUse(services.redis, pattern, first);
    },
  }),
);
