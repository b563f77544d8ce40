/**
 * The API's cursor before every message (`Message.id`'s description): `messageAdded(after: "0")`
 * replays from the first message. It sorts before every message id.
 */
export const BEFORE_FIRST_MESSAGE = '0';

/**
 * The newest message this client holds, over all its rooms: where `messageAdded` resumes after a
 * reconnect. Message ids sort like the messages (the API says so), so the newest is the greatest;
 * the client never reads anything else into an id.
 */
export interface ResumeCursor {
  /** The id to pass as `after`, or undefined before the first list of rooms came. */
  newest(): string | undefined;
  /**
   * Starts from the rooms' last messages, read once the feed was attached: every older message
   * comes with the rooms' history and every newer one through the feed. No message at all yet:
   * from before the first one, so that messages sent while the client is away are not missed.
   */
  start(lastMessageIds: readonly string[]): void;
  /** Takes note of a message the feed delivered. */
  observe(messageId: string): void;
}

export function createResumeCursor(): ResumeCursor {
  let newest: string | undefined;
  const observe = (messageId: string) => {
    if (newest === undefined || messageId > newest) newest = messageId;
  };
  return {
    newest: () => newest,
    start(lastMessageIds) {
      observe(BEFORE_FIRST_MESSAGE);
      lastMessageIds.forEach(observe);
    },
    observe,
  };
}
