import { UserRef } from '../accounts/schema.js';
import type { LoadedUser } from '../accounts/user-loader.js';
import { builder } from '../graphql/builder.js';
import type { Context } from '../graphql/context.js';
import { isChatUser } from '../auth/identity.js';
import { AppError, ErrorCode, badInput } from '../errors/app-error.js';
import { connectionRef, pageArgs, toConnection } from '../graphql/pagination.js';
import { parsePageArgs } from '../paging/page-request.js';
import { eachViewer, liveSubscription, sameForEveryViewer, viewerClass } from '../live/viewer-classes.js';
import { type ChatMessage, messageDate, scoreOfCursor } from './message-codec.js';
import { type ChatFeedDeps, type RoomAdded, openMessageFeed, openPresenceFeed, openRoomsAddedFeed } from './message-feed.js';
import { assertRoomId } from './room-ids.js';
import type { RoomView } from './rooms.js';
import { type ChatDomainServices, chatOf } from './services.js';

/** Most ids `users(ids)` takes at once. */
const USERS_MAX_IDS = 100;

const loadUser = async (context: Context, id: string) => {
  const user = await context.loaders.users.load(id);
  // A message whose author was deleted (or written by a foreign client) still renders.
  return user ?? { id, username: `user ${id}`, online: false };
};

export const MessageRef = builder.objectRef<ChatMessage>('Message').implement({
  description: 'A chat message. Its `id` is also its cursor: pass it as `after` to resume from it.',
  fields: (t) => ({
    id: t.exposeID('id', {
      description:
        'Ids sort like the messages: a later message has a greater id, compared as strings. "0" is the cursor before every message (`messageAdded(after: "0")` replays from the first).',
      extensions: sameForEveryViewer,
    }),
    roomId: t.exposeID('roomId', { extensions: sameForEveryViewer }),
    from: t.field({
      type: UserRef,
      description: 'The author, taken from the session that sent it.',
      extensions: sameForEveryViewer,
      resolve: (message, _args, context) => loadUser(context, message.fromId),
    }),
    text: t.exposeString('text', { description: 'Exactly as it was typed.', extensions: sameForEveryViewer }),
    mine: t.boolean({
      description: 'Whether the signed-in user wrote it.',
      // Two classes per message: its author, and everyone else.
      extensions: viewerClass<ChatMessage>((message, viewerId) => message.fromId === viewerId),
      resolve: (message, _args, context) => message.fromId === context.session?.userId,
    }),
    createdAt: t.field({ type: 'DateTime', extensions: sameForEveryViewer, resolve: (message) => messageDate(message) }),
  }),
});

const MessageConnectionRef = connectionRef('Message', MessageRef, { description: 'A page of messages, oldest first.' });

export const RoomRef = builder.objectRef<RoomView>('Room').implement({
  description: 'A chat room: General ("0"), or a private room "<a>:<b>" of two users.',
  fields: (t) => ({
    id: t.exposeID('id', { extensions: sameForEveryViewer }),
    name: t.string({
      description: '"General", or for a private room the other member\u2019s username.',
      extensions: eachViewer,
      resolve: async (room, _args, context) =>
        room.name ?? (room.otherMemberId ? (await loadUser(context, room.otherMemberId)).username : room.id),
    }),
    private: t.exposeBoolean('private', { extensions: sameForEveryViewer }),
    partner: t.field({
      type: UserRef,
      nullable: true,
      description: 'The other member of a private room (null for General): clients need not take the room id apart.',
      extensions: eachViewer,
      resolve: (room, _args, context) => (room.otherMemberId ? loadUser(context, room.otherMemberId) : null),
    }),
    lastMessage: t.field({ type: MessageRef, nullable: true, extensions: sameForEveryViewer, resolve: (room) => room.lastMessage }),
  }),
});

const PresenceEventRef = builder.objectRef<{ userId: string; online: boolean }>('PresenceEvent').implement({
  description: 'A user came online (first connection on any instance) or went offline (last one closed or expired).',
  fields: (t) => ({
    user: t.field({
      type: UserRef,
      extensions: sameForEveryViewer,
      resolve: async (event, _args, context) => ({ ...(await loadUser(context, event.userId)), online: event.online }),
    }),
    online: t.exposeBoolean('online', { extensions: sameForEveryViewer }),
  }),
});

/** The signed-in chat user. API keys are backends, not chat users: FORBIDDEN. */
const viewerId = (context: Context) => {
  if (context.session && !isChatUser(context.session)) throw new AppError(ErrorCode.Forbidden, 'An API key is not a chat user: sign in as a user (a session or a JWT) to chat.');
  return context.session!.userId;
};

