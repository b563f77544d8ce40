import { builder } from '../graphql/builder.js';
import type { Session } from '../accounts/sessions.js';
import { badInput, unauthenticated } from '../errors/app-error.js';
import { liveSubscription } from '../live/viewer-classes.js';
import { authorize } from '../policy/authorize.js';
import type { Job } from './job-codec.js';
import { openJobStream } from './job-stream.js';
import { openJobUpdates } from './job-updates.js';
import {
  MAX_BACKOFF_SECONDS as MAX_DELAY_SECONDS,
  MAX_JOBS_CONCURRENCY,
  MAX_RATE_LIMIT_DURATION_MS,
  MAX_RATE_LIMIT_MAX,
  MIN_BACKOFF_SECONDS,
  assertJobId,
  assertQueueName,
  parseBackoff,
  parseConcurrency,
  parseDelaySeconds,
  parseDequeueTimeout,
  parseIdempotencyKey,
  parseRateLimit,
  parseReason,
} from './names.js';
import { queuesOf } from './services.js';
import type { QueueCounts, RateLimit } from './store.js';

/** Most dead jobs one `deadJobs` query lists. */
const DEAD_JOBS_MAX = 100;
const DEAD_JOBS_DEFAULT = 20;

const JobStateRef = builder.enumType('JobState', {
  description: 'Where a job is in its life.',
  values: {
    WAITING: { value: 'waiting', description: 'In its queue, to be taken.' },
    DELAYED: { value: 'delayed', description: 'Waiting for its time (`enqueue(delaySeconds)`); then WAITING.' },
    ACTIVE: { value: 'active', description: 'Taken by a consumer, not acknowledged yet.' },
    FAILED: {
      value: 'failed',
      description: 'Its last attempt failed (`failJob`, or its visibility timeout passed); it runs again at `runAt` (or at once when that is null).',
    },
    COMPLETED: { value: 'completed', description: 'Acknowledged (`ackJob`), with its `result`.' },
    DEAD: { value: 'dead', description: 'Out of attempts (JOB_MAX_ATTEMPTS): in the dead-letter list.' },
  },
});

const JobPriorityRef = builder.enumType('JobPriority', {
  description:
    'Priority levels, taken most urgent first and oldest first within a level. NORMAL waits in the queue\'s own Redis list, where plain LPUSHed items land too.',
  values: {
    CRITICAL: { value: 'critical' },
    HIGH: { value: 'high' },
    NORMAL: { value: 'normal', description: 'The default; plain LPUSHed items.' },
    LOW: { value: 'low' },
  },
});

const BackoffTypeRef = builder.enumType('JobBackoffType', {
  description: 'How the wait before a retry grows.',
  values: {
    FIXED: { value: 'fixed', description: '`delaySeconds` before every retry.' },
    EXPONENTIAL: { value: 'exponential', description: '`delaySeconds` × 2^(attempts − 1), at most `maxDelaySeconds`.' },
  },
});

const BackoffInput = builder.inputType('JobBackoffInput', {
  description: 'When a failed job (`failJob`, or its visibility timeout passed) runs again. Without one, it returns to its queue at once.',
  fields: (t) => ({
    type: t.field({ type: BackoffTypeRef, required: true }),
    delaySeconds: t.float({ required: true, description: `The first wait, from ${MIN_BACKOFF_SECONDS} to ${MAX_DELAY_SECONDS} seconds.` }),
    maxDelaySeconds: t.float({ description: 'EXPONENTIAL only: the longest wait. Default: no cap other than the longest delay.' }),
  }),
});

const jsonOrNull = (text: string | null | undefined): unknown => {
  if (text === null || text === undefined) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};
