import type { Session } from '../accounts/sessions.js';
import { builder } from '../graphql/builder.js';
import { badInput } from '../errors/app-error.js';
import { authorize } from '../policy/authorize.js';
import { ackableConsumers, bindConsumer } from '../policy/consumers.js';
import { connectionRef, pageArgs, toConnection } from '../graphql/pagination.js';
import { parsePageArgs } from '../paging/page-request.js';
import { liveSubscription, sameForEveryViewer } from '../live/viewer-classes.js';
import { JSON_FIELD, type StreamEvent } from './entries.js';
import { openEventStream } from './event-stream.js';
import { openGroupStream } from './group-stream.js';
import { parseEntryId } from './ids.js';
import { DEFAULT_GROUP_START_ID, assertConsumerName, assertGroupName, assertStreamName, parseGroupStartId } from './names.js';
import { type StreamsServices, streamsOf } from './services.js';
import { PENDING_LIST_LIMIT, type PendingEntry } from './store.js';

/** Largest `first` / `last` of `events`. */
export const EVENTS_PAGE_MAX = 1000;
/** Entries of a page when neither `first` nor `last` is given (oldest first). */
export const EVENTS_PAGE_DEFAULT = 50;
/** Most ids one `ackEvents` takes. */
export const ACK_IDS_MAX = 1000;

const StreamEventRef = builder.objectRef<StreamEvent>('StreamEvent').implement({
  description: 'An entry of a Redis stream, written by `addEvent` or by any Redis client (XADD).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The Redis entry id (`<milliseconds>-<sequence>`); also the cursor.', extensions: sameForEveryViewer }),
    stream: t.exposeString('stream', { extensions: sameForEveryViewer }),
    data: t.field({
      type: 'JSON',
      extensions: sameForEveryViewer,
      description: `The entry's fields as an object of strings; an entry whose only field is \`${JSON_FIELD}\` holding JSON text (how \`addEvent\` stores anything but a flat object of strings) is that JSON value.`,
      resolve: (event) => event.data,
    }),
  }),
});

const StreamEventConnectionRef = connectionRef('StreamEvent', StreamEventRef, { description: 'A page of a stream, oldest first.', cursorDescription: 'The entry id.' });

const PendingEventRef = builder.objectRef<PendingEntry>('PendingEvent').implement({
  description: 'An entry delivered to a consumer of a group and not acknowledged yet (XPENDING).',
  fields: (t) => ({
    id: t.exposeID('id'),
    consumer: t.exposeString('consumer', { description: 'The consumer that holds it.' }),
    idleMs: t.exposeFloat('idleMs', {
      description: 'Milliseconds since it was last delivered, or refreshed by its live consumer.',
    }),
    deliveries: t.exposeInt('deliveries', { description: 'How many times it was delivered.' }),
  }),
});

const optionalEntryId = (value: string | null | undefined, field: string) => (value == null ? null : parseEntryId(value, field));

/**
 * Takes one of the caller's blocking operations (MAX_BLOCKING_OPERATIONS_PER_USER) for a
 * subscription (`events`, `groupEvents`: operations that wait on Redis, through the shared reader
 * now, rather than connections); returns its release (idempotent).
 * @throws AppError RATE_LIMITED when the user already runs as many as allowed.
 */
const blockingSlot = (services: StreamsServices, session: Session | null): (() => void) =>
  session ? services.blockingLimiter.acquire(session.userId) : () => undefined;

builder.queryField('events', (t) =>
  t.field({
    type: StreamEventConnectionRef,
    description: `A page of a stream, oldest first (XRANGE / XREVRANGE). Cursors are entry ids: \`first\`/\`after\` pages forward, \`last\`/\`before\` backward; neither: the first ${EVENTS_PAGE_DEFAULT}. A stream that does not exist is empty.`,
    args: {
      stream: t.arg.string({ required: true }),
      ...pageArgs(t.arg),
    },
    resolve: async (_root, args, context) => {
      assertStreamName(args.stream);
      authorize(context, 'stream', 'readHistory', args.stream);
      const request = parsePageArgs(args, { maxSize: EVENTS_PAGE_MAX, defaultSize: EVENTS_PAGE_DEFAULT, defaultDirection: 'forward' });
      request.after = optionalEntryId(request.after, 'after');
      request.before = optionalEntryId(request.before, 'before');
      const page = await streamsOf(context).streams.page(args.stream, request);
      return toConnection({ ...page, items: page.events }, (event) => event.id);
    },
  }),
);

builder.queryField('pendingEvents', (t) =>
  t.field({
    type: [PendingEventRef],
    description: `The entries of a consumer group delivered and not acknowledged yet, oldest first, at most ${PENDING_LIST_LIMIT} (XPENDING).`,
    args: {
      stream: t.arg.string({ required: true }),
      group: t.arg.string({ required: true }),
    },
    resolve: (_root, args, context) => {
      assertStreamName(args.stream);
      assertGroupName(args.group);
      authorize(context, 'stream', 'stats', args.stream);
      authorize(context, 'group', 'stats', args.group);
      return streamsOf(context).streams.pending(args.stream, args.group);
    },
  }),
);

builder.mutationField('addEvent', (t) =>
  t.field({
    type: StreamEventRef,
    description: `Appends an event to a stream (XADD), making the stream if needed. A flat object of strings becomes the entry's fields as they are, so plain XREAD sees the same data; any other JSON value is stored as JSON text in the field \`${JSON_FIELD}\`. \`maxLength\` trims the stream to about that many entries (MAXLEN ~).`,
    args: {
      stream: t.arg.string({ required: true }),
      data: t.arg({ type: 'JSON', required: true }),
      maxLength: t.arg.int(),
    },
    resolve: (_root, args, context) => {
      assertStreamName(args.stream);
      const maxLength = args.maxLength ?? null;
      if (maxLength !== null && maxLength < 1) throw badInput(`"maxLength" must be at least 1; got ${maxLength}.`, 'maxLength');
      authorize(context, 'stream', 'append', args.stream);
      if (maxLength !== null) authorize(context, 'stream', 'trim', args.stream);
      return streamsOf(context).streams.add(args.stream, args.data, maxLength);
    },
  }),
);