builder.queryFields((t) => ({
  rooms: t.field({
    type: [RoomRef],
    description: 'The signed-in user\u2019s rooms: General first, then the most recently active.',
    resolve: (_root, _args, context) => chatOf(context).chat.rooms.roomsOf(viewerId(context)),
  }),
  messages: t.field({
    type: MessageConnectionRef,
    description: 'A room\u2019s messages as a Relay connection, oldest first; members only. Without first/last: the newest page.',
    args: {
      roomId: t.arg.id({ required: true }),
      ...pageArgs(t.arg),
    },
    resolve: async (_root, args, context) => {
      const roomId = String(args.roomId);
      assertRoomId(roomId);
      const { chat, config } = chatOf(context);
      const request = parsePageArgs(args, { maxSize: config.messagesPageMax, defaultSize: 50, defaultDirection: 'backward' });
      if (request.after) scoreOfCursor(request.after, 'after');
      if (request.before) scoreOfCursor(request.before, 'before');
      await chat.rooms.assertMember(viewerId(context), roomId);
      const page = await chat.messages.page(roomId, request);
      return toConnection({ ...page, items: page.messages }, (message) => message.id);
    },
  }),
  onlineUsers: t.field({
    type: [UserRef],
    description: 'Users with a connection open on any instance.',
    resolve: async (_root, _args, context) => {
      const ids = await chatOf(context).chat.presence.onlineUserIds();
      const users = await context.loaders.users.loadMany(ids);
      return users.filter((user): user is LoadedUser => user !== null && !(user instanceof Error));
    },
  }),
  users: t.field({
    type: [UserRef],
    nullable: { list: false, items: true },
    description: `Users by id, in the order asked; null for an unknown id. At most ${USERS_MAX_IDS} ids.`,
    args: { ids: t.arg.idList({ required: true }) },
    resolve: async (_root, args, context) => {
      if (args.ids.length > USERS_MAX_IDS) throw badInput(`Pass at most ${USERS_MAX_IDS} ids; got ${args.ids.length}.`, 'ids');
      const users = await context.loaders.users.loadMany(args.ids.map(String));
      return users.map((user) => (user instanceof Error ? null : user));
    },
  }),
}));

builder.mutationFields((t) => ({
  sendMessage: t.field({
    type: MessageRef,
    description: 'Sends a message as the signed-in user (members only). Stored first, then published to every instance.',
    args: { roomId: t.arg.id({ required: true }), text: t.arg.string({ required: true }) },
    resolve: (_root, args, context) => chatOf(context).chat.rooms.sendMessage(viewerId(context), String(args.roomId), args.text),
  }),
  openPrivateRoom: t.field({
    type: RoomRef,
    description: 'Opens the private room of the signed-in user and another user (or returns it) and tells the other user through `roomAdded`.',
    args: { userId: t.arg.id({ required: true }) },
    resolve: (_root, args, context) => chatOf(context).chat.rooms.openPrivate(viewerId(context), String(args.userId)),
  }),
}));

/** What the chat's feeds need of the process's services. */
const feedDeps = (context: { services: ChatDomainServices }): ChatFeedDeps => {
  const { live, chat } = chatOf(context);
  return { live, bus: chat.bus, rooms: chat.rooms, messages: chat.messages };
};

builder.subscriptionFields((t) => ({
  messageAdded: t.field({
    type: MessageRef,
    description:
      'New messages of one room (members only), or of all the user\u2019s rooms without `roomId`. With `after` (a message id/cursor), first every message since it, then live ones: no gap, no duplicate.',
    args: { roomId: t.arg.id(), after: t.arg.string() },
    // The room and the cursor choose what a subscriber gets, not how a message resolves.
    extensions: liveSubscription({ viewer: 'none', delivery: 'shared', subscriberArgs: ['roomId', 'after'] }),
    subscribe: (_root, args, context, info) => {
      viewerId(context);
      return openMessageFeed(feedDeps(context), context.subscriber, info, {
        roomId: args.roomId == null ? null : String(args.roomId),
        after: args.after ?? null,
      });
    },
    resolve: (message) => message,
  }),
  presence: t.field({
    type: PresenceEventRef,
    description: 'Users coming online and going offline, on the edges only (two tabs count once).',
    extensions: liveSubscription({ viewer: 'none', delivery: 'shared' }),
    subscribe: (_root, _args, context, info) => openPresenceFeed(feedDeps(context), context.subscriber, info),
    resolve: (event) => event,
  }),
  roomAdded: t.field({
    type: RoomRef,
    description: 'A private room opened with the signed-in user (by them on another tab, or by the other member).',
    // The room as this viewer sees it: one execution per viewer; each viewer's partition of the source is its own rooms.
    extensions: liveSubscription({ viewer: 'each', delivery: 'shared' }),
    subscribe: (_root, _args, context, info) => openRoomsAddedFeed(feedDeps(context), context.subscriber, info, viewerId(context)),
    resolve: (added: RoomAdded, _args, context) => chatOf(context).chat.rooms.view(viewerId(context), added.roomId),
  }),
}));

