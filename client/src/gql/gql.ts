/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

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
    "\n  query Me {\n    me {\n      id\n      username\n      online\n    }\n  }\n": typeof types.MeDocument,
    "\n  mutation SignOut {\n    signOut\n  }\n": typeof types.SignOutDocument,
    "\n  fragment ChatRoom on Room {\n    id\n    name\n    private\n    lastMessage {\n      id\n    }\n    partner {\n      id\n      ...PersonFields\n    }\n    ...RoomFields\n    ...MessagePaneRoom\n  }\n": typeof types.ChatRoomFragmentDoc,
    "\n  query Rooms {\n    rooms {\n      ...ChatRoom\n    }\n  }\n": typeof types.RoomsDocument,
    "\n  query OnlineUsers {\n    onlineUsers {\n      id\n      ...PersonFields\n    }\n  }\n": typeof types.OnlineUsersDocument,
    "\n  mutation OpenPrivateRoom($userId: ID!) {\n    openPrivateRoom(userId: $userId) {\n      id\n      ...ChatRoom\n    }\n  }\n": typeof types.OpenPrivateRoomDocument,
    "\n  subscription MessageAdded($after: String) {\n    messageAdded(after: $after) {\n      id\n      roomId\n      ...MessageFields\n    }\n  }\n": typeof types.MessageAddedDocument,
    "\n  subscription Presence {\n    presence {\n      online\n      user {\n        id\n        ...PersonFields\n      }\n    }\n  }\n": typeof types.PresenceDocument,
    "\n  subscription RoomAdded {\n    roomAdded {\n      id\n      ...ChatRoom\n    }\n  }\n": typeof types.RoomAddedDocument,
    "\n  mutation SendMessage($roomId: ID!, $text: String!) {\n    sendMessage(roomId: $roomId, text: $text) {\n      id\n      roomId\n      ...MessageFields\n    }\n  }\n": typeof types.SendMessageDocument,
    "\n  fragment MessageFields on Message {\n    id\n    roomId\n    text\n    createdAt\n    from {\n      id\n      username\n      online\n    }\n  }\n": typeof types.MessageFieldsFragmentDoc,
    "\n  fragment MessagePaneRoom on Room {\n    id\n    name\n    private\n    partner {\n      id\n      online\n    }\n  }\n": typeof types.MessagePaneRoomFragmentDoc,
    "\n  query RoomMessages($roomId: ID!, $last: Int!, $before: String) {\n    messages(roomId: $roomId, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          from {\n            id\n          }\n          ...MessageFields\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n        hasNextPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": typeof types.RoomMessagesDocument,
    "\n  fragment PersonFields on User {\n    id\n    username\n    online\n  }\n": typeof types.PersonFieldsFragmentDoc,
    "\n  fragment RoomFields on Room {\n    id\n    name\n    private\n    partner {\n      id\n      online\n    }\n    lastMessage {\n      id\n      text\n      createdAt\n      from {\n        id\n        username\n      }\n    }\n  }\n": typeof types.RoomFieldsFragmentDoc,
    "\n  mutation SignIn($username: String!, $password: String!) {\n    signIn(username: $username, password: $password) {\n      token\n      user {\n        id\n        username\n        online\n      }\n    }\n  }\n": typeof types.SignInDocument,
    "\n  mutation SignUp($username: String!, $password: String!) {\n    signUp(username: $username, password: $password) {\n      token\n      user {\n        id\n        username\n        online\n      }\n    }\n  }\n": typeof types.SignUpDocument,
    "\n  fragment MessageEdgeLink on MessageEdge {\n    cursor\n    node {\n      id\n    }\n  }\n": typeof types.MessageEdgeLinkFragmentDoc,
    "\n  fragment ChannelUseRow on ChannelUse {\n    name\n    subscribers\n  }\n": typeof types.ChannelUseRowFragmentDoc,
    "\n  query OpsChannels($pattern: String!) {\n    channels(pattern: $pattern, first: 100) {\n      total\n      truncated\n      channels {\n        name\n        ...ChannelUseRow\n      }\n    }\n  }\n": typeof types.OpsChannelsDocument,
    "\n  fragment InstanceRow on InstanceStats {\n    id\n    startedAt\n    webSockets\n    sseStreams\n    subscriptions\n    deliveries\n    deliveriesPerSecond\n    slowSubscribersDropped\n    denials\n  }\n": typeof types.InstanceRowFragmentDoc,
    "\n  subscription OpsStats {\n    stats {\n      at\n      instance {\n        id\n      }\n      cluster {\n        webSockets\n        sseStreams\n        subscriptions\n        deliveriesPerSecond\n        instances {\n          id\n          ...InstanceRow\n        }\n      }\n    }\n  }\n": typeof types.OpsStatsDocument,
    "\n  query OpsIdentity {\n    me {\n      id\n      username\n    }\n    identity {\n      roles\n    }\n  }\n": typeof types.OpsIdentityDocument,
    "\n  mutation OpsSignOut {\n    signOut\n  }\n": typeof types.OpsSignOutDocument,
    "\n  fragment DeadJobRow on Job {\n    id\n    attempts\n    payload\n  }\n": typeof types.DeadJobRowFragmentDoc,
    "\n  query OpsQueue($queue: String!, $first: Int!) {\n    queueStats(queue: $queue) {\n      queue\n      waiting\n      processing\n      dead\n      delayed\n      oldestWaitingAgeMs\n      rateLimit {\n        max\n        durationMs\n      }\n    }\n    deadJobs(queue: $queue, first: $first) {\n      id\n      ...DeadJobRow\n    }\n  }\n": typeof types.OpsQueueDocument,
    "\n  mutation OpsRetryDeadJobs($queue: String!, $ids: [ID!]!) {\n    retryDeadJobs(queue: $queue, ids: $ids)\n  }\n": typeof types.OpsRetryDeadJobsDocument,
    "\n  mutation OpsPurgeDeadJobs($queue: String!) {\n    purgeDeadJobs(queue: $queue)\n  }\n": typeof types.OpsPurgeDeadJobsDocument,
    "\n  fragment StreamGroupRow on StreamGroupInfo {\n    name\n    consumers\n    pending\n    lag\n    lastDeliveredId\n    consumerDetails {\n      name\n      pending\n      idleMs\n    }\n  }\n": typeof types.StreamGroupRowFragmentDoc,
    "\n  query OpsStream($stream: String!) {\n    streamInfo(stream: $stream) {\n      length\n      firstId\n      lastId\n      groups {\n        name\n        ...StreamGroupRow\n      }\n    }\n  }\n": typeof types.OpsStreamDocument,
};
const documents: Documents = {
    "\n  query Me {\n    me {\n      id\n      username\n      online\n    }\n  }\n": types.MeDocument,
    "\n  mutation SignOut {\n    signOut\n  }\n": types.SignOutDocument,
    "\n  fragment ChatRoom on Room {\n    id\n    name\n    private\n    lastMessage {\n      id\n    }\n    partner {\n      id\n      ...PersonFields\n    }\n    ...RoomFields\n    ...MessagePaneRoom\n  }\n": types.ChatRoomFragmentDoc,
    "\n  query Rooms {\n    rooms {\n      ...ChatRoom\n    }\n  }\n": types.RoomsDocument,
    "\n  query OnlineUsers {\n    onlineUsers {\n      id\n      ...PersonFields\n    }\n  }\n": types.OnlineUsersDocument,
    "\n  mutation OpenPrivateRoom($userId: ID!) {\n    openPrivateRoom(userId: $userId) {\n      id\n      ...ChatRoom\n    }\n  }\n": types.OpenPrivateRoomDocument,
    "\n  subscription MessageAdded($after: String) {\n    messageAdded(after: $after) {\n      id\n      roomId\n      ...MessageFields\n    }\n  }\n": types.MessageAddedDocument,
    "\n  subscription Presence {\n    presence {\n      online\n      user {\n        id\n        ...PersonFields\n      }\n    }\n  }\n": types.PresenceDocument,
    "\n  subscription RoomAdded {\n    roomAdded {\n      id\n      ...ChatRoom\n    }\n  }\n": types.RoomAddedDocument,
    "\n  mutation SendMessage($roomId: ID!, $text: String!) {\n    sendMessage(roomId: $roomId, text: $text) {\n      id\n      roomId\n      ...MessageFields\n    }\n  }\n": types.SendMessageDocument,
    "\n  fragment MessageFields on Message {\n    id\n    roomId\n    text\n    createdAt\n    from {\n      id\n      username\n      online\n    }\n  }\n": types.MessageFieldsFragmentDoc,
    "\n  fragment MessagePaneRoom on Room {\n    id\n    name\n    private\n    partner {\n      id\n      online\n    }\n  }\n": types.MessagePaneRoomFragmentDoc,
    "\n  query RoomMessages($roomId: ID!, $last: Int!, $before: String) {\n    messages(roomId: $roomId, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          from {\n            id\n          }\n          ...MessageFields\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n        hasNextPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": types.RoomMessagesDocument,
    "\n  fragment PersonFields on User {\n    id\n    username\n    online\n  }\n": types.PersonFieldsFragmentDoc,
    "\n  fragment RoomFields on Room {\n    id\n    name\n    private\n    partner {\n      id\n      online\n    }\n    lastMessage {\n      id\n      text\n      createdAt\n      from {\n        id\n        username\n      }\n    }\n  }\n": types.RoomFieldsFragmentDoc,
    "\n  mutation SignIn($username: String!, $password: String!) {\n    signIn(username: $username, password: $password) {\n      token\n      user {\n        id\n        username\n        online\n      }\n    }\n  }\n": types.SignInDocument,
    "\n  mutation SignUp($username: String!, $password: String!) {\n    signUp(username: $username, password: $password) {\n      token\n      user {\n        id\n        username\n        online\n      }\n    }\n  }\n": types.SignUpDocument,
    "\n  fragment MessageEdgeLink on MessageEdge {\n    cursor\n    node {\n      id\n    }\n  }\n": types.MessageEdgeLinkFragmentDoc,
    "\n  fragment ChannelUseRow on ChannelUse {\n    name\n    subscribers\n  }\n": types.ChannelUseRowFragmentDoc,
    "\n  query OpsChannels($pattern: String!) {\n    channels(pattern: $pattern, first: 100) {\n      total\n      truncated\n      channels {\n        name\n        ...ChannelUseRow\n      }\n    }\n  }\n": types.OpsChannelsDocument,
    "\n  fragment InstanceRow on InstanceStats {\n    id\n    startedAt\n    webSockets\n    sseStreams\n    subscriptions\n    deliveries\n    deliveriesPerSecond\n    slowSubscribersDropped\n    denials\n  }\n": types.InstanceRowFragmentDoc,
    "\n  subscription OpsStats {\n    stats {\n      at\n      instance {\n        id\n      }\n      cluster {\n        webSockets\n        sseStreams\n        subscriptions\n        deliveriesPerSecond\n        instances {\n          id\n          ...InstanceRow\n        }\n      }\n    }\n  }\n": types.OpsStatsDocument,
    "\n  query OpsIdentity {\n    me {\n      id\n      username\n    }\n    identity {\n      roles\n    }\n  }\n": types.OpsIdentityDocument,
    "\n  mutation OpsSignOut {\n    signOut\n  }\n": types.OpsSignOutDocument,
    "\n  fragment DeadJobRow on Job {\n    id\n    attempts\n    payload\n  }\n": types.DeadJobRowFragmentDoc,
    "\n  query OpsQueue($queue: String!, $first: Int!) {\n    queueStats(queue: $queue) {\n      queue\n      waiting\n      processing\n      dead\n      delayed\n      oldestWaitingAgeMs\n      rateLimit {\n        max\n        durationMs\n      }\n    }\n    deadJobs(queue: $queue, first: $first) {\n      id\n      ...DeadJobRow\n    }\n  }\n": types.OpsQueueDocument,
    "\n  mutation OpsRetryDeadJobs($queue: String!, $ids: [ID!]!) {\n    retryDeadJobs(queue: $queue, ids: $ids)\n  }\n": types.OpsRetryDeadJobsDocument,
    "\n  mutation OpsPurgeDeadJobs($queue: String!) {\n    purgeDeadJobs(queue: $queue)\n  }\n": types.OpsPurgeDeadJobsDocument,
    "\n  fragment StreamGroupRow on StreamGroupInfo {\n    name\n    consumers\n    pending\n    lag\n    lastDeliveredId\n    consumerDetails {\n      name\n      pending\n      idleMs\n    }\n  }\n": types.StreamGroupRowFragmentDoc,
    "\n  query OpsStream($stream: String!) {\n    streamInfo(stream: $stream) {\n      length\n      firstId\n      lastId\n      groups {\n        name\n        ...StreamGroupRow\n      }\n    }\n  }\n": types.OpsStreamDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      id\n      username\n      online\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      id\n      username\n      online\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOut {\n    signOut\n  }\n"): (typeof documents)["\n  mutation SignOut {\n    signOut\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ChatRoom on Room {\n    id\n    name\n    private\n    lastMessage {\n      id\n    }\n    partner {\n      id\n      ...PersonFields\n    }\n    ...RoomFields\n    ...MessagePaneRoom\n  }\n"): (typeof documents)["\n  fragment ChatRoom on Room {\n    id\n    name\n    private\n    lastMessage {\n      id\n    }\n    partner {\n      id\n      ...PersonFields\n    }\n    ...RoomFields\n    ...MessagePaneRoom\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Rooms {\n    rooms {\n      ...ChatRoom\n    }\n  }\n"): (typeof documents)["\n  query Rooms {\n    rooms {\n      ...ChatRoom\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OnlineUsers {\n    onlineUsers {\n      id\n      ...PersonFields\n    }\n  }\n"): (typeof documents)["\n  query OnlineUsers {\n    onlineUsers {\n      id\n      ...PersonFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OpenPrivateRoom($userId: ID!) {\n    openPrivateRoom(userId: $userId) {\n      id\n      ...ChatRoom\n    }\n  }\n"): (typeof documents)["\n  mutation OpenPrivateRoom($userId: ID!) {\n    openPrivateRoom(userId: $userId) {\n      id\n      ...ChatRoom\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MessageAdded($after: String) {\n    messageAdded(after: $after) {\n      id\n      roomId\n      ...MessageFields\n    }\n  }\n"): (typeof documents)["\n  subscription MessageAdded($after: String) {\n    messageAdded(after: $after) {\n      id\n      roomId\n      ...MessageFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription Presence {\n    presence {\n      online\n      user {\n        id\n        ...PersonFields\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription Presence {\n    presence {\n      online\n      user {\n        id\n        ...PersonFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RoomAdded {\n    roomAdded {\n      id\n      ...ChatRoom\n    }\n  }\n"): (typeof documents)["\n  subscription RoomAdded {\n    roomAdded {\n      id\n      ...ChatRoom\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendMessage($roomId: ID!, $text: String!) {\n    sendMessage(roomId: $roomId, text: $text) {\n      id\n      roomId\n      ...MessageFields\n    }\n  }\n"): (typeof documents)["\n  mutation SendMessage($roomId: ID!, $text: String!) {\n    sendMessage(roomId: $roomId, text: $text) {\n      id\n      roomId\n      ...MessageFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MessageFields on Message {\n    id\n    roomId\n    text\n    createdAt\n    from {\n      id\n      username\n      online\n    }\n  }\n"): (typeof documents)["\n  fragment MessageFields on Message {\n    id\n    roomId\n    text\n    createdAt\n    from {\n      id\n      username\n      online\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MessagePaneRoom on Room {\n    id\n    name\n    private\n    partner {\n      id\n      online\n    }\n  }\n"): (typeof documents)["\n  fragment MessagePaneRoom on Room {\n    id\n    name\n    private\n    partner {\n      id\n      online\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RoomMessages($roomId: ID!, $last: Int!, $before: String) {\n    messages(roomId: $roomId, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          from {\n            id\n          }\n          ...MessageFields\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n        hasNextPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query RoomMessages($roomId: ID!, $last: Int!, $before: String) {\n    messages(roomId: $roomId, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          from {\n            id\n          }\n          ...MessageFields\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n        hasNextPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PersonFields on User {\n    id\n    username\n    online\n  }\n"): (typeof documents)["\n  fragment PersonFields on User {\n    id\n    username\n    online\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RoomFields on Room {\n    id\n    name\n    private\n    partner {\n      id\n      online\n    }\n    lastMessage {\n      id\n      text\n      createdAt\n      from {\n        id\n        username\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment RoomFields on Room {\n    id\n    name\n    private\n    partner {\n      id\n      online\n    }\n    lastMessage {\n      id\n      text\n      createdAt\n      from {\n        id\n        username\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignIn($username: String!, $password: String!) {\n    signIn(username: $username, password: $password) {\n      token\n      user {\n        id\n        username\n        online\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SignIn($username: String!, $password: String!) {\n    signIn(username: $username, password: $password) {\n      token\n      user {\n        id\n        username\n        online\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($username: String!, $password: String!) {\n    signUp(username: $username, password: $password) {\n      token\n      user {\n        id\n        username\n        online\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SignUp($username: String!, $password: String!) {\n    signUp(username: $username, password: $password) {\n      token\n      user {\n        id\n        username\n        online\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MessageEdgeLink on MessageEdge {\n    cursor\n    node {\n      id\n    }\n  }\n"): (typeof documents)["\n  fragment MessageEdgeLink on MessageEdge {\n    cursor\n    node {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ChannelUseRow on ChannelUse {\n    name\n    subscribers\n  }\n"): (typeof documents)["\n  fragment ChannelUseRow on ChannelUse {\n    name\n    subscribers\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OpsChannels($pattern: String!) {\n    channels(pattern: $pattern, first: 100) {\n      total\n      truncated\n      channels {\n        name\n        ...ChannelUseRow\n      }\n    }\n  }\n"): (typeof documents)["\n  query OpsChannels($pattern: String!) {\n    channels(pattern: $pattern, first: 100) {\n      total\n      truncated\n      channels {\n        name\n        ...ChannelUseRow\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InstanceRow on InstanceStats {\n    id\n    startedAt\n    webSockets\n    sseStreams\n    subscriptions\n    deliveries\n    deliveriesPerSecond\n    slowSubscribersDropped\n    denials\n  }\n"): (typeof documents)["\n  fragment InstanceRow on InstanceStats {\n    id\n    startedAt\n    webSockets\n    sseStreams\n    subscriptions\n    deliveries\n    deliveriesPerSecond\n    slowSubscribersDropped\n    denials\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription OpsStats {\n    stats {\n      at\n      instance {\n        id\n      }\n      cluster {\n        webSockets\n        sseStreams\n        subscriptions\n        deliveriesPerSecond\n        instances {\n          id\n          ...InstanceRow\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription OpsStats {\n    stats {\n      at\n      instance {\n        id\n      }\n      cluster {\n        webSockets\n        sseStreams\n        subscriptions\n        deliveriesPerSecond\n        instances {\n          id\n          ...InstanceRow\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OpsIdentity {\n    me {\n      id\n      username\n    }\n    identity {\n      roles\n    }\n  }\n"): (typeof documents)["\n  query OpsIdentity {\n    me {\n      id\n      username\n    }\n    identity {\n      roles\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OpsSignOut {\n    signOut\n  }\n"): (typeof documents)["\n  mutation OpsSignOut {\n    signOut\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DeadJobRow on Job {\n    id\n    attempts\n    payload\n  }\n"): (typeof documents)["\n  fragment DeadJobRow on Job {\n    id\n    attempts\n    payload\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OpsQueue($queue: String!, $first: Int!) {\n    queueStats(queue: $queue) {\n      queue\n      waiting\n      processing\n      dead\n      delayed\n      oldestWaitingAgeMs\n      rateLimit {\n        max\n        durationMs\n      }\n    }\n    deadJobs(queue: $queue, first: $first) {\n      id\n      ...DeadJobRow\n    }\n  }\n"): (typeof documents)["\n  query OpsQueue($queue: String!, $first: Int!) {\n    queueStats(queue: $queue) {\n      queue\n      waiting\n      processing\n      dead\n      delayed\n      oldestWaitingAgeMs\n      rateLimit {\n        max\n        durationMs\n      }\n    }\n    deadJobs(queue: $queue, first: $first) {\n      id\n      ...DeadJobRow\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OpsRetryDeadJobs($queue: String!, $ids: [ID!]!) {\n    retryDeadJobs(queue: $queue, ids: $ids)\n  }\n"): (typeof documents)["\n  mutation OpsRetryDeadJobs($queue: String!, $ids: [ID!]!) {\n    retryDeadJobs(queue: $queue, ids: $ids)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OpsPurgeDeadJobs($queue: String!) {\n    purgeDeadJobs(queue: $queue)\n  }\n"): (typeof documents)["\n  mutation OpsPurgeDeadJobs($queue: String!) {\n    purgeDeadJobs(queue: $queue)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment StreamGroupRow on StreamGroupInfo {\n    name\n    consumers\n    pending\n    lag\n    lastDeliveredId\n    consumerDetails {\n      name\n      pending\n      idleMs\n    }\n  }\n"): (typeof documents)["\n  fragment StreamGroupRow on StreamGroupInfo {\n    name\n    consumers\n    pending\n    lag\n    lastDeliveredId\n    consumerDetails {\n      name\n      pending\n      idleMs\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OpsStream($stream: String!) {\n    streamInfo(stream: $stream) {\n      length\n      firstId\n      lastId\n      groups {\n        name\n        ...StreamGroupRow\n      }\n    }\n  }\n"): (typeof documents)["\n  query OpsStream($stream: String!) {\n    streamInfo(stream: $stream) {\n      length\n      firstId\n      lastId\n      groups {\n        name\n        ...StreamGroupRow\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;