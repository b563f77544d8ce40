// Every operation the web client sends. `npm run codegen` turns them into typed documents in
// ../gql; a test fails when that code is stale.
import { graphql } from '../gql';

export const MessageFieldsFragment = graphql(`
  fragment MessageFields on Message {
    id
    roomId
    text
    createdAt
    from {
      id
      username
      online
    }
  }
`);

export const RoomFieldsFragment = graphql(`
  fragment RoomFields on Room {
    id
    name
    private
    lastMessage {
      ...MessageFields
    }
  }
`);

/** Used by the cache to add a live message to a page of history. */
export const MessageEdgeFragment = graphql(`
  fragment MessageEdgeLink on MessageEdge {
    cursor
    node {
      id
    }
  }
`);

export const MeQuery = graphql(`
  query Me {
    me {
      id
      username
      online
    }
  }
`);

export const SignInMutation = graphql(`
  mutation SignIn($username: String!, $password: String!) {
    signIn(username: $username, password: $password) {
      token
      user {
        id
        username
        online
      }
    }
  }
`);

export const SignUpMutation = graphql(`
  mutation SignUp($username: String!, $password: String!) {
    signUp(username: $username, password: $password) {
      token
      user {
        id
        username
        online
      }
    }
  }
`);

export const SignOutMutation = graphql(`
  mutation SignOut {
    signOut
  }
`);

export const RoomsQuery = graphql(`
  query Rooms {
    rooms {
      ...RoomFields
    }
  }
`);

export const UsersQuery = graphql(`
  query Users($ids: [ID!]!) {
    users(ids: $ids) {
      id
      username
      online
    }
  }
`);

export const OnlineUsersQuery = graphql(`
  query OnlineUsers {
    onlineUsers {
      id
      username
      online
    }
  }
`);

export const RoomMessagesQuery = graphql(`
  query RoomMessages($roomId: ID!, $last: Int!, $before: String) {
    messages(roomId: $roomId, last: $last, before: $before) {
      edges {
        cursor
        node {
          ...MessageFields
        }
      }
      pageInfo {
        hasPreviousPage
        hasNextPage
        startCursor
        endCursor
      }
    }
  }
`);

export const SendMessageMutation = graphql(`
  mutation SendMessage($roomId: ID!, $text: String!) {
    sendMessage(roomId: $roomId, text: $text) {
      ...MessageFields
    }
  }
`);

export const OpenPrivateRoomMutation = graphql(`
  mutation OpenPrivateRoom($userId: ID!) {
    openPrivateRoom(userId: $userId) {
      ...RoomFields
    }
  }
`);

/** Every room of the user; `after` is filled in by the client on each (re)subscription. */
export const MessageAddedSubscription = graphql(`
  subscription MessageAdded($after: String) {
    messageAdded(after: $after) {
      ...MessageFields
    }
  }
`);

export const PresenceSubscription = graphql(`
  subscription Presence {
    presence {
      online
      user {
        id
        username
        online
      }
    }
  }
`);

export const RoomAddedSubscription = graphql(`
  subscription RoomAdded {
    roomAdded {
      ...RoomFields
    }
  }
`);
