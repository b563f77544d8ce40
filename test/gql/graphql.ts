/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** How the caller signed in. */
export type IdentityKind =
  /** A Switchboard account (signUp / signIn). */
  | 'ACCOUNT'
  /** An API key of a backend service. */
  | 'API_KEY'
  /** A JWT of the app's identity provider. */
  | 'JWT';

/** When a failed job (`failJob`, or its visibility timeout passed) runs again. Without one, it returns to its queue at once. */
export type JobBackoffInput = {
  /** The first wait, from 0.001 to 2592000 seconds. */
  delaySeconds: number;
  /** EXPONENTIAL only: the longest wait. Default: no cap other than the longest delay. */
  maxDelaySeconds?: number | null | undefined;
  type: JobBackoffType;
};

/** How the wait before a retry grows. */
export type JobBackoffType =
  /** `delaySeconds` × 2^(attempts − 1), at most `maxDelaySeconds`. */
  | 'EXPONENTIAL'
  /** `delaySeconds` before every retry. */
  | 'FIXED';

/** Priority levels, taken most urgent first and oldest first within a level. NORMAL waits in the queue's own Redis list, where plain LPUSHed items land too. */
export type JobPriority =
  | 'CRITICAL'
  | 'HIGH'
  | 'LOW'
  /** The default; plain LPUSHed items. */
  | 'NORMAL';

/** Where a job is in its life. */
export type JobState =
  /** Taken by a consumer, not acknowledged yet. */
  | 'ACTIVE'
  /** Acknowledged (`ackJob`), with its `result`. */
  | 'COMPLETED'
  /** Out of attempts (JOB_MAX_ATTEMPTS): in the dead-letter list. */
  | 'DEAD'
  /** Waiting for its time (`enqueue(delaySeconds)`); then WAITING. */
  | 'DELAYED'
  /** Its last attempt failed (`failJob`, or its visibility timeout passed); it runs again at `runAt` (or at once when that is null). */
  | 'FAILED'
  /** In its queue, to be taken. */
  | 'WAITING';

export type AbuseLastTenQueryVariables = Exact<{ [key: string]: never; }>;


export type AbuseLastTenQuery = { events: { edges: Array<{ node: { id: string } }> } };

export type AccountsSignUpMutationVariables = Exact<{
  u: string;
  p: string;
}>;


export type AccountsSignUpMutation = { signUp: { token: string, user: { id: string, username: string, online: boolean } } };

export type BodyLimitMeQueryVariables = Exact<{ [key: string]: never; }>;


export type BodyLimitMeQuery = { me: { id: string } | null };

export type BodyLimitMeAndTypeQueryVariables = Exact<{
  t: string;
}>;


export type BodyLimitMeAndTypeQuery = { me: { username: string } | null, t: { name: string | null } | null };

export type ChaosRoomAddedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type ChaosRoomAddedSubscription = { roomAdded: { id: string } };

export type ChaosKillsSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type ChaosKillsSubscription = { channelPattern: { channel: string } };

export type ChaosRoomsQueryVariables = Exact<{ [key: string]: never; }>;


export type ChaosRoomsQuery = { rooms: Array<{ id: string }> };

export type SeedRoomsQueryVariables = Exact<{ [key: string]: never; }>;


export type SeedRoomsQuery = { rooms: Array<{ id: string, name: string, private: boolean, lastMessage: { text: string } | null }> };

export type SeedPrivateAddedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type SeedPrivateAddedSubscription = { messageAdded: { text: string, from: { id: string } } };

export type SeedGeneralQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type SeedGeneralQuery = { messages: { edges: Array<{ cursor: string, node: { id: string, text: string, createdAt: string, from: { id: string, username: string } } }> } };

export type ChatSendMutationVariables = Exact<{
  roomId: string | number;
  text: string;
}>;


export type ChatSendMutation = { sendMessage: { id: string, roomId: string, text: string, createdAt: string, from: { id: string, username: string } } };

export type ChatOpenMutationVariables = Exact<{
  userId: string | number;
}>;


export type ChatOpenMutation = { openPrivateRoom: { id: string, name: string, private: boolean } };

export type ChatRoomsQueryVariables = Exact<{ [key: string]: never; }>;


export type ChatRoomsQuery = { rooms: Array<{ id: string, name: string, private: boolean, lastMessage: { text: string, from: { username: string } } | null }> };

export type ChatPartnersQueryVariables = Exact<{ [key: string]: never; }>;


export type ChatPartnersQuery = { rooms: Array<{ id: string, partner: { id: string, username: string } | null }> };

