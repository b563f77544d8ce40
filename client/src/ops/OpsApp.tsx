import { useCallback, useEffect, useMemo, useState } from 'react';
import { Provider } from 'urql';
import type { Session } from '../App';
import { SignInScreen } from '../components/SignInScreen';
import { graphql } from '../gql';
import { anonymousClient } from '../graphql/client';
import { describeError } from '../graphql/errors';
import { OpsConsole } from './OpsConsole';
import { connectOps } from './ops-client';
import './ops.css';

/** Who is signed in and with which roles: the console is for `admin`. */
const OpsIdentityQuery = graphql(`
  query OpsIdentity {
    me {
      id
      username
    }
    identity {
      roles
    }
  }
`);

const OpsSignOutMutation = graphql(`
  mutation OpsSignOut {
    signOut
  }
`);

interface OpsSession extends Session {
  roles: readonly string[];
}

/** `/ops`: sign in as in the chat, then the console for admins. */
export function OpsApp() {
  const [anonymous] = useState(anonymousClient);
  const [session, setSession] = useState<OpsSession | null | undefined>(undefined);
  const [notice, setNotice] = useState<string | null>(null);

  /** Who a token (or, without one, the cookie) signs in as, and with which roles. */
  const identify = useCallback(
    async (token: string | null): Promise<{ session: OpsSession | null; notice: string | null }> => {
      const result = await anonymous
        .query(OpsIdentityQuery, {}, token ? { fetchOptions: { headers: { authorization: `Bearer ${token}` } } } : {})
        .toPromise();
      const me = result.data?.me;
      return {
        session: me ? { user: me, token, roles: result.data?.identity?.roles ?? [] } : null,
        notice: result.error ? describeError(result.error) : null,
      };
    },
    [anonymous],
  );
  const apply = useCallback((identified: { session: OpsSession | null; notice: string | null }) => {
    setNotice(identified.notice);
    setSession(identified.session);
  }, []);

  useEffect(() => {
    // On load: the cookie may still hold a session.
    let cancelled = false;
    void identify(null).then((identified) => {
      if (!cancelled) apply(identified);
    });
    return () => {
      cancelled = true;
    };
  }, [identify, apply]);

  const connection = useMemo(() => (session?.roles.includes('admin') ? connectOps(session.token) : null), [session]);
  useEffect(() => () => connection?.dispose(), [connection]);

  async function signOut() {
    await anonymous
      .mutation(OpsSignOutMutation, {}, session?.token ? { fetchOptions: { headers: { authorization: `Bearer ${session.token}` } } } : {})
      .toPromise();
    setSession(null);
  }

  if (session === undefined) {
    return (
      <p className="splash" role="status">
        Loading…
      </p>
    );
  }
  if (session === null) {
    return (
      <Provider value={anonymous}>
        <SignInScreen
          title="Switchboard operations"
          lead="Sign in with an account that has the admin role."
          notice={notice}
          onSignedIn={(signedIn) => {
            void identify(signedIn.token).then(apply);
          }}
        />
      </Provider>
    );
  }
  if (!connection) {
    return (
      <main className="auth">
        <div className="auth-card" role="alert">
          <h1>Admins only</h1>
          <p className="lead">
            <strong>{session.user.username}</strong> does not have the <code>admin</code> role. An operator grants it with{' '}
            <code>npm run roles -- grant {session.user.username} admin</code>, then sign in again.
          </p>
          <div className="auth-actions">
            <button type="button" onClick={() => void signOut()}>
              Sign out
            </button>
            <a href="/">Back to the chat</a>
          </div>
        </div>
      </main>
    );
  }
  return (
    <Provider value={connection.client}>
      <OpsConsole username={session.user.username} onSignOut={() => void signOut()} />
    </Provider>
  );
}
