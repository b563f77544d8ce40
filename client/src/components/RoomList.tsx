import { type FragmentType, graphql, useFragment as readFragment } from '../gql';
import { shortTime } from '../format';
import { Avatar } from './Avatar';

/** What a row of the list shows of a room. */
export const RoomFieldsFragment = graphql(`
  fragment RoomFields on Room {
    id
    name
    private
    partner {
      id
      online
    }
    lastMessage {
      id
      text
      createdAt
      from {
        id
        username
      }
    }
  }
`);

interface RoomListProps {
  /** In the order to show them. */
  rooms: ReadonlyArray<FragmentType<typeof RoomFieldsFragment>>;
  me: { id: string };
  /** The newest message id seen per room; a room missing here came later and is all new. */
  seen: Readonly<Record<string, string>>;
  selectedRoomId: string;
  loading: boolean;
  onSelect(roomId: string): void;
}

/** The user's rooms, General first; private ones named after the other user, with their online dot. */
export function RoomList({ rooms, me, seen, selectedRoomId, loading, onSelect }: RoomListProps) {
  return (
    <nav className="rooms" aria-labelledby="rooms-title">
      <h2 id="rooms-title">Rooms</h2>
      {loading && <p className="muted">Loading…</p>}
      <ul>
        {rooms.map((ref) => {
          const room = readFragment(RoomFieldsFragment, ref);
          const online = room.private ? (room.partner?.online ?? false) : undefined;
          const last = room.lastMessage;
          const selected = room.id === selectedRoomId;
          const seenUpTo = seen[room.id];
          const unseen = !selected && last !== null && last.from.id !== me.id && (seenUpTo === undefined || last.id > seenUpTo);
          return (
            <li key={room.id}>
              <button
                type="button"
                className={selected ? 'room selected' : 'room'}
                aria-current={selected ? 'true' : undefined}
                data-room-id={room.id}
                data-online={online === undefined ? undefined : String(online)}
                onClick={() => onSelect(room.id)}
              >
                <Avatar name={room.name} online={online} />
                <span className="room-main">
                  <span className="room-top">
                    <span className="room-name">
                      {room.name}
                      {online !== undefined && <span className="visually-hidden">{online ? ' (online)' : ' (offline)'}</span>}
                    </span>
                    {last && (
                      <time className="room-time" dateTime={last.createdAt}>
                        {shortTime(last.createdAt)}
                      </time>
                    )}
                  </span>
                  <span className="room-preview">
                    {last ? (
                      <>
                        <span className="room-preview-author">{last.from.id === me.id ? 'You' : last.from.username}: </span>
                        {last.text}
                      </>
                    ) : (
                      <span className="muted">No messages yet</span>
                    )}
                  </span>
                </span>
                {unseen && (
                  <span className="unseen-dot" title="New messages">
                    <span className="visually-hidden">New messages</span>
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