builder.mutationField('createConsumerGroup', (t) =>
  t.boolean({
    description: `Creates a consumer group (XGROUP CREATE ... MKSTREAM), making the stream if needed. \`startId\`: "0" (the default: the whole stream), "$" (only entries added from now on) or an entry id. True when the group was created, false when it already existed (not an error).`,
    args: {
      stream: t.arg.string({ required: true }),
      group: t.arg.string({ required: true }),
      startId: t.arg.string(),
    },
    resolve: (_root, args, context) => {
      assertStreamName(args.stream);
      assertGroupName(args.group);
      const startId = parseGroupStartId(args.startId ?? DEFAULT_GROUP_START_ID);
      authorize(context, 'stream', 'createGroup', args.stream);
      authorize(context, 'group', 'createGroup', args.group);
      return streamsOf(context).streams.createGroup(args.stream, args.group, startId);
    },
  }),
);

builder.mutationField('ackEvents', (t) =>
  t.int({
    description: `Acknowledges entries a consumer of the group has processed (XACK), so they leave the pending list. Returns how many were acknowledged. Only entries pending at your own consumers (the consumer names you read the group as) are acknowledged: ids pending at another member's consumer, like ids that are not pending, stay as they are and are not counted (roles that may read as any consumer name, \`service\` and \`admin\` by default, may acknowledge any member's entries). At most ${ACK_IDS_MAX} ids per call.`,
    args: {
      stream: t.arg.string({ required: true }),
      group: t.arg.string({ required: true }),
      ids: t.arg.idList({ required: true }),
    },
    resolve: (_root, args, context) => {
      assertStreamName(args.stream);
      assertGroupName(args.group);
      if (args.ids.length === 0 || args.ids.length > ACK_IDS_MAX) {
        throw badInput(`"ids" must hold 1 to ${ACK_IDS_MAX} entry ids; got ${args.ids.length}.`, 'ids');
      }
      const ids = args.ids.map((id) => parseEntryId(String(id), 'ids'));
      authorize(context, 'stream', 'ack', args.stream);
      authorize(context, 'group', 'ack', args.group);
      const { streams } = streamsOf(context);
      // Whose entries the caller may acknowledge: its own consumers' only, unless it may act as any consumer.
      const own = ackableConsumers(context, args.stream, args.group);
      return own ? streams.ackOwn(args.stream, args.group, ids, own) : streams.ack(args.stream, args.group, ids);
    },
  }),
);

builder.subscriptionField('events', (t) =>
  t.field({
    type: StreamEventRef,
    description:
      'Follows a stream live. With `after` (an entry id, or "0" for the whole stream) it first sends the stored entries after it, then new ones: in order, with no gap and no duplicate. Without `after`, only entries added from now on.',
    args: {
      stream: t.arg.string({ required: true }),
      after: t.arg.string(),
    },
    // The cursor chooses what a follower replays, not how an entry resolves.
    extensions: liveSubscription({ viewer: 'none', delivery: 'shared', subscriberArgs: ['after'] }),
    subscribe: async (_root, args, context, info) => {
      assertStreamName(args.stream);
      const after = optionalEntryId(args.after, 'after');
      authorize(context, 'stream', 'subscribe', args.stream);
      if (after !== null) authorize(context, 'stream', 'readHistory', args.stream);
      const services = streamsOf(context);
      // Taken before anything is set up; given back however the subscription ends (idempotent).
      const release = blockingSlot(services, context.session);
      try {
        return await openEventStream(services, context.subscriber, info, args.stream, after, release);
      } catch (error) {
        release();
        throw error;
      }
    },
    resolve: (event) => event,
  }),
);

builder.subscriptionField('groupEvents', (t) =>
  t.field({
    type: StreamEventRef,
    description:
      "Receives a consumer group's entries as consumer `consumer`: first its own pending entries (what it was given before and did not acknowledge), then entries claimed from consumers that are gone, then new ones. Each entry goes to exactly one consumer of the group, on any instance; acknowledge processed entries with `ackEvents`. The group must exist (`createConsumerGroup`).",
    args: {
      stream: t.arg.string({ required: true }),
      group: t.arg.string({ required: true }),
      consumer: t.arg.string({ required: true }),
    },
    // A competing consumer: each entry to one subscriber.
    extensions: liveSubscription({ viewer: 'each', delivery: 'per-subscriber' }),
    subscribe: async (_root, args, context) => {
      assertStreamName(args.stream);
      assertGroupName(args.group);
      assertConsumerName(args.consumer);
      authorize(context, 'stream', 'consume', args.stream);
      authorize(context, 'group', 'consume', args.group);
      await bindConsumer(context, args.stream, args.group, args.consumer);
      // A waiting consumer holds no connection now (it waits in its wait room), but it still
      // counts as one of the user's MAX_BLOCKING_OPERATIONS_PER_USER, as `events` does: each
      // costs Redis its heartbeats, claim sweeps and wake-up reads, so one user's share stays bounded.
      const services = streamsOf(context);
      return openGroupStream(services, context.subscriber, args.stream, args.group, args.consumer, blockingSlot(services, context.session));
    },
    resolve: (event) => event,
  }),
);
