import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { graphql, useFragment as readFragment } from '../gql';
import type { ChatRoomFragment } from '../gql/graphql';
import { type ChatConnection, RESUME_FROM_NEWEST } from '../graphql/client';
import { describeError } from '../graphql/errors';
import { ConnectionStatus } from './ConnectionStatus';
import { MessagePane } from './MessagePane';
import { People, type PersonRef } from './People';
import { RoomList } from './RoomList';

const GENERAL_ROOM_ID = '0';
/** Below this width (CSS px) the list and the conversation take turns on the screen. */
const NARROW_SCREEN = '(max-width: 720px)';

/**
 * A room as this screen holds it: what it sorts and picks by, and what the list and the
 * conversation show. Every operation that brings a room selects all of it, so that a room added
 * live is complete in the cache.
 */
const ChatRoomFragment = graphql(`
  fragment ChatRoom on Room {
    id
    name
    private
    lastMessage {
      id
    }
    partner {
      id
      ...PersonFields
    }
    ...RoomFields
    ...MessagePaneRoom
  }
`);

const RoomsQuery = graphql(`
  query Rooms {
    rooms {
      ...ChatRoom
    }
  }
`);

const OnlineUsersQuery = graphql(`
  query OnlineUsers {
    onlineUsers {
      id
      ...PersonFields
    }
  }
`);

const OpenPrivateRoomMutation = graphql(`
  mutation OpenPrivateRoom($userId: ID!) {
    openPrivateRoom(userId: $userId) {
      id
      ...ChatRoom
    }
  }
`);

/** Every room of the user; `after` is filled in by the client on each (re)subscription. */
const MessageAddedSubscription = graphql(`
  subscription MessageAdded($after: String) {
    messageAdded(after: $after) {
      id
      roomId
      ...MessageFields
    }
  }
`);

const PresenceSubscription = graphql(`
  subscription Presence {
    presence {
      online
      user {
        id
        ...PersonFields
      }
    }
  }
`);

const RoomAddedSubscription = graphql(`
  subscription RoomAdded {
    roomAdded {
      id
      ...ChatRoom
    }
  }
`);

type Me = { id: string; username: string };

/** General first, then the most recently active; rooms without messages last, by name. */
function sortRooms(rooms: readonly ChatRoomFragment[]): ChatRoomFragment[] {
  return [...rooms].sort((a, b) => {
    if (a.id === GENERAL_ROOM_ID || b.id === GENERAL_ROOM_ID) return a.id === GENERAL_ROOM_ID ? -1 : 1;
    const lastA = a.lastMessage?.id ?? '';
    const lastB = b.lastMessage?.id ?? '';
    if (lastA !== lastB) return lastA > lastB ? -1 : 1;
    return a.name.localeCompare(b.name);
  });
}

/**
 * The live feeds, subscribed before anything is read: the lists that are read afterwards on the
 * same socket then miss no change. `onStarted` runs once the subscriptions are on their way.
 */
function LiveFeeds({ onStarted, onError }: { onStarted(): void; onError(message: string | null): void }) {
  const [presence] = useSubscription({ query: PresenceSubscription });
  const [roomAdded] = useSubscription({ query: RoomAddedSubscription });
  const [messages] = useSubscription({ query: MessageAddedSubscription, context: RESUME_FROM_NEWEST });
  useEffect(() => onStarted(), [onStarted]);
  const error = messages.error ?? presence.error ?? roomAdded.error;
  const message = error ? `Live updates stopped: ${describeError(error)}` : null;
  useEffect(() => onError(message), [onError, message]);
  return null;
}

