// The operations many tests send, typed by codegen from schema/schema.graphql (`npm run codegen`
// writes test/gql/): a document the schema does not have fails `npm run codegen` and
// test/unit/client-codegen.test.ts, and a test that reads a field the operation does not select,
// or passes a variable it does not declare, fails `tsc`. Operations a test sends broken on purpose
// (or with a variable of the wrong type) stay plain strings in that test.
import { graphql } from '../gql/index.js';

// Accounts
export const SIGN_UP = graphql(`
  mutation TestSignUp($u: String!, $p: String!) {
    signUp(username: $u, password: $p) {
      token
      user {
        id
      }
    }
  }
`);
export const SIGN_IN = graphql(`
  mutation TestSignIn($u: String!, $p: String!) {
    signIn(username: $u, password: $p) {
      token
      user {
        id
        username
      }
    }
  }
`);

export const SIGN_OUT = graphql(`
  mutation TestSignOut {
    signOut
  }
`);
export const ME = graphql(`
  query TestMe {
    me {
      id
      username
    }
  }
`);

// Chat
export const SEND = graphql(`
  mutation TestSend($roomId: ID!, $text: String!) {
    sendMessage(roomId: $roomId, text: $text) {
      id
    }
  }
`);
export const MESSAGE_ADDED = graphql(`
  subscription TestMessageAdded($roomId: ID, $after: String) {
    messageAdded(roomId: $roomId, after: $after) {
      id
    }
  }
`);

export const OPEN_ROOM = graphql(`
  mutation TestOpenRoom($userId: ID!) {
    openPrivateRoom(userId: $userId) {
      id
    }
  }
`);
/** `messageAdded` with the room, the text and the author: what most live chat tests look at. */
export const MESSAGE_ADDED_TEXT = graphql(`
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
`);
export const PRESENCE = graphql(`
  subscription TestPresence {
    presence {
      online
      user {
        id
        username
      }
    }
  }
`);
export const ONLINE_USERS = graphql(`
  query TestOnlineUsers {
    onlineUsers {
      id
      online
    }
  }
`);

// Channels
export const PUBLISH = graphql(`
  mutation TestPublish($channel: String!, $message: JSON!) {
    publish(channel: $channel, message: $message)
  }
`);
/** `channel(name:)`, selecting only the message. */
export const CHANNEL = graphql(`
  subscription TestChannel($name: String!) {
    channel(name: $name) {
      message
    }
  }
`);
/** `channel(name:)`, selecting the channel's name too. */
export const CHANNEL_NAMED = graphql(`
  subscription TestChannelNamed($name: String!) {
    channel(name: $name) {
      channel
      message
    }
  }
`);
export const PATTERN = graphql(`
  subscription TestPattern($p: String!) {
    channelPattern(pattern: $p) {
      channel
      message
    }
  }
`);

// Streams
export const ADD_EVENT = graphql(`
  mutation TestAddEvent($stream: String!, $data: JSON!) {
    addEvent(stream: $stream, data: $data) {
      id
    }
  }
`);
export const EVENTS = graphql(`
  subscription TestEvents($stream: String!, $after: String) {
    events(stream: $stream, after: $after) {
      id
    }
  }
`);
/** `events(stream:, after:)` with each entry's data: what a follower of a stream sees. */
export const FOLLOW = graphql(`
  subscription TestFollow($stream: String!, $after: String) {
    events(stream: $stream, after: $after) {
      id
      data
    }
  }
`);
export const PENDING_EVENTS = graphql(`
  query TestPendingEvents($stream: String!, $group: String!) {
    pendingEvents(stream: $stream, group: $group) {
      id
      consumer
      idleMs
      deliveries
    }
  }
`);
export const CREATE_GROUP = graphql(`
  mutation TestCreateGroup($stream: String!, $group: String!, $startId: String) {
    createConsumerGroup(stream: $stream, group: $group, startId: $startId)
  }
`);
export const GROUP_EVENTS = graphql(`
  subscription TestGroupEvents($stream: String!, $group: String!, $consumer: String!) {
    groupEvents(stream: $stream, group: $group, consumer: $consumer) {
      id
      data
    }
  }
`);
export const ACK_EVENTS = graphql(`
  mutation TestAckEvents($stream: String!, $group: String!, $ids: [ID!]!) {
    ackEvents(stream: $stream, group: $group, ids: $ids)
  }
`);

// Queues
export const ENQUEUE = graphql(`
  mutation TestEnqueue($q: String!, $p: JSON!, $priority: JobPriority) {
    enqueue(queue: $q, payload: $p, priority: $priority) {
      id
      queue
      payload
      attempts
    }
  }
`);
export const DEQUEUE = graphql(`
  mutation TestDequeue($q: String!, $t: Float) {
    dequeue(queue: $q, timeoutSeconds: $t) {
      id
      queue
      payload
      attempts
    }
  }
`);
export const ACK_JOB = graphql(`
  mutation TestAckJob($q: String!, $id: ID!) {
    ackJob(queue: $q, id: $id)
  }
`);
/** `jobs(queue:)`: the same fields as {@link ENQUEUE}, {@link DEQUEUE} and {@link DEAD_JOBS}, so that a delivery can be compared with any. */
export const JOBS = graphql(`
  subscription TestJobs($q: String!) {
    jobs(queue: $q) {
      id
      queue
      payload
      attempts
    }
  }
`);
export const QUEUE_STATS = graphql(`
  query TestQueueStats($q: String!) {
    queueStats(queue: $q) {
      waiting
      processing
      dead
    }
  }
`);
export const DEAD_JOBS = graphql(`
  query TestDeadJobs($q: String!) {
    deadJobs(queue: $q) {
      id
      queue
      payload
      attempts
    }
  }
`);
/** `queueLength` and `queueStats` at once: the list's length, and where the jobs are. */
export const QUEUE_LENGTH_STATS = graphql(`
  query TestQueueLengthStats($q: String!) {
    queueLength(queue: $q)
    queueStats(queue: $q) {
      waiting
      processing
      dead
    }
  }
`);
