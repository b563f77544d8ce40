import { type FormEvent, type KeyboardEvent, type RefObject, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../gql';

/** `id` and `roomId` are what the cache needs to put the message in its room at once. */
const SendMessageMutation = graphql(`
  mutation SendMessage($roomId: ID!, $text: String!) {
    sendMessage(roomId: $roomId, text: $text) {
      id
      roomId
      ...MessageFields
    }
  }
`);
import { describeError } from '../graphql/errors';

/** The send box: Enter sends, Shift+Enter starts a new line; the text is sent exactly as typed. */
export function Composer({ roomId, roomName, inputRef }: { roomId: string; roomName: string; inputRef: RefObject<HTMLTextAreaElement | null> }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [{ fetching }, sendMessage] = useMutation(SendMessageMutation);
  const empty = text.trim() === '';

  async function send() {
    if (empty || fetching) return;
    const sent = text;
    const result = await sendMessage({ roomId, text: sent });
    if (result.error) {
      // Keep the text, so that nothing typed is lost.
      setError(describeError(result.error));
      return;
    }
    setError(null);
    setText((current) => (current === sent ? '' : current));
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void send();
  }

  return (
    <form className="composer" onSubmit={onSubmit}>
      <label htmlFor="composer" className="visually-hidden">
        Message {roomName}
      </label>
      <textarea
        id="composer"
        ref={inputRef}
        rows={1}
        value={text}
        placeholder={`Message ${roomName}`}
        aria-describedby={error ? 'composer-error composer-hint' : 'composer-hint'}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <button type="submit" disabled={empty || fetching}>
        Send
      </button>
      <p id="composer-hint" className="visually-hidden">
        Enter sends; Shift+Enter starts a new line.
      </p>
      {error && (
        <p id="composer-error" className="error composer-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
