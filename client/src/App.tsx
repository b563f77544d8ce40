import { useEffect, useState } from 'react';
import { Provider } from 'urql';
import { ChatApp } from './components/ChatApp';
import { SignInScreen } from './components/SignInScreen';
import { graphql } from './gql';
import { anonymousClient } from './graphql/client';
import { describeError } from './graphql/errors';

/** Whether the session cookie (after a reload) still signs us in. */
const MeQuery = graphql(`
  query Me {
    me {
      id
      username
      online
    }
  }
`);

/** Who is signed in. The token is kept in memory only; after a reload the HttpOnly cookie speaks for us. */
export interface Session {
  user: { id: string; username: string };
  token: string | null;
}

export function App() {
  const [client] = useState(anonymousClient);
  // undefined: still asking the server whether the cookie holds a session.
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    void client
      .query(MeQuery, {})
      .toPromise()
      .then((result) => {
        if (cancelled) return;
        if (result.error) setNotice(describeError(result.error));
        setSession(result.data?.me ? { user: result.data.me, token: null } : null);
      });
    return () => {
      cancelled = true;
    };
  }, [client]);

  if (session === undefined) {
    return (
      <p className="splash" role="status">
        Loading…
      </p>
    );
  }
  if (session === null) {
    return (
      <Provider value={client}>
        <SignInScreen
          notice={notice}
          onSignedIn={(signedIn) => {
            setNotice(null);
            setSession(signedIn);
          }}
        />
      </Provider>
    );
  }
  return (
    <ChatApp
      key={session.user.id}
      session={session}
      onSignedOut={(reason) => {
        setNotice(reason);
        setSession(null);
      }}
    />
  );
}