const dateOrNull = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms));

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
      description: 'Earlier deliveries of this job that failed or were not acknowledged in time: 0 on the first delivery.',
    }),
    state: t.field({ type: JobStateRef, nullable: true, description: 'Where the job is; null for a dead-letter read from the list only.', resolve: (job) => job.state ?? null }),
    priority: t.field({ type: JobPriorityRef, resolve: (job) => (job.priority ?? 'normal') as 'normal' }),
    runAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the job runs next: a delayed job, or a retry waiting for its backoff. null: as soon as a consumer takes it.',
      resolve: (job) => dateOrNull(job.runAt),
    }),
    progress: t.field({ type: 'JSON', nullable: true, description: 'The last `reportJobProgress` of this job.', resolve: (job) => jsonOrNull(job.progressText) }),
    result: t.field({ type: 'JSON', nullable: true, description: 'What `ackJob(result)` recorded.', resolve: (job) => jsonOrNull(job.resultText) }),
    failedReason: t.string({ nullable: true, description: 'Why the last attempt failed: the reason given to `failJob`, or "visibility timeout".', resolve: (job) => job.failedReason ?? null }),
    key: t.string({ nullable: true, description: 'The idempotency key given to `enqueue`.', resolve: (job) => job.key ?? null }),
    createdAt: t.field({ type: 'DateTime', nullable: true, resolve: (job) => dateOrNull(job.createdAt) }),
    startedAt: t.field({ type: 'DateTime', nullable: true, description: 'When its latest attempt began.', resolve: (job) => dateOrNull(job.startedAt) }),
    finishedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it completed or died.', resolve: (job) => dateOrNull(job.finishedAt) }),
  }),
});

const QueueRateLimitRef = builder.objectRef<RateLimit & { queue: string }>('QueueRateLimit').implement({
  description:
    'At most `max` jobs of the queue start in any `durationMs` milliseconds, counted over every taker (`dequeue`, `jobs`, workers) of every instance. Takers beyond it wait until the window has room; jobs keep being added.',
  fields: (t) => ({
    queue: t.exposeString('queue'),
    max: t.exposeInt('max', { description: 'Most jobs started per window.' }),
    durationMs: t.exposeInt('durationMs', { description: 'The window, in milliseconds: any span of this length.' }),
  }),
});

export const QueueStatsRef = builder.objectRef<QueueCounts & { queue: string }>('QueueStats').implement({
  description: 'How many jobs a queue holds, by state.',
  fields: (t) => ({
    queue: t.exposeString('queue'),
    waiting: t.exposeInt('waiting', { description: 'Waiting to be taken, at every priority level (`queueLength`).' }),
    processing: t.exposeInt('processing', { description: 'Taken and not acknowledged yet.' }),
    dead: t.exposeInt('dead', { description: 'Out of attempts (JOB_MAX_ATTEMPTS), in the dead-letter list.' }),
    delayed: t.exposeInt('delayed', { description: 'Waiting for their time: `enqueue(delaySeconds)`, or a retry waiting for its backoff.' }),
    paused: t.exposeBoolean('paused', { description: 'Takers are held back (`pauseQueue`).' }),
    rateLimit: t.field({
      type: QueueRateLimitRef,
      nullable: true,
      description: 'The rate limit of `setQueueRateLimit`; null: none.',
      resolve: async (stats, _args, context) => {
        const limit = await queuesOf(context).queues.store.rateLimit(stats.queue);
        return limit ? { queue: stats.queue, ...limit } : null;
      },
    }),
  }),
});

/** The signed-in user (every queue field needs one; the builder refuses anonymous callers before this). */
function userOf(context: { session: Session | null }): string {
  if (!context.session) throw unauthenticated();
  return context.session.userId;
}

/** Reads a JSON argument as the text stored in Redis. */
const jsonText = (value: unknown) => JSON.stringify(value === undefined ? null : value);

builder.queryField('queueLength', (t) =>
  t.int({
    description: 'Jobs waiting in a queue, at every priority level (LLEN of its list, plus the other levels); taken and delayed jobs are counted by `queueStats`.',
    args: { queue: t.arg.string({ required: true }) },
    resolve: async (_root, args, context) => {
      assertQueueName(args.queue);
      authorize(context, 'queue', 'stats', args.queue);
      return (await queuesOf(context).queues.store.counts(args.queue)).waiting;
    },
  }),
);

