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

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;