export type ChatPageQueryVariables = Exact<{
  roomId: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type ChatPageQuery = { messages: { edges: Array<{ cursor: string, node: { id: string, text: string, from: { id: string } } }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type ChatAuthorsQueryVariables = Exact<{
  roomId: string | number;
  last?: number | null | undefined;
}>;


export type ChatAuthorsQuery = { messages: { edges: Array<{ node: { from: { id: string, username: string, online: boolean } } }> } };

export type ChatRoomAddedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type ChatRoomAddedSubscription = { roomAdded: { id: string, name: string, private: boolean } };

export type ChatUsersQueryVariables = Exact<{
  ids: Array<string | number> | string | number;
}>;


export type ChatUsersQuery = { users: Array<{ id: string, username: string } | null> };

export type ClusterChatHistoryQueryVariables = Exact<{
  roomId: string | number;
  last?: number | null | undefined;
}>;


export type ClusterChatHistoryQuery = { messages: { edges: Array<{ node: { id: string, text: string } }> } };

export type ClusterStreamsEventsQueryVariables = Exact<{
  stream: string;
}>;


export type ClusterStreamsEventsQuery = { events: { edges: Array<{ node: { id: string, data: unknown } }> } };

export type FanoutChannelSubscriptionVariables = Exact<{
  name: string;
  withChannel: boolean;
}>;


export type FanoutChannelSubscription = { channel: { channel?: string, message: unknown } };

export type FanoutMineSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type FanoutMineSubscription = { messageAdded: { text: string, mine: boolean } };

export type FanoutTextSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type FanoutTextSubscription = { messageAdded: { text: string } };

export type FanoutDatedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type FanoutDatedSubscription = { messageAdded: { text: string, createdAt: string } };

export type LiveSharingWebSubscriptionVariables = Exact<{
  after?: string | null | undefined;
}>;


export type LiveSharingWebSubscription = { messageAdded: { id: string, roomId: string, text: string, mine: boolean, from: { id: string, username: string, online: boolean } } };

export type LiveSharingOpenMutationVariables = Exact<{
  userId: string | number;
}>;


export type LiveSharingOpenMutation = { openPrivateRoom: { id: string } };

export type LiveSharingOnlineSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type LiveSharingOnlineSubscription = { messageAdded: { text: string, from: { username: string, online: boolean } } };

export type LiveSharingPresenceSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type LiveSharingPresenceSubscription = { presence: { online: boolean } };

export type LiveSharingOnlineUsersQueryVariables = Exact<{ [key: string]: never; }>;


export type LiveSharingOnlineUsersQuery = { onlineUsers: Array<{ id: string }> };

export type MetricsBadRoomQueryVariables = Exact<{ [key: string]: never; }>;


export type MetricsBadRoomQuery = { messages: { edges: Array<{ cursor: string }> } };

export type DeadLettersViewQueryVariables = Exact<{
  q: string;
}>;


export type DeadLettersViewQuery = { deadJobs: Array<{ id: string, attempts: number, payload: unknown }>, queueStats: { waiting: number, processing: number, dead: number } };

export type DeadLettersRetryMutationVariables = Exact<{
  q: string;
  ids: Array<string | number> | string | number;
}>;


export type DeadLettersRetryMutation = { retryDeadJobs: number };

export type DeadLettersPurgeMutationVariables = Exact<{
  q: string;
}>;


export type DeadLettersPurgeMutation = { purgeDeadJobs: number };

export type DeadLettersJobQueryVariables = Exact<{
  q: string;
  id: string | number;
}>;


export type DeadLettersJobQuery = { job: { state: JobState | null, attempts: number } | null };

export type DeadLettersAgeQueryVariables = Exact<{
  q: string;
}>;


export type DeadLettersAgeQuery = { queueStats: { waiting: number, oldestWaitingAgeMs: number | null } };

export type OpsStreamInfoQueryVariables = Exact<{
  s: string;
}>;


export type OpsStreamInfoQuery = { streamInfo: { stream: string, length: number, firstId: string | null, lastId: string | null, lastGeneratedId: string, entriesAdded: number | null, groups: Array<{ name: string, consumers: number, pending: number, lag: number | null, lastDeliveredId: string, entriesRead: number | null, consumerDetails: Array<{ name: string, pending: number, idleMs: number }> }> } | null };

export type OpsChannelsQueryVariables = Exact<{
  p?: string | null | undefined;
  first?: number | null | undefined;
}>;


export type OpsChannelsQuery = { channels: { total: number, truncated: boolean, channels: Array<{ name: string, subscribers: number }> } };

export type OpsCreateKeyMutationVariables = Exact<{
  r: Array<string> | string;
}>;


export type OpsCreateKeyMutation = { createApiKey: { key: string } };

export type OpsAdminOnlyQueryVariables = Exact<{ [key: string]: never; }>;


export type OpsAdminOnlyQuery = { streamInfo: { length: number } | null, channels: { total: number } };

export type OpsStatsSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type OpsStatsSubscription = { stats: { at: string, instance: { id: string, webSockets: number, sseStreams: number, subscriptions: number, connections: number, deliveries: number, deliveriesPerSecond: number, denials: number }, cluster: { webSockets: number, subscriptions: number, deliveries: number, instances: Array<{ id: string, webSockets: number }> } } };

export type ApiKeysIdentityQueryVariables = Exact<{ [key: string]: never; }>;


export type ApiKeysIdentityQuery = { identity: { kind: IdentityKind, roles: Array<string>, name: string | null } | null };

export type ApiKeysCreateMutationVariables = Exact<{
  name: string;
  roles: Array<string> | string;
}>;


export type ApiKeysCreateMutation = { createApiKey: { key: string, apiKey: { id: string, name: string, roles: Array<string> } } };

export type ApiKeysListQueryVariables = Exact<{ [key: string]: never; }>;


export type ApiKeysListQuery = { apiKeys: Array<{ id: string, name: string }> };

export type ApiKeysRevokeMutationVariables = Exact<{
  id: string | number;
}>;


export type ApiKeysRevokeMutation = { revokeApiKey: boolean };

export type JwtIdentityQueryVariables = Exact<{ [key: string]: never; }>;


export type JwtIdentityQuery = { identity: { kind: IdentityKind, userId: string, roles: Array<string>, name: string | null } | null, me: { id: string, username: string } | null };

export type JwtUserQueryVariables = Exact<{
  s: string;
}>;


export type JwtUserQuery = { jwtUser: { id: string, username: string } };

export type JwtOnlineQueryVariables = Exact<{ [key: string]: never; }>;


export type JwtOnlineQuery = { onlineUsers: Array<{ id: string, username: string }> };

export type JwtGeneralFeedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type JwtGeneralFeedSubscription = { messageAdded: { text: string, from: { id: string, username: string } } };

export type PolicyHistoryQueryVariables = Exact<{
  stream: string;
}>;


export type PolicyHistoryQuery = { events: { edges: Array<{ cursor: string }> } };

export type PolicyTrimmingAddMutationVariables = Exact<{
  stream: string;
  data: unknown;
  maxLength?: number | null | undefined;
}>;


export type PolicyTrimmingAddMutation = { addEvent: { id: string } };

export type PrivatePublishMutationVariables = Exact<{
  n: string;
}>;


export type PrivatePublishMutation = { publish: boolean };

export type PrivateEventsQueryVariables = Exact<{
  n: string;
}>;


export type PrivateEventsQuery = { events: { edges: Array<{ cursor: string }> } };

export type PrivateAddEventMutationVariables = Exact<{
  n: string;
}>;


export type PrivateAddEventMutation = { addEvent: { id: string } };

export type PrivateAddEventTrimmedMutationVariables = Exact<{
  n: string;
}>;


export type PrivateAddEventTrimmedMutation = { addEvent: { id: string } };

export type PrivateCreateGroupMutationVariables = Exact<{
  n: string;
}>;


export type PrivateCreateGroupMutation = { createConsumerGroup: boolean };

export type PrivatePendingQueryVariables = Exact<{
  n: string;
}>;


export type PrivatePendingQuery = { pendingEvents: Array<{ id: string }> };

export type PrivateAckEventsMutationVariables = Exact<{
  n: string;
}>;


export type PrivateAckEventsMutation = { ackEvents: number };

export type PrivateEnqueueMutationVariables = Exact<{
  n: string;
}>;


export type PrivateEnqueueMutation = { enqueue: { id: string } };

export type PrivateQueueLengthQueryVariables = Exact<{
  n: string;
}>;


export type PrivateQueueLengthQuery = { queueLength: number };

export type PrivateQueueStatsQueryVariables = Exact<{
  n: string;
}>;


export type PrivateQueueStatsQuery = { queueStats: { waiting: number } };

export type PrivateDeadJobsQueryVariables = Exact<{
  n: string;
}>;


export type PrivateDeadJobsQuery = { deadJobs: Array<{ id: string }> };

export type PrivateDequeueMutationVariables = Exact<{
  n: string;
}>;


export type PrivateDequeueMutation = { dequeue: { id: string, payload: unknown } | null };

export type PrivateAckJobMutationVariables = Exact<{
  n: string;
}>;


export type PrivateAckJobMutation = { ackJob: boolean };

export type PrivateChannelSubscriptionVariables = Exact<{
  n: string;
}>;


export type PrivateChannelSubscription = { channel: { message: unknown } };

export type PrivatePatternSubscriptionVariables = Exact<{
  n: string;
}>;


export type PrivatePatternSubscription = { channelPattern: { message: unknown } };

export type PrivateFollowSubscriptionVariables = Exact<{
  n: string;
}>;


export type PrivateFollowSubscription = { events: { id: string } };

export type PrivateFollowAfterSubscriptionVariables = Exact<{
  n: string;
}>;


export type PrivateFollowAfterSubscription = { events: { id: string } };

export type PrivateGroupEventsSubscriptionVariables = Exact<{
  n: string;
}>;


export type PrivateGroupEventsSubscription = { groupEvents: { id: string } };

export type PrivateJobsSubscriptionVariables = Exact<{
  n: string;
}>;


export type PrivateJobsSubscription = { jobs: { id: string } };

export type PrivatePatternChannelSubscriptionVariables = Exact<{
  p: string;
}>;


export type PrivatePatternChannelSubscription = { channelPattern: { channel: string } };

export type PrivateCreateWorkersMutationVariables = Exact<{
  s: string;
}>;


export type PrivateCreateWorkersMutation = { createConsumerGroup: boolean };

export type PrivateGroupEventIdsSubscriptionVariables = Exact<{
  s: string;
  g: string;
  c: string;
}>;


export type PrivateGroupEventIdsSubscription = { groupEvents: { id: string } };

export type PrivateApiKeyIdentityQueryVariables = Exact<{ [key: string]: never; }>;


export type PrivateApiKeyIdentityQuery = { identity: { kind: IdentityKind, roles: Array<string>, name: string | null, expiresAt: string | null } | null };

export type RolesListKeysQueryVariables = Exact<{ [key: string]: never; }>;


export type RolesListKeysQuery = { apiKeys: Array<{ id: string }> };

export type RolesMineQueryVariables = Exact<{ [key: string]: never; }>;


export type RolesMineQuery = { identity: { roles: Array<string> } | null };

export type RolesWhoQueryVariables = Exact<{ [key: string]: never; }>;


export type RolesWhoQuery = { identity: { userId: string, roles: Array<string> } | null };

export type ProtocolMyIdQueryVariables = Exact<{ [key: string]: never; }>;


export type ProtocolMyIdQuery = { me: { id: string } | null };

export type ProtocolMyNameQueryVariables = Exact<{ [key: string]: never; }>;


export type ProtocolMyNameQuery = { me: { username: string } | null };

export type QueuesFeaturesJobFragment = { id: string, payload: unknown, attempts: number, state: JobState | null, priority: JobPriority, runAt: string | null, progress: unknown, result: unknown, failedReason: string | null, key: string | null };

export type QueuesFeaturesEnqueueMutationVariables = Exact<{
  q: string;
  p: unknown;
  d?: number | null | undefined;
  pr?: JobPriority | null | undefined;
  k?: string | null | undefined;
  b?: JobBackoffInput | null | undefined;
}>;


export type QueuesFeaturesEnqueueMutation = { enqueue: { id: string, payload: unknown, attempts: number, state: JobState | null, priority: JobPriority, runAt: string | null, progress: unknown, result: unknown, failedReason: string | null, key: string | null } };

export type QueuesFeaturesDequeueMutationVariables = Exact<{
  q: string;
  t?: number | null | undefined;
}>;


export type QueuesFeaturesDequeueMutation = { dequeue: { id: string, payload: unknown, attempts: number, state: JobState | null, priority: JobPriority, runAt: string | null, progress: unknown, result: unknown, failedReason: string | null, key: string | null } | null };

export type QueuesFeaturesAckMutationVariables = Exact<{
  q: string;
  id: string | number;
  r?: unknown;
}>;


export type QueuesFeaturesAckMutation = { ackJob: boolean };

export type QueuesFeaturesFailMutationVariables = Exact<{
  q: string;
  id: string | number;
  why?: string | null | undefined;
}>;


export type QueuesFeaturesFailMutation = { failJob: boolean };

export type QueuesFeaturesProgressMutationVariables = Exact<{
  q: string;
  id: string | number;
  p: unknown;
}>;


export type QueuesFeaturesProgressMutation = { reportJobProgress: boolean };

export type QueuesFeaturesJobRecordQueryVariables = Exact<{
  q: string;
  id: string | number;
}>;


export type QueuesFeaturesJobRecordQuery = { job: { id: string, payload: unknown, attempts: number, state: JobState | null, priority: JobPriority, runAt: string | null, progress: unknown, result: unknown, failedReason: string | null, key: string | null } | null };

export type QueuesFeaturesUpdatesSubscriptionVariables = Exact<{
  q: string;
  id: string | number;
}>;


export type QueuesFeaturesUpdatesSubscription = { jobUpdates: { id: string, payload: unknown, attempts: number, state: JobState | null, priority: JobPriority, runAt: string | null, progress: unknown, result: unknown, failedReason: string | null, key: string | null } };

export type QueuesFeaturesJobsSubscriptionVariables = Exact<{
  q: string;
  c?: number | null | undefined;
}>;


export type QueuesFeaturesJobsSubscription = { jobs: { id: string, payload: unknown, attempts: number, state: JobState | null, priority: JobPriority, runAt: string | null, progress: unknown, result: unknown, failedReason: string | null, key: string | null } };

export type QueuesFeaturesStatsQueryVariables = Exact<{
  q: string;
}>;


export type QueuesFeaturesStatsQuery = { queueStats: { waiting: number, processing: number, dead: number, delayed: number, paused: boolean } };

export type QueuesFeaturesPauseMutationVariables = Exact<{
  q: string;
}>;


export type QueuesFeaturesPauseMutation = { pauseQueue: boolean };

export type QueuesFeaturesResumeMutationVariables = Exact<{
  q: string;
}>;


export type QueuesFeaturesResumeMutation = { resumeQueue: boolean };

export type RateLimitSetMutationVariables = Exact<{
  q: string;
  max: number;
  ms: number;
}>;


export type RateLimitSetMutation = { setQueueRateLimit: { queue: string, max: number, durationMs: number } };

export type RateLimitClearMutationVariables = Exact<{
  q: string;
}>;


export type RateLimitClearMutation = { clearQueueRateLimit: boolean };

export type RateLimitStatsQueryVariables = Exact<{
  q: string;
}>;


export type RateLimitStatsQuery = { queueStats: { waiting: number, processing: number, paused: boolean, rateLimit: { max: number, durationMs: number } | null } };

export type RateLimitEnqueueMutationVariables = Exact<{
  q: string;
  p: unknown;
}>;


export type RateLimitEnqueueMutation = { enqueue: { id: string } };

export type RateLimitDequeueMutationVariables = Exact<{
  q: string;
  t?: number | null | undefined;
}>;


export type RateLimitDequeueMutation = { dequeue: { id: string, payload: unknown } | null };

export type RateLimitAckMutationVariables = Exact<{
  q: string;
  id: string | number;
}>;


export type RateLimitAckMutation = { ackJob: boolean };

export type RateLimitJobsSubscriptionVariables = Exact<{
  q: string;
  c?: number | null | undefined;
}>;


export type RateLimitJobsSubscription = { jobs: { id: string, payload: unknown } };

export type RateLimitPauseMutationVariables = Exact<{
  q: string;
}>;


export type RateLimitPauseMutation = { pauseQueue: boolean };

export type RateLimitResumeMutationVariables = Exact<{
  q: string;
}>;


export type RateLimitResumeMutation = { resumeQueue: boolean };

export type StreamsLiveFollowSubscriptionVariables = Exact<{
  stream: string;
  after?: string | null | undefined;
}>;


export type StreamsLiveFollowSubscription = { events: { id: string, stream: string, data: unknown } };

export type StreamsAddMutationVariables = Exact<{
  stream: string;
  data: unknown;
  maxLength?: number | null | undefined;
}>;


export type StreamsAddMutation = { addEvent: { id: string, stream: string, data: unknown } };

export type StreamsPageQueryVariables = Exact<{
  stream: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type StreamsPageQuery = { events: { edges: Array<{ cursor: string, node: { id: string, stream: string, data: unknown } }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type TestSignUpMutationVariables = Exact<{
  u: string;
  p: string;
}>;


export type TestSignUpMutation = { signUp: { token: string, user: { id: string } } };

export type TestSignInMutationVariables = Exact<{
  u: string;
  p: string;
}>;


export type TestSignInMutation = { signIn: { token: string, user: { id: string, username: string } } };

export type TestSignOutMutationVariables = Exact<{ [key: string]: never; }>;


export type TestSignOutMutation = { signOut: boolean };

export type TestMeQueryVariables = Exact<{ [key: string]: never; }>;


export type TestMeQuery = { me: { id: string, username: string } | null };

export type TestSendMutationVariables = Exact<{
  roomId: string | number;
  text: string;
}>;


export type TestSendMutation = { sendMessage: { id: string } };

export type TestMessageAddedSubscriptionVariables = Exact<{
  roomId?: string | number | null | undefined;
  after?: string | null | undefined;
}>;


export type TestMessageAddedSubscription = { messageAdded: { id: string } };

export type TestOpenRoomMutationVariables = Exact<{
  userId: string | number;
}>;


export type TestOpenRoomMutation = { openPrivateRoom: { id: string } };

export type TestMessageAddedTextSubscriptionVariables = Exact<{
  roomId?: string | number | null | undefined;
  after?: string | null | undefined;
}>;


export type TestMessageAddedTextSubscription = { messageAdded: { id: string, roomId: string, text: string, from: { id: string } } };

export type TestPresenceSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type TestPresenceSubscription = { presence: { online: boolean, user: { id: string, username: string } } };

export type TestOnlineUsersQueryVariables = Exact<{ [key: string]: never; }>;


export type TestOnlineUsersQuery = { onlineUsers: Array<{ id: string, online: boolean }> };

export type TestPublishMutationVariables = Exact<{
  channel: string;
  message: unknown;
}>;


export type TestPublishMutation = { publish: boolean };

export type TestChannelSubscriptionVariables = Exact<{
  name: string;
}>;


export type TestChannelSubscription = { channel: { message: unknown } };

export type TestChannelNamedSubscriptionVariables = Exact<{
  name: string;
}>;


export type TestChannelNamedSubscription = { channel: { channel: string, message: unknown } };

export type TestPatternSubscriptionVariables = Exact<{
  p: string;
}>;


export type TestPatternSubscription = { channelPattern: { channel: string, message: unknown } };

export type TestAddEventMutationVariables = Exact<{
  stream: string;
  data: unknown;
}>;


export type TestAddEventMutation = { addEvent: { id: string } };

export type TestEventsSubscriptionVariables = Exact<{
  stream: string;
  after?: string | null | undefined;
}>;


export type TestEventsSubscription = { events: { id: string } };

export type TestFollowSubscriptionVariables = Exact<{
  stream: string;
  after?: string | null | undefined;
}>;


export type TestFollowSubscription = { events: { id: string, data: unknown } };

export type TestPendingEventsQueryVariables = Exact<{
  stream: string;
  group: string;
}>;


export type TestPendingEventsQuery = { pendingEvents: Array<{ id: string, consumer: string, idleMs: number, deliveries: number }> };

export type TestCreateGroupMutationVariables = Exact<{
  stream: string;
  group: string;
  startId?: string | null | undefined;
}>;


export type TestCreateGroupMutation = { createConsumerGroup: boolean };

export type TestGroupEventsSubscriptionVariables = Exact<{
  stream: string;
  group: string;
  consumer: string;
}>;


export type TestGroupEventsSubscription = { groupEvents: { id: string, data: unknown } };

export type TestAckEventsMutationVariables = Exact<{
  stream: string;
  group: string;
  ids: Array<string | number> | string | number;
}>;


export type TestAckEventsMutation = { ackEvents: number };

export type TestEnqueueMutationVariables = Exact<{
  q: string;
  p: unknown;
  priority?: JobPriority | null | undefined;
}>;


export type TestEnqueueMutation = { enqueue: { id: string, queue: string, payload: unknown, attempts: number } };

export type TestDequeueMutationVariables = Exact<{
  q: string;
  t?: number | null | undefined;
}>;


export type TestDequeueMutation = { dequeue: { id: string, queue: string, payload: unknown, attempts: number } | null };

export type TestAckJobMutationVariables = Exact<{
  q: string;
  id: string | number;
}>;


export type TestAckJobMutation = { ackJob: boolean };

export type TestJobsSubscriptionVariables = Exact<{
  q: string;
}>;


export type TestJobsSubscription = { jobs: { id: string, queue: string, payload: unknown, attempts: number } };

export type TestQueueStatsQueryVariables = Exact<{
  q: string;
}>;


export type TestQueueStatsQuery = { queueStats: { waiting: number, processing: number, dead: number } };

export type TestDeadJobsQueryVariables = Exact<{
  q: string;
}>;


export type TestDeadJobsQuery = { deadJobs: Array<{ id: string, queue: string, payload: unknown, attempts: number }> };

export type TestQueueLengthStatsQueryVariables = Exact<{
  q: string;
}>;


export type TestQueueLengthStatsQuery = { queueLength: number, queueStats: { waiting: number, processing: number, dead: number } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const QueuesFeaturesJobFragmentDoc = new TypedDocumentString(`
    fragment QueuesFeaturesJob on Job {
  id
  payload
  attempts
  state
  priority
  runAt
  progress
  result
  failedReason
  key
}
    `, {"fragmentName":"QueuesFeaturesJob"}) as unknown as TypedDocumentString<QueuesFeaturesJobFragment, unknown>;
export const AbuseLastTenDocument = new TypedDocumentString(`
    query AbuseLastTen {
  events(stream: "big-entries", last: 10) {
    edges {
      node {
        id
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AbuseLastTenQuery, AbuseLastTenQueryVariables>;
export const AccountsSignUpDocument = new TypedDocumentString(`
    mutation AccountsSignUp($u: String!, $p: String!) {
  signUp(username: $u, password: $p) {
    token
    user {
      id
      username
      online
    }
  }
}
    `) as unknown as TypedDocumentString<AccountsSignUpMutation, AccountsSignUpMutationVariables>;
export const BodyLimitMeDocument = new TypedDocumentString(`
    query BodyLimitMe {
  me {
    id
  }
}
    `) as unknown as TypedDocumentString<BodyLimitMeQuery, BodyLimitMeQueryVariables>;
export const BodyLimitMeAndTypeDocument = new TypedDocumentString(`
    query BodyLimitMeAndType($t: String!) {
  me {
    username
  }
  t: __type(name: $t) {
    name
  }
}
    `) as unknown as TypedDocumentString<BodyLimitMeAndTypeQuery, BodyLimitMeAndTypeQueryVariables>;
export const ChaosRoomAddedDocument = new TypedDocumentString(`
    subscription ChaosRoomAdded {
  roomAdded {
    id
  }
}
    `) as unknown as TypedDocumentString<ChaosRoomAddedSubscription, ChaosRoomAddedSubscriptionVariables>;
export const ChaosKillsDocument = new TypedDocumentString(`
    subscription ChaosKills {
  channelPattern(pattern: "kills.*") {
    channel
  }
}
    `) as unknown as TypedDocumentString<ChaosKillsSubscription, ChaosKillsSubscriptionVariables>;
export const ChaosRoomsDocument = new TypedDocumentString(`
    query ChaosRooms {
  rooms {
    id
  }
}
    `) as unknown as TypedDocumentString<ChaosRoomsQuery, ChaosRoomsQueryVariables>;
export const SeedRoomsDocument = new TypedDocumentString(`
    query SeedRooms {
  rooms {
    id
    name
    private
    lastMessage {
      text
    }
  }
}
    `) as unknown as TypedDocumentString<SeedRoomsQuery, SeedRoomsQueryVariables>;
export const SeedPrivateAddedDocument = new TypedDocumentString(`
    subscription SeedPrivateAdded {
  messageAdded(roomId: "1:2") {
    text
    from {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<SeedPrivateAddedSubscription, SeedPrivateAddedSubscriptionVariables>;
export const SeedGeneralDocument = new TypedDocumentString(`
    query SeedGeneral($after: String) {
  messages(roomId: "0", first: 10, after: $after) {
    edges {
      cursor
      node {
        id
        text
        createdAt
        from {
          id
          username
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SeedGeneralQuery, SeedGeneralQueryVariables>;
export const ChatSendDocument = new TypedDocumentString(`
    mutation ChatSend($roomId: ID!, $text: String!) {
  sendMessage(roomId: $roomId, text: $text) {
    id
    roomId
    text
    createdAt
    from {
      id
      username
    }
  }
}
    `) as unknown as TypedDocumentString<ChatSendMutation, ChatSendMutationVariables>;
export const ChatOpenDocument = new TypedDocumentString(`
    mutation ChatOpen($userId: ID!) {
  openPrivateRoom(userId: $userId) {
    id
    name
    private
  }
}
    `) as unknown as TypedDocumentString<ChatOpenMutation, ChatOpenMutationVariables>;
export const ChatRoomsDocument = new TypedDocumentString(`
    query ChatRooms {
  rooms {
    id
    name
    private
    lastMessage {
      text
      from {
        username
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ChatRoomsQuery, ChatRoomsQueryVariables>;
export const ChatPartnersDocument = new TypedDocumentString(`
    query ChatPartners {
  rooms {
    id
    partner {
      id
      username
    }
  }
}
    `) as unknown as TypedDocumentString<ChatPartnersQuery, ChatPartnersQueryVariables>;
export const ChatPageDocument = new TypedDocumentString(`
    query ChatPage($roomId: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  messages(
    roomId: $roomId
    first: $first
    after: $after
    last: $last
    before: $before
  ) {
    edges {
      cursor
      node {
        id
        text
        from {
          id
        }
      }
    }
    pageInfo {
      hasNextPage
      hasPreviousPage
      startCursor
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<ChatPageQuery, ChatPageQueryVariables>;
export const ChatAuthorsDocument = new TypedDocumentString(`
    query ChatAuthors($roomId: ID!, $last: Int) {
  messages(roomId: $roomId, last: $last) {
    edges {
      node {
        from {
          id
          username
          online
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ChatAuthorsQuery, ChatAuthorsQueryVariables>;
export const ChatRoomAddedDocument = new TypedDocumentString(`
    subscription ChatRoomAdded {
  roomAdded {
    id
    name
    private
  }
}
    `) as unknown as TypedDocumentString<ChatRoomAddedSubscription, ChatRoomAddedSubscriptionVariables>;
export const ChatUsersDocument = new TypedDocumentString(`
    query ChatUsers($ids: [ID!]!) {
  users(ids: $ids) {
    id
    username
  }
}
    `) as unknown as TypedDocumentString<ChatUsersQuery, ChatUsersQueryVariables>;
export const ClusterChatHistoryDocument = new TypedDocumentString(`
    query ClusterChatHistory($roomId: ID!, $last: Int) {
  messages(roomId: $roomId, last: $last) {
    edges {
      node {
        id
        text
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ClusterChatHistoryQuery, ClusterChatHistoryQueryVariables>;
export const ClusterStreamsEventsDocument = new TypedDocumentString(`
    query ClusterStreamsEvents($stream: String!) {
  events(stream: $stream, first: 100) {
    edges {
      node {
        id
        data
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ClusterStreamsEventsQuery, ClusterStreamsEventsQueryVariables>;
export const FanoutChannelDocument = new TypedDocumentString(`
    subscription FanoutChannel($name: String!, $withChannel: Boolean!) {
  channel(name: $name) {
    channel @include(if: $withChannel)
    message
  }
}
    `) as unknown as TypedDocumentString<FanoutChannelSubscription, FanoutChannelSubscriptionVariables>;
export const FanoutMineDocument = new TypedDocumentString(`
    subscription FanoutMine {
  messageAdded(roomId: "0") {
    text
    mine
  }
}
    `) as unknown as TypedDocumentString<FanoutMineSubscription, FanoutMineSubscriptionVariables>;
export const FanoutTextDocument = new TypedDocumentString(`
    subscription FanoutText {
  messageAdded(roomId: "0") {
    text
  }
}
    `) as unknown as TypedDocumentString<FanoutTextSubscription, FanoutTextSubscriptionVariables>;
export const FanoutDatedDocument = new TypedDocumentString(`
    subscription FanoutDated {
  messageAdded(roomId: "0") {
    text
    createdAt
  }
}
    `) as unknown as TypedDocumentString<FanoutDatedSubscription, FanoutDatedSubscriptionVariables>;
export const LiveSharingWebDocument = new TypedDocumentString(`
    subscription LiveSharingWeb($after: String) {
  messageAdded(after: $after) {
    id
    roomId
    text
    mine
    from {
      id
      username
      online
    }
  }
}
    `) as unknown as TypedDocumentString<LiveSharingWebSubscription, LiveSharingWebSubscriptionVariables>;
export const LiveSharingOpenDocument = new TypedDocumentString(`
    mutation LiveSharingOpen($userId: ID!) {
  openPrivateRoom(userId: $userId) {
    id
  }
}
    `) as unknown as TypedDocumentString<LiveSharingOpenMutation, LiveSharingOpenMutationVariables>;
export const LiveSharingOnlineDocument = new TypedDocumentString(`
    subscription LiveSharingOnline {
  messageAdded(roomId: "0") {
    text
    from {
      username
      online
    }
  }
}
    `) as unknown as TypedDocumentString<LiveSharingOnlineSubscription, LiveSharingOnlineSubscriptionVariables>;
export const LiveSharingPresenceDocument = new TypedDocumentString(`
    subscription LiveSharingPresence {
  presence {
    online
  }
}
    `) as unknown as TypedDocumentString<LiveSharingPresenceSubscription, LiveSharingPresenceSubscriptionVariables>;
export const LiveSharingOnlineUsersDocument = new TypedDocumentString(`
    query LiveSharingOnlineUsers {
  onlineUsers {
    id
  }
}
    `) as unknown as TypedDocumentString<LiveSharingOnlineUsersQuery, LiveSharingOnlineUsersQueryVariables>;
export const MetricsBadRoomDocument = new TypedDocumentString(`
    query MetricsBadRoom {
  messages(roomId: "not a room") {
    edges {
      cursor
    }
  }
}
    `) as unknown as TypedDocumentString<MetricsBadRoomQuery, MetricsBadRoomQueryVariables>;
export const DeadLettersViewDocument = new TypedDocumentString(`
    query DeadLettersView($q: String!) {
  deadJobs(queue: $q, first: 100) {
    id
    attempts
    payload
  }
  queueStats(queue: $q) {
    waiting
    processing
    dead
  }
}
    `) as unknown as TypedDocumentString<DeadLettersViewQuery, DeadLettersViewQueryVariables>;
export const DeadLettersRetryDocument = new TypedDocumentString(`
    mutation DeadLettersRetry($q: String!, $ids: [ID!]!) {
  retryDeadJobs(queue: $q, ids: $ids)
}
    `) as unknown as TypedDocumentString<DeadLettersRetryMutation, DeadLettersRetryMutationVariables>;
export const DeadLettersPurgeDocument = new TypedDocumentString(`
    mutation DeadLettersPurge($q: String!) {
  purgeDeadJobs(queue: $q)
}
    `) as unknown as TypedDocumentString<DeadLettersPurgeMutation, DeadLettersPurgeMutationVariables>;
export const DeadLettersJobDocument = new TypedDocumentString(`
    query DeadLettersJob($q: String!, $id: ID!) {
  job(queue: $q, id: $id) {
    state
    attempts
  }
}
    `) as unknown as TypedDocumentString<DeadLettersJobQuery, DeadLettersJobQueryVariables>;
export const DeadLettersAgeDocument = new TypedDocumentString(`
    query DeadLettersAge($q: String!) {
  queueStats(queue: $q) {
    waiting
    oldestWaitingAgeMs
  }
}
    `) as unknown as TypedDocumentString<DeadLettersAgeQuery, DeadLettersAgeQueryVariables>;
export const OpsStreamInfoDocument = new TypedDocumentString(`
    query OpsStreamInfo($s: String!) {
  streamInfo(stream: $s) {
    stream
    length
    firstId
    lastId
    lastGeneratedId
    entriesAdded
    groups {
      name
      consumers
      pending
      lag
      lastDeliveredId
      entriesRead
      consumerDetails {
        name
        pending
        idleMs
      }
    }
  }
}
    `) as unknown as TypedDocumentString<OpsStreamInfoQuery, OpsStreamInfoQueryVariables>;
export const OpsChannelsDocument = new TypedDocumentString(`
    query OpsChannels($p: String, $first: Int) {
  channels(pattern: $p, first: $first) {
    total
    truncated
    channels {
      name
      subscribers
    }
  }
}
    `) as unknown as TypedDocumentString<OpsChannelsQuery, OpsChannelsQueryVariables>;
export const OpsCreateKeyDocument = new TypedDocumentString(`
    mutation OpsCreateKey($r: [String!]!) {
  createApiKey(name: "ops", roles: $r) {
    key
  }
}
    `) as unknown as TypedDocumentString<OpsCreateKeyMutation, OpsCreateKeyMutationVariables>;
export const OpsAdminOnlyDocument = new TypedDocumentString(`
    query OpsAdminOnly {
  streamInfo(stream: "orders") {
    length
  }
  channels {
    total
  }
}
    `) as unknown as TypedDocumentString<OpsAdminOnlyQuery, OpsAdminOnlyQueryVariables>;
export const OpsStatsDocument = new TypedDocumentString(`
    subscription OpsStats {
  stats {
    at
    instance {
      id
      webSockets
      sseStreams
      subscriptions
      connections
      deliveries
      deliveriesPerSecond
      denials
    }
    cluster {
      webSockets
      subscriptions
      deliveries
      instances {
        id
        webSockets
      }
    }
  }
}
    `) as unknown as TypedDocumentString<OpsStatsSubscription, OpsStatsSubscriptionVariables>;
export const ApiKeysIdentityDocument = new TypedDocumentString(`
    query ApiKeysIdentity {
  identity {
    kind
    roles
    name
  }
}
    `) as unknown as TypedDocumentString<ApiKeysIdentityQuery, ApiKeysIdentityQueryVariables>;
export const ApiKeysCreateDocument = new TypedDocumentString(`
    mutation ApiKeysCreate($name: String!, $roles: [String!]!) {
  createApiKey(name: $name, roles: $roles) {
    key
    apiKey {
      id
      name
      roles
    }
  }
}
    `) as unknown as TypedDocumentString<ApiKeysCreateMutation, ApiKeysCreateMutationVariables>;
export const ApiKeysListDocument = new TypedDocumentString(`
    query ApiKeysList {
  apiKeys {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<ApiKeysListQuery, ApiKeysListQueryVariables>;
export const ApiKeysRevokeDocument = new TypedDocumentString(`
    mutation ApiKeysRevoke($id: ID!) {
  revokeApiKey(id: $id)
}
    `) as unknown as TypedDocumentString<ApiKeysRevokeMutation, ApiKeysRevokeMutationVariables>;
export const JwtIdentityDocument = new TypedDocumentString(`
    query JwtIdentity {
  identity {
    kind
    userId
    roles
    name
  }
  me {
    id
    username
  }
}
    `) as unknown as TypedDocumentString<JwtIdentityQuery, JwtIdentityQueryVariables>;
export const JwtUserDocument = new TypedDocumentString(`
    query JwtUser($s: String!) {
  jwtUser(subject: $s) {
    id
    username
  }
}
    `) as unknown as TypedDocumentString<JwtUserQuery, JwtUserQueryVariables>;
export const JwtOnlineDocument = new TypedDocumentString(`
    query JwtOnline {
  onlineUsers {
    id
    username
  }
}
    `) as unknown as TypedDocumentString<JwtOnlineQuery, JwtOnlineQueryVariables>;
export const JwtGeneralFeedDocument = new TypedDocumentString(`
    subscription JwtGeneralFeed {
  messageAdded(roomId: "0") {
    text
    from {
      id
      username
    }
  }
}
    `) as unknown as TypedDocumentString<JwtGeneralFeedSubscription, JwtGeneralFeedSubscriptionVariables>;
export const PolicyHistoryDocument = new TypedDocumentString(`
    query PolicyHistory($stream: String!) {
  events(stream: $stream) {
    edges {
      cursor
    }
  }
}
    `) as unknown as TypedDocumentString<PolicyHistoryQuery, PolicyHistoryQueryVariables>;
export const PolicyTrimmingAddDocument = new TypedDocumentString(`
    mutation PolicyTrimmingAdd($stream: String!, $data: JSON!, $maxLength: Int) {
  addEvent(stream: $stream, data: $data, maxLength: $maxLength) {
    id
  }
}
    `) as unknown as TypedDocumentString<PolicyTrimmingAddMutation, PolicyTrimmingAddMutationVariables>;
export const PrivatePublishDocument = new TypedDocumentString(`
    mutation PrivatePublish($n: String!) {
  publish(channel: $n, message: 1)
}
    `) as unknown as TypedDocumentString<PrivatePublishMutation, PrivatePublishMutationVariables>;
export const PrivateEventsDocument = new TypedDocumentString(`
    query PrivateEvents($n: String!) {
  events(stream: $n) {
    edges {
      cursor
    }
  }
}
    `) as unknown as TypedDocumentString<PrivateEventsQuery, PrivateEventsQueryVariables>;
export const PrivateAddEventDocument = new TypedDocumentString(`
    mutation PrivateAddEvent($n: String!) {
  addEvent(stream: $n, data: {a: "1"}) {
    id
  }
}
    `) as unknown as TypedDocumentString<PrivateAddEventMutation, PrivateAddEventMutationVariables>;
export const PrivateAddEventTrimmedDocument = new TypedDocumentString(`
    mutation PrivateAddEventTrimmed($n: String!) {
  addEvent(stream: $n, data: {a: "1"}, maxLength: 1000) {
    id
  }
}
    `) as unknown as TypedDocumentString<PrivateAddEventTrimmedMutation, PrivateAddEventTrimmedMutationVariables>;
export const PrivateCreateGroupDocument = new TypedDocumentString(`
    mutation PrivateCreateGroup($n: String!) {
  createConsumerGroup(stream: $n, group: $n)
}
    `) as unknown as TypedDocumentString<PrivateCreateGroupMutation, PrivateCreateGroupMutationVariables>;
export const PrivatePendingDocument = new TypedDocumentString(`
    query PrivatePending($n: String!) {
  pendingEvents(stream: $n, group: $n) {
    id
  }
}
    `) as unknown as TypedDocumentString<PrivatePendingQuery, PrivatePendingQueryVariables>;
export const PrivateAckEventsDocument = new TypedDocumentString(`
    mutation PrivateAckEvents($n: String!) {
  ackEvents(stream: $n, group: $n, ids: ["1-1"])
}
    `) as unknown as TypedDocumentString<PrivateAckEventsMutation, PrivateAckEventsMutationVariables>;
export const PrivateEnqueueDocument = new TypedDocumentString(`
    mutation PrivateEnqueue($n: String!) {
  enqueue(queue: $n, payload: {secret: "s3cr3t"}) {
    id
  }
}
    `) as unknown as TypedDocumentString<PrivateEnqueueMutation, PrivateEnqueueMutationVariables>;
export const PrivateQueueLengthDocument = new TypedDocumentString(`
    query PrivateQueueLength($n: String!) {
  queueLength(queue: $n)
}
    `) as unknown as TypedDocumentString<PrivateQueueLengthQuery, PrivateQueueLengthQueryVariables>;
export const PrivateQueueStatsDocument = new TypedDocumentString(`
    query PrivateQueueStats($n: String!) {
  queueStats(queue: $n) {
    waiting
  }
}
    `) as unknown as TypedDocumentString<PrivateQueueStatsQuery, PrivateQueueStatsQueryVariables>;
export const PrivateDeadJobsDocument = new TypedDocumentString(`
    query PrivateDeadJobs($n: String!) {
  deadJobs(queue: $n) {
    id
  }
}
    `) as unknown as TypedDocumentString<PrivateDeadJobsQuery, PrivateDeadJobsQueryVariables>;
export const PrivateDequeueDocument = new TypedDocumentString(`
    mutation PrivateDequeue($n: String!) {
  dequeue(queue: $n) {
    id
    payload
  }
}
    `) as unknown as TypedDocumentString<PrivateDequeueMutation, PrivateDequeueMutationVariables>;
export const PrivateAckJobDocument = new TypedDocumentString(`
    mutation PrivateAckJob($n: String!) {
  ackJob(queue: $n, id: "00000000-0000-4000-8000-000000000000")
}
    `) as unknown as TypedDocumentString<PrivateAckJobMutation, PrivateAckJobMutationVariables>;
export const PrivateChannelDocument = new TypedDocumentString(`
    subscription PrivateChannel($n: String!) {
  channel(name: $n) {
    message
  }
}
    `) as unknown as TypedDocumentString<PrivateChannelSubscription, PrivateChannelSubscriptionVariables>;
export const PrivatePatternDocument = new TypedDocumentString(`
    subscription PrivatePattern($n: String!) {
  channelPattern(pattern: $n) {
    message
  }
}
    `) as unknown as TypedDocumentString<PrivatePatternSubscription, PrivatePatternSubscriptionVariables>;
export const PrivateFollowDocument = new TypedDocumentString(`
    subscription PrivateFollow($n: String!) {
  events(stream: $n) {
    id
  }
}
    `) as unknown as TypedDocumentString<PrivateFollowSubscription, PrivateFollowSubscriptionVariables>;
export const PrivateFollowAfterDocument = new TypedDocumentString(`
    subscription PrivateFollowAfter($n: String!) {
  events(stream: $n, after: "0") {
    id
  }
}
    `) as unknown as TypedDocumentString<PrivateFollowAfterSubscription, PrivateFollowAfterSubscriptionVariables>;
export const PrivateGroupEventsDocument = new TypedDocumentString(`
    subscription PrivateGroupEvents($n: String!) {
  groupEvents(stream: $n, group: $n, consumer: "c") {
    id
  }
}
    `) as unknown as TypedDocumentString<PrivateGroupEventsSubscription, PrivateGroupEventsSubscriptionVariables>;
export const PrivateJobsDocument = new TypedDocumentString(`
    subscription PrivateJobs($n: String!) {
  jobs(queue: $n) {
    id
  }
}
    `) as unknown as TypedDocumentString<PrivateJobsSubscription, PrivateJobsSubscriptionVariables>;
export const PrivatePatternChannelDocument = new TypedDocumentString(`
    subscription PrivatePatternChannel($p: String!) {
  channelPattern(pattern: $p) {
    channel
  }
}
    `) as unknown as TypedDocumentString<PrivatePatternChannelSubscription, PrivatePatternChannelSubscriptionVariables>;
export const PrivateCreateWorkersDocument = new TypedDocumentString(`
    mutation PrivateCreateWorkers($s: String!) {
  createConsumerGroup(stream: $s, group: "workers")
}
    `) as unknown as TypedDocumentString<PrivateCreateWorkersMutation, PrivateCreateWorkersMutationVariables>;
export const PrivateGroupEventIdsDocument = new TypedDocumentString(`
    subscription PrivateGroupEventIds($s: String!, $g: String!, $c: String!) {
  groupEvents(stream: $s, group: $g, consumer: $c) {
    id
  }
}
    `) as unknown as TypedDocumentString<PrivateGroupEventIdsSubscription, PrivateGroupEventIdsSubscriptionVariables>;
export const PrivateApiKeyIdentityDocument = new TypedDocumentString(`
    query PrivateApiKeyIdentity {
  identity {
    kind
    roles
    name
    expiresAt
  }
}
    `) as unknown as TypedDocumentString<PrivateApiKeyIdentityQuery, PrivateApiKeyIdentityQueryVariables>;
export const RolesListKeysDocument = new TypedDocumentString(`
    query RolesListKeys {
  apiKeys {
    id
  }
}
    `) as unknown as TypedDocumentString<RolesListKeysQuery, RolesListKeysQueryVariables>;
export const RolesMineDocument = new TypedDocumentString(`
    query RolesMine {
  identity {
    roles
  }
}
    `) as unknown as TypedDocumentString<RolesMineQuery, RolesMineQueryVariables>;
export const RolesWhoDocument = new TypedDocumentString(`
    query RolesWho {
  identity {
    userId
    roles
  }
}
    `) as unknown as TypedDocumentString<RolesWhoQuery, RolesWhoQueryVariables>;
export const ProtocolMyIdDocument = new TypedDocumentString(`
    query ProtocolMyId {
  me {
    id
  }
}
    `) as unknown as TypedDocumentString<ProtocolMyIdQuery, ProtocolMyIdQueryVariables>;
export const ProtocolMyNameDocument = new TypedDocumentString(`
    query ProtocolMyName {
  me {
    username
  }
}
    `) as unknown as TypedDocumentString<ProtocolMyNameQuery, ProtocolMyNameQueryVariables>;
export const QueuesFeaturesEnqueueDocument = new TypedDocumentString(`
    mutation QueuesFeaturesEnqueue($q: String!, $p: JSON!, $d: Int, $pr: JobPriority, $k: String, $b: JobBackoffInput) {
  enqueue(
    queue: $q
    payload: $p
    delaySeconds: $d
    priority: $pr
    key: $k
    backoff: $b
  ) {
    ...QueuesFeaturesJob
  }
}
    fragment QueuesFeaturesJob on Job {
  id
  payload
  attempts
  state
  priority
  runAt
  progress
  result
  failedReason
  key
}`) as unknown as TypedDocumentString<QueuesFeaturesEnqueueMutation, QueuesFeaturesEnqueueMutationVariables>;
export const QueuesFeaturesDequeueDocument = new TypedDocumentString(`
    mutation QueuesFeaturesDequeue($q: String!, $t: Float) {
  dequeue(queue: $q, timeoutSeconds: $t) {
    ...QueuesFeaturesJob
  }
}
    fragment QueuesFeaturesJob on Job {
  id
  payload
  attempts
  state
  priority
  runAt
  progress
  result
  failedReason
  key
}`) as unknown as TypedDocumentString<QueuesFeaturesDequeueMutation, QueuesFeaturesDequeueMutationVariables>;
export const QueuesFeaturesAckDocument = new TypedDocumentString(`
    mutation QueuesFeaturesAck($q: String!, $id: ID!, $r: JSON) {
  ackJob(queue: $q, id: $id, result: $r)
}
    `) as unknown as TypedDocumentString<QueuesFeaturesAckMutation, QueuesFeaturesAckMutationVariables>;
export const QueuesFeaturesFailDocument = new TypedDocumentString(`
    mutation QueuesFeaturesFail($q: String!, $id: ID!, $why: String) {
  failJob(queue: $q, id: $id, reason: $why)
}
    `) as unknown as TypedDocumentString<QueuesFeaturesFailMutation, QueuesFeaturesFailMutationVariables>;
export const QueuesFeaturesProgressDocument = new TypedDocumentString(`
    mutation QueuesFeaturesProgress($q: String!, $id: ID!, $p: JSON!) {
  reportJobProgress(queue: $q, id: $id, progress: $p)
}
    `) as unknown as TypedDocumentString<QueuesFeaturesProgressMutation, QueuesFeaturesProgressMutationVariables>;
export const QueuesFeaturesJobRecordDocument = new TypedDocumentString(`
    query QueuesFeaturesJobRecord($q: String!, $id: ID!) {
  job(queue: $q, id: $id) {
    ...QueuesFeaturesJob
  }
}
    fragment QueuesFeaturesJob on Job {
  id
  payload
  attempts
  state
  priority
  runAt
  progress
  result
  failedReason
  key
}`) as unknown as TypedDocumentString<QueuesFeaturesJobRecordQuery, QueuesFeaturesJobRecordQueryVariables>;
export const QueuesFeaturesUpdatesDocument = new TypedDocumentString(`
    subscription QueuesFeaturesUpdates($q: String!, $id: ID!) {
  jobUpdates(queue: $q, id: $id) {
    ...QueuesFeaturesJob
  }
}
    fragment QueuesFeaturesJob on Job {
  id
  payload
  attempts
  state
  priority
  runAt
  progress
  result
  failedReason
  key
}`) as unknown as TypedDocumentString<QueuesFeaturesUpdatesSubscription, QueuesFeaturesUpdatesSubscriptionVariables>;
export const QueuesFeaturesJobsDocument = new TypedDocumentString(`
    subscription QueuesFeaturesJobs($q: String!, $c: Int) {
  jobs(queue: $q, concurrency: $c) {
    ...QueuesFeaturesJob
  }
}
    fragment QueuesFeaturesJob on Job {
  id
  payload
  attempts
  state
  priority
  runAt
  progress
  result
  failedReason
  key
}`) as unknown as TypedDocumentString<QueuesFeaturesJobsSubscription, QueuesFeaturesJobsSubscriptionVariables>;
export const QueuesFeaturesStatsDocument = new TypedDocumentString(`
    query QueuesFeaturesStats($q: String!) {
  queueStats(queue: $q) {
    waiting
    processing
    dead
    delayed
    paused
  }
}
    `) as unknown as TypedDocumentString<QueuesFeaturesStatsQuery, QueuesFeaturesStatsQueryVariables>;
export const QueuesFeaturesPauseDocument = new TypedDocumentString(`
    mutation QueuesFeaturesPause($q: String!) {
  pauseQueue(queue: $q)
}
    `) as unknown as TypedDocumentString<QueuesFeaturesPauseMutation, QueuesFeaturesPauseMutationVariables>;
export const QueuesFeaturesResumeDocument = new TypedDocumentString(`
    mutation QueuesFeaturesResume($q: String!) {
  resumeQueue(queue: $q)
}
    `) as unknown as TypedDocumentString<QueuesFeaturesResumeMutation, QueuesFeaturesResumeMutationVariables>;
export const RateLimitSetDocument = new TypedDocumentString(`
    mutation RateLimitSet($q: String!, $max: Int!, $ms: Int!) {
  setQueueRateLimit(queue: $q, max: $max, durationMs: $ms) {
    queue
    max
    durationMs
  }
}
    `) as unknown as TypedDocumentString<RateLimitSetMutation, RateLimitSetMutationVariables>;
export const RateLimitClearDocument = new TypedDocumentString(`
    mutation RateLimitClear($q: String!) {
  clearQueueRateLimit(queue: $q)
}
    `) as unknown as TypedDocumentString<RateLimitClearMutation, RateLimitClearMutationVariables>;
export const RateLimitStatsDocument = new TypedDocumentString(`
    query RateLimitStats($q: String!) {
  queueStats(queue: $q) {
    waiting
    processing
    paused
    rateLimit {
      max
      durationMs
    }
  }
}
    `) as unknown as TypedDocumentString<RateLimitStatsQuery, RateLimitStatsQueryVariables>;
export const RateLimitEnqueueDocument = new TypedDocumentString(`
    mutation RateLimitEnqueue($q: String!, $p: JSON!) {
  enqueue(queue: $q, payload: $p) {
    id
  }
}
    `) as unknown as TypedDocumentString<RateLimitEnqueueMutation, RateLimitEnqueueMutationVariables>;
export const RateLimitDequeueDocument = new TypedDocumentString(`
    mutation RateLimitDequeue($q: String!, $t: Float) {
  dequeue(queue: $q, timeoutSeconds: $t) {
    id
    payload
  }
}
    `) as unknown as TypedDocumentString<RateLimitDequeueMutation, RateLimitDequeueMutationVariables>;
export const RateLimitAckDocument = new TypedDocumentString(`
    mutation RateLimitAck($q: String!, $id: ID!) {
  ackJob(queue: $q, id: $id)
}
    `) as unknown as TypedDocumentString<RateLimitAckMutation, RateLimitAckMutationVariables>;
export const RateLimitJobsDocument = new TypedDocumentString(`
    subscription RateLimitJobs($q: String!, $c: Int) {
  jobs(queue: $q, concurrency: $c) {
    id
    payload
  }
}
    `) as unknown as TypedDocumentString<RateLimitJobsSubscription, RateLimitJobsSubscriptionVariables>;
export const RateLimitPauseDocument = new TypedDocumentString(`
    mutation RateLimitPause($q: String!) {
  pauseQueue(queue: $q)
}
    `) as unknown as TypedDocumentString<RateLimitPauseMutation, RateLimitPauseMutationVariables>;
export const RateLimitResumeDocument = new TypedDocumentString(`
    mutation RateLimitResume($q: String!) {
  resumeQueue(queue: $q)
}
    `) as unknown as TypedDocumentString<RateLimitResumeMutation, RateLimitResumeMutationVariables>;
export const StreamsLiveFollowDocument = new TypedDocumentString(`
    subscription StreamsLiveFollow($stream: String!, $after: String) {
  events(stream: $stream, after: $after) {
    id
    stream
    data
  }
}
    `) as unknown as TypedDocumentString<StreamsLiveFollowSubscription, StreamsLiveFollowSubscriptionVariables>;
export const StreamsAddDocument = new TypedDocumentString(`
    mutation StreamsAdd($stream: String!, $data: JSON!, $maxLength: Int) {
  addEvent(stream: $stream, data: $data, maxLength: $maxLength) {
    id
    stream
    data
  }
}
    `) as unknown as TypedDocumentString<StreamsAddMutation, StreamsAddMutationVariables>;
export const StreamsPageDocument = new TypedDocumentString(`
    query StreamsPage($stream: String!, $first: Int, $after: String, $last: Int, $before: String) {
  events(
    stream: $stream
    first: $first
    after: $after
    last: $last
    before: $before
  ) {
    edges {
      cursor
      node {
        id
        stream
        data
      }
    }
    pageInfo {
      hasNextPage
      hasPreviousPage
      startCursor
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<StreamsPageQuery, StreamsPageQueryVariables>;
export const TestSignUpDocument = new TypedDocumentString(`
    mutation TestSignUp($u: String!, $p: String!) {
  signUp(username: $u, password: $p) {
    token
    user {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<TestSignUpMutation, TestSignUpMutationVariables>;
export const TestSignInDocument = new TypedDocumentString(`
    mutation TestSignIn($u: String!, $p: String!) {
  signIn(username: $u, password: $p) {
    token
    user {
      id
      username
    }
  }
}
    `) as unknown as TypedDocumentString<TestSignInMutation, TestSignInMutationVariables>;
export const TestSignOutDocument = new TypedDocumentString(`
    mutation TestSignOut {
  signOut
}
    `) as unknown as TypedDocumentString<TestSignOutMutation, TestSignOutMutationVariables>;
export const TestMeDocument = new TypedDocumentString(`
    query TestMe {
  me {
    id
    username
  }
}
    `) as unknown as TypedDocumentString<TestMeQuery, TestMeQueryVariables>;
export const TestSendDocument = new TypedDocumentString(`
    mutation TestSend($roomId: ID!, $text: String!) {
  sendMessage(roomId: $roomId, text: $text) {
    id
  }
}
    `) as unknown as TypedDocumentString<TestSendMutation, TestSendMutationVariables>;
export const TestMessageAddedDocument = new TypedDocumentString(`
    subscription TestMessageAdded($roomId: ID, $after: String) {
  messageAdded(roomId: $roomId, after: $after) {
    id
  }
}
    `) as unknown as TypedDocumentString<TestMessageAddedSubscription, TestMessageAddedSubscriptionVariables>;
export const TestOpenRoomDocument = new TypedDocumentString(`
    mutation TestOpenRoom($userId: ID!) {
  openPrivateRoom(userId: $userId) {
    id
  }
}
    `) as unknown as TypedDocumentString<TestOpenRoomMutation, TestOpenRoomMutationVariables>;
export const TestMessageAddedTextDocument = new TypedDocumentString(`
    subscription TestMessageAddedText($roomId: ID, $after: String) {
  messageAdded(roomId: $roomId, after: $after) {
    id
    roomId
    text
    from {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<TestMessageAddedTextSubscription, TestMessageAddedTextSubscriptionVariables>;
export const TestPresenceDocument = new TypedDocumentString(`
    subscription TestPresence {
  presence {
    online
    user {
      id
      username
    }
  }
}
    `) as unknown as TypedDocumentString<TestPresenceSubscription, TestPresenceSubscriptionVariables>;
export const TestOnlineUsersDocument = new TypedDocumentString(`
    query TestOnlineUsers {
  onlineUsers {
    id
    online
  }
}
    `) as unknown as TypedDocumentString<TestOnlineUsersQuery, TestOnlineUsersQueryVariables>;
export const TestPublishDocument = new TypedDocumentString(`
    mutation TestPublish($channel: String!, $message: JSON!) {
  publish(channel: $channel, message: $message)
}
    `) as unknown as TypedDocumentString<TestPublishMutation, TestPublishMutationVariables>;
export const TestChannelDocument = new TypedDocumentString(`
    subscription TestChannel($name: String!) {
  channel(name: $name) {
    message
  }
}
    `) as unknown as TypedDocumentString<TestChannelSubscription, TestChannelSubscriptionVariables>;
export const TestChannelNamedDocument = new TypedDocumentString(`
    subscription TestChannelNamed($name: String!) {
  channel(name: $name) {
    channel
    message
  }
}
    `) as unknown as TypedDocumentString<TestChannelNamedSubscription, TestChannelNamedSubscriptionVariables>;
export const TestPatternDocument = new TypedDocumentString(`
    subscription TestPattern($p: String!) {
  channelPattern(pattern: $p) {
    channel
    message
  }
}
    `) as unknown as TypedDocumentString<TestPatternSubscription, TestPatternSubscriptionVariables>;
export const TestAddEventDocument = new TypedDocumentString(`
    mutation TestAddEvent($stream: String!, $data: JSON!) {
  addEvent(stream: $stream, data: $data) {
    id
  }
}
    `) as unknown as TypedDocumentString<TestAddEventMutation, TestAddEventMutationVariables>;
export const TestEventsDocument = new TypedDocumentString(`
    subscription TestEvents($stream: String!, $after: String) {
  events(stream: $stream, after: $after) {
    id
  }
}
    `) as unknown as TypedDocumentString<TestEventsSubscription, TestEventsSubscriptionVariables>;
export const TestFollowDocument = new TypedDocumentString(`
    subscription TestFollow($stream: String!, $after: String) {
  events(stream: $stream, after: $after) {
    id
    data
  }
}
    `) as unknown as TypedDocumentString<TestFollowSubscription, TestFollowSubscriptionVariables>;
export const TestPendingEventsDocument = new TypedDocumentString(`
    query TestPendingEvents($stream: String!, $group: String!) {
  pendingEvents(stream: $stream, group: $group) {
    id
    consumer
    idleMs
    deliveries
  }
}
    `) as unknown as TypedDocumentString<TestPendingEventsQuery, TestPendingEventsQueryVariables>;
export const TestCreateGroupDocument = new TypedDocumentString(`
    mutation TestCreateGroup($stream: String!, $group: String!, $startId: String) {
  createConsumerGroup(stream: $stream, group: $group, startId: $startId)
}
    `) as unknown as TypedDocumentString<TestCreateGroupMutation, TestCreateGroupMutationVariables>;
export const TestGroupEventsDocument = new TypedDocumentString(`
    subscription TestGroupEvents($stream: String!, $group: String!, $consumer: String!) {
  groupEvents(stream: $stream, group: $group, consumer: $consumer) {
    id
    data
  }
}
    `) as unknown as TypedDocumentString<TestGroupEventsSubscription, TestGroupEventsSubscriptionVariables>;
export const TestAckEventsDocument = new TypedDocumentString(`
    mutation TestAckEvents($stream: String!, $group: String!, $ids: [ID!]!) {
  ackEvents(stream: $stream, group: $group, ids: $ids)
}
    `) as unknown as TypedDocumentString<TestAckEventsMutation, TestAckEventsMutationVariables>;
export const TestEnqueueDocument = new TypedDocumentString(`
    mutation TestEnqueue($q: String!, $p: JSON!, $priority: JobPriority) {
  enqueue(queue: $q, payload: $p, priority: $priority) {
    id
    queue
    payload
    attempts
  }
}
    `) as unknown as TypedDocumentString<TestEnqueueMutation, TestEnqueueMutationVariables>;
export const TestDequeueDocument = new TypedDocumentString(`
    mutation TestDequeue($q: String!, $t: Float) {
  dequeue(queue: $q, timeoutSeconds: $t) {
    id
    queue
    payload
    attempts
  }
}
    `) as unknown as TypedDocumentString<TestDequeueMutation, TestDequeueMutationVariables>;
export const TestAckJobDocument = new TypedDocumentString(`
    mutation TestAckJob($q: String!, $id: ID!) {
  ackJob(queue: $q, id: $id)
}
    `) as unknown as TypedDocumentString<TestAckJobMutation, TestAckJobMutationVariables>;
export const TestJobsDocument = new TypedDocumentString(`
    subscription TestJobs($q: String!) {
  jobs(queue: $q) {
    id
    queue
    payload
    attempts
  }
}
    `) as unknown as TypedDocumentString<TestJobsSubscription, TestJobsSubscriptionVariables>;
export const TestQueueStatsDocument = new TypedDocumentString(`
    query TestQueueStats($q: String!) {
  queueStats(queue: $q) {
    waiting
    processing
    dead
  }
}
    `) as unknown as TypedDocumentString<TestQueueStatsQuery, TestQueueStatsQueryVariables>;
export const TestDeadJobsDocument = new TypedDocumentString(`
    query TestDeadJobs($q: String!) {
  deadJobs(queue: $q) {
    id
    queue
    payload
    attempts
  }
}
    `) as unknown as TypedDocumentString<TestDeadJobsQuery, TestDeadJobsQueryVariables>;
export const TestQueueLengthStatsDocument = new TypedDocumentString(`
    query TestQueueLengthStats($q: String!) {
  queueLength(queue: $q)
  queueStats(queue: $q) {
    waiting
    processing
    dead
  }
}
    `) as unknown as TypedDocumentString<TestQueueLengthStatsQuery, TestQueueLengthStatsQueryVariables>;