builder.queryField('queueStats', (t) =>
  t.field({
    type: QueueStatsRef,
    description: 'Jobs of a queue that are waiting, delayed, being processed (taken, not acknowledged) and dead-lettered.',
    args: { queue: t.arg.string({ required: true }) },
    resolve: async (_root, args, context) => {
      assertQueueName(args.queue);
      authorize(context, 'queue', 'stats', args.queue);
      return { queue: args.queue, ...(await queuesOf(context).queues.store.counts(args.queue)) };
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
      return queuesOf(context).queues.store.deadJobs(args.queue, first);
    },
  }),
);

builder.queryField('job', (t) =>
  t.field({
    type: JobRef,
    nullable: true,
    description:
      'A job by its id: its state, attempts, next run time, progress and result. null when unknown, or finished longer than JOB_RETENTION_SECONDS ago.',
    args: { queue: t.arg.string({ required: true }), id: t.arg.id({ required: true }) },
    resolve: (_root, args, context) => {
      assertQueueName(args.queue);
      const id = String(args.id);
      assertJobId(id);
      authorize(context, 'queue', 'readHistory', args.queue);
      return queuesOf(context).queues.store.job(args.queue, id);
    },
  }),
);

builder.mutationField('enqueue', (t) =>
  t.field({
    type: JobRef,
    description:
      'Adds a job to a queue (LPUSH of a JSON envelope with its id onto the Redis list named `queue`, for the NORMAL priority). Jobs are taken most urgent level first, oldest first within a level, as LPUSH + BRPOP. With a `key` that a job of this queue already holds (waiting, delayed, running, or finished less than JOB_RETENTION_SECONDS ago), nothing is added and that job is returned.',
    args: {
      queue: t.arg.string({ required: true }),
      payload: t.arg({ type: 'JSON', required: true }),
      delaySeconds: t.arg.int({ description: `Run no sooner than this many seconds from now (0 to ${MAX_DELAY_SECONDS}). Default 0.` }),
      priority: t.arg({ type: JobPriorityRef, description: 'Default NORMAL.' }),
      backoff: t.arg({ type: BackoffInput, description: 'When a failed attempt runs again. Default: at once.' }),
      key: t.arg.string({ description: 'Idempotency key: 1 to 256 characters.' }),
    },
    resolve: async (_root, args, context) => {
      assertQueueName(args.queue);
      authorize(context, 'queue', 'enqueue', args.queue);
      const { job } = await queuesOf(context).queues.store.enqueue(args.queue, args.payload, {
        delaySeconds: parseDelaySeconds(args.delaySeconds),
        priority: args.priority ?? 'normal',
        backoff: parseBackoff(args.backoff),
        key: parseIdempotencyKey(args.key),
      });
      return job;
    },
  }),
);

builder.mutationField('dequeue', (t) =>
  t.field({
    type: JobRef,
    nullable: true,
    description:
      'Takes the next job of a queue (most urgent level first, oldest first), waiting up to `timeoutSeconds` for one (0 or omitted: do not wait; at most DEQUEUE_MAX_TIMEOUT_SECONDS). null when none came. Acknowledge it with `ackJob` within the visibility timeout, or it is delivered again. A wait counts against MAX_BLOCKING_OPERATIONS_PER_USER.',
    args: {
      queue: t.arg.string({ required: true }),
      timeoutSeconds: t.arg.float(),
    },
    resolve: async (_root, args, context) => {
      assertQueueName(args.queue);
      const timeout = parseDequeueTimeout(args.timeoutSeconds, queuesOf(context).config.dequeueMaxTimeoutSeconds);
      authorize(context, 'queue', 'dequeue', args.queue);
      if (timeout === 0) return queuesOf(context).queues.dequeue(args.queue, 0, context.closedSignal());
      const release = queuesOf(context).blockingLimiter.acquire(userOf(context));
      try {
        return await queuesOf(context).queues.dequeue(args.queue, timeout, context.closedSignal());
      } finally {
        release();
      }
    },
  }),
);

