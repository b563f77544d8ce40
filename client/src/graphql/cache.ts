import { type Cache, type UpdateResolver, cacheExchange } from '@urql/exchange-graphcache';
import { relayPagination } from '@urql/exchange-graphcache/extras';
import type { Exchange } from 'urql';
import { graphql } from '../gql';
import type {
  MessageAddedSubscription,
  OpenPrivateRoomMutation,
  PresenceSubscription,
  RoomAddedSubscription,
  SendMessageMutation,
} from '../gql/graphql';
import schema from '../gql/introspection';
import type { ResumeCursor } from './resume-cursor';

/** Used to add a live message to a page of history. */
const MessageEdgeFragment = graphql(`
  fragment MessageEdgeLink on MessageEdge {
    cursor
    node {
      id
    }
  }
`);

/**
 * An updater for the result of one operation, typed as codegen generated it. graphcache hands
 * every updater its operation's data as a generic `Data`; each operation that reaches an updater
 * selects what it reads there (`id`, `roomId`) next to the fragments it spreads, so the one cast,
 * here, is what the generated type says.
 */
function updater<TResult>(update: (result: TResult, cache: Cache) => void): UpdateResolver {
  return (result, _args, cache) => update(result as TResult, cache);
}

/** Messages per page of history. */
export const MESSAGES_PAGE_SIZE = 30;

/** The arguments of a room's newest page of history: live messages are added to it. */
export const newestPageArgs = (roomId: string) => ({ roomId, last: MESSAGES_PAGE_SIZE });

const isLinkList = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

/**
 * Adds a message this client just received (live, replayed or its own) to what the cache holds:
 * as its room's last message when it is newer, and at its place in the room's newest page of
 * history when the client has read that page. A message already there is left alone, so a
 * message that comes both as a mutation result and from the feed shows once.
 */
function addMessage(cache: Cache, message: { id: string; roomId: string }): void {
  const messageKey = cache.keyOfEntity({ __typename: 'Message', id: message.id });
  const roomKey = cache.keyOfEntity({ __typename: 'Room', id: message.roomId });
  if (messageKey === null || roomKey === null) return;

  if (cache.resolve(roomKey, 'id') === undefined) {
    // A room this client has not listed yet (opened by the other member a moment ago).
    cache.invalidate('Query', 'rooms');
  } else {
    const lastKey = cache.resolve(roomKey, 'lastMessage');
    const lastId = typeof lastKey === 'string' ? cache.resolve(lastKey, 'id') : null;
    if (typeof lastId !== 'string' || lastId < message.id) cache.link(roomKey, 'lastMessage', messageKey);
  }

  const page = cache.resolve('Query', 'messages', newestPageArgs(message.roomId));
  if (typeof page !== 'string') return;
  const edges = cache.resolve(page, 'edges');
  if (!isLinkList(edges)) return;
  if (edges.some((edge) => cache.resolve(edge, 'node') === messageKey)) return;
  // Entities are written with their __typename, which the generated fragment type leaves out.
  const edge = { __typename: 'MessageEdge', cursor: message.id, node: { __typename: 'Message', id: message.id } };
  cache.writeFragment(MessageEdgeFragment, edge);
  const edgeKey = cache.keyOfEntity({ __typename: 'MessageEdge', cursor: message.id });
  if (edgeKey === null) return;
  // Usually the last place; messages of several servers may arrive slightly out of order.
  let index = edges.length;
  while (index > 0) {
    const cursor = cache.resolve(edges[index - 1]!, 'cursor');
    if (typeof cursor !== 'string' || cursor < message.id) break;
    index--;
  }
  cache.link(page, 'edges', [...edges.slice(0, index), edgeKey, ...edges.slice(index)]);
}

/** Adds a room to the rooms list the client holds (the list is sorted when shown). */
function addRoom(cache: Cache, room: { id: string }): void {
  const rooms = cache.resolve('Query', 'rooms');
  const key = cache.keyOfEntity({ __typename: 'Room', id: room.id });
  if (!isLinkList(rooms) || key === null || rooms.includes(key)) return;
  cache.link('Query', 'rooms', [...rooms, key]);
}

/**
 * The normalised cache of the chat: users, rooms and messages by id, so that a presence event
 * turns a user's dot green everywhere and a live message updates its room's preview and history
 * at once. History pages merge into one list (Relay pagination, paging backward).
 * @param resume advanced by every message the feed delivers, for resuming after a reconnect.
 */
export function createChatCache(resume: ResumeCursor): Exchange {
  return cacheExchange({
    // The API's schema, so that the cache knows which fields may be null and which types exist.
    schema,
    keys: {
      // Values, not entities: they live inside the field that holds them.
      MessageConnection: () => null,
      PageInfo: () => null,
      PresenceEvent: () => null,
      AuthPayload: () => null,
      // An edge's cursor is its message's id: keyed, so that live messages can be linked in.
      MessageEdge: (edge) => (typeof edge.cursor === 'string' ? edge.cursor : null),
    },
    resolvers: {
      Query: { messages: relayPagination() },
    },
    updates: {
      Mutation: {
        sendMessage: updater<SendMessageMutation>((result, cache) => addMessage(cache, result.sendMessage)),
        openPrivateRoom: updater<OpenPrivateRoomMutation>((result, cache) => addRoom(cache, result.openPrivateRoom)),
      },
      Subscription: {
        messageAdded: updater<MessageAddedSubscription>((result, cache) => {
          resume.observe(result.messageAdded.id);
          addMessage(cache, result.messageAdded);
        }),
        roomAdded: updater<RoomAddedSubscription>((result, cache) => addRoom(cache, result.roomAdded)),
        presence: updater<PresenceSubscription>((result, cache) => {
          // The event's user (with `online`) is normalised into User:<id> already; keep the
          // list of who is online in step.
          const { online, user } = result.presence;
          const list = cache.resolve('Query', 'onlineUsers');
          const key = cache.keyOfEntity({ __typename: 'User', id: user.id });
          if (!isLinkList(list) || key === null) return;
          const others = list.filter((item) => item !== key);
          cache.link('Query', 'onlineUsers', online ? [...others, key] : others);
        }),
      },
    },
  });
}
