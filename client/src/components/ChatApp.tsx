import { useEffect, useRef, useState } from 'react';
import { Provider } from 'urql';
import type { Session } from '../App';
import { graphql } from '../gql';
import { type ChatConnection, connectChat } from '../graphql/client';
import { describeError } from '../graphql/errors';
import { ChatScreen } from './ChatScreen';

const SignOutMutation = graphql(`
  mutation SignOut {
    signOut
  }
`);

/** Owns the signed-in connection: opens it, closes it on sign-out or when the session ends. */
export function ChatApp({ session, onSignedOut }: { session: Session; onSignedOut(reason: string | null): void }) {
  const [connection, setConnection] = useState<ChatConnection | null>(null);
  const signedOut = useRef(onSignedOut);
  useEffect(() => {
    signedOut.current = onSignedOut;
  });

  useEffect(() => {
    const opened = connectChat({
      token: session.token,
      onSessionEnded: () => signedOut.current('Your session has ended (signed out elsewhere, or expired). Sign in again.'),
    });
    setConnection(opened);
    return () => opened.dispose();
  }, [session.token]);

  if (!connection) return null;

  async function signOut(current: ChatConnection) {
    // Close the socket first, so that the server's "session ended" close is not taken for news.
    current.dispose();
    const result = await current.client.mutation(SignOutMutation, {}).toPromise();
    signedOut.current(
      result.error ? `Signed out on this page, but the server could not end the session: ${describeError(result.error)}` : null,
    );
  }

  return (
    <Provider value={connection.client}>
      <ChatScreen me={session.user} connection={connection} onSignOut={() => void signOut(connection)} />
    </Provider>
  );
}