builder.mutationField('ackJob', (t) =>
  t.boolean({
    description:
      'Acknowledges a taken job: it leaves the queue for good, its record says COMPLETED with `result` (kept for JOB_RETENTION_SECONDS). false when the job is not in flight: already acknowledged, or its visibility timeout passed and it was returned to the queue (or dead-lettered), so another delivery will or did happen.',
    args: {
      queue: t.arg.string({ required: true }),
      id: t.arg.id({ required: true }),
      result: t.arg({ type: 'JSON', description: 'What the job produced, shown as `Job.result` (at most MAX_MESSAGE_BYTES as JSON).' }),
    },
    resolve: (_root, args, context) => {
      assertQueueName(args.queue);
      const id = String(args.id);
      assertJobId(id);
      authorize(context, 'queue', 'ack', args.queue);
      return queuesOf(context).queues.store.ack(args.queue, id, args.result === undefined ? null : jsonText(args.result));
    },
  }),
);

builder.mutationField('failJob', (t) =>
  t.boolean({
    description:
      'Gives up the current attempt of a taken job: it runs again (at once, or after its backoff) with attempts + 1, or is dead-lettered when that reaches JOB_MAX_ATTEMPTS. false when the job is not in flight.',
    args: {
      queue: t.arg.string({ required: true }),
      id: t.arg.id({ required: true }),
      reason: t.arg.string({ description: 'Why, shown as `Job.failedReason` (at most 1,000 characters).' }),
    },
    resolve: async (_root, args, context) => {
      assertQueueName(args.queue);
      const id = String(args.id);
      assertJobId(id);
      authorize(context, 'queue', 'consume', args.queue);
      return (await queuesOf(context).queues.store.fail(args.queue, id, parseReason(args.reason))) !== 'unknown';
    },
  }),
);

builder.mutationField('reportJobProgress', (t) =>
  t.boolean({
    description:
      'Records the progress of a taken job (any JSON, e.g. `{percent: 40}`), shown as `Job.progress` and sent to its `jobUpdates` followers. false when the job is not in flight.',
    args: {
      queue: t.arg.string({ required: true }),
      id: t.arg.id({ required: true }),
      progress: t.arg({ type: 'JSON', required: true }),
    },
    resolve: (_root, args, context) => {
      assertQueueName(args.queue);
      const id = String(args.id);
      assertJobId(id);
      authorize(context, 'queue', 'consume', args.queue);
      return queuesOf(context).queues.store.progress(args.queue, id, jsonText(args.progress));
    },
  }),
);

builder.mutationField('pauseQueue', (t) =>
  t.boolean({
    description:
      'Holds back every taker of the queue (`dequeue`, `jobs`, workers, on every instance) until `resumeQueue`; jobs keep being added, and jobs in flight finish. Plain BRPOP clients are not held back. Returns true.',
    args: { queue: t.arg.string({ required: true }) },
    resolve: async (_root, args, context) => {
      assertQueueName(args.queue);
      authorize(context, 'queue', 'pause', args.queue);
      await queuesOf(context).queues.store.pause(args.queue);
      return true;
    },
  }),
);

builder.mutationField('resumeQueue', (t) =>
  t.boolean({
    description: 'Lets the takers of a paused queue take again; waiting takers get jobs at once. Returns true.',
    args: { queue: t.arg.string({ required: true }) },
    resolve: async (_root, args, context) => {
      assertQueueName(args.queue);
      authorize(context, 'queue', 'resume', args.queue);
      await queuesOf(context).queues.store.resume(args.queue);
      return true;
    },
  }),
);