export function ChatScreen({ me, connection, onSignOut }: { me: Me; connection: ChatConnection; onSignOut(): void }) {
  const { status, epoch } = useSyncExternalStore(connection.state.subscribe, connection.state.get);
  const [ready, setReady] = useState(false);
  const [feedError, setFeedError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [selectedRoomId, setSelectedRoomId] = useState(GENERAL_ROOM_ID);
  // On narrow screens: the list of rooms and people, or one conversation.
  const [view, setView] = useState<'list' | 'room'>('list');
  // The newest message id the user has seen per room, for the "new messages" dot; null until
  // the rooms came (what was there then counts as seen).
  const [seen, setSeen] = useState<Record<string, string> | null>(null);
  const composerRef = useRef<HTMLTextAreaElement>(null);

  const [roomsResult, refetchRooms] = useQuery({ query: RoomsQuery, pause: !ready });
  const [onlineResult, refetchOnline] = useQuery({ query: OnlineUsersQuery, pause: !ready });
  const rooms = useMemo(() => sortRooms(readFragment(ChatRoomFragment, roomsResult.data?.rooms ?? [])), [roomsResult.data]);
  const [, openPrivateRoom] = useMutation(OpenPrivateRoomMutation);

  const roomsLoaded = roomsResult.data !== undefined;
  if (roomsLoaded && seen === null) setSeen(Object.fromEntries(rooms.map((room) => [room.id, room.lastMessage?.id ?? ''])));

  // Where the message feed resumes after a reconnect: from the rooms' last messages, read once.
  const resumeStarted = useRef(false);
  useEffect(() => {
    if (!roomsLoaded || resumeStarted.current) return;
    resumeStarted.current = true;
    connection.resume.start(rooms.flatMap((room) => room.lastMessage?.id ?? []));
  }, [roomsLoaded, rooms, connection.resume]);

  // After a reconnect (the second acknowledged connection or later), messages are replayed by the
  // feed; what has no replay is read again.
  useEffect(() => {
    if (epoch <= 1 || !ready) return;
    refetchRooms({ requestPolicy: 'network-only' });
    refetchOnline({ requestPolicy: 'network-only' });
    // Only on a new connection.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [epoch]);

  // Who is online, and the partners of the user's private rooms (online or not).
  const people = useMemo(() => {
    const byId = new Map<string, PersonRef>();
    for (const room of rooms) if (room.partner) byId.set(room.partner.id, room.partner);
    for (const user of onlineResult.data?.onlineUsers ?? []) byId.set(user.id, user);
    byId.delete(me.id);
    return byId;
  }, [rooms, onlineResult.data, me.id]);

  const isNarrow = () => window.matchMedia(NARROW_SCREEN).matches;

  const selectRoom = useCallback(
    (roomId: string) => {
      // The room being left and the one opened are seen up to their last messages.
      const lastOf = (id: string) => rooms.find((room) => room.id === id)?.lastMessage?.id ?? '';
      setSeen((current) => ({ ...current, [selectedRoomId]: lastOf(selectedRoomId), [roomId]: lastOf(roomId) }));
      setSelectedRoomId(roomId);
      setView('room');
      setActionError(null);
      // Straight to typing on a wide screen; on a phone that would pop the keyboard over the history.
      if (!window.matchMedia(NARROW_SCREEN).matches) requestAnimationFrame(() => composerRef.current?.focus());
    },
    [rooms, selectedRoomId],
  );

  const openPrivate = useCallback(
    async (userId: string) => {
      if (userId === me.id) return;
      const result = await openPrivateRoom({ userId });
      if (result.error || !result.data) {
        setActionError(result.error ? describeError(result.error) : 'Could not open the private room.');
        return;
      }
      selectRoom(result.data.openPrivateRoom.id);
    },
    [me.id, openPrivateRoom, selectRoom],
  );

  const onStarted = useCallback(() => setReady(true), []);
  const selectedRoom = rooms.find((room) => room.id === selectedRoomId) ?? null;
  const listError = roomsResult.error ?? onlineResult.error;
  const banner = feedError ?? actionError ?? (listError ? describeError(listError) : null);

  return (
    <div className="chat" data-view={view}>
      <a className="skip-link" href="#composer">
        Skip to the message box
      </a>
      <LiveFeeds onStarted={onStarted} onError={setFeedError} />
      <header className="topbar">
        <h1 className="brand">Switchboard</h1>
        <ConnectionStatus status={status} />
        <div className="account">
          <span className="whoami">
            Signed in as <strong>{me.username}</strong>
          </span>
          <button type="button" className="secondary" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      {banner && (
        <p className="banner" role="alert">
          {banner}
        </p>
      )}
      <div className="panes">
        <aside className="sidebar" aria-label="Rooms and people">
          <RoomList
            rooms={rooms}
            me={me}
            seen={seen ?? {}}
            selectedRoomId={selectedRoomId}
            loading={!roomsLoaded}
            onSelect={selectRoom}
          />
          <People me={me} people={people.values()} onOpen={(userId) => void openPrivate(userId)} />
        </aside>
        <main className="conversation" aria-label="Conversation">
          {selectedRoom ? (
            <MessagePane
              key={selectedRoom.id}
              room={selectedRoom}
              me={me}
              ready={ready}
              composerRef={composerRef}
              onBack={() => {
                setView('list');
                if (isNarrow()) requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-room-id="${CSS.escape(selectedRoom.id)}"]`)?.focus());
              }}
              onOpenPrivate={(userId) => void openPrivate(userId)}
            />
          ) : (
            <p className="placeholder">{roomsLoaded ? 'Choose a room.' : 'Loading rooms…'}</p>
          )}
        </main>
      </div>
    </div>
  );
}
