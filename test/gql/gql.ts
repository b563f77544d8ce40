/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  subscription LiveSharingWeb($after: String) {\n    messageAdded(after: $after) {\n      id\n      roomId\n      text\n      mine\n      from {\n        id\n        username\n        online\n      }\n    }\n  }\n": typeof types.LiveSharingWebDocument,
    "\n  mutation LiveSharingOpen($userId: ID!) {\n    openPrivateRoom(userId: $userId) {\n      id\n    }\n  }\n": typeof types.LiveSharingOpenDocument,
    "\n  subscription LiveSharingOnline {\n    messageAdded(roomId: \"0\") {\n      text\n      from {\n        username\n        online\n      }\n    }\n  }\n": typeof types.LiveSharingOnlineDocument,
    "\n  subscription LiveSharingPresence {\n    presence {\n      online\n    }\n  }\n": typeof types.LiveSharingPresenceDocument,
    "\n  query LiveSharingOnlineUsers {\n    onlineUsers {\n      id\n    }\n  }\n": typeof types.LiveSharingOnlineUsersDocument,
    "\n  query DeadLettersView($q: String!) {\n    deadJobs(queue: $q, first: 100) {\n      id\n      attempts\n      payload\n    }\n    queueStats(queue: $q) {\n      waiting\n      processing\n      dead\n    }\n  }\n": typeof types.DeadLettersViewDocument,
    "\n  mutation DeadLettersRetry($q: String!, $ids: [ID!]!) {\n    retryDeadJobs(queue: $q, ids: $ids)\n  }\n": typeof types.DeadLettersRetryDocument,
    "\n  mutation DeadLettersPurge($q: String!) {\n    purgeDeadJobs(queue: $q)\n  }\n": typeof types.DeadLettersPurgeDocument,
    "\n  query DeadLettersJob($q: String!, $id: ID!) {\n    job(queue: $q, id: $id) {\n      state\n      attempts\n    }\n  }\n": typeof types.DeadLettersJobDocument,
    "\n  query DeadLettersAge($q: String!) {\n    queueStats(queue: $q) {\n      waiting\n      oldestWaitingAgeMs\n    }\n  }\n": typeof types.DeadLettersAgeDocument,
    "\n  mutation StreamsAdd($stream: String!, $data: JSON!, $maxLength: Int) {\n    addEvent(stream: $stream, data: $data, maxLength: $maxLength) {\n      id\n      stream\n      data\n    }\n  }\n": typeof types.StreamsAddDocument,
    "\n  query StreamsPage($stream: String!, $first: Int, $after: String, $last: Int, $before: String) {\n    events(stream: $stream, first: $first, after: $after, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          stream\n          data\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": typeof types.StreamsPageDocument,
    "\n  mutation TestSignUp($u: String!, $p: String!) {\n    signUp(username: $u, password: $p) {\n      token\n      user {\n        id\n      }\n    }\n  }\n": typeof types.TestSignUpDocument,
    "\n  mutation TestSignIn($u: String!, $p: String!) {\n    signIn(username: $u, password: $p) {\n      token\n      user {\n        id\n        username\n      }\n    }\n  }\n": typeof types.TestSignInDocument,
    "\n  mutation TestSignOut {\n    signOut\n  }\n": typeof types.TestSignOutDocument,
    "\n  query TestMe {\n    me {\n      id\n      username\n    }\n  }\n": typeof types.TestMeDocument,
    "\n  mutation TestSend($roomId: ID!, $text: String!) {\n    sendMessage(roomId: $roomId, text: $text) {\n      id\n    }\n  }\n": typeof types.TestSendDocument,
    "\n  subscription TestMessageAdded($roomId: ID, $after: String) {\n    messageAdded(roomId: $roomId, after: $after) {\n      id\n    }\n  }\n": typeof types.TestMessageAddedDocument,
    "\n  mutation TestPublish($channel: String!, $message: JSON!) {\n    publish(channel: $channel, message: $message)\n  }\n": typeof types.TestPublishDocument,
    "\n  subscription TestChannel($name: String!) {\n    channel(name: $name) {\n      message\n    }\n  }\n": typeof types.TestChannelDocument,
    "\n  subscription TestChannelNamed($name: String!) {\n    channel(name: $name) {\n      channel\n      message\n    }\n  }\n": typeof types.TestChannelNamedDocument,
    "\n  subscription TestPattern($p: String!) {\n    channelPattern(pattern: $p) {\n      channel\n      message\n    }\n  }\n": typeof types.TestPatternDocument,
    "\n  mutation TestAddEvent($stream: String!, $data: JSON!) {\n    addEvent(stream: $stream, data: $data) {\n      id\n    }\n  }\n": typeof types.TestAddEventDocument,
    "\n  subscription TestEvents($stream: String!, $after: String) {\n    events(stream: $stream, after: $after) {\n      id\n    }\n  }\n": typeof types.TestEventsDocument,
    "\n  subscription TestFollow($stream: String!, $after: String) {\n    events(stream: $stream, after: $after) {\n      id\n      data\n    }\n  }\n": typeof types.TestFollowDocument,
    "\n  query TestPendingEvents($stream: String!, $group: String!) {\n    pendingEvents(stream: $stream, group: $group) {\n      id\n      consumer\n      idleMs\n      deliveries\n    }\n  }\n": typeof types.TestPendingEventsDocument,
    "\n  mutation TestCreateGroup($stream: String!, $group: String!, $startId: String) {\n    createConsumerGroup(stream: $stream, group: $group, startId: $startId)\n  }\n": typeof types.TestCreateGroupDocument,
    "\n  subscription TestGroupEvents($stream: String!, $group: String!, $consumer: String!) {\n    groupEvents(stream: $stream, group: $group, consumer: $consumer) {\n      id\n      data\n    }\n  }\n": typeof types.TestGroupEventsDocument,
    "\n  mutation TestAckEvents($stream: String!, $group: String!, $ids: [ID!]!) {\n    ackEvents(stream: $stream, group: $group, ids: $ids)\n  }\n": typeof types.TestAckEventsDocument,
    "\n  mutation TestEnqueue($q: String!, $p: JSON!, $priority: JobPriority) {\n    enqueue(queue: $q, payload: $p, priority: $priority) {\n      id\n      payload\n      attempts\n    }\n  }\n": typeof types.TestEnqueueDocument,
    "\n  mutation TestDequeue($q: String!, $t: Float) {\n    dequeue(queue: $q, timeoutSeconds: $t) {\n      id\n      payload\n      attempts\n    }\n  }\n": typeof types.TestDequeueDocument,
    "\n  mutation TestAckJob($q: String!, $id: ID!) {\n    ackJob(queue: $q, id: $id)\n  }\n": typeof types.TestAckJobDocument,
    "\n  subscription TestJobs($q: String!) {\n    jobs(queue: $q) {\n      id\n      payload\n      attempts\n    }\n  }\n": typeof types.TestJobsDocument,
    "\n  query TestQueueStats($q: String!) {\n    queueStats(queue: $q) {\n      waiting\n      processing\n      dead\n    }\n  }\n": typeof types.TestQueueStatsDocument,
    "\n  query TestDeadJobs($q: String!) {\n    deadJobs(queue: $q) {\n      id\n      payload\n      attempts\n    }\n  }\n": typeof types.TestDeadJobsDocument,
};
const documents: Documents = {
    "\n  subscription LiveSharingWeb($after: String) {\n    messageAdded(after: $after) {\n      id\n      roomId\n      text\n      mine\n      from {\n        id\n        username\n        online\n      }\n    }\n  }\n": types.LiveSharingWebDocument,
    "\n  mutation LiveSharingOpen($userId: ID!) {\n    openPrivateRoom(userId: $userId) {\n      id\n    }\n  }\n": types.LiveSharingOpenDocument,
    "\n  subscription LiveSharingOnline {\n    messageAdded(roomId: \"0\") {\n      text\n      from {\n        username\n        online\n      }\n    }\n  }\n": types.LiveSharingOnlineDocument,
    "\n  subscription LiveSharingPresence {\n    presence {\n      online\n    }\n  }\n": types.LiveSharingPresenceDocument,
    "\n  query LiveSharingOnlineUsers {\n    onlineUsers {\n      id\n    }\n  }\n": types.LiveSharingOnlineUsersDocument,
    "\n  query DeadLettersView($q: String!) {\n    deadJobs(queue: $q, first: 100) {\n      id\n      attempts\n      payload\n    }\n    queueStats(queue: $q) {\n      waiting\n      processing\n      dead\n    }\n  }\n": types.DeadLettersViewDocument,
    "\n  mutation DeadLettersRetry($q: String!, $ids: [ID!]!) {\n    retryDeadJobs(queue: $q, ids: $ids)\n  }\n": types.DeadLettersRetryDocument,
    "\n  mutation DeadLettersPurge($q: String!) {\n    purgeDeadJobs(queue: $q)\n  }\n": types.DeadLettersPurgeDocument,
    "\n  query DeadLettersJob($q: String!, $id: ID!) {\n    job(queue: $q, id: $id) {\n      state\n      attempts\n    }\n  }\n": types.DeadLettersJobDocument,
    "\n  query DeadLettersAge($q: String!) {\n    queueStats(queue: $q) {\n      waiting\n      oldestWaitingAgeMs\n    }\n  }\n": types.DeadLettersAgeDocument,
    "\n  mutation StreamsAdd($stream: String!, $data: JSON!, $maxLength: Int) {\n    addEvent(stream: $stream, data: $data, maxLength: $maxLength) {\n      id\n      stream\n      data\n    }\n  }\n": types.StreamsAddDocument,
    "\n  query StreamsPage($stream: String!, $first: Int, $after: String, $last: Int, $before: String) {\n    events(stream: $stream, first: $first, after: $after, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          stream\n          data\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": types.StreamsPageDocument,
    "\n  mutation TestSignUp($u: String!, $p: String!) {\n    signUp(username: $u, password: $p) {\n      token\n      user {\n        id\n      }\n    }\n  }\n": types.TestSignUpDocument,
    "\n  mutation TestSignIn($u: String!, $p: String!) {\n    signIn(username: $u, password: $p) {\n      token\n      user {\n        id\n        username\n      }\n    }\n  }\n": types.TestSignInDocument,
    "\n  mutation TestSignOut {\n    signOut\n  }\n": types.TestSignOutDocument,
    "\n  query TestMe {\n    me {\n      id\n      username\n    }\n  }\n": types.TestMeDocument,
    "\n  mutation TestSend($roomId: ID!, $text: String!) {\n    sendMessage(roomId: $roomId, text: $text) {\n      id\n    }\n  }\n": types.TestSendDocument,
    "\n  subscription TestMessageAdded($roomId: ID, $after: String) {\n    messageAdded(roomId: $roomId, after: $after) {\n      id\n    }\n  }\n": types.TestMessageAddedDocument,
    "\n  mutation TestPublish($channel: String!, $message: JSON!) {\n    publish(channel: $channel, message: $message)\n  }\n": types.TestPublishDocument,
    "\n  subscription TestChannel($name: String!) {\n    channel(name: $name) {\n      message\n    }\n  }\n": types.TestChannelDocument,
    "\n  subscription TestChannelNamed($name: String!) {\n    channel(name: $name) {\n      channel\n      message\n    }\n  }\n": types.TestChannelNamedDocument,
    "\n  subscription TestPattern($p: String!) {\n    channelPattern(pattern: $p) {\n      channel\n      message\n    }\n  }\n": types.TestPatternDocument,
    "\n  mutation TestAddEvent($stream: String!, $data: JSON!) {\n    addEvent(stream: $stream, data: $data) {\n      id\n    }\n  }\n": types.TestAddEventDocument,
    "\n  subscription TestEvents($stream: String!, $after: String) {\n    events(stream: $stream, after: $after) {\n      id\n    }\n  }\n": types.TestEventsDocument,
    "\n  subscription TestFollow($stream: String!, $after: String) {\n    events(stream: $stream, after: $after) {\n      id\n      data\n    }\n  }\n": types.TestFollowDocument,
    "\n  query TestPendingEvents($stream: String!, $group: String!) {\n    pendingEvents(stream: $stream, group: $group) {\n      id\n      consumer\n      idleMs\n      deliveries\n    }\n  }\n": types.TestPendingEventsDocument,
    "\n  mutation TestCreateGroup($stream: String!, $group: String!, $startId: String) {\n    createConsumerGroup(stream: $stream, group: $group, startId: $startId)\n  }\n": types.TestCreateGroupDocument,
    "\n  subscription TestGroupEvents($stream: String!, $group: String!, $consumer: String!) {\n    groupEvents(stream: $stream, group: $group, consumer: $consumer) {\n      id\n      data\n    }\n  }\n": types.TestGroupEventsDocument,
    "\n  mutation TestAckEvents($stream: String!, $group: String!, $ids: [ID!]!) {\n    ackEvents(stream: $stream, group: $group, ids: $ids)\n  }\n": types.TestAckEventsDocument,
    "\n  mutation TestEnqueue($q: String!, $p: JSON!, $priority: JobPriority) {\n    enqueue(queue: $q, payload: $p, priority: $priority) {\n      id\n      payload\n      attempts\n    }\n  }\n": types.TestEnqueueDocument,
    "\n  mutation TestDequeue($q: String!, $t: Float) {\n    dequeue(queue: $q, timeoutSeconds: $t) {\n      id\n      payload\n      attempts\n    }\n  }\n": types.TestDequeueDocument,
    "\n  mutation TestAckJob($q: String!, $id: ID!) {\n    ackJob(queue: $q, id: $id)\n  }\n": types.TestAckJobDocument,
    "\n  subscription TestJobs($q: String!) {\n    jobs(queue: $q) {\n      id\n      payload\n      attempts\n    }\n  }\n": types.TestJobsDocument,
    "\n  query TestQueueStats($q: String!) {\n    queueStats(queue: $q) {\n      waiting\n      processing\n      dead\n    }\n  }\n": types.TestQueueStatsDocument,
    "\n  query TestDeadJobs($q: String!) {\n    deadJobs(queue: $q) {\n      id\n      payload\n      attempts\n    }\n  }\n": types.TestDeadJobsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LiveSharingWeb($after: String) {\n    messageAdded(after: $after) {\n      id\n      roomId\n      text\n      mine\n      from {\n        id\n        username\n        online\n      }\n    }\n  }\n"): typeof import('./graphql.js').LiveSharingWebDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LiveSharingOpen($userId: ID!) {\n    openPrivateRoom(userId: $userId) {\n      id\n    }\n  }\n"): typeof import('./graphql.js').LiveSharingOpenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LiveSharingOnline {\n    messageAdded(roomId: \"0\") {\n      text\n      from {\n        username\n        online\n      }\n    }\n  }\n"): typeof import('./graphql.js').LiveSharingOnlineDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LiveSharingPresence {\n    presence {\n      online\n    }\n  }\n"): typeof import('./graphql.js').LiveSharingPresenceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LiveSharingOnlineUsers {\n    onlineUsers {\n      id\n    }\n  }\n"): typeof import('./graphql.js').LiveSharingOnlineUsersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeadLettersView($q: String!) {\n    deadJobs(queue: $q, first: 100) {\n      id\n      attempts\n      payload\n    }\n    queueStats(queue: $q) {\n      waiting\n      processing\n      dead\n    }\n  }\n"): typeof import('./graphql.js').DeadLettersViewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeadLettersRetry($q: String!, $ids: [ID!]!) {\n    retryDeadJobs(queue: $q, ids: $ids)\n  }\n"): typeof import('./graphql.js').DeadLettersRetryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeadLettersPurge($q: String!) {\n    purgeDeadJobs(queue: $q)\n  }\n"): typeof import('./graphql.js').DeadLettersPurgeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeadLettersJob($q: String!, $id: ID!) {\n    job(queue: $q, id: $id) {\n      state\n      attempts\n    }\n  }\n"): typeof import('./graphql.js').DeadLettersJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeadLettersAge($q: String!) {\n    queueStats(queue: $q) {\n      waiting\n      oldestWaitingAgeMs\n    }\n  }\n"): typeof import('./graphql.js').DeadLettersAgeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StreamsAdd($stream: String!, $data: JSON!, $maxLength: Int) {\n    addEvent(stream: $stream, data: $data, maxLength: $maxLength) {\n      id\n      stream\n      data\n    }\n  }\n"): typeof import('./graphql.js').StreamsAddDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StreamsPage($stream: String!, $first: Int, $after: String, $last: Int, $before: String) {\n    events(stream: $stream, first: $first, after: $after, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          stream\n          data\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n"): typeof import('./graphql.js').StreamsPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestSignUp($u: String!, $p: String!) {\n    signUp(username: $u, password: $p) {\n      token\n      user {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql.js').TestSignUpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestSignIn($u: String!, $p: String!) {\n    signIn(username: $u, password: $p) {\n      token\n      user {\n        id\n        username\n      }\n    }\n  }\n"): typeof import('./graphql.js').TestSignInDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestSignOut {\n    signOut\n  }\n"): typeof import('./graphql.js').TestSignOutDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TestMe {\n    me {\n      id\n      username\n    }\n  }\n"): typeof import('./graphql.js').TestMeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestSend($roomId: ID!, $text: String!) {\n    sendMessage(roomId: $roomId, text: $text) {\n      id\n    }\n  }\n"): typeof import('./graphql.js').TestSendDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TestMessageAdded($roomId: ID, $after: String) {\n    messageAdded(roomId: $roomId, after: $after) {\n      id\n    }\n  }\n"): typeof import('./graphql.js').TestMessageAddedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestPublish($channel: String!, $message: JSON!) {\n    publish(channel: $channel, message: $message)\n  }\n"): typeof import('./graphql.js').TestPublishDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TestChannel($name: String!) {\n    channel(name: $name) {\n      message\n    }\n  }\n"): typeof import('./graphql.js').TestChannelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TestChannelNamed($name: String!) {\n    channel(name: $name) {\n      channel\n      message\n    }\n  }\n"): typeof import('./graphql.js').TestChannelNamedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TestPattern($p: String!) {\n    channelPattern(pattern: $p) {\n      channel\n      message\n    }\n  }\n"): typeof import('./graphql.js').TestPatternDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestAddEvent($stream: String!, $data: JSON!) {\n    addEvent(stream: $stream, data: $data) {\n      id\n    }\n  }\n"): typeof import('./graphql.js').TestAddEventDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TestEvents($stream: String!, $after: String) {\n    events(stream: $stream, after: $after) {\n      id\n    }\n  }\n"): typeof import('./graphql.js').TestEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TestFollow($stream: String!, $after: String) {\n    events(stream: $stream, after: $after) {\n      id\n      data\n    }\n  }\n"): typeof import('./graphql.js').TestFollowDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TestPendingEvents($stream: String!, $group: String!) {\n    pendingEvents(stream: $stream, group: $group) {\n      id\n      consumer\n      idleMs\n      deliveries\n    }\n  }\n"): typeof import('./graphql.js').TestPendingEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestCreateGroup($stream: String!, $group: String!, $startId: String) {\n    createConsumerGroup(stream: $stream, group: $group, startId: $startId)\n  }\n"): typeof import('./graphql.js').TestCreateGroupDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TestGroupEvents($stream: String!, $group: String!, $consumer: String!) {\n    groupEvents(stream: $stream, group: $group, consumer: $consumer) {\n      id\n      data\n    }\n  }\n"): typeof import('./graphql.js').TestGroupEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestAckEvents($stream: String!, $group: String!, $ids: [ID!]!) {\n    ackEvents(stream: $stream, group: $group, ids: $ids)\n  }\n"): typeof import('./graphql.js').TestAckEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestEnqueue($q: String!, $p: JSON!, $priority: JobPriority) {\n    enqueue(queue: $q, payload: $p, priority: $priority) {\n      id\n      payload\n      attempts\n    }\n  }\n"): typeof import('./graphql.js').TestEnqueueDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestDequeue($q: String!, $t: Float) {\n    dequeue(queue: $q, timeoutSeconds: $t) {\n      id\n      payload\n      attempts\n    }\n  }\n"): typeof import('./graphql.js').TestDequeueDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestAckJob($q: String!, $id: ID!) {\n    ackJob(queue: $q, id: $id)\n  }\n"): typeof import('./graphql.js').TestAckJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TestJobs($q: String!) {\n    jobs(queue: $q) {\n      id\n      payload\n      attempts\n    }\n  }\n"): typeof import('./graphql.js').TestJobsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TestQueueStats($q: String!) {\n    queueStats(queue: $q) {\n      waiting\n      processing\n      dead\n    }\n  }\n"): typeof import('./graphql.js').TestQueueStatsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TestDeadJobs($q: String!) {\n    deadJobs(queue: $q) {\n      id\n      payload\n      attempts\n    }\n  }\n"): typeof import('./graphql.js').TestDeadJobsDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
