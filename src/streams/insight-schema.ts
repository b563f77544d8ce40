import { builder } from '../graphql/builder.js';
import { authorize } from '../policy/authorize.js';
import { createStreamInsight, type StreamConsumerInfo, type StreamGroupInfo, type StreamInfo } from './insight.js';
import { assertStreamName } from './names.js';
import { streamsOf } from './services.js';

const StreamConsumerInfoRef = builder.objectRef<StreamConsumerInfo>('StreamConsumerInfo').implement({
  description: 'A consumer of a consumer group (XINFO CONSUMERS).',
  fields: (t) => ({
    name: t.exposeString('name'),
    pending: t.exposeInt('pending', { description: 'Entries delivered to it and not acknowledged.' }),
    idleMs: t.exposeFloat('idleMs', { description: 'Milliseconds since it last read or claimed.' }),
    inactiveMs: t.exposeFloat('inactiveMs', { nullable: true, description: 'Milliseconds since its last successful read; null before Redis 7.2.' }),
  }),
});

const StreamGroupInfoRef = builder.objectRef<StreamGroupInfo & { stream: string }>('StreamGroupInfo').implement({
  description: 'A consumer group of a stream (XINFO GROUPS).',
  fields: (t) => ({
    name: t.exposeString('name'),
    consumers: t.exposeInt('consumers', { description: 'How many consumers it has.' }),
    pending: t.exposeInt('pending', { description: 'Entries delivered to its consumers and not acknowledged yet.' }),
    lag: t.exposeFloat('lag', {
      nullable: true,
      description: 'Entries not delivered to the group yet, as Redis 7 reports it; null when Redis cannot tell (after entries were deleted, or XSETID).',
    }),
    lastDeliveredId: t.exposeString('lastDeliveredId', { description: 'The last entry id delivered to the group.' }),
    entriesRead: t.exposeFloat('entriesRead', { nullable: true, description: 'Entries the group has read, as Redis 7 counts them.' }),
    consumerDetails: t.field({
      type: [StreamConsumerInfoRef],
      description: 'Its consumers with their pending entries and idle times (one XINFO CONSUMERS, only when asked for).',
      resolve: (group, _args, context) => createStreamInsight(streamsOf(context).redis).consumers(group.stream, group.name),
    }),
  }),
});

const StreamInfoRef = builder.objectRef<StreamInfo>('StreamInfo').implement({
  description: "A stream's shape and its consumer groups (XINFO STREAM and XINFO GROUPS).",
  fields: (t) => ({
    stream: t.exposeString('stream'),
    length: t.exposeFloat('length', { description: 'Entries in the stream (XLEN).' }),
    firstId: t.exposeString('firstId', { nullable: true, description: 'The oldest entry id; null when empty.' }),
    lastId: t.exposeString('lastId', { nullable: true, description: 'The newest entry id; null when empty.' }),
    lastGeneratedId: t.exposeString('lastGeneratedId', { description: 'The id of the last entry ever added, also when it was trimmed or deleted.' }),
    entriesAdded: t.exposeFloat('entriesAdded', { nullable: true, description: 'Entries ever added.' }),
    groups: t.field({
      type: [StreamGroupInfoRef],
      resolve: (info) => info.groups.map((group) => ({ ...group, stream: info.stream })),
    }),
  }),
});

builder.queryField('streamInfo', (t) =>
  t.field({
    type: StreamInfoRef,
    nullable: true,
    description:
      "A stream's length, first and last ids, and its consumer groups with consumers, pending entries and lag (XINFO STREAM / GROUPS / CONSUMERS, sent to the stream's node on a cluster). null when the key does not exist. Needs `inspect` on the stream: role `admin` in the default policy.",
    args: { stream: t.arg.string({ required: true }) },
    resolve: (_root, args, context) => {
      assertStreamName(args.stream);
      authorize(context, 'stream', 'inspect', args.stream);
      return createStreamInsight(streamsOf(context).redis).info(args.stream);
    },
  }),
);
