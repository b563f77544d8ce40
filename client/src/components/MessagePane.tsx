import { type RefObject, useLayoutEffect, useRef, useState } from 'react';
import { useQuery } from 'urql';
import { type FragmentType, graphql, useFragment as readFragment } from '../gql';
import type { RoomMessagesQuery as RoomMessagesData } from '../gql/graphql';
import { MESSAGES_PAGE_SIZE } from '../graphql/cache';
import { describeError } from '../graphql/errors';
import { longTime, shortTime } from '../format';
import { Avatar } from './Avatar';
import { Composer } from './Composer';

/** What the conversation shows of a message. Every message the client receives carries it. */
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

/** What the conversation's header shows of its room. */
export const MessagePaneRoomFragment = graphql(`
  fragment MessagePaneRoom on Room {
    id
    name
    private
    partner {
      id
      online
    }
  }
`);

const RoomMessagesQuery = graphql(`
  query RoomMessages($roomId: ID!, $last: Int!, $before: String) {
    messages(roomId: $roomId, last: $last, before: $before) {
      edges {
        cursor
        node {
          id
          from {
            id
          }
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

/** How close to the bottom (px) counts as "reading the newest": new messages then scroll into view. */
const STICK_TO_BOTTOM_PX = 48;

interface MessagePaneProps {
  room: FragmentType<typeof MessagePaneRoomFragment>;
  me: { id: string };
  ready: boolean;
  composerRef: RefObject<HTMLTextAreaElement | null>;
  onBack(): void;
  onOpenPrivate(userId: string): void;
}

interface ScrollMemory {
  firstId: string | undefined;
  lastId: string | undefined;
  scrollHeight: number;
  scrollTop: number;
}

/**
 * One room: its history, paged backward with "Load older messages", live messages as they come
 * (the cache adds them), yours on the right, and the send box.
 */
export function MessagePane({ room: roomRef, me, ready, composerRef, onBack, onOpenPrivate }: MessagePaneProps) {
  const room = readFragment(MessagePaneRoomFragment, roomRef);
  const partner = room.partner;
  // The cursor of the oldest page asked for; pages merge into one list in the cache.
  const [before, setBefore] = useState<string | undefined>(undefined);
  const [result] = useQuery({ query: RoomMessagesQuery, variables: { roomId: room.id, last: MESSAGES_PAGE_SIZE, before }, pause: !ready });
  // While an older page loads, keep showing what we have.
  const [shown, setShown] = useState<RoomMessagesData | undefined>(result.data);
  if (result.data !== undefined && result.data !== shown) setShown(result.data);
  const data = result.data ?? shown;
  const edges = data?.messages.edges ?? [];
  const pageInfo = data?.messages.pageInfo;

  const listRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const memory = useRef<ScrollMemory | null>(null);
  const firstId = edges[0]?.node.id;
  const lastEdge = edges.at(-1);
  const lastId = lastEdge?.node.id;
  const lastIsMine = lastEdge?.node.from.id === me.id;

  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list) return;
    const previous = memory.current;
    if (previous === null || previous.lastId === undefined) {
      list.scrollTop = list.scrollHeight;
    } else if (firstId !== previous.firstId && lastId === previous.lastId) {
      // Older messages went in above: keep the ones being read where they were.
      list.scrollTop = previous.scrollTop + (list.scrollHeight - previous.scrollHeight);
    } else if (lastId !== previous.lastId && (atBottom.current || lastIsMine)) {
      list.scrollTop = list.scrollHeight;
    }
    memory.current = { firstId, lastId, scrollHeight: list.scrollHeight, scrollTop: list.scrollTop };
  }, [firstId, lastId, lastIsMine]);

  const onScroll = () => {
    const list = listRef.current;
    if (!list) return;
    atBottom.current = list.scrollHeight - list.scrollTop - list.clientHeight < STICK_TO_BOTTOM_PX;
    if (memory.current) memory.current.scrollTop = list.scrollTop;
  };

  const loadingOlder = result.fetching && before !== undefined;
  return (
    <section className="pane" aria-labelledby="pane-title">
      <div className="pane-header">
        <button type="button" className="back" onClick={onBack}>
          <span aria-hidden="true">←</span> Rooms
        </button>
        <Avatar name={room.name} online={room.private ? (partner?.online ?? false) : undefined} />
        <div>
          <h2 id="pane-title">{room.name}</h2>
          <p className="pane-sub">
            {room.private ? (partner?.online ? 'Online' : 'Offline') + ' · private chat' : 'Everyone is here'}
          </p>
        </div>
      </div>
      <div className="messages" ref={listRef} onScroll={onScroll}>
        <div className="history-start">
          {pageInfo?.hasPreviousPage ? (
            <button
              type="button"
              className="secondary load-older"
              disabled={loadingOlder}
              onClick={() => {
                if (pageInfo.startCursor) setBefore(pageInfo.startCursor);
              }}
            >
              {loadingOlder ? 'Loading…' : 'Load older messages'}
            </button>
          ) : data ? (
            <p className="muted">This is the beginning of {room.private ? `your chat with ${room.name}` : room.name}.</p>
          ) : null}
        </div>
        {result.error && (
          <p className="error" role="alert">
            {describeError(result.error)}
          </p>
        )}
        {!data && !result.error && <p className="muted">Loading messages…</p>}
        <ol className="message-list" role="log" aria-live="polite" aria-relevant="additions" aria-label={`Messages in ${room.name}`}>
          {edges.map(({ node }) => {
            const message = readFragment(MessageFieldsFragment, node);
            const mine = message.from.id === me.id;
            return (
              <li key={message.id} className={mine ? 'message mine' : 'message'} data-message-id={message.id}>
                {!mine && <Avatar name={message.from.username} />}
                <div className="bubble">
                  {/* In a private room the header already says who the other one is. */}
                  {!mine && !room.private && (
                    <button
                      type="button"
                      className="author"
                      onClick={() => onOpenPrivate(message.from.id)}
                      title={`Chat with ${message.from.username} in private`}
                    >
                      {message.from.username}
                    </button>
                  )}
                  {!mine && room.private && <span className="visually-hidden">{message.from.username}:</span>}
                  {mine && <span className="visually-hidden">You:</span>}
                  <p className="text">{message.text}</p>
                  <time dateTime={message.createdAt} title={longTime(message.createdAt)}>
                    {shortTime(message.createdAt)}
                  </time>
                </div>
              </li>
            );
          })}
        </ol>
      </div>
      <Composer roomId={room.id} roomName={room.name} inputRef={composerRef} />
    </section>
  );
}
