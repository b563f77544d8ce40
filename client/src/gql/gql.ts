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
    "\n  fragment MessageFields on Message {\n    id\n    roomId\n    text\n    createdAt\n    from {\n      id\n      username\n      online\n    }\n  }\n": typeof types.MessageFieldsFragmentDoc,
    "\n  fragment RoomFields on Room {\n    id\n    name\n    private\n    lastMessage {\n      ...MessageFields\n    }\n  }\n": typeof types.RoomFieldsFragmentDoc,
    "\n  fragment MessageEdgeLink on MessageEdge {\n    cursor\n    node {\n      id\n    }\n  }\n": typeof types.MessageEdgeLinkFragmentDoc,
    "\n  query Me {\n    me {\n      id\n      username\n      online\n    }\n  }\n": typeof types.MeDocument,
    "\n  mutation SignIn($username: String!, $password: String!) {\n    signIn(username: $username, password: $password) {\n      token\n      user {\n        id\n        username\n        online\n      }\n    }\n  }\n": typeof types.SignInDocument,
    "\n  mutation SignUp($username: String!, $password: String!) {\n    signUp(username: $username, password: $password) {\n      token\n      user {\n        id\n        username\n        online\n      }\n    }\n  }\n": typeof types.SignUpDocument,
    "\n  mutation SignOut {\n    signOut\n  }\n": typeof types.SignOutDocument,
    "\n  query Rooms {\n    rooms {\n      ...RoomFields\n    }\n  }\n": typeof types.RoomsDocument,
    "\n  query Users($ids: [ID!]!) {\n    users(ids: $ids) {\n      id\n      username\n      online\n    }\n  }\n": typeof types.UsersDocument,
    "\n  query OnlineUsers {\n    onlineUsers {\n      id\n      username\n      online\n    }\n  }\n": typeof types.OnlineUsersDocument,
    "\n  query RoomMessages($roomId: ID!, $last: Int!, $before: String) {\n    messages(roomId: $roomId, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          ...MessageFields\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n        hasNextPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": typeof types.RoomMessagesDocument,
    "\n  mutation SendMessage($roomId: ID!, $text: String!) {\n    sendMessage(roomId: $roomId, text: $text) {\n      ...MessageFields\n    }\n  }\n": typeof types.SendMessageDocument,
    "\n  mutation OpenPrivateRoom($userId: ID!) {\n    openPrivateRoom(userId: $userId) {\n      ...RoomFields\n    }\n  }\n": typeof types.OpenPrivateRoomDocument,
    "\n  subscription MessageAdded($after: String) {\n    messageAdded(after: $after) {\n      ...MessageFields\n    }\n  }\n": typeof types.MessageAddedDocument,
    "\n  subscription Presence {\n    presence {\n      online\n      user {\n        id\n        username\n        online\n      }\n    }\n  }\n": typeof types.PresenceDocument,
    "\n  subscription RoomAdded {\n    roomAdded {\n      ...RoomFields\n    }\n  }\n": typeof types.RoomAddedDocument,
};
const documents: Documents = {
    "\n  fragment MessageFields on Message {\n    id\n    roomId\n    text\n    createdAt\n    from {\n      id\n      username\n      online\n    }\n  }\n": types.MessageFieldsFragmentDoc,
    "\n  fragment RoomFields on Room {\n    id\n    name\n    private\n    lastMessage {\n      ...MessageFields\n    }\n  }\n": types.RoomFieldsFragmentDoc,
    "\n  fragment MessageEdgeLink on MessageEdge {\n    cursor\n    node {\n      id\n    }\n  }\n": types.MessageEdgeLinkFragmentDoc,
    "\n  query Me {\n    me {\n      id\n      username\n      online\n    }\n  }\n": types.MeDocument,
    "\n  mutation SignIn($username: String!, $password: String!) {\n    signIn(username: $username, password: $password) {\n      token\n      user {\n        id\n        username\n        online\n      }\n    }\n  }\n": types.SignInDocument,
    "\n  mutation SignUp($username: String!, $password: String!) {\n    signUp(username: $username, password: $password) {\n      token\n      user {\n        id\n        username\n        online\n      }\n    }\n  }\n": types.SignUpDocument,
    "\n  mutation SignOut {\n    signOut\n  }\n": types.SignOutDocument,
    "\n  query Rooms {\n    rooms {\n      ...RoomFields\n    }\n  }\n": types.RoomsDocument,
    "\n  query Users($ids: [ID!]!) {\n    users(ids: $ids) {\n      id\n      username\n      online\n    }\n  }\n": types.UsersDocument,
    "\n  query OnlineUsers {\n    onlineUsers {\n      id\n      username\n      online\n    }\n  }\n": types.OnlineUsersDocument,
    "\n  query RoomMessages($roomId: ID!, $last: Int!, $before: String) {\n    messages(roomId: $roomId, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          ...MessageFields\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n        hasNextPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": types.RoomMessagesDocument,
    "\n  mutation SendMessage($roomId: ID!, $text: String!) {\n    sendMessage(roomId: $roomId, text: $text) {\n      ...MessageFields\n    }\n  }\n": types.SendMessageDocument,
    "\n  mutation OpenPrivateRoom($userId: ID!) {\n    openPrivateRoom(userId: $userId) {\n      ...RoomFields\n    }\n  }\n": types.OpenPrivateRoomDocument,
    "\n  subscription MessageAdded($after: String) {\n    messageAdded(after: $after) {\n      ...MessageFields\n    }\n  }\n": types.MessageAddedDocument,
    "\n  subscription Presence {\n    presence {\n      online\n      user {\n        id\n        username\n        online\n      }\n    }\n  }\n": types.PresenceDocument,
    "\n  subscription RoomAdded {\n    roomAdded {\n      ...RoomFields\n    }\n  }\n": types.RoomAddedDocument,
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
export function graphql(source: "\n  fragment MessageFields on Message {\n    id\n    roomId\n    text\n    createdAt\n    from {\n      id\n      username\n      online\n    }\n  }\n"): (typeof documents)["\n  fragment MessageFields on Message {\n    id\n    roomId\n    text\n    createdAt\n    from {\n      id\n      username\n      online\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RoomFields on Room {\n    id\n    name\n    private\n    lastMessage {\n      ...MessageFields\n    }\n  }\n"): (typeof documents)["\n  fragment RoomFields on Room {\n    id\n    name\n    private\n    lastMessage {\n      ...MessageFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MessageEdgeLink on MessageEdge {\n    cursor\n    node {\n      id\n    }\n  }\n"): (typeof documents)["\n  fragment MessageEdgeLink on MessageEdge {\n    cursor\n    node {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      id\n      username\n      online\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      id\n      username\n      online\n    }\n  }\n"];
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
export function graphql(source: "\n  mutation SignOut {\n    signOut\n  }\n"): (typeof documents)["\n  mutation SignOut {\n    signOut\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Rooms {\n    rooms {\n      ...RoomFields\n    }\n  }\n"): (typeof documents)["\n  query Rooms {\n    rooms {\n      ...RoomFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Users($ids: [ID!]!) {\n    users(ids: $ids) {\n      id\n      username\n      online\n    }\n  }\n"): (typeof documents)["\n  query Users($ids: [ID!]!) {\n    users(ids: $ids) {\n      id\n      username\n      online\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OnlineUsers {\n    onlineUsers {\n      id\n      username\n      online\n    }\n  }\n"): (typeof documents)["\n  query OnlineUsers {\n    onlineUsers {\n      id\n      username\n      online\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RoomMessages($roomId: ID!, $last: Int!, $before: String) {\n    messages(roomId: $roomId, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          ...MessageFields\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n        hasNextPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query RoomMessages($roomId: ID!, $last: Int!, $before: String) {\n    messages(roomId: $roomId, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          ...MessageFields\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n        hasNextPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendMessage($roomId: ID!, $text: String!) {\n    sendMessage(roomId: $roomId, text: $text) {\n      ...MessageFields\n    }\n  }\n"): (typeof documents)["\n  mutation SendMessage($roomId: ID!, $text: String!) {\n    sendMessage(roomId: $roomId, text: $text) {\n      ...MessageFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OpenPrivateRoom($userId: ID!) {\n    openPrivateRoom(userId: $userId) {\n      ...RoomFields\n    }\n  }\n"): (typeof documents)["\n  mutation OpenPrivateRoom($userId: ID!) {\n    openPrivateRoom(userId: $userId) {\n      ...RoomFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MessageAdded($after: String) {\n    messageAdded(after: $after) {\n      ...MessageFields\n    }\n  }\n"): (typeof documents)["\n  subscription MessageAdded($after: String) {\n    messageAdded(after: $after) {\n      ...MessageFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription Presence {\n    presence {\n      online\n      user {\n        id\n        username\n        online\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription Presence {\n    presence {\n      online\n      user {\n        id\n        username\n        online\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RoomAdded {\n    roomAdded {\n      ...RoomFields\n    }\n  }\n"): (typeof documents)["\n  subscription RoomAdded {\n    roomAdded {\n      ...RoomFields\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;