import { builder } from '../graphql/builder.js';
import { badInput } from '../errors/app-error.js';
import { authorize } from '../policy/authorize.js';
import { RETRY_IDS_MAX, createDeadLetters } from './dead-letters.js';
import { assertJobId, assertQueueName } from './names.js';
import { QueueStatsRef } from './schema.js';

builder.objectField(QueueStatsRef, 'oldestWaitingAgeMs', (t) =>
  t.float({
    nullable: true,
    description:
      'How long (ms) the oldest waiting job has waited since it was enqueued: the next job of each priority level, by its record. null when nothing waits, or when the next jobs are plain items pushed by another client (they have no record until taken).',
    resolve: (stats, _args, context) => createDeadLetters(context.services.redis).oldestWaitingAgeMs(stats.queue),
  }),
);

builder.mutationField('retryDeadJobs', (t) =>
  t.int({
    description: `Moves dead jobs (see \`deadJobs\`) back to their queue with \`attempts\` reset to 0, as \`enqueue\` would add them; returns how many moved. Atomic and once each: of two admins retrying one job at once, one moves it. Ids that are not dead (any more) are skipped. 1 to ${RETRY_IDS_MAX} ids. Needs \`retryDead\` on the queue: role \`admin\` in the default policy.`,
    args: {
      queue: t.arg.string({ required: true }),
      ids: t.arg.idList({ required: true }),
    },
    resolve: (_root, args, context) => {
      assertQueueName(args.queue);
      const ids = args.ids.map(String);
      if (ids.length === 0 || ids.length > RETRY_IDS_MAX) throw badInput(`ids must hold 1 to ${RETRY_IDS_MAX} job ids; got ${ids.length}.`, 'ids');
      ids.forEach((id) => assertJobId(id, 'ids'));
      authorize(context, 'queue', 'retryDead', args.queue);
      return createDeadLetters(context.services.redis).retry(args.queue, ids);
    },
  }),
);

builder.mutationField('purgeDeadJobs', (t) =>
  t.int({
    description:
      'Deletes every dead job of a queue at once; returns how many were deleted. Needs `purgeDead` on the queue: role `admin` in the default policy.',
    args: { queue: t.arg.string({ required: true }) },
    resolve: (_root, args, context) => {
      assertQueueName(args.queue);
      authorize(context, 'queue', 'purgeDead', args.queue);
      return createDeadLetters(context.services.redis).purge(args.queue);
    },
  }),
);
