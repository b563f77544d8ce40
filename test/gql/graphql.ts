/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
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


export type TestEnqueueMutation = { enqueue: { id: string, payload: unknown, attempts: number } };

export type TestDequeueMutationVariables = Exact<{
  q: string;
  t?: number | null | undefined;
}>;


export type TestDequeueMutation = { dequeue: { id: string, payload: unknown, attempts: number } | null };

export type TestAckJobMutationVariables = Exact<{
  q: string;
  id: string | number;
}>;


export type TestAckJobMutation = { ackJob: boolean };

export type TestJobsSubscriptionVariables = Exact<{
  q: string;
}>;


export type TestJobsSubscription = { jobs: { id: string, payload: unknown, attempts: number } };

export type TestQueueStatsQueryVariables = Exact<{
  q: string;
}>;


export type TestQueueStatsQuery = { queueStats: { waiting: number, processing: number, dead: number } };

export type TestDeadJobsQueryVariables = Exact<{
  q: string;
}>;


export type TestDeadJobsQuery = { deadJobs: Array<{ id: string, payload: unknown, attempts: number }> };

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
    payload
    attempts
  }
}
    `) as unknown as TypedDocumentString<TestEnqueueMutation, TestEnqueueMutationVariables>;
export const TestDequeueDocument = new TypedDocumentString(`
    mutation TestDequeue($q: String!, $t: Float) {
  dequeue(queue: $q, timeoutSeconds: $t) {
    id
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
    payload
    attempts
  }
}
    `) as unknown as TypedDocumentString<TestDeadJobsQuery, TestDeadJobsQueryVariables>;