builder.mutationField('setQueueRateLimit', (t) =>
  t.field({
    type: QueueRateLimitRef,
    description: `Limits how fast the queue's jobs start: at most \`max\` (1 to ${MAX_RATE_LIMIT_MAX}) in any \`durationMs\` milliseconds (1 to ${MAX_RATE_LIMIT_DURATION_MS}), over every taker (\`dequeue\`, \`jobs\`, workers) of every instance. A sliding window: each start counts for \`durationMs\` after it. Takers beyond it wait until the window has room; nothing is lost, and jobs already taken are unaffected. A paused queue stays paused. Replaces the queue's limit; plain BRPOP clients are not limited.`,
    args: {
      queue: t.arg.string({ required: true }),
      max: t.arg.int({ required: true, description: 'Most jobs started per window.' }),
      durationMs: t.arg.int({ required: true, description: 'The window, in milliseconds.' }),
    },
    resolve: async (_root, args, context) => {
      assertQueueName(args.queue);
      const limit = parseRateLimit(args.max, args.durationMs);
      authorize(context, 'queue', 'rateLimit', args.queue);
      await queuesOf(context).queues.store.setRateLimit(args.queue, limit);
      return { queue: args.queue, ...limit };
    },
  }),
);

builder.mutationField('clearQueueRateLimit', (t) =>
  t.boolean({
    description: "Removes the queue's rate limit (`setQueueRateLimit`): waiting takers take at once. false when it had none.",
    args: { queue: t.arg.string({ required: true }) },
    resolve: (_root, args, context) => {
      assertQueueName(args.queue);
      authorize(context, 'queue', 'rateLimit', args.queue);
      return queuesOf(context).queues.store.clearRateLimit(args.queue);
    },
  }),
);

builder.subscriptionField('jobs', (t) =>
  t.field({
    type: JobRef,
    description: `Jobs of a queue, each to exactly one subscriber (or \`dequeue\` caller, or worker) on any instance. A subscriber holds at most \`concurrency\` jobs at a time: it gets another after it acknowledged one (\`ackJob\`, \`failJob\`) or one timed out. Counts against MAX_BLOCKING_OPERATIONS_PER_USER while it lasts.`,
    args: {
      queue: t.arg.string({ required: true }),
      concurrency: t.arg.int({ description: `Most jobs held at once, 1 to ${MAX_JOBS_CONCURRENCY}. Default 1.` }),
    },
    // A competing consumer: each job to one subscriber.
    extensions: liveSubscription({ viewer: 'each', delivery: 'per-subscriber' }),
    subscribe: async (_root, args, context) => {
      assertQueueName(args.queue);
      const concurrency = parseConcurrency(args.concurrency);
      authorize(context, 'queue', 'dequeue', args.queue);
      await queuesOf(context).queues.store.assertList(args.queue);
      const release = queuesOf(context).blockingLimiter.acquire(userOf(context));
      try {
        return await openJobStream(queuesOf(context), context.subscriber, args.queue, concurrency, release);
      } catch (error) {
        release();
        throw error;
      }
    },
    resolve: (job) => job,
  }),
);

builder.subscriptionField('jobUpdates', (t) =>
  t.field({
    type: JobRef,
    description:
      'Follows one job: the job as it is now, then again after each change (WAITING or DELAYED → ACTIVE → progress … → COMPLETED with its result, or FAILED and retried, or DEAD), ending after COMPLETED or DEAD. Quick successive changes may arrive folded into the latest; the final state always arrives. NOT_FOUND when no record of the job is kept.',
    args: { queue: t.arg.string({ required: true }), id: t.arg.id({ required: true }) },
    // One job's record, re-read per follower as it pulls (changes fold into the latest).
    extensions: liveSubscription({ viewer: 'each', delivery: 'per-subscriber' }),
    subscribe: (_root, args, context) => {
      assertQueueName(args.queue);
      const id = String(args.id);
      assertJobId(id);
      authorize(context, 'queue', 'readHistory', args.queue);
      return openJobUpdates(queuesOf(context), context.subscriber, args.queue, id);
    },
    resolve: (job) => job,
  }),
);
