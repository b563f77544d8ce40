/**
 * What the policy speaks about: the kinds of resource that have names, and what can be done to
 * each. These names are the contract of policy files.
 */

/** Kinds of named resource a policy rule can cover. */
export const RESOURCE_KINDS = ['channel', 'pattern', 'stream', 'group', 'queue'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/**
 * The actions of each kind of resource, and the fields that need them:
 *
 * - channel: `subscribe` (channel), `publish` (publish)
 * - pattern: `subscribe` (channelPattern; also needs `subscribe` on every channel the pattern can match)
 * - stream: `subscribe` (events subscription), `readHistory` (events query, events subscription
 *   with `after`), `append` (addEvent), `trim` (addEvent with `maxLength`), `createGroup`
 *   (createConsumerGroup), `consume` (groupEvents), `ack` (ackEvents), `stats` (pendingEvents),
 *   `inspect` (streamInfo)
 * - pattern: `inspect` (channels: the channels in use that match the pattern)
 * - group: `createGroup`, `consume`, `ack`, `stats`, as for the group's stream
 * - queue: `enqueue` (enqueue), `dequeue` (dequeue, jobs), `ack` (ackJob), `consume` (working on a
 *   taken job: reportJobProgress, failJob), `readHistory` (job, jobUpdates), `stats` (queueLength,
 *   queueStats), `deadJobs` (deadJobs), `pause` (pauseQueue), `resume` (resumeQueue),
 *   `rateLimit` (setQueueRateLimit, clearQueueRateLimit), `retryDead` (retryDeadJobs),
 *   `purgeDead` (purgeDeadJobs)
 *
 * `inspect`, `retryDead` and `purgeDead` are the operations actions: the default policy gives
 * them to `admin` only.
 */
export const ACTIONS_BY_KIND = {
  channel: ['subscribe', 'publish'],
  pattern: ['subscribe', 'inspect'],
  stream: ['subscribe', 'readHistory', 'append', 'trim', 'createGroup', 'consume', 'ack', 'stats', 'inspect'],
  group: ['createGroup', 'consume', 'ack', 'stats'],
  queue: ['enqueue', 'dequeue', 'ack', 'consume', 'readHistory', 'stats', 'deadJobs', 'pause', 'resume', 'rateLimit', 'retryDead', 'purgeDead'],
} as const satisfies Record<ResourceKind, readonly string[]>;

export type ActionOf<K extends ResourceKind> = (typeof ACTIONS_BY_KIND)[K][number];
export type Action = ActionOf<ResourceKind>;


/** The operations actions (insight and dead-letter replay): `admin`'s in the default policy. */
export const OPERATIONS_ACTIONS = ['inspect', 'retryDead', 'purgeDead'] as const satisfies readonly Action[];

/** Every action of any kind, in a stable order (the operations actions last). */
export const ALL_ACTIONS: readonly Action[] = [
  ...new Set([...Object.values(ACTIONS_BY_KIND).flat().filter((action) => !(OPERATIONS_ACTIONS as readonly string[]).includes(action)), ...OPERATIONS_ACTIONS]),
];

/** The built-in roles: accounts have `user`; `service` and `admin` are given to API keys and JWTs. */
export const Role = { User: 'user', Service: 'service', Admin: 'admin' } as const;
