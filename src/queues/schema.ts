import { builder } from '../graphql/builder.js';
import { badInput } from '../graphql/errors.js';
import { authorize } from '../policy/authorize.js';
import type { Job } from './job-codec.js';
import { openJobStream } from './job-stream.js';
import { assertJobId, assertQueueName, parseDequeueTimeout } from './names.js';
import type { QueueCounts } from './store.js';

/** Most dead jobs one `deadJobs` query lists. */
const DEAD_JOBS_MAX = 100;
const DEAD_JOBS_DEFAULT = 20;

const JobRef = builder.objectRef<Job>('Job').implement({
  description:
    'A job of a work queue (a Redis list). Taken by `dequeue`, `jobs` or the worker command, it must be acknowledged with `ackJob`; otherwise it returns to its queue when the visibility timeout passes.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Given by `enqueue`, or when a plain item pushed by another client is first taken; kept across redeliveries.' }),
    queue: t.exposeString('queue', { description: 'The queue: the name of the Redis list.' }),
    payload: t.field({
      type: 'JSON',
      description: 'What was enqueued. For an item pushed by another client: its text, parsed when it is JSON.',
      resolve: (job) => job.payload,
    }),
    attempts: t.exposeInt('attempts', {
      description: 'Earlier deliveries of this job that were not acknowledged in time: 0 on the first delivery.',
    }),
  }),
});

const QueueStatsRef = builder.objectRef<QueueCounts & { queue: string }>('QueueStats').implement({
  description: 'How many jobs a queue holds, by state.',
  fields: (t) => ({
    queue: t.exposeString('queue'),
    waiting: t.exposeInt('waiting', { description: 'In the queue, not taken yet (`queueLength`).' }),
    processing: t.exposeInt('processing', { description: 'Taken and not acknowledged yet.' }),
    dead: t.exposeInt('dead', { description: 'Out of attempts (JOB_MAX_ATTEMPTS), in the dead-letter list.' }),
  }),
});

builder.queryField('queueLength', (t) =>
  t.int({
    description: 'Jobs waiting in a queue (LLEN of its list); taken jobs are counted by `queueStats`.',
    args: { queue: t.arg.string({ required: true }) },
    resolve: async (_root, args, context) => {
      assertQueueName(args.queue);
      authorize(context, 'queue', 'stats', args.queue);
      return (await context.services.queues.store.counts(args.queue)).waiting;
    },
  }),
);

builder.queryField('queueStats', (t) =>
  t.field({
    type: QueueStatsRef,
    description: 'Jobs of a queue that are waiting, being processed (taken, not acknowledged) and dead-lettered.',
    args: { queue: t.arg.string({ required: true }) },
    resolve: async (_root, args, context) => {
      assertQueueName(args.queue);
      authorize(context, 'queue', 'stats', args.queue);
      return { queue: args.queue, ...(await context.services.queues.store.counts(args.queue)) };
    },
  }),
);

builder.queryField('deadJobs', (t) =>
  t.field({
    type: [JobRef],
    description: `Jobs that ran out of attempts, newest first (at most ${DEAD_JOBS_MAX}).`,
    args: {
      queue: t.arg.string({ required: true }),
      first: t.arg.int({ description: `How many, 1 to ${DEAD_JOBS_MAX}. Default ${DEAD_JOBS_DEFAULT}.` }),
    },
    resolve: (_root, args, context) => {
      assertQueueName(args.queue);
      const first = args.first ?? DEAD_JOBS_DEFAULT;
      if (first < 1 || first > DEAD_JOBS_MAX) throw badInput(`first must be between 1 and ${DEAD_JOBS_MAX}; got ${first}.`, 'first');
      authorize(context, 'queue', 'deadJobs', args.queue);
      return context.services.queues.store.deadJobs(args.queue, first);
    },
  }),
);

builder.mutationField('enqueue', (t) =>
  t.field({
    type: JobRef,
    description:
      'Adds a job to a queue (LPUSH of a JSON envelope with its id onto the Redis list named `queue`). Jobs are taken oldest first, as LPUSH + BRPOP.',
    args: {
      queue: t.arg.string({ required: true }),
      payload: t.arg({ type: 'JSON', required: true }),
    },
    resolve: (_root, args, context) => {
      assertQueueName(args.queue);
      authorize(context, 'queue', 'enqueue', args.queue);
      return context.services.queues.store.enqueue(args.queue, args.payload);
    },
  }),
);

builder.mutationField('dequeue', (t) =>
  t.field({
    type: JobRef,
    nullable: true,
    description:
      'Takes the oldest job of a queue, waiting up to `timeoutSeconds` for one (0 or omitted: do not wait; at most DEQUEUE_MAX_TIMEOUT_SECONDS). null when none came. Acknowledge it with `ackJob` within the visibility timeout, or it is delivered again.',
    args: {
      queue: t.arg.string({ required: true }),
      timeoutSeconds: t.arg.float(),
    },
    resolve: (_root, args, context) => {
      assertQueueName(args.queue);
      const timeout = parseDequeueTimeout(args.timeoutSeconds, context.services.config.dequeueMaxTimeoutSeconds);
      authorize(context, 'queue', 'dequeue', args.queue);
      return context.services.queues.dequeue(args.queue, timeout, context.closedSignal());
    },
  }),
);

builder.mutationField('ackJob', (t) =>
  t.boolean({
    description:
      'Acknowledges a taken job: it leaves the queue for good. false when the job is not in flight: already acknowledged, or its visibility timeout passed and it was returned to the queue (or dead-lettered), so another delivery will or did happen.',
    args: {
      queue: t.arg.string({ required: true }),
      id: t.arg.id({ required: true }),
    },
    resolve: (_root, args, context) => {
      assertQueueName(args.queue);
      const id = String(args.id);
      assertJobId(id);
      authorize(context, 'queue', 'ack', args.queue);
      return context.services.queues.store.ack(args.queue, id);
    },
  }),
);

builder.subscriptionField('jobs', (t) =>
  t.field({
    type: JobRef,
    description:
      'Jobs of a queue, each to exactly one subscriber (or `dequeue` caller, or worker) on any instance. A subscriber holds one job at a time: it gets the next one after it acknowledged the previous (`ackJob`) or that job timed out.',
    args: { queue: t.arg.string({ required: true }) },
    subscribe: async (_root, args, context) => {
      assertQueueName(args.queue);
      authorize(context, 'queue', 'dequeue', args.queue);
      await context.services.queues.store.assertList(args.queue);
      return openJobStream(context, args.queue);
    },
    resolve: (job) => job,
  }),